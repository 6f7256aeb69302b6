import { join } from 'node:path';
import { type QuarantineRecord, createSqliteStore } from '@registerbro/engine';
import type { NoarkAdapter } from '@registerbro/noark';
import { type Sandbox, startSandbox } from '@registerbro/sandbox';
import {
  type World,
  type WorldCase,
  type WorldPerson,
  generateMunicipality,
  renumberKommune,
} from '@registerbro/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CliResult,
  archiveProblems,
  archiveReader,
  conflictTargets,
  duplicateWrites,
  removeTempDirs,
  runCli,
  snapshotClasses,
  writeConfig,
} from './helpers.js';

/**
 * "Bad input never stops a run" (DESIGN.md, Guarantees), end to end: each simulator serves hostile
 * and malformed RECORDS inside otherwise good answers — a person whose document fails the schema or
 * carries an fnr with a typo in a bulkoppslag answer, matrikkelenheter with an impossible
 * matrikkelnummer or an unreadable owner, or whose getObjects answer is cut off, carries an
 * external entity or an entity bomb, saksmapper with a broken field in the archive's scan — plus
 * whole hostile bodies (entity bomb, external entity, deep nesting, garbage) on some requests.
 * The run completes, each bad record is in `registerbro quarantine list` with a reason that names
 * it and says what to do, the good records around it are synced, and no fnr is printed unmasked.
 */

const PEOPLE = 600;
let sandbox: Sandbox;
let reader: NoarkAdapter;
let dir: string;
let config: string;
const output: string[] = [];

const cli = async (args: string[]): Promise<CliResult> => {
  const r = await runCli(['--config', config, ...args], { cwd: dir, env: sandbox.env });
  output.push(r.stdout, r.stderr);
  return r;
};

interface Summary {
  flows: { flow: string; status: string; message?: string; counts: Record<string, number> }[];
}

/** The quarantine as the store holds it (with the raw keys the CLI never prints). */
async function storedQuarantine(): Promise<{ entries: QuarantineRecord[]; conflicts: Set<string> }> {
  const store = await createSqliteStore({ file: join(dir, 'data', 'registerbro.sqlite') });
  try {
    const tenant = store.forTenant('1806');
    return {
      entries: await tenant.listQuarantine({ status: 'open', limit: 100_000 }),
      conflicts: conflictTargets(await tenant.listConflicts({ status: 'open', limit: 100_000 })),
    };
  } finally {
    await store.close();
  }
}

/** A linked, unprotected, living person party of an open case, with the case. */
function linkedParties(world: World): { kase: WorldCase; person: WorldPerson; target: string }[] {
  const out: { kase: WorldCase; person: WorldPerson; target: string }[] = [];
  for (const kase of world.cases.values()) {
    if (!kase.open || kase.caseType === 'sosial') continue;
    for (const party of kase.parties) {
      const person = party.personId ? world.people.get(party.personId) : undefined;
      if (
        person &&
        party.identifier === person.fnr &&
        person.status === 'bosatt' &&
        person.adressebeskyttelse === 'ugradert'
      )
        out.push({ kase, person, target: `saksmappe/${kase.systemId}/part/${party.systemId}` });
    }
  }
  return out;
}

const casesOfPerson = (world: World, p: WorldPerson) =>
  world.index.casesByPerson.get(p.id) ?? new Set<string>();

/** The cases the flows keep a person current on: open, not screened, a party holding the fnr. */
const syncedCasesOf = (world: World, p: WorldPerson) =>
  [...casesOfPerson(world, p)].filter((id) => {
    const c = world.cases.get(id);
    return c?.open && c.caseType !== 'sosial' && c.parties.some((x) => x.identifier === p.fnr);
  });

/** Rename people in the world with a change each (Folkeregisteret's feed reports them). */
function rename(world: World, people: readonly WorldPerson[], suffix: string): void {
  for (const person of people) {
    const at = new Date(Date.parse(world.now) + 1_000).toISOString();
    const before = person.familyName;
    person.familyName = `${before}-${suffix}`;
    person.version++;
    person.updatedAt = at;
    world.changes.push({
      seq: world.changes.length + 1,
      at,
      kind: 'rename',
      personId: person.id,
      before: { familyName: before },
      after: { familyName: person.familyName, date: at.slice(0, 10) },
    });
    world.now = at;
  }
}

/** Case systemIDs whose parties or classes a bad record keeps from being synced. */
const untouchable = new Set<string>();

