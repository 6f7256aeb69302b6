import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { namesEqual } from '@registerbro/engine';
import { formatMatrikkelnummer, parseMatrikkelnummer } from '@registerbro/model';
import { type NoarkAdapter, createNoarkAdapter } from '@registerbro/noark';
import type { Sandbox } from '@registerbro/sandbox';
import { type World, type WorldProperty, personFullName } from '@registerbro/testkit';
import { basicAuth } from '@registerbro/transport';

/** Helpers of the end-to-end tests: the real `registerbro` process against the sandbox. */

export const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const CLI = join(REPO, 'apps/sync/src/cli.ts');
const TSX = pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href;

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Start `registerbro …` as its own node process (no wrapper, so signals reach it). */
export function spawnCli(
  args: string[],
  options: { cwd: string; env: Record<string, string> },
): ChildProcess {
  return spawn(process.execPath, ['--conditions=@registerbro/source', '--import', TSX, CLI, ...args], {
    cwd: options.cwd,
    env: { ...process.env, LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Collect a child's output and exit. */
export function collect(child: ChildProcess, timeoutMs = 60_000): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`registerbro did not finish in ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`),
      );
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      // Let the pipes drain.
      setImmediate(() => resolve({ code, signal, stdout, stderr }));
    });
  });
}

/** Run `registerbro …` to the end. */
export function runCli(
  args: string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs?: number },
): Promise<CliResult> {
  return collect(spawnCli(args, options), options.timeoutMs);
}

const made: string[] = [];

/** Remove the temporary folders {@link writeConfig} made. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * A temporary folder with the sandbox's config (plus fast lock/lease expiry for crash tests).
 * `engine` adds keys to the config's `engine:` block (e.g. `{ scanPageSize: 10 }`); `extra` is
 * appended as top-level YAML.
 */
export function writeConfig(
  sandbox: Sandbox,
  options: {
    store?: 'sqlite' | { postgresUrlEnv: string; schema: string };
    extra?: string;
    engine?: Record<string, number>;
  } = {},
): { dir: string; config: string } {
  const dir = mkdtempSync(join(tmpdir(), 'registerbro-e2e-'));
  made.push(dir);
  const config = join(dir, 'registerbro.yaml');
  const engine = Object.entries({ lockTtlMs: LOCK_TTL_MS, leaseMs: LOCK_TTL_MS, ...options.engine })
    .map(([k, v]) => `  ${k}: ${v}\n`)
    .join('');
  writeFileSync(
    config,
    `${sandbox.configYaml({ dataDir: './data', ...(options.store ? { store: options.store } : {}) })}engine:\n${engine}${options.extra ?? ''}`,
  );
  return { dir, config };
}

/** The flow lock's and the outbox lease's expiry in the configs {@link writeConfig} writes. */
export const LOCK_TTL_MS = 1_500;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Records written more than once in the archive's write log: the same idempotency key (or
 * external key) on the same kind of write to the same record. One operation may write several
 * records (a case, its parties, its note), so it counts per record.
 */
