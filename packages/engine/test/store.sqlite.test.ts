import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../src/index.js';
import { defineStoreSuite } from './store-suite.js';

const folder = mkdtempSync(join(tmpdir(), 'registerbro-engine-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function rawOn(database: BetterSqlite3.Database) {
  return async (sqlText: string, params: unknown[] = []) => {
    const stmt = database.prepare(sqlText.replace(/\$\d+/g, '?'));
    if (stmt.reader) return stmt.all(...params) as Record<string, unknown>[];
    stmt.run(...params);
    return [];
  };
}

defineStoreSuite('SQLite store (file in a data folder)', async (clock) => {
  const file = join(folder, 'data', 'suite.db');
  const store = await createSqliteStore({ file, clock: clock.now });
  // A second connection, as another process would have: it sees only committed data.
  const side = new BetterSqlite3(file);
  return {
    store,
    raw: rawOn(side),
    close: async () => {
      side.close();
      await store.close();
    },
  };
});

defineStoreSuite('SQLite store (:memory:)', async (clock) => {
  const database = new BetterSqlite3(':memory:');
  const store = await createSqliteStore({ database, clock: clock.now });
  return { store, raw: rawOn(database), close: () => store.close() };
});

describe('SQLite store specifics', () => {
  it('creates the data folder, uses WAL and keeps data across reopen', async () => {
    const file = join(folder, 'nested', 'deeper', 'reopen.db');
    const first = await createSqliteStore({ file });
    await first.forTenant('1806').setCursor('folkeregister', 'hendelser', '123');
    await first.forTenant('1806').appendAudit({ actor: 'flow:F1', action: 'x', entity: 'y' });
    await first.close();
    await first.close();

    const check = new BetterSqlite3(file, { readonly: true });
    expect(check.pragma('journal_mode', { simple: true })).toBe('wal');
    check.close();

    const second = await createSqliteStore({ file });
    expect(await second.migrate()).toEqual({ applied: [] });
    const narvik = second.forTenant('1806');
    expect(await narvik.getCursor('folkeregister', 'hendelser')).toBe('123');
    expect(await narvik.verifyAudit()).toMatchObject({ ok: true, entries: 1 });
    await second.close();
  });

  it('reports the migrations it applied on a new database', async () => {
    const store = await createSqliteStore({ migrate: false });
    expect(await store.migrate()).toEqual({ applied: ['0001_initial', '0002_refs_by_target'] });
    expect(await store.migrate()).toEqual({ applied: [] });
    await store.close();
  });
});

describe('SQLite store shared by two OS processes', () => {
  const here = dirname(fileURLToPath(import.meta.url));
  const run = (file: string, owner: string) =>
    promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions=@registerbro/source',
        join(here, 'fixtures', 'sqlite-worker.ts'),
        file,
        owner,
        '60',
      ],
      { cwd: join(here, '..'), timeout: 60_000 },
    ).then(({ stdout }) => JSON.parse(stdout) as { locked: boolean; claimed: number[] });

  it('serialises their writes: one audit chain, each key once, no item claimed twice, one lock holder', async () => {
    const file = join(folder, 'shared', 'two-processes.db');
    const setup = await createSqliteStore({ file });
    await setup.close();
    const [a, b] = await Promise.all([run(file, 'process-a'), run(file, 'process-b')]);
    expect([a.locked, b.locked].filter(Boolean).length).toBe(1);
    const claimed = [...a.claimed, ...b.claimed];
    expect(new Set(claimed).size).toBe(claimed.length);

    const store = await createSqliteStore({ file });
    const narvik = store.forTenant('1806');
    expect(await narvik.verifyAudit()).toMatchObject({ ok: true, entries: 120 });
    const items = await narvik.listOutbox({ limit: 1000 });
    expect(items.length).toBe(60);
    expect(new Set(items.map((i) => i.idempotencyKey)).size).toBe(60);
    await store.close();
  });
});
