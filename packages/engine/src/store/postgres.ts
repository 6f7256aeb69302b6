import { ConfigError } from '@registerbro/model';
import { CamelCasePlugin, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { createKyselyStore } from './kysely-store.js';
import type { EngineDatabase } from './schema.js';
import type { Store } from './types.js';

/** Options of {@link createPostgresStore}. */
export interface PostgresStoreOptions {
  /** `postgres://user@host:5432/database`. */
  connectionString: string;
  /**
   * The schema holding the tables; created when missing. Every connection of the pool uses it as
   * its `search_path`, so several installations (or test runs) can share a database.
   * @default 'registerbro'
   */
  schema?: string;
  /** Largest number of pooled connections. @default 10 */
  maxConnections?: number;
  /** Run migrations when the store is created. @default true */
  migrate?: boolean;
  /** Clock for timestamps, leases and lock expiry (tests move it). @default Date.now */
  clock?: () => number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The scale-out store: PostgreSQL through a `pg` pool, with the same tables and migrations as the
 * SQLite store. Many workers and many municipalities can share one database: claims use
 * `FOR UPDATE SKIP LOCKED` and audit appends lock the tenant's chain-head row.
 *
 * @example
 * const store = await createPostgresStore({ connectionString: process.env.DATABASE_URL! });
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const schema = options.schema ?? 'registerbro';
  if (!SCHEMA_NAME.test(schema)) {
    throw new ConfigError(`PostgreSQL schema name "${schema}" is not a plain lower-case identifier`, {
      system: 'engine',
      key: 'schema',
      hint: 'Use letters, digits and underscores, starting with a letter or underscore.',
    });
  }
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    // Unqualified table names resolve in our schema on every connection the pool opens.
    options: `-c search_path=${schema}`,
  });
  // An idle client losing its connection emits 'error' on the pool; without a listener that would
  // crash the process. The next query gets a fresh connection and reports its own error.
  pool.on('error', () => {});
  const db = new Kysely<EngineDatabase>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new CamelCasePlugin()],
  });
  const store = createKyselyStore({
    db,
    dialect: 'postgres',
    clock: options.clock ?? Date.now,
    migrationSchema: schema,
    beforeMigrate: async () => {
      await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
    },
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
