import type { NoarkAdapter } from '@registerbro/noark';
import { type Sandbox, startSandbox } from '@registerbro/sandbox';
import type { ChangeKind, WorldChange } from '@registerbro/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Summary,
  archiveCases,
  removeFaultDirs,
  withStoreIn,
  writeFaultConfig,
} from './fault-helpers.js';
import {
  type CliResult,
  archiveProblems,
  archiveReader,
  archiveState,
  conflictTargets,
  duplicateWrites,
  rememberOriginalParties,
  runCli,
} from './helpers.js';

/**
 * Remote faults, end to end (issue #6): the sandbox simulators in this process with their fault
 * injectors, the `registerbro` command as its own node process on a real SQLite file. Two
 * sandboxes from the same seed: `faulty` gets the faults, `twin` never does, and every scenario
 * ends with the faulty archive equal to the twin's — every case as the simulator holds it and as an
 * archive user reads it, closed cases included — with no write made twice.
 *
 * `archiveProblems` is compared with the twin's rather than asserted empty: a problem the
 * fault-free run leaves too (at the time of writing, a GBNR class F2 does not re-key after a merge)
 * is an engine gap, printed as a warning; a party problem is never accepted.
 */

const PEOPLE = 700;
const SEED = 'faults';
/** Exit code of `registerbro sync` when a run ended degraded (see cli.ts). */
const EXIT_DEGRADED = 3;

let twin: Sandbox;
let faulty: Sandbox;
let twinReader: NoarkAdapter;
let faultyReader: NoarkAdapter;
let twinDir: { dir: string; config: string };
let faultyDir: { dir: string; config: string };
/** Every line the faulty side's registerbro printed, for the privacy scan. */
const output: string[] = [];

// Short client timeouts, backoffs and outbox retries keep the file fast (the engine's own drain
// waits for retries due within 10 s). The archive's client has two transport retries, so three
// refusals of one write outlast them and exercise the outbox's own retry.
const breaker = 'circuitBreaker: { failureThreshold: 8, halfOpenAfterMs: 300 }';
const HTTP = {
  folkeregister: `{ timeoutMs: 800, retries: 4, backoff: { baseMs: 10, maxMs: 100 }, ${breaker} }`,
  matrikkel: `{ timeoutMs: 800, retries: 4, backoff: { baseMs: 10, maxMs: 100 }, ${breaker} }`,
  noark: `{ timeoutMs: 800, retries: 2, backoff: { baseMs: 10, maxMs: 100 }, ${breaker} }`,
};
const ENGINE = ['  retry: { baseMs: 20, maxMs: 200, maxAttempts: 6 }'];

async function sync(side: 'twin' | 'faulty', args: string[] = []): Promise<CliResult & { summary: Summary }> {
  const sandbox = side === 'twin' ? twin : faulty;
  const where = side === 'twin' ? twinDir : faultyDir;
  const r = await runCli(['--config', where.config, '--json', 'sync', ...args], {
    cwd: where.dir,
    env: sandbox.env,
    timeoutMs: 60_000,
  });
  if (side === 'faulty') output.push(r.stdout, r.stderr);
  let summary: Summary;
  try {
    summary = JSON.parse(r.stdout) as Summary;
  } catch {
    throw new Error(`registerbro sync printed no JSON summary (exit ${r.code})\n${r.stderr}`);
  }
  return { ...r, summary };
}

/** Writes the sync applied (or found applied), all flows together (flows may drain each other's). */
const applied = (s: Summary) =>
  s.flows.reduce((n, f) => n + (f.drained?.applied ?? 0) + (f.drained?.alreadyApplied ?? 0), 0);
/** Any other `registerbro` command on the faulty side. */
async function cli(where: { dir: string; config: string }, args: string[]): Promise<CliResult> {
  const r = await runCli(['--config', where.config, ...args], { cwd: where.dir, env: faulty.env });
  output.push(r.stdout, r.stderr);
  return r;
}

/**
 * A write to the archive's Tjenestegrensesnitt (Fiks Arkiv messages, reads and writes alike, all
 * go to `POST …/meldinger`).
 */
const tgWrite = (r: { method: string; path: string }) =>
  r.method === 'PUT' || (r.method === 'POST' && !r.path.endsWith('/meldinger'));

/** Matches the first archive write it sees and later requests to the same record (writes run in parallel). */
function firstWrite(): (r: { method: string; path: string }) => boolean {
  let first: string | undefined;
  return (r) => {
    if (!tgWrite(r)) return false;
    first ??= r.path;
    return r.path === first;
  };
}

const statuses = (s: Summary) => s.flows.map((f) => `${f.flow}:${f.status}`);

