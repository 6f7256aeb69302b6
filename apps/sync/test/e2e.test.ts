import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSqliteStore } from '@registerbro/engine';
import type { NoarkAdapter } from '@registerbro/noark';
import { type Sandbox, startSandbox } from '@registerbro/sandbox';
import { type WorldChange, personFullName } from '@registerbro/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CliResult,
  archiveProblems,
  archiveReader,
  collect,
  conflictTargets,
  duplicateWrites,
  removeTempDirs,
  runCli,
  snapshotClasses,
  spawnCli,
  writeConfig,
} from './helpers.js';

/**
 * End to end with real processes: the sandbox simulators (real HTTP servers, in this process so
 * the test can read the world's ground truth and the archive's write log) and the `registerbro`
 * command as its own node process on a real SQLite file.
 */

const PEOPLE = 1_000;
let sandbox: Sandbox;
let reader: NoarkAdapter;
let dir: string;
let config: string;
/** Every line any registerbro process printed, for the privacy scan. */
const output: string[] = [];

const cli = async (args: string[], timeoutMs = 60_000): Promise<CliResult> => {
  const r = await runCli(['--config', config, ...args], { cwd: dir, env: sandbox.env, timeoutMs });
  output.push(r.stdout, r.stderr);
  return r;
};

/** Read straight from the SQLite file the command wrote (the CLI's own listing is tested below). */
async function openConflictTargets(): Promise<Set<string>> {
  const store = await createSqliteStore({ file: join(dir, 'data', 'registerbro.sqlite') });
  try {
    return conflictTargets(await store.forTenant('1806').listConflicts({ status: 'open', limit: 100_000 }));
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  sandbox = await startSandbox({ people: PEOPLE, seed: 'e2e' });
  reader = archiveReader(sandbox);
  ({ dir, config } = writeConfig(sandbox));
});

afterAll(async () => {
  await reader?.close?.();
  await sandbox?.close();
  removeTempDirs();
});

