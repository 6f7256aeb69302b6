import { RegisterbroError, type Case, type ScanPage } from '@registerbro/model';
import { generateMunicipality } from '@registerbro/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type Store, type TenantStore, createSqliteStore } from '../src/index.js';
import { SharedArchiveScan } from '../src/run/archive-read.js';
import { createEngine } from '../src/run/index.js';
import { orderingKey } from '../src/run/outbox.js';
import {
  type WorldArchive,
  createWorldArchive,
  createWorldFolkeregister,
  createWorldMatrikkel,
  writesPerKey,
} from './run-world.js';

const stores: Store[] = [];
afterEach(async () => {
  while (stores.length) await stores.pop()?.close();
});

async function setup(seed: string, options: { applyConcurrency?: number } = {}) {
  const world = generateMunicipality({ seed, people: 300 });
  const store = await createSqliteStore({ file: ':memory:' });
  stores.push(store);
  const tenant = store.forTenant('1806');
  const archive = createWorldArchive(world);
  let scans = 0;
  const scan = archive.scan.bind(archive);
  archive.scan = (o) => {
    scans++;
    return scan(o);
  };
  const engine = createEngine({
    store: tenant,
    sources: {
      folkeregister: createWorldFolkeregister(world, { scan: true }),
      matrikkel: createWorldMatrikkel(world),
    },
    archive,
    records: (key) => archive.getRecords(key),
    owner: 'test-worker',
    scanPageSize: 25,
    sharedScanWindow: 2,
    ...options,
  });
  return { world, tenant, archive, engine, scans: () => scans };
}

/** What a sync leaves behind, comparable between two stores and archives. */
async function stateOf(tenant: TenantStore, archive: WorldArchive) {
  const outbox = await tenant.listOutbox({ limit: 100_000 });
  const conflicts = await tenant.listConflicts({ limit: 100_000 });
  const cursors = await tenant.listCursors();
  return {
    cases: [...archive.cases.values()].map((c) => ({
      ...c,
      parties: c.parties.map((p) => ({ ...p, sources: [] })),
      sources: [],
    })),
    writes: archive.writes.map((w) => `${w.type} ${w.target}`).sort(),
    outbox: outbox.map((i) => `${i.status} ${i.type} ${i.target} ${i.idempotencyKey}`).sort(),
    conflicts: conflicts.map((c) => `${c.status} ${c.rule} ${c.entityKey}`).sort(),
    cursors: cursors.map((c) => `${c.source}/${c.stream}`).sort(),
  };
}