/** Apply the same generated changes to both sandboxes (same world, same seed: the same changes). */
function changeBoth(count: number, seed: string, kinds?: readonly ChangeKind[]): WorldChange[] {
  const a = twin.applyChanges({ count, seed, ...(kinds ? { kinds } : {}) });
  const b = faulty.applyChanges({ count, seed, ...(kinds ? { kinds } : {}) });
  // Timestamps follow each archive's clock; what changed, and for whom, must be the same.
  const what = (c: WorldChange) =>
    `${c.kind}:${c.personId ?? ''}:${(c.propertyIds ?? []).join(',')}:${(c.caseIds ?? []).join(',')}`;
  expect(b.map(what).join('\n') === a.map(what).join('\n'), 'the twins drifted apart').toBe(true);
  return b;
}

/** The faulty archive equals the twin's, the faulty side wrote nothing twice, and no problem is left. */
async function expectSameAsTwin(): Promise<void> {
  for (const f of Object.values(faulty.faults)) f.clear();
  const [want, got] = await Promise.all([archiveState(twin, twinReader), archiveState(faulty, faultyReader)]);
  expect(want.length).toBeGreaterThan(0);
  expect(got.filter((l) => !want.includes(l))).toEqual([]);
  expect(got).toEqual(want);
  // Closed cases too, with what only the archive's own tables hold (the deceased flag).
  const [wantCases, gotCases] = await Promise.all([
    archiveCases(twin, twinReader),
    archiveCases(faulty, faultyReader),
  ]);
  expect(wantCases.length).toBe(twin.world.cases.size);
  expect(gotCases.filter((l) => !wantCases.includes(l))).toEqual([]);
  expect(gotCases).toEqual(wantCases);
  expect(duplicateWrites(faulty)).toEqual([]);
  const problems = async (sandbox: Sandbox, reader: NoarkAdapter, dir: string) => {
    const open = await withStoreIn(dir, (t) => t.listConflicts({ status: 'open', limit: 100_000 }));
    return archiveProblems(sandbox, reader, conflictTargets(open));
  };
  const [a, b] = [
    await problems(twin, twinReader, twinDir.dir),
    await problems(faulty, faultyReader, faultyDir.dir),
  ];
  // What the fault-free twin leaves is an engine gap, not a fault's doing (reported, see below).
  if (a.problems.length > 0) console.warn(`the fault-free twin too: ${a.problems.join('; ')}`);
  expect(b.problems).toEqual(a.problems);
  expect(b.problems.filter((p) => p.includes('/part/'))).toEqual([]);
  expect(b.linkedChecked).toBe(a.linkedChecked);
}

async function cursorsOf(dir: string): Promise<Record<string, string>> {
  const list = await withStoreIn(dir, (t) => t.listCursors());
  return Object.fromEntries(list.map((c) => [`${c.source}/${c.stream}`, c.cursor]));
}

async function pendingOutbox(dir: string): Promise<number> {
  return withStoreIn(dir, async (t) => (await t.listOutbox({ status: 'pending', limit: 100_000 })).length);
}

beforeAll(async () => {
  [twin, faulty] = await Promise.all([
    startSandbox({ people: PEOPLE, seed: SEED }),
    startSandbox({ people: PEOPLE, seed: SEED }),
  ]);
  twinReader = archiveReader(twin);
  faultyReader = archiveReader(faulty);
  twinDir = writeFaultConfig(twin, { http: HTTP, engine: ENGINE });
  faultyDir = writeFaultConfig(faulty, { http: HTTP, engine: ENGINE });
  rememberOriginalParties(twin.world);
  rememberOriginalParties(faulty.world);
  // Archivists' copies of names gone stale, the same in both archives: the first full sync has
  // writes to make (and so does every fault below something to break).
  for (const sandbox of [twin, faulty]) {
    let i = 0;
    for (const c of sandbox.world.cases.values()) {
      if (!c.open) continue;
      for (const p of c.parties) {
        if (!p.personId || i++ % 2 !== 0) continue;
        p.name = `${p.name} Gammel`;
        p.version++;
      }
    }
  }
});

afterAll(async () => {
  await twinReader?.close?.();
  await faultyReader?.close?.();
  await twin?.close();
  await faulty?.close();
  removeFaultDirs();
});