describe('registerbro against the sandbox (SQLite)', () => {
  it('rejects a broken config with one line naming the key (exit 2)', async () => {
    const bad = join(dir, 'bad.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(bad, readFileSync(config, 'utf8').replace(/^tenant: .*$/m, 'tenant: "18O6"'));
    const r = await runCli(['--config', bad, 'sync'], { cwd: dir, env: sandbox.env });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `registerbro: ${bad}: tenant: expected a four-digit kommunenummer in quotes, e.g. "1806"`,
    ]);
    const noSecret = await runCli(['--config', config, 'sync'], {
      cwd: dir,
      env: { ...sandbox.env, REGISTERBRO_MATRIKKEL_PASSWORD: '' },
    });
    expect(noSecret.code, noSecret.stderr).toBe(2);
    expect(noSecret.stderr.trim()).toBe(
      'registerbro: config: matrikkel.passwordEnv: environment variable REGISTERBRO_MATRIKKEL_PASSWORD is not set (expected the Matrikkel password)',
    );
  });

  it('sync --full makes every linked party current and leaves no protected address', async () => {
    const r = await cli(['--json', 'sync', '--full']);
    expect(r.stderr).not.toMatch(/"level":50/);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { flows: { flow: string; status: string }[] };
    expect(summary.flows.map((f) => `${f.flow}:${f.status}`)).toEqual(['F1:ok', 'F2:ok', 'F6:ok']);
    expect(existsSync(join(dir, 'data', 'registerbro.sqlite'))).toBe(true);
    const check = await archiveProblems(sandbox, reader, await openConflictTargets());
    expect(check.problems).toEqual([]);
    expect(check.linkedChecked).toBeGreaterThan(10);
    noteUnidentified(check.unidentifiedProtected);
    expect(duplicateWrites(sandbox)).toEqual([]);
  });

  it('an incremental sync after changes touches only the affected records', async () => {
    const before = sandbox.noark.writeLog.length;
    const classesBefore = snapshotClasses(sandbox.world);
    const changes = sandbox.applyChanges({ count: 200, seed: 'e2e-1' });
    const affected = affectedCases(changes);
    const r = await cli(['--json', 'sync']);
    expect(r.code, r.stderr).toBe(0);
    const writes = sandbox.noark.writeLog.slice(before);
    expect(writes.length).toBeGreaterThan(0);
    const stray = writes.filter((w) => !affected.has(w.caseSystemId));
    expect(stray).toEqual([]);
    const check = await archiveProblems(sandbox, reader, await openConflictTargets(), { classesBefore });
    expect(check.problems).toEqual([]);
    expect(check.classesChecked).toBeGreaterThan(10);
    noteUnidentified(check.unidentifiedProtected);
    expect(duplicateWrites(sandbox)).toEqual([]);
  });

  it('a person whose party has no fødselsnummer gets a protected address: the copied address goes', async () => {
    const world = sandbox.world;
    // A party on an open case holding the address copied from its (unprotected) person…
    const pick = [...world.cases.values()]
      .filter((c) => c.open)
      .flatMap((c) => c.parties.map((party) => ({ c, party })))
      .find(({ party }) => {
        const person = party.personId ? world.people.get(party.personId) : undefined;
        return (
          party.address !== undefined &&
          person?.status === 'bosatt' &&
          person.adressebeskyttelse === 'ugradert' &&
          person.residentialAddressId !== undefined &&
          party.name === personFullName(person)
        );
      });
    expect(pick).toBeDefined();
    const { c, party } = pick as NonNullable<typeof pick>;
    // …that the archive holds without fødselsnummer (as about 3 % of parties are).
    party.identifier = undefined;
    party.version++;
    const full = await cli(['--json', 'sync', '--full', '--flow', 'F1']);
    expect(full.code, full.stderr).toBe(0);
    const shown = async () =>
      (await reader.get(c.systemId))?.parties.find((p) => p.systemId === party.systemId);
    expect((await shown())?.address).toBeDefined();

    const person = world.people.get(party.personId as string);
    const made = sandbox.applyChanges({ count: 1, kinds: ['protect'], personIds: [person?.id as string] });
    expect(made.map((m) => m.personId)).toEqual([person?.id]);
    const r = await cli(['--json', 'sync', '--flow', 'F1']);
    expect(r.code, r.stderr).toBe(0);
    // Found through the hashed name index, the address removed; an admin is asked to link the party.
    expect((await shown())?.address).toBeUndefined();
    const target = `saksmappe/${c.systemId}/part/${party.systemId}`;
    expect(await openConflictTargets()).toContain(target);
    const check = await archiveProblems(sandbox, reader, await openConflictTargets());
    expect(check.problems).toEqual([]);
  });

  it('killed with SIGKILL mid-run and restarted, ends in the same state with no duplicate write', async () => {
    // Changes to people on open cases make archive writes: enough that a kill lands between two.
    sandbox.applyChanges({ count: 300, seed: 'e2e-kill', kinds: ['move', 'rename', 'death', 'emigration'] });
    // The first write lands at once, every later one slowly: the kill (at the first write) lands
    // while the outbox is being applied, however many writes the drain has in flight.
    let writes = 0;
    sandbox.faults.noark.set({ latencyMs: 1_000, when: (req) => req.method !== 'GET' && ++writes > 1 });
    const before = sandbox.noark.writeLog.length;
    const child = spawnCli(['--config', config, 'sync', '--full'], { cwd: dir, env: sandbox.env });
    const done = collect(child);
    const deadline = Date.now() + 30_000;
    while (sandbox.noark.writeLog.length === before && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    const killed = await done;
    const atKill = sandbox.noark.writeLog.length;
    console.info(`kill test: ${atKill - before} archive write(s) before SIGKILL`);
    output.push(killed.stdout, killed.stderr);
    expect(killed.signal).toBe('SIGKILL');
    sandbox.faults.noark.clear();
    // The dead process's flow lock and outbox leases expire (1.5 s in this config).
    await new Promise((r) => setTimeout(r, 1_700));
    const again = await cli(['--json', 'sync', '--full']);
    expect(again.code, again.stderr).toBe(0);
    // The work was really split by the crash: some writes before it, the rest after the restart.
    expect(atKill).toBeGreaterThan(before);
    expect(sandbox.noark.writeLog.length).toBeGreaterThan(atKill);
    console.info(`kill test: ${sandbox.noark.writeLog.length - atKill} archive write(s) after the restart`);
    expect(duplicateWrites(sandbox)).toEqual([]);
    const check = await archiveProblems(sandbox, reader, await openConflictTargets());
    expect(check.problems).toEqual([]);
    noteUnidentified(check.unidentifiedProtected);
    // A second run finds nothing left to do.
    const idle = await cli(['--json', 'sync', '--full']);
    const flows = (JSON.parse(idle.stdout) as { flows: { drained?: { applied: number } }[] }).flows;
    expect(flows.reduce((n, f) => n + (f.drained?.applied ?? 0), 0)).toBe(0);
  });

  it('dry run writes nothing; reconcile shows one graph; a local edit becomes a conflict an admin resolves', async () => {
    const world = sandbox.world;
    const before = sandbox.noark.writeLog.length;
    const dry = await cli(['--json', 'sync', '--full', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect((JSON.parse(dry.stdout) as { dryRun: boolean }).dryRun).toBe(true);
    expect(sandbox.noark.writeLog.length).toBe(before);

    // A linked, unprotected party on an open case whose person is current in the archive.
    const pick = [...world.cases.values()]
      .filter((c) => c.open && c.caseType !== 'sosial')
      .flatMap((c) =>
        c.parties.map((p) => ({
          kase: c,
          party: p,
          person: p.personId ? world.people.get(p.personId) : undefined,
        })),
      )
      .find(
        (x) =>
          x.person !== undefined &&
          x.person.adressebeskyttelse === 'ugradert' &&
          x.person.status === 'bosatt' &&
          x.party.identifier === x.person.fnr,
      );
    expect(pick).toBeDefined();
    const { kase, party, person } = pick as NonNullable<typeof pick>;

    const shown = await cli(['reconcile', 'person', person?.fnr ?? '']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/Reconcile person [\d*]{6}\*{5}: \d+ case\(s\) examined/);
    expect((await cli(['--json', 'reconcile', 'case', kase.saksnummer])).code).toBe(0);

    // An archivist edits the name by hand: T ≠ B = M is a local edit, a conflict, not an overwrite.
    const masterName = party.name;
    party.name = 'Lokalt Endret Navnesen';
    party.version++;
    const full = await cli(['--json', 'sync', '--full', '--flow', 'F1']);
    expect(full.code, full.stderr).toBe(0);
    expect(party.name).toBe('Lokalt Endret Navnesen');
    const open = JSON.parse((await cli(['--json', 'conflicts', 'list', '--limit', '10000'])).stdout) as {
      id: number;
      rule: string;
      entityKey: string;
    }[];
    const conflict = open.find(
      (c) => c.rule === 'local_edit' && c.entityKey.endsWith(`${party.systemId.slice(-8)}@name`),
    );
    expect(conflict).toBeDefined();
    const edits = JSON.parse(
      (await cli(['--json', 'conflicts', 'list', '--rule', 'local_edit', '--limit', '10000'])).stdout,
    ) as { id: number; rule: string }[];
    expect(edits.map((c) => c.id)).toContain(conflict?.id);
    expect(edits.every((c) => c.rule === 'local_edit')).toBe(true);
    expect(edits.length).toBeLessThan(open.length);
    const id = String(conflict?.id);
    expect((await cli(['conflicts', 'show', id])).stdout).toContain('Lokalt Endret Navnesen');
    const bad = await cli(['conflicts', 'resolve', id]);
    expect(bad.code, bad.stderr).toBe(1);
    const resolved = await cli([
      'conflicts',
      'resolve',
      id,
      '--take-master',
      '--by',
      'tester',
      '--note',
      'folkeregisteret har rett',
    ]);
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(resolved.stdout).toMatch(new RegExp(`^Conflict #${id} resolved: take_master`));
    expect(party.name).toBe(masterName);
    const audit = JSON.parse((await cli(['--json', 'audit', '--limit', '100000'])).stdout) as {
      actor: string;
      action: string;
    }[];
    expect(audit.some((e) => e.actor === 'user:tester')).toBe(true);

    // Reconcile one person whose name changed in Folkeregisteret: shown first, written on --apply.
    if (!person) throw new Error('no person');
    person.familyName = `${person.familyName}-Aasen`;
    person.version++;
    const plan = await cli(['reconcile', 'person', person.fnr]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('Nothing written. Run again with --apply');
    expect(party.name).toBe(masterName);
    const applied = await cli(['reconcile', 'person', person.fnr, '--apply']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/^Applied [1-9]\d*, /m);
    expect(party.name).toBe(personFullName(person));
  });

  it('runs, conflicts, audit and audit verify answer; nothing printed or audited holds an fnr or a protected address', async () => {
    const check = await cli(['check']);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toMatch(/^folkeregister ok /m);
    expect(check.stdout).toMatch(/^matrikkel\s+ok /m);
    expect(check.stdout).toMatch(/^noark\s+ok /m);
    const runs = await cli(['runs']);
    expect(runs.code, runs.stderr).toBe(0);
    expect(runs.stdout).toMatch(/F1\s+full\s+ok/);
    const list = await cli(['conflicts', 'list', '--status', 'all', '--limit', '100000']);
    expect(list.stdout).toMatch(/^id\s+flow\s+rule/);
    const quarantined = await cli(['quarantine', 'list', '--status', 'all']);
    expect(quarantined.code, quarantined.stderr).toBe(0);
    const verify = await cli(['audit', 'verify']);
    expect(verify.stdout).toMatch(/^Audit log intact: /);
    const audit = await cli(['--json', 'audit', '--limit', '100000']);
    expect(JSON.parse(audit.stdout).length).toBeGreaterThan(0);
    const first = /^#(\d+)/m.exec(list.stdout)?.[1];
    expect(first).toBeDefined();
    expect((await cli(['conflicts', 'show', first ?? ''])).code).toBe(0);

    const text = output.join('\n');
    const world = sandbox.world;
    // Every identifier any person ever had: none may appear unmasked anywhere.
    const leakedIds = [...world.index.peopleByIdentifier.keys()].filter((id) => text.includes(id));
    expect(leakedIds).toEqual([]);
    expect(text).not.toMatch(/(?<!\d)\d{11}(?!\d)/);
    // The street lines of protected people's addresses.
    const secrets = [...world.people.values()]
      .filter((p) => p.adressebeskyttelse !== 'ugradert' && p.residentialAddressId)
      .map((p) => world.addresses.get(p.residentialAddressId as string))
      .filter((a) => a?.adressenavn !== undefined)
      .map((a) => `${a?.adressenavn} ${a?.husnummer ?? ''}${a?.bokstav ?? ''}`.trim());
    expect(secrets.length).toBeGreaterThan(0);
    const residentsElsewhere = new Set<string>();
    for (const p of world.people.values())
      if (p.adressebeskyttelse === 'ugradert' && p.residentialAddressId) {
        const a = world.addresses.get(p.residentialAddressId);
        if (a?.adressenavn)
          residentsElsewhere.add(`${a.adressenavn} ${a.husnummer ?? ''}${a.bokstav ?? ''}`.trim());
      }
    // An address shared with unprotected neighbours may appear for them; a secret one alone must not.
    expect(secrets.filter((s) => !residentsElsewhere.has(s) && text.includes(s))).toEqual([]);
  });
});

/**
 * Reported rather than asserted: a party WITHOUT identifier of a person with protected address that
 * the archive holds under another name than theirs (a typo, an old name) — nobody can tie it to them.
 * One under their name is a problem `archiveProblems` asserts: F1 removes its address.
 */
function noteUnidentified(targets: readonly string[]): void {
  if (targets.length > 0)
    console.warn(
      `${targets.length} party/parties without identifier, under another name, of a protected person hold an address`,
    );
}

/** Cases a change may legitimately touch (the ground truth of who and what it concerns). */
function affectedCases(changes: readonly WorldChange[]): Set<string> {
  const world = sandbox.world;
  const out = new Set<string>();
  const addPerson = (id: string | undefined) => {
    if (id) for (const c of world.index.casesByPerson.get(id) ?? []) out.add(c);
  };
  for (const change of changes) {
    addPerson(change.personId);
    for (const c of change.caseIds ?? []) out.add(c);
    for (const p of change.propertyIds ?? [])
      for (const c of world.index.casesByProperty.get(p) ?? []) out.add(c);
    for (const a of change.addressIds ?? [])
      for (const p of world.index.residentsByAddress.get(a) ?? []) addPerson(p);
    for (const o of change.before?.owners ?? []) addPerson(o.personId);
    for (const o of change.after?.owners ?? []) addPerson(o.personId);
  }
  return out;
}
