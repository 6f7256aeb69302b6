import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  CamelCasePlugin,
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';
import { createKyselyStore } from './kysely-store.js';
import type { EngineDatabase } from './schema.js';
import type { Store } from './types.js';

/** Options of {@link createSqliteStore}. */
export interface SqliteStoreOptions {
  /**
   * The database file, e.g. `./data/registerbro.db` (its folder is created), or `:memory:` for
   * tests. Ignored when `database` is given.
   * @default ':memory:'
   */
  file?: string;
  /** An already opened better-sqlite3 database to use instead of `file` (closed by `store.close()`). */
  database?: BetterSqlite3.Database;
  /**
   * How long a statement waits for another process's write lock before failing.
   * @default 5_000
   */
  busyTimeoutMs?: number;
  /**
   * `full` syncs the WAL on every commit, so a committed page survives a power cut; `normal` only
   * survives a process crash but commits faster.
   * @default 'full'
   */
  synchronous?: 'full' | 'normal';
  /** Run migrations when the store is created. @default true */
  migrate?: boolean;
  /** Clock for timestamps, leases and lock expiry (tests move it). @default Date.now */
  clock?: () => number;
}

/**
 * SQLite transactions begin IMMEDIATE: the write lock is taken at BEGIN, so a transaction that
 * reads and then writes (enqueue, the audit chain head) never fails mid-way on another process's
 * write, and the busy timeout applies to the wait.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

/**
 * The embedded store: one SQLite file (better-sqlite3) in WAL mode, the default for a single
 * municipality in one process. Several processes may share the file (the write lock serialises
 * them), but one process per file is the intended use.
 *
 * @example
 * const store = await createSqliteStore({ file: './data/registerbro.db' });
 * const narvik = store.forTenant('1806');
 */
export async function createSqliteStore(options: SqliteStoreOptions = {}): Promise<Store> {
  let database = options.database;
  if (database === undefined) {
    const file = options.file ?? ':memory:';
    if (file !== ':memory:' && file !== '') mkdirSync(dirname(resolve(file)), { recursive: true });
    database = new BetterSqlite3(file);
  }
  database.pragma('journal_mode = WAL');
  database.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5_000))}`);
  database.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
  database.pragma('foreign_keys = ON');
  const db = new Kysely<EngineDatabase>({
    dialect: new ImmediateSqliteDialect({ database }),
    plugins: [new CamelCasePlugin()],
  });
  const store = createKyselyStore({
    db,
    dialect: 'sqlite',
    clock: options.clock ?? Date.now,
    close: () => db.destroy(),
  });
  if (options.migrate !== false) {
    try {
      await store.migrate();
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
}