describe('remote faults (issue #6)', () => {
  it('with timeouts, 5xx, 429 bursts and resets in all three registers, full and incremental sync end in the fault-free state', async () => {
    // Every register gets one of each fault first (deterministic; each followed by a clean answer
    // so that no request sees more faults in a row than its retries), then seeded random ones.
    const pass = { kind: 'latency', ms: 0 } as const;
    for (const [name, injector] of Object.entries(faulty.faults)) {
      injector
        .once({ kind: 'timeout' })
        .once(pass)
        .once({ kind: 'status', status: 503 })
        .once(pass)
        .once({ kind: 'reset' })
        .once(pass)
        .once({
          kind: 'rate_limit',
          // Skatteetaten sends Retry-After in milliseconds; the others in whole seconds.
          ...(name === 'folkeregister'
            ? { retryAfterMs: 150, unit: 'milliseconds' }
            : { retryAfterMs: 1000 }),
        })
        .once(pass)
        // Latency beyond the client's timeout.
        .once({ kind: 'latency', ms: 1_200 });
    }
    // The first archive write fails past its transport retries: the outbox retries it in this run.
    faulty.faults.noark.next(3, { kind: 'status', status: 503 }, firstWrite());
    const random = { errorRate: 0.06, resetRate: 0.04 };
    faulty.faults.folkeregister.set({
      ...random,
      rateLimit: { every: 20, burst: 3, retryAfterMs: 100, unit: 'milliseconds' },
    });
    faulty.faults.matrikkel.set(random);
    faulty.faults.noark.set({ ...random, rateLimit: { every: 50, burst: 2, retryAfterMs: 1000 } });

    const [clean, full] = await Promise.all([sync('twin', ['--full']), sync('faulty', ['--full'])]);
    expect(clean.code, clean.stderr).toBe(0);
    expect(full.code, full.stderr).toBe(0);
    expect(statuses(full.summary), JSON.stringify(full.summary.flows.map((f) => f.message))).toEqual([
      'F1:ok',
      'F2:ok',
      'F6:ok',
    ]);

    expect(full.summary.flows.reduce((n, f) => n + (f.drained?.retried ?? 0), 0)).toBeGreaterThan(0);
    // The sync applied every write the twin's did (it waited for its retries), none left over.
    expect(applied(clean.summary)).toBeGreaterThan(5);
    expect(applied(full.summary)).toEqual(applied(clean.summary));

    changeBoth(300, 'faults-1');
    faulty.faults.noark.next(3, { kind: 'status', status: 503 }, firstWrite());
    const [clean2, incr] = await Promise.all([sync('twin'), sync('faulty')]);
    expect(clean2.code, clean2.stderr).toBe(0);
    expect(incr.code, incr.stderr).toBe(0);
    expect(statuses(incr.summary), JSON.stringify(incr.summary.flows.map((f) => f.message))).toEqual([
      'F1:ok',
      'F2:ok',
      'F6:ok',
    ]);
    // The faults really happened, in every register.
    for (const [name, injector] of Object.entries(faulty.faults)) {
      const c = injector.counts;
      expect(
        [c.timeout, c.status, c.reset, c.rate_limit, c.latency].every((n) => (n ?? 0) > 0),
        `${name}: ${JSON.stringify(c)}`,
      ).toBe(true);
    }
    expect(incr.summary.flows.reduce((n, f) => n + (f.drained?.retried ?? 0), 0)).toBeGreaterThan(0);
    expect(applied(incr.summary)).toEqual(applied(clean2.summary));
    // Nothing waits for another run.
    expect(await pendingOutbox(faultyDir.dir)).toBe(0);
    await expectSameAsTwin();
  }, 60_000);

  it('a register down for good: the run ends degraded naming it, no cursor moves past unread work, and once it is back nothing is lost', async () => {
    changeBoth(200, 'faults-2');
    const before = await cursorsOf(faultyDir.dir);
    expect(Object.keys(before)).toEqual(
      expect.arrayContaining(['folkeregister/F1', 'matrikkel/F2', 'matrikkel/F6']),
    );
    // Folkeregisteret answers 5xx to everything; Matrikkelen drops every connection.
    faulty.faults.folkeregister.set({ errorRate: 1 });
    faulty.faults.matrikkel.set({ resetRate: 1 });
    const [clean, down] = await Promise.all([sync('twin'), sync('faulty')]);
    expect(clean.code, clean.stderr).toBe(0);
    expect(down.code, down.stderr).toBe(EXIT_DEGRADED);
    expect(statuses(down.summary)).toEqual(['F1:degraded', 'F2:degraded', 'F6:degraded']);
    const [f1, f2, f6] = down.summary.flows;
    expect(f1?.message).toMatch(
      /^Folkeregisteret failed while .+ Nothing is lost: .+ run the flow again\.$/s,
    );
    expect(f2?.message).toMatch(/^Matrikkelen failed while .+ Nothing is lost: .+ run the flow again\.$/s);
    expect(f6?.message).toMatch(/^Matrikkelen failed while /);
    expect(await cursorsOf(faultyDir.dir)).toEqual(before);

    // Back up: the next run catches up and ends where the undisturbed twin is.
    for (const f of Object.values(faulty.faults)) f.clear();
    const back = await sync('faulty');
    expect(back.code, back.stderr).toBe(0);
    expect(statuses(back.summary)).toEqual(['F1:ok', 'F2:ok', 'F6:ok']);
    expect(await cursorsOf(faultyDir.dir)).toEqual(await cursorsOf(twinDir.dir));
    await expectSameAsTwin();
  }, 60_000);

  it('the archive down for good while the outbox is applied: the operations wait, no attempt counted, and are applied when it is back', async () => {
    const changes = changeBoth(300, 'faults-3');
    expect(changes.length).toBeGreaterThan(0);
    const before = faulty.noark.writeLog.length;
    // Reads answer; every write gets a 5xx.
    faulty.faults.noark.set({ errorRate: 1, when: tgWrite });
    const [clean, down] = await Promise.all([sync('twin'), sync('faulty')]);
    expect(clean.code, clean.stderr).toBe(0);
    const written = clean.summary.flows.reduce((n, f) => n + (f.drained?.applied ?? 0), 0);
    expect(written).toBeGreaterThan(0);
    expect(down.code, down.stderr).toBe(EXIT_DEGRADED);
    const degraded = down.summary.flows.filter((f) => f.status === 'degraded');
    expect(degraded.length).toBeGreaterThan(0);
    for (const f of degraded)
      expect(f.message).toMatch(
        /^The archive \(Noark\) failed while applying the outbox .+ Nothing is lost: /s,
      );
    expect(faulty.noark.writeLog.length).toBe(before);
    const waiting = await withStoreIn(faultyDir.dir, (t) =>
      t.listOutbox({ status: 'pending', limit: 100_000 }),
    );
    expect(waiting.length).toBeGreaterThan(0);
    // An outage counts no attempt against them (each drain of the run tried, and handed them back),
    // so however long it lasts, none is ever quarantined for it.
    for (const item of waiting) expect(item.attempts, item.errorCode ?? '').toBe(0);
    expect(await withStoreIn(faultyDir.dir, (t) => t.listOutbox({ status: 'failed' }))).toEqual([]);
    expect(down.summary.openQuarantine).toBe(0);

    faulty.faults.noark.clear();
    const back = await sync('faulty');
    expect(back.code, back.stderr).toBe(0);
    expect(back.summary.flows.reduce((n, f) => n + (f.drained?.applied ?? 0), 0)).toBeGreaterThanOrEqual(
      waiting.length,
    );
    expect(await pendingOutbox(faultyDir.dir)).toBe(0);
    await expectSameAsTwin();
  }, 60_000);

  it('one write the archive keeps refusing is quarantined after its attempts; released, the next sync applies it', async () => {
    // Changes to people only, and F1 only: the flow whose write is refused.
    const F1 = ['--flow', 'F1'];
    changeBoth(150, 'faults-4', ['move', 'rename', 'death', 'emigration']);
    // Every write to the first record written fails (the others go through).
    faulty.faults.noark.set({ errorRate: 1, when: firstWrite() });
    const [clean, run] = await Promise.all([sync('twin', F1), sync('faulty', F1)]);
    expect(clean.code, clean.stderr).toBe(0);
    expect(run.code, run.stderr).toBe(0);
    expect(statuses(run.summary)).toEqual(['F1:ok']);
    expect(run.summary.flows.reduce((n, f) => n + (f.drained?.failed ?? 0), 0)).toBe(1);
    faulty.faults.noark.clear();
    // The write is missing, not lost: quarantined with its reason.
    const [want, got] = await Promise.all([
      archiveCases(twin, twinReader),
      archiveCases(faulty, faultyReader),
    ]);
    expect(got.filter((l) => !want.includes(l))).toHaveLength(1);
    const entries = await withStoreIn(faultyDir.dir, (t) => t.listQuarantine({ status: 'open' }));
    const entry = entries.find((q) => q.source === 'noark' && q.recordType === 'operation');
    expect(entry?.reason).toMatch(/failed after 6 attempts/);
    const released = await cli(faultyDir, ['quarantine', 'release', String(entry?.id), '--by', 'tester']);
    expect(released.code, released.stderr).toBe(0);
    const again = await sync('faulty', F1);
    expect(again.code, again.stderr).toBe(0);
    expect(again.summary.flows.reduce((n, f) => n + (f.drained?.applied ?? 0), 0)).toBe(1);
    await expectSameAsTwin();
  }, 60_000);

  it('prints no fødselsnummer', () => {
    const text = output.join('\n');
    const leaked = [...faulty.world.index.peopleByIdentifier.keys()].filter((id) => text.includes(id));
    expect(leaked).toEqual([]);
    expect(text).not.toMatch(/(?<!\d)\d{11}(?!\d)/);
    expect(text.length).toBeGreaterThan(1000);
  });
});
