import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Store, createPostgresStore } from '../src/index.js';
import { defineStoreSuite } from './store-suite.js';

/**
 * These tests need a real PostgreSQL (CI starts one). They fail, not skip, when it is missing:
 * a store that was never run against PostgreSQL must not look tested.
 */
const CONNECTION = process.env.REGISTERBRO_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = `rb_test_${randomBytes(6).toString('hex')}`;

let admin: pg.Client | undefined;

async function connectAdmin(): Promise<pg.Client> {
  if (admin !== undefined) return admin;
  const client = new pg.Client({ connectionString: CONNECTION, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${CONNECTION.replace(/:[^:@/]*@/, ':***@')} (${(error as Error).message}). ` +
        'The engine store tests need it: start it (e.g. `pg_ctlcluster 15 main start`) or set REGISTERBRO_TEST_POSTGRES_URL.',
    );
  }
  await client.query(`set search_path to ${SCHEMA}`);
  admin = client;
  return client;
}

beforeAll(async () => {
  await connectAdmin();
});

afterAll(async () => {
  if (admin === undefined) return;
  await admin.query(`drop schema if exists ${SCHEMA} cascade`);
  await admin.end();
});

defineStoreSuite('PostgreSQL store', async (clock) => {
  const client = await connectAdmin();
  const store = await createPostgresStore({ connectionString: CONNECTION, schema: SCHEMA, clock: clock.now });
  return {
    store,
    raw: async (sqlText, params = []) => (await client.query(sqlText, params)).rows,
    close: () => store.close(),
  };
});

describe('PostgreSQL store across processes', () => {
  let one: Store;
  let two: Store;
  beforeAll(async () => {
    await connectAdmin();
    // Two pools stand in for two worker processes sharing the database.
    one = await createPostgresStore({ connectionString: CONNECTION, schema: SCHEMA });
    two = await createPostgresStore({ connectionString: CONNECTION, schema: SCHEMA });
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
  });

  it('keeps one audit chain when two pools append 50 entries in parallel', async () => {
    const tenant = '1806';
    const appends = Array.from({ length: 50 }, (_, i) =>
      (i % 2 === 0 ? one : two)
        .forTenant(tenant)
        .appendAudit({ actor: 'flow:F1', action: 'x', entity: `e${i}` }),
    );
    const entries = await Promise.all(appends);
    expect(new Set(entries.map((e) => e.seq)).size).toBe(50);
    expect(await one.forTenant(tenant).verifyAudit()).toMatchObject({ ok: true, entries: 50 });
  });

  it('never gives the same outbox item to two concurrent claimers', async () => {
    const tenant = '1875';
    await one.forTenant(tenant).enqueue(
      Array.from({ length: 40 }, (_, i) => ({
        idempotencyKey: `k${i}`,
        flow: 'F1',
        system: 'noark',
        type: 't',
        target: `r${i}`,
        payload: {},
      })),
    );
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 === 0 ? one : two).forTenant(tenant).claim({ owner: `w${i}`, limit: 7 }),
      ),
    );
    expect(claims.every((claimed) => claimed.length <= 7)).toBe(true);
    const ids = claims.flat().map((item) => item.id);
    expect(ids.length).toBe(40);
    expect(new Set(ids).size).toBe(40);
  });

  it('lets one of two processes hold a flow lock', async () => {
    const results = await Promise.all([
      one.forTenant('1806').tryLock('flow:F1', 'process-1', 60_000),
      two.forTenant('1806').tryLock('flow:F1', 'process-2', 60_000),
    ]);
    expect(results.filter(Boolean).length).toBe(1);
  });

  it('migrates concurrently without error and only once', async () => {
    const reports = await Promise.all([one.migrate(), two.migrate()]);
    expect(reports).toEqual([{ applied: [] }, { applied: [] }]);
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    await expect(
      createPostgresStore({ connectionString: CONNECTION, schema: 'x; drop table y' }),
    ).rejects.toThrow(/schema name/);
  });
});

describe('PostgreSQL store beside another Registerbro schema', () => {
  it('migrates its own schema when another schema in the database already has the migration tables', async () => {
    await connectAdmin();
    const other = `${SCHEMA}_other`;
    const mine = `${SCHEMA}_mine`;
    const first = await createPostgresStore({ connectionString: CONNECTION, schema: other });
    await first.close();
    try {
      const second = await createPostgresStore({ connectionString: CONNECTION, schema: mine });
      const tenant = second.forTenant('1806');
      await tenant.setCursor('folkeregister', 'feed', '42');
      expect(await tenant.getCursor('folkeregister', 'feed')).toBe('42');
      await second.close();
    } finally {
      await admin!.query(`drop schema if exists ${other} cascade`);
      await admin!.query(`drop schema if exists ${mine} cascade`);
    }
  });
});