describe('engine runner — flows run together', () => {
  it('a full sync of F1, F2 and F6 reads the archive once and ends as the flows run one by one', async () => {
    const together = await setup('together');
    const reports = await Promise.all(together.engine.runFlows(['F1', 'F2', 'F6'], { mode: 'full' }));
    expect(reports.map((r) => [r.flow, r.status])).toEqual([
      ['F1', 'ok'],
      ['F2', 'ok'],
      ['F6', 'ok'],
    ]);
    expect(together.scans()).toBe(1);
    for (const r of reports) expect(r.counts.casesRead).toBe(together.archive.cases.size);
    expect([...writesPerKey(together.archive.writes).values()].every((n) => n === 1)).toBe(true);

    const alone = await setup('together');
    for (const flow of ['F1', 'F2', 'F6'] as const) {
      expect((await alone.engine.runFlow(flow, { mode: 'full' })).status).toBe('ok');
    }
    expect(alone.scans()).toBe(3);
    const a = await stateOf(together.tenant, together.archive);
    const b = await stateOf(alone.tenant, alone.archive);
    expect(a.writes.length).toBeGreaterThan(0);
    expect(a).toEqual(b);
    expect(await together.tenant.verifyAudit()).toMatchObject({ ok: true });
  });

  it('a failing archive scan degrades every flow reading it, and moves no cursor', async () => {
    const { archive, engine, tenant } = await setup('together-fail');
    archive.failScanAfterPages = 2;
    const reports = await Promise.all(engine.runFlows(['F1', 'F2', 'F6'], { mode: 'full' }));
    expect(reports.map((r) => r.status)).toEqual(['degraded', 'degraded', 'degraded']);
    for (const r of reports) expect(r.message).toMatch(/archive|Noark|arkiv/i);
    const cursors = (await tenant.listCursors()).map((c) => `${c.source}/${c.stream}`);
    for (const flowCursor of ['folkeregister/F1', 'matrikkel/F2', 'matrikkel/F6'])
      expect(cursors).not.toContain(flowCursor);
  });

  it('a flow that cannot start holds the others back from nothing', async () => {
    const { engine, tenant } = await setup('together-locked');
    expect(await tenant.tryLock('flow:F2', 'someone-else', 60_000)).toBe(true);
    const runs = engine.runFlows(['F1', 'F2', 'F6'], { mode: 'full' });
    const settled = await Promise.allSettled(runs);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'flow_locked' });
  });

  it('the drain applies different cases at once and one case’s operations in order, one at a time', async () => {
    const { archive, engine } = await setup('together-drain', { applyConcurrency: 4 });
    const apply = archive.apply.bind(archive);
    const inFlight = new Map<string, number>();
    let most = 0;
    let total = 0;
    const order = new Map<string, string[]>();
    archive.apply = async (op, o) => {
      const key = orderingKey(op);
      expect(inFlight.get(key) ?? 0, `two writes at once on ${key}`).toBe(0);
      inFlight.set(key, 1);
      total++;
      most = Math.max(most, total);
      order.set(key, [...(order.get(key) ?? []), o.idempotencyKey]);
      try {
        await new Promise((resolve) => setTimeout(resolve, 2));
        return await apply(op, o);
      } finally {
        inFlight.set(key, 0);
        total--;
      }
    };
    const reports = await Promise.all(engine.runFlows(['F1', 'F2'], { mode: 'full' }));
    expect(reports.every((r) => r.status === 'ok')).toBe(true);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(4);
  });
});

describe('SharedArchiveScan', () => {
  const pages = (n: number, fail?: number) => {
    let opened = 0;
    let fetched = 0;
    return {
      opened: () => opened,
      fetched: () => fetched,
      archive: {
        scan(): AsyncIterable<ScanPage<Case>> {
          opened++;
          return (async function* () {
            for (let i = 0; i < n; i++) {
              if (i === fail) throw new RegisterbroError('http_error', 'noark: 502', { system: 'noark' });
              fetched++;
              yield { entities: [], quarantined: [], cursor: String(i) };
            }
          })();
        },
      },
    };
  };

  it('hands every reader every page in order, fetched once, never more than the window ahead', async () => {
    const src = pages(10);
    const shared = new SharedArchiveScan(src.archive, ['a', 'b'], { pageSize: 10, window: 3 });
    const seenA: string[] = [];
    // a reads ahead alone: it stops at the window until b reads.
    for (let i = 0; i < 3; i++) seenA.push((await shared.next('a')).value!.cursor!);
    let blocked = true;
    const fourth = shared.next('a').then((r) => {
      blocked = false;
      return r;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(blocked).toBe(true);
    expect(src.fetched()).toBe(3);
    const seenB: string[] = [(await shared.next('b')).value!.cursor!];
    seenA.push((await fourth).value!.cursor!);
    const readAll = async (reader: string, into: string[]) => {
      for (;;) {
        const r = await shared.next(reader);
        if (r.done) return;
        into.push(r.value.cursor!);
      }
    };
    await Promise.all([readAll('b', seenB), readAll('a', seenA)]);
    const all = Array.from({ length: 10 }, (_, i) => String(i));
    expect(seenA).toEqual(all);
    expect(seenB).toEqual(all);
    expect(src.opened()).toBe(1);
    expect(src.fetched()).toBe(10);
  });

  it('a reader that leaves holds no one back; a failure reaches every reader still reading', async () => {
    const src = pages(10, 4);
    const shared = new SharedArchiveScan(src.archive, ['a', 'b', 'c'], { pageSize: 10, window: 1 });
    shared.leave('c');
    await shared.next('a');
    await shared.next('b');
    for (let i = 1; i < 4; i++) {
      await shared.next('a');
      await shared.next('b');
    }
    await expect(shared.next('a')).rejects.toThrow('502');
    await expect(shared.next('b')).rejects.toThrow('502');
    expect(await shared.next('c')).toMatchObject({ done: true });
  });
});