beforeAll(async () => {
  // Ballangen's archive (GBNR classes on 1854 keys) after the kommune became part of Narvik: every
  // class on an open case needs a re-key, so the good units around the bad ones must get theirs.
  const world = generateMunicipality({ seed: 'hostile', people: PEOPLE, kommunenummer: '1854' });
  renumberKommune(world, '1854', '1806');
  sandbox = await startSandbox({ world });
  reader = archiveReader(sandbox);
  ({ dir, config } = writeConfig(sandbox, { engine: { batchSize: 40, scanPageSize: 10 } }));
});

afterAll(async () => {
  await reader?.close?.();
  await sandbox?.close();
  removeTempDirs();
});

describe('hostile and malformed records from every register', () => {
  it('a full sync quarantines each bad record with a reason, completes, and syncs the good ones around it', async () => {
    const world = sandbox.world;
    const classesBefore = snapshotClasses(world);
    const linked = linkedParties(world);
    const casesOf = (p: WorldPerson) => [...(world.index.casesByPerson.get(p.id) ?? [])];
    // Distinct people on distinct cases: two bad, the rest good (all renamed, so all need a write).
    const people: WorldPerson[] = [];
    const seenCases = new Set<string>();
    for (const l of linked) {
      if (people.includes(l.person) || casesOf(l.person).some((c) => seenCases.has(c))) continue;
      people.push(l.person);
      for (const c of casesOf(l.person)) seenCases.add(c);
      if (people.length === 6) break;
    }
    expect(people.length).toBe(6);
    const [schemaBroken, mistyped, ...good] = people as [WorldPerson, WorldPerson, ...WorldPerson[]];
    rename(world, people, 'Aas');
    sandbox.folkeregister.sync();
    sandbox.folkeregister.corrupt.personIds.add(schemaBroken.id);
    sandbox.folkeregister.corrupt.invalidIdentifier.add(mistyped.id);
    for (const p of [schemaBroken, mistyped]) for (const c of casesOf(p)) untouchable.add(c);

    // Matrikkelen: units of open cases' GBNR classes, one per kind of bad record.
    const units = [...classesBefore.entries()].flatMap(([caseId, classes]) =>
      [...classes.values()].map((classId) => ({ caseId, key: classId })),
    );
    const unitKinds = [
      'impossible_matrikkelnummer',
      'invalid_owner',
      'malformed_xml',
      'hostile_xml',
      'entity_bomb',
    ] as const;
    const badUnits = new Map<string, (typeof unitKinds)[number]>();
    for (const u of units) {
      if (badUnits.size === unitKinds.length) break;
      if (badUnits.has(u.key) || seenCases.has(u.caseId)) continue;
      badUnits.set(u.key, unitKinds[badUnits.size] as (typeof unitKinds)[number]);
      // By the unit's id: the class still holds the 1854 key, the register knows the 1806 one.
      sandbox.matrikkel.corrupt(world.index.propertiesByKey.get(u.key) ?? u.key, badUnits.get(u.key));
    }
    expect(badUnits.size).toBe(unitKinds.length);
    for (const u of units) if (badUnits.has(u.key)) untouchable.add(u.caseId);

    // The archive: saksmapper with a broken field, between good ones on the same scan pages.
    const caseKinds = ['schema', 'invalid_party_identifier', 'saksstatus_text'] as const;
    const badCases = [...world.cases.values()]
      .filter(
        (c) =>
          c.open &&
          !untouchable.has(c.systemId) &&
          !seenCases.has(c.systemId) &&
          c.parties.some((p) => p.identifier?.length === 11 && p.personId),
      )
      .slice(0, caseKinds.length);
    expect(badCases.length).toBe(caseKinds.length);
    badCases.forEach((c, i) => {
      sandbox.noark.corruptCase(c.systemId, caseKinds[i]);
      // A mistyped party fnr leaves the case readable: its other parties and classes are synced.
      if (caseKinds[i] !== 'invalid_party_identifier') untouchable.add(c.systemId);
    });

    const r = await cli(['--json', 'sync', '--full']);
    expect(r.stderr).not.toMatch(/"level":50/);
    const summary = JSON.parse(r.stdout) as Summary;
    expect(
      summary.flows.map((f) => `${f.flow}:${f.status}`),
      JSON.stringify(summary.flows),
    ).toEqual(['F1:ok', 'F2:ok', 'F6:ok']);
    expect(r.code, r.stderr).toBe(0);

    // Each bad record is in the quarantine, named, with what to do; the raw key only in the store.
    const listed = JSON.parse((await cli(['--json', 'quarantine', 'list', '--limit', '1000'])).stdout) as {
      id: number;
      source: string;
      recordType: string;
      recordKey: string | null;
      errorCode: string;
      reason: string;
      rawKey?: unknown;
    }[];
    expect(listed.every((q) => q.rawKey === undefined)).toBe(true);
    const { entries, conflicts } = await storedQuarantine();
    /** The stored entry for a bad record; it must be in the CLI's listing too. */
    const entryFor = (source: string, match: (q: QuarantineRecord) => boolean) => {
      const found = entries.find((q) => q.source === source && match(q));
      if (found) expect(listed.find((l) => l.id === found.id)?.reason).toBe(found.reason);
      return found;
    };
    for (const person of [schemaBroken, mistyped]) {
      const q = entryFor('folkeregister', (e) => e.rawKey === person.fnr);
      expect(q, `quarantine entry for ${person.id}`).toBeDefined();
      expect(q?.recordType).toBe('person');
      expect(q?.recordKey).toBe('***********');
      expect(q?.reason).toMatch(/Folkeregisteret/);
      expect(q?.reason).toMatch(/person document|fodselsnummer/);
      expect(q?.reason).toMatch(/ — \S/);
      expect(listed.some((l) => l.reason === q?.reason && l.recordKey === '***********')).toBe(true);
    }
    expect(entryFor('folkeregister', (e) => e.rawKey === mistyped.fnr)?.errorCode).toBe('invalid_identifier');
    for (const [key, kind] of badUnits) {
      const unit = world.properties.get(world.index.propertiesByKey.get(key) ?? '');
      const q = entryFor(
        'matrikkel',
        (e) => e.recordKey === unit?.key || (e.recordKey ?? '').includes(`id:${unit?.id}`),
      );
      expect(q, `quarantine entry for ${kind} unit ${unit?.key}`).toBeDefined();
      expect(q?.reason).toMatch(/matrikkel/i);
      expect(q?.reason).toMatch(/ — \S/);
    }
    for (const [i, kase] of badCases.entries()) {
      if (caseKinds[i] === 'invalid_party_identifier') {
        // Not the whole case in quarantine: one conflict on that party, to correct in the archive.
        expect(entryFor('noark', (e) => e.rawKey === kase.systemId)).toBeUndefined();
        expect([...conflicts].some((t) => t.startsWith(`saksmappe/${kase.systemId}/part/`))).toBe(true);
        continue;
      }
      const q = entryFor('noark', (e) => e.rawKey === kase.systemId);
      expect(
        q,
        `quarantine entry for ${sandbox.noark.world.cases.get(kase.systemId)?.saksnummer}`,
      ).toBeDefined();
      expect(q?.recordType).toBe('saksmappe');
      // Named by saksnummer, or by systemID when the saksnummer itself is what is broken.
      expect([kase.saksnummer, kase.systemId]).toContain(q?.recordKey);
      expect(q?.reason).toMatch(/ — \S/);
    }

    // The good records on the same pages were synced: every other party current, every other
    // GBNR class re-keyed from 1854 to 1806.
    const check = await archiveProblems(sandbox, reader, conflicts, { classesBefore });
    const elsewhere = check.problems.filter((p) => ![...untouchable].some((c) => p.includes(c)));
    expect(elsewhere).toEqual([]);
    expect(check.classesRekeyed).toBeGreaterThan(5);
    for (const person of good) {
      for (const caseId of syncedCasesOf(world, person)) {
        const c = await reader.get(caseId);
        expect(c?.parties.some((p) => p.identifier === person.fnr && p.name.endsWith('-Aas'))).toBe(true);
      }
    }
    // … and the bad ones were left alone: not renamed, not re-keyed.
    for (const person of [schemaBroken, mistyped])
      for (const caseId of syncedCasesOf(world, person))
        expect(world.cases.get(caseId)?.parties.some((p) => p.name.endsWith('-Aas'))).toBe(false);
    for (const u of units)
      if (badUnits.has(u.key))
        expect(world.cases.get(u.caseId)?.classes.some((k) => k.classId === u.key)).toBe(true);
  });

  it('whole hostile bodies (entity bomb, external entity, deep nesting, garbage) are typed errors: the run completes, a rerun catches up', async () => {
    const world = sandbox.world;
    const classesBefore = snapshotClasses(world);
    // More work for the next run: renamed people on open cases (all good records).
    const people = linkedParties(world)
      .map((l) => l.person)
      .filter(
        (p, i, all) => all.indexOf(p) === i && ![...casesOfPerson(world, p)].some((c) => untouchable.has(c)),
      )
      .slice(0, 4);
    expect(people.length).toBe(4);
    rename(world, people, 'Berg');
    sandbox.folkeregister.sync();
    const writesBefore = sandbox.noark.writeLog.length;

    /** A run the hostile bodies made stop short: typed errors, named registers, nothing crashed. */
    const completes = (r: CliResult, flows: string[]): Summary => {
      expect(r.signal).toBeNull();
      expect(r.stderr).not.toMatch(/"level":50/);
      const summary = JSON.parse(r.stdout) as Summary;
      expect(summary.flows.map((f) => f.flow)).toEqual(flows);
      // A flow whose register answered a whole body it cannot read stops with a typed error naming
      // the register and what to do (degraded, exit 3); nothing else happens to it.
      expect([0, 3]).toContain(r.code);
      for (const f of summary.flows) {
        expect(['ok', 'degraded'], `${f.flow}: ${f.message}`).toContain(f.status);
        if (f.status === 'degraded') {
          expect(f.message).toMatch(/^(Folkeregisteret|Matrikkelen|The archive \(Noark\)) failed while /);
          expect(f.message).toMatch(/run the flow again/i);
        }
      }
      return summary;
    };

    // F1 applies the renames: garbage answers the outbox's first party read. A write must not be
    // given up for an unreadable answer (it would not be planned again until a full sync).
    let partReads = 0;
    sandbox.faults.noark
      .set({
        when: (r) => r.method === 'GET' && r.path.includes('/arkivstruktur/part/') && partReads++ === 0,
      })
      .once({ kind: 'hostile', variant: 'garbage' });
    const f1 = completes(await cli(['--json', 'sync', '--flow', 'F1']), ['F1']);
    expect(sandbox.faults.noark.pending).toBe(0);
    expect(f1.flows[0]?.status).toBe('ok');
    expect(f1.flows[0]?.counts.operationsRetried).toBeGreaterThan(0);
    expect(f1.flows[0]?.counts.operationsFailed).toBe(0);

    // A full F2 reads units and owners: an entity bomb and an external entity from Matrikkelen,
    // deep nesting from Folkeregisteret.
    let objects = 0;
    sandbox.faults.matrikkel
      .set({ when: (r) => r.path.endsWith('/StoreServiceWS') && [0, 1].includes(objects++) })
      .once({ kind: 'hostile', variant: 'billion_laughs' })
      .once({ kind: 'hostile', variant: 'external_entity' });
    sandbox.faults.folkeregister
      .set({ when: (r) => r.path.endsWith('/personer/bulkoppslag') })
      .once({ kind: 'hostile', variant: 'deep' });
    completes(await cli(['--json', 'sync', '--full', '--flow', 'F2']), ['F2']);
    expect(sandbox.faults.matrikkel.pending + sandbox.faults.folkeregister.pending).toBe(0);

    // A full F6 scans the archive: deep nesting for its second page.
    let pages = 0;
    sandbox.faults.noark
      .set({ when: (r) => r.method === 'GET' && r.path.endsWith('/sakarkiv/saksmappe/') && pages++ === 1 })
      .once({ kind: 'hostile', variant: 'deep' });
    completes(await cli(['--json', 'sync', '--full', '--flow', 'F6']), ['F6']);
    expect(sandbox.faults.noark.pending).toBe(0);
    sandbox.faults.folkeregister.clear();
    sandbox.faults.matrikkel.clear();
    sandbox.faults.noark.clear();

    // The next run catches up: every flow ok, the renamed people current, no record written twice.
    const again = await cli(['--json', 'sync']);
    expect(again.code, again.stderr).toBe(0);
    const { conflicts } = await storedQuarantine();
    const check = await archiveProblems(sandbox, reader, conflicts, { classesBefore });
    expect(check.problems.filter((p) => ![...untouchable].some((c) => p.includes(c)))).toEqual([]);
    for (const person of people)
      for (const caseId of syncedCasesOf(world, person))
        expect(
          (await reader.get(caseId))?.parties.some(
            (p) => p.identifier === person.fnr && p.name.endsWith('-Berg'),
          ),
        ).toBe(true);
    expect(sandbox.noark.writeLog.length).toBeGreaterThan(writesBefore);
    expect(duplicateWrites(sandbox)).toEqual([]);
  });

  it('nothing any registerbro process printed holds an unmasked fødselsnummer', () => {
    const text = output.join('\n');
    expect([...sandbox.world.index.peopleByIdentifier.keys()].filter((id) => text.includes(id))).toEqual([]);
    expect(text).not.toMatch(/(?<!\d)\d{11}(?!\d)/);
  });
});
