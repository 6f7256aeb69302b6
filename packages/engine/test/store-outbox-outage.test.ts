import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { type Store, createPostgresStore, createSqliteStore } from '../src/index.js';

/**
 * The store's side of an archive outage (see the outbox applier): claims handed back without the
 * attempt they counted, and a quarantined write that goes back to the outbox when released. On
 * SQLite and on a real PostgreSQL (CI starts one; this fails, never skips, without it).
 */
const CONNECTION = process.env.REGISTERBRO_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = `rb_outage_${randomBytes(6).toString('hex')}`;
const stores: Store[] = [];

afterAll(async () => {
  for (const s of stores.splice(0)) await s.close();
  const admin = new pg.Client({ connectionString: CONNECTION, connectionTimeoutMillis: 5_000 });
  await admin.connect();
  await admin.query(`drop schema if exists ${SCHEMA} cascade`);
  await admin.end();
});

const dialects: [string, () => Promise<Store>][] = [
  ['SQLite', () => createSqliteStore({ file: ':memory:' })],
  ['PostgreSQL', () => createPostgresStore({ connectionString: CONNECTION, schema: SCHEMA })],
];

describe.each(dialects)('outbox during an archive outage (%s)', (_name, open) => {
  it('hands claims back without counting the attempt, and only the owner’s', async () => {
    const store = await open();
    stores.push(store);
    const t = store.forTenant('6201');
    await t.enqueue(
      [1, 2, 3].map((i) => ({
        idempotencyKey: `k${i}`,
        flow: 'F1',
        system: 'noark',
        type: 'party.update',
        target: `saksmappe/a/part/${i}`,
        payload: {},
      })),
    );
    const claimed = await t.claim({ owner: 'w1', leaseMs: 60_000 });
    expect(claimed.map((c) => c.attempts)).toEqual([1, 1, 1]);
    // One was marked for a retry already (unleased, pending): it gets its attempt back too.
    await t.markFailed(claimed[0]!.id, 'w1', {
      code: 'http_error',
      message: '503',
      retryAt: new Date().toISOString(),
    });
    expect(
      await t.handBack(
        claimed.map((c) => c.id),
        'w2',
      ),
    ).toBe(1);
    // w1's two leases, and the unleased one again (its attempts never go below 0).
    expect(
      await t.handBack(
        claimed.map((c) => c.id),
        'w1',
      ),
    ).toBe(3);
    const items = await t.listOutbox({ status: 'pending' });
    expect(items.map((i) => [i.attempts, i.leaseOwner])).toEqual([
      [0, null],
      [0, null],
      [0, null],
    ]);
    expect(await t.handBack([], 'w1')).toBe(0);
  });

  it('releasing a quarantined write puts it back in the outbox; other entries touch nothing', async () => {
    const store = await open();
    stores.push(store);
    const t = store.forTenant('6202');
    await t.enqueue([
      {
        idempotencyKey: 'a',
        flow: 'F1',
        system: 'noark',
        type: 'party.update',
        target: 'saksmappe/a/part/1',
        payload: {},
      },
      {
        idempotencyKey: 'b',
        flow: 'F1',
        system: 'noark',
        type: 'party.update',
        target: 'saksmappe/a/part/2',
        payload: {},
      },
    ]);
    const [a, b] = await t.claim({ owner: 'w', leaseMs: 60_000 });
    await t.markFailed(a!.id, 'w', { code: 'http_error', message: 'gave up after 8 attempts' });
    await t.markFailed(b!.id, 'w', { code: 'http_error', message: 'gave up after 8 attempts' });
    const other = await t.addQuarantine({
      source: 'noark',
      recordType: 'case',
      key: 'saksmappe/a/part/2',
      errorCode: 'x',
      reason: 'r',
    });
    await t.releaseQuarantine(other.entry.id, 'user:kari');
    expect((await t.getOutboxItem(b!.id))?.status).toBe('failed');
    const q = await t.addQuarantine({
      source: 'noark',
      recordType: 'operation',
      key: 'saksmappe/a/part/1',
      errorCode: 'http_error',
      reason: 'party.update failed after 8 attempts',
    });
    await t.releaseQuarantine(q.entry.id, 'user:kari', 'arkivet er oppe igjen');
    const item = await t.getOutboxItem(a!.id);
    expect([item?.status, item?.attempts, item?.leaseOwner]).toEqual(['pending', 0, null]);
    expect((await t.getOutboxItem(b!.id))?.status).toBe('failed');
    const audit = await t.listAudit({ limit: 10 });
    expect(audit.at(-1)).toMatchObject({
      action: 'quarantine.release',
      after: { status: 'released', requeued: 1 },
    });
    expect((await t.verifyAudit()).ok).toBe(true);
  });
});
