import { randomBytes } from 'node:crypto';
import type { Case } from '@registerbro/model';
import { applyChanges, generateMunicipality } from '@registerbro/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Store, createPostgresStore } from '../src/index.js';
import { createEngine } from '../src/run/index.js';
import { crashableStore, createWorldArchive, createWorldFolkeregister, writesPerKey } from './run-world.js';

/**
 * Crash and resume against a real PostgreSQL (CI starts one; these tests fail, never skip, without
 * it). The "process" dies right after the archive made a write and before the engine recorded it:
 * every store call fails from then on. A new worker resumes after the dead worker's lock and leases
 * expired, and must end in the state of an uninterrupted run without writing anything twice.
 */
const CONNECTION = process.env.REGISTERBRO_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = `rb_test_${randomBytes(6).toString('hex')}`;

let admin: pg.Client | undefined;
let store: Store | undefined;
let offset = 0;
const clock = () => Date.now() + offset;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: CONNECTION, connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${CONNECTION.replace(/:[^:@/]*@/, ':***@')} (${(error as Error).message}). ` +
        'The runner crash tests need it: start it or set REGISTERBRO_TEST_POSTGRES_URL.',
    );
  }
  store = await createPostgresStore({ connectionString: CONNECTION, schema: SCHEMA, clock });
});

afterAll(async () => {
  await store?.close();
  if (admin === undefined) return;
  await admin.query(`drop schema if exists ${SCHEMA} cascade`);
  await admin.end();
});

function fixture(tenantId: string) {
  const world = generateMunicipality({ seed: 'crash-resume', people: 300 });
  applyChanges(world, { seed: 'protect', count: 3, kinds: ['protect'] });
  const tenant = store!.forTenant(tenantId);
  const archive = createWorldArchive(world);
  const folkeregister = createWorldFolkeregister(world);
  const engine = (owner: string, s = tenant) =>
    createEngine({
      store: s,
      sources: { folkeregister },
      archive,
      owner,
      clock,
      scanPageSize: 20,
      defaultKommunenummer: '1806',
    });
  return { world, tenant, archive, engine };
}

const snapshot = (cases: Map<string, Case>) => JSON.stringify([...cases.values()]);

describe('engine runner — crash and resume (PostgreSQL)', () => {
  it('ends in the state of an uninterrupted run with zero duplicate writes', async () => {
    // The uninterrupted reference run.
    const ref = fixture('6101');
    expect((await ref.engine('ref').runFlow('F1', { mode: 'full' })).status).toBe('ok');
    applyChanges(ref.world, { seed: 'later', count: 150 });
    expect((await ref.engine('ref').runFlow('F1', { mode: 'incremental' })).status).toBe('ok');
    expect(ref.archive.writes.length).toBeGreaterThan(10);

    // The same world, killed twice: during the full run's drain and during an incremental drain.
    const run = fixture('6102');
    const first = crashableStore(run.tenant);
    run.archive.crashAfterWrites = 5;
    run.archive.onCrash = first.die;
    await expect(run.engine('worker-1', first.store).runFlow('F1', { mode: 'full' })).rejects.toThrow();
    expect(run.archive.writes).toHaveLength(6);
    const pending = await run.tenant.listOutbox({ status: 'pending', limit: 10_000 });
    expect(pending.length).toBeGreaterThan(0);
    expect(pending.some((i) => i.leaseOwner === 'worker-1')).toBe(true);

    // A new worker before the dead one's lock expired is refused; after it, it resumes.
    await expect(run.engine('worker-2').runFlow('F1', { mode: 'full' })).rejects.toMatchObject({
      code: 'flow_locked',
    });
    offset += 5 * 60_000;
    const resumed = await run.engine('worker-2').runFlow('F1', { mode: 'full' });
    expect(resumed.status).toBe('ok');
    // The write made just before the crash is recognised, not repeated.
    expect(resumed.counts.operationsAlreadyApplied).toBeGreaterThanOrEqual(1);

    applyChanges(run.world, { seed: 'later', count: 150 });
    const second = crashableStore(run.tenant);
    run.archive.crashAfterWrites = run.archive.writes.length + 2;
    run.archive.onCrash = second.die;
    await expect(
      run.engine('worker-3', second.store).runFlow('F1', { mode: 'incremental' }),
    ).rejects.toThrow();
    offset += 5 * 60_000;
    expect((await run.engine('worker-4').runFlow('F1', { mode: 'incremental' })).status).toBe('ok');

    expect(snapshot(run.archive.cases)).toBe(snapshot(ref.archive.cases));
    const counts = writesPerKey(run.archive.writes);
    expect([...counts.values()].filter((n) => n > 1)).toEqual([]);
    expect(new Set(counts.keys())).toEqual(new Set(writesPerKey(ref.archive.writes).keys()));
    expect(await run.tenant.listOutbox({ status: 'pending' })).toHaveLength(0);
    expect(await run.tenant.getCursor('folkeregister', 'F1')).toBe(
      await ref.tenant.getCursor('folkeregister', 'F1'),
    );
    expect(await run.tenant.verifyAudit()).toMatchObject({ ok: true });
    // The dead workers' runs are recorded as failed by the runs that resumed them.
    const runs = await run.tenant.listRuns({ flow: 'F1' });
    expect(runs.filter((r) => r.status === 'running')).toEqual([]);
    expect(runs.filter((r) => r.status === 'failed')).toHaveLength(2);
    const applied = (await run.tenant.listAudit({ limit: 100_000 })).filter((a) =>
      a.action.startsWith('outbox.'),
    );
    expect(applied.length).toBe((await run.tenant.listOutbox({ status: 'applied', limit: 100_000 })).length);
  });
});