export function duplicateWrites(sandbox: Sandbox): string[] {
  const seen = new Map<string, number>();
  for (const w of sandbox.noark.writeLog) {
    const key = w.externalKey ?? w.idempotencyKey;
    if (!key) continue;
    const k = `${key}|${w.kind}|${w.targetSystemId ?? w.caseSystemId}`;
    seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  return [...seen].filter(([, n]) => n > 1).map(([k]) => k);
}

/** A Noark client over the sandbox archive, to look at it as any archive user would. */
export function archiveReader(sandbox: Sandbox): NoarkAdapter {
  return createNoarkAdapter({
    baseURL: sandbox.noark.tgBaseURL,
    auth: basicAuth(
      sandbox.env.REGISTERBRO_NOARK_USERNAME ?? '',
      sandbox.env.REGISTERBRO_NOARK_PASSWORD ?? '',
    ),
  });
}

/**
 * What is wrong in the archive, judged against the testkit world's ground truth: a party of a
 * person with protected address that holds any address, linked parties (their identifier is the
 * person's current one) whose name, status or address is not current, and GBNR classes that do not
 * name a living unit under its current key (see {@link unitTruth}; with `classesBefore`, also the
 * classes that were not re-keyed to the unit the world says). Open cases only (the flows maintain
 * open cases). `exclude` holds the targets with an open conflict (parties and classes): a class
 * whose successor is ambiguous must be among them.
 */
export async function archiveProblems(
  sandbox: Sandbox,
  reader: NoarkAdapter,
  exclude: ReadonlySet<string> = new Set(),
  options: { classesBefore?: ClassSnapshot } = {},
): Promise<{
  problems: string[];
  linkedChecked: number;
  protectedChecked: number;
  unidentifiedProtected: string[];
  /** GBNR classes checked against the world's units. */
  classesChecked: number;
  /** GBNR classes whose successor is ambiguous (or that name no unit), each with its open conflict. */
  classConflicts: number;
  /** GBNR classes the archive held before the sync that now name a different, living unit. */
  classesRekeyed: number;
}> {
  const world = sandbox.world;
  const problems: string[] = [];
  const unidentifiedProtected: string[] = [];
  let linkedChecked = 0;
  let protectedChecked = 0;
  const classes = { checked: 0, conflicts: 0, rekeyed: 0 };
  for (const kase of world.cases.values()) {
    if (!kase.open) continue;
    const c = await reader.get(kase.systemId).catch((error: Error) => {
      problems.push(`case ${kase.systemId} cannot be read: ${error.message}`);
      return undefined;
    });
    if (c === undefined) continue;
    if (!c) {
      problems.push(`case ${kase.systemId} is missing`);
      continue;
    }
    problems.push(...gbnrProblems(world, c, exclude, options.classesBefore?.get(c.systemId), classes));
    for (const party of c.parties) {
      const truth = kase.parties.find((p) => p.systemId === party.systemId);
      const person = truth?.personId ? world.people.get(truth.personId) : undefined;
      if (!person) continue;
      const target = `saksmappe/${kase.systemId}/part/${party.systemId}`;
      const isProtected = person.adressebeskyttelse !== 'ugradert';
      if (isProtected) {
        protectedChecked++;
        if (!party.address) continue;
        // A party without identifier under another name than the person's (a typo, an old name)
        // cannot be tied to them by anyone: reported apart. Under their name, F1 must have removed
        // the address (privacy first), whether or not an admin has linked the party yet.
        if (party.identifier === undefined && !namesEqual(party.name, personFullName(person))) {
          unidentifiedProtected.push(target);
          continue;
        }
        problems.push(
          `${target}: a protected person's party${party.identifier === undefined ? ' (without identifier)' : ''} holds an address`,
        );
        continue;
      }
      if (party.identifier !== person.fnr || exclude.has(target)) continue;
      // A change the register dates after today is not due yet (Folkeregisteret reports moves ahead).
      const today = new Date().toISOString().slice(0, 10);
      const home0 = person.residentialAddressId;
      if (
        world.changes.some(
          (c) =>
            c.at.slice(0, 10) > today &&
            (c.personId === person.id || (home0 && c.addressIds?.includes(home0))),
        )
      )
        continue;
      linkedChecked++;
      if (party.name !== personFullName(person)) problems.push(`${target}: name is not current`);
      if ((person.status === 'doed') !== (party.deceased === true))
        problems.push(`${target}: deceased flag is not current`);
      const home = person.residentialAddressId ? world.addresses.get(person.residentialAddressId) : undefined;
      if (person.status === 'bosatt' && home && !person.postalAddress && home.adressenavn) {
        const line = party.address?.adresselinjer?.[0] ?? '';
        if (party.address?.postnummer !== home.postnummer || !line.startsWith(home.adressenavn))
          problems.push(`${target}: address is not current`);
      }
    }
  }
  return {
    problems,
    linkedChecked,
    protectedChecked,
    unidentifiedProtected,
    classesChecked: classes.checked,
    classConflicts: classes.conflicts,
    classesRekeyed: classes.rekeyed,
  };
}

/** The GBNR classes of every open case (case systemID → class systemID → classId), before a sync. */
export type ClassSnapshot = ReadonlyMap<string, ReadonlyMap<string, string>>;

/** Take a {@link ClassSnapshot} of the archive (the world's cases are the archive's state). */
export function snapshotClasses(world: World): ClassSnapshot {
  const out = new Map<string, Map<string, string>>();
  for (const kase of world.cases.values()) {
    if (!kase.open) continue;
    const classes = new Map<string, string>();
    for (const c of kase.classes) if (c.system === 'GBNR') classes.set(c.systemId, c.classId);
    if (classes.size > 0) out.set(kase.systemId, classes);
  }
  return out;
}

/** Where a GBNR class id leads in the world: F2's promise, computed from the testkit's ground truth. */
export type UnitTruth =
  /** The class names the living unit under its current key. */
  | { status: 'current'; key: string }
  /** The unit lives under another key (renumbered kommune, or utgått with exactly one successor chain). */
  | { status: 'rekey'; from: string; to: string }
  /** Utgått with several successors somewhere on the way: only an admin can choose. */
  | { status: 'ambiguous'; at: string }
  /** Utgått without successor, never a unit, or not a matrikkelnummer at all. */
  | { status: 'gone' | 'unknown' | 'invalid'; at: string };

/** Follow a class id through the world's units (renumbering, merges, splits), as F2 must. */
export function unitTruth(world: World, classId: string): UnitTruth {
  let key: string;
  try {
    key = formatMatrikkelnummer(parseMatrikkelnummer(classId, { defaultKommunenummer: world.kommunenummer }));
  } catch {
    return { status: 'invalid', at: classId };
  }
  const byKey = (k: string): WorldProperty | undefined => {
    const id = world.index.propertiesByKey.get(k);
    return id === undefined ? undefined : world.properties.get(id);
  };
  let unit: WorldProperty | undefined = byKey(key);
  if (!unit) return { status: 'unknown', at: key };
  for (let steps = 0; unit.status === 'utgaatt'; steps++) {
    const successors: string[] = [...new Set(unit.successors ?? [])];
    if (successors.length > 1) return { status: 'ambiguous', at: unit.key };
    const next: WorldProperty | undefined = successors[0] === undefined ? undefined : byKey(successors[0]);
    if (!next || steps > 50) return { status: 'gone', at: unit.key };
    unit = next;
  }
  return unit.key === key ? { status: 'current', key } : { status: 'rekey', from: key, to: unit.key };
}

/**
 * What is wrong with one case's GBNR classes: each must name a living unit under its current key
 * (after splits, mergers and the 1854 → 1806 renumbering), no two may name the same unit, and a
 * class whose successor is ambiguous (or that names no unit) must have an open conflict instead.
 * With `before` (the case's GBNR classes before the sync) each of those must have been re-keyed to
 * the unit the world says, or removed because the case already holds that unit.
 */
function gbnrProblems(
  world: World,
  c: { systemId: string; classes: readonly { system: string; classId: string; systemId?: string }[] },
  openConflicts: ReadonlySet<string>,
  before: ReadonlyMap<string, string> | undefined,
  counts: { checked: number; conflicts: number; rekeyed: number },
): string[] {
  const problems: string[] = [];
  const living = new Map<string, string>();
  const gbnr = c.classes.filter((k) => k.system.trim().toUpperCase() === 'GBNR');
  for (const klass of gbnr) {
    counts.checked++;
    const target = `saksmappe/${c.systemId}/klasse/${klass.systemId ?? `GBNR:${klass.classId}`}`;
    const truth = unitTruth(world, klass.classId);
    const conflicted = openConflicts.has(target);
    if (truth.status === 'current') {
      const other = living.get(truth.key);
      if (other !== undefined) problems.push(`${target}: a second class on ${truth.key} (also ${other})`);
      living.set(truth.key, target);
      if (conflicted) problems.push(`${target}: open conflict on a class that names a living unit`);
    } else if (truth.status === 'rekey') {
      problems.push(`${target}: ${klass.classId} should have been re-keyed to ${truth.to}`);
    } else if (conflicted) {
      counts.conflicts++;
    } else {
      problems.push(`${target}: ${klass.classId} is ${truth.status} at ${truth.at} and has no open conflict`);
    }
  }
  if (before) {
    const now = new Map(gbnr.map((k) => [k.systemId, k.classId]));
    for (const [systemId, was] of before) {
      const truth = unitTruth(world, was);
      const is = now.get(systemId);
      const target = `saksmappe/${c.systemId}/klasse/${systemId}`;
      if (truth.status === 'current' || truth.status === 'rekey') {
        const want = truth.status === 'current' ? truth.key : truth.to;
        if (is === undefined) {
          if (!living.has(want)) problems.push(`${target}: removed, but the case holds no class on ${want}`);
          continue;
        }
        const got = unitTruth(world, is);
        if (got.status !== 'current' || got.key !== want)
          problems.push(`${target}: was ${was}, is ${is}; the world says ${want}`);
        else if (truth.status === 'rekey') counts.rekeyed++;
      } else if (is === undefined) {
        problems.push(`${target}: ${was} (${truth.status}) was removed instead of raised as a conflict`);
      }
    }
  }
  return problems;
}

/** Party targets named by open conflicts (`saksmappe/…/part/…`). */
export function conflictTargets(conflicts: readonly { entityKey: string; status: string }[]): Set<string> {
  return new Set(
    conflicts.filter((c) => c.status === 'open').map((c) => c.entityKey.replace(/@[a-z]+$/, '')),
  );
}

/**
 * The archive's state as lines to compare between two sandboxes of the same world (a crashed run
 * and its uninterrupted twin): every case with its status, classes, and parties (sakspart and
 * korrespondansepart: kind, identifier, name, role, address) from the simulator's own state, and
 * every open case as an archive user reads it through the Tjenestegrensesnitt. Parties are
 * compared without the systemIDs the archive gave the ones a sync added (those are random).
 */
export async function archiveState(sandbox: Sandbox, reader: NoarkAdapter): Promise<string[]> {
  const original = originalParties.get(sandbox.world) ?? new Set<string>();
  const party = (p: {
    systemId?: string;
    kind?: string;
    identifier?: string;
    name: string;
    role?: string;
    address?: unknown;
    deceased?: boolean;
  }) =>
    JSON.stringify([
      p.systemId && original.has(p.systemId) ? p.systemId : 'added',
      p.kind,
      p.identifier,
      p.name,
      p.role,
      p.address ?? null,
      p.deceased ?? false,
    ]);
  const lines: string[] = [];
  for (const kase of [...sandbox.world.cases.values()].sort((a, b) => (a.systemId < b.systemId ? -1 : 1))) {
    lines.push(
      `${kase.systemId} ${kase.saksnummer} ${kase.status} classes=${JSON.stringify(
        kase.classes.map((k) => [k.systemId, k.system, k.classId]),
      )} parties=${kase.parties.map(party).sort().join(';')} records=${kase.records
        .map((r) => `${r.systemId}:${r.journalstatus}:${r.correspondenceParties.map(party).sort().join(';')}`)
        .join('|')}`,
    );
  }
  for await (const page of reader.scan({ pageSize: 100 })) {
    for (const c of page.entities)
      lines.push(
        `read ${c.systemId} ${c.status} ${JSON.stringify(c.classes.map((k) => [k.systemId, k.classId]))} ${c.parties
          .map(party)
          .sort()
          .join(';')}`,
      );
    for (const q of page.quarantined) lines.push(`read quarantined ${q.key ?? '?'} ${q.error.code}`);
  }
  return lines;
}

const originalParties = new WeakMap<World, Set<string>>();

/** Remember the systemIDs of the parties the generated archive holds (call before any sync). */
export function rememberOriginalParties(world: World): void {
  const ids = new Set<string>();
  for (const kase of world.cases.values()) {
    for (const p of kase.parties) ids.add(p.systemId);
    for (const r of kase.records) for (const p of r.correspondenceParties) ids.add(p.systemId);
  }
  originalParties.set(world, ids);
}
