import { type Store, createPostgresStore, createSqliteStore } from '@registerbro/engine';
import { type Config, secretFromEnv, sqliteFile } from './config.js';

/** Open the configured store (SQLite file by default, PostgreSQL when configured) and migrate it. */
export async function openStore(config: Config, env: NodeJS.ProcessEnv = process.env): Promise<Store> {
  if (config.store.kind === 'postgres') {
    const connectionString = secretFromEnv(
      env,
      'store.urlEnv',
      config.store.urlEnv,
      'a PostgreSQL connection string such as postgres://user@host:5432/db',
    );
    return createPostgresStore({ connectionString, schema: config.store.schema });
  }
  return createSqliteStore({ file: sqliteFile(config) });
}

/** A human description of where the state lives (never the connection string). */
export function describeStore(config: Config): string {
  return config.store.kind === 'postgres'
    ? `PostgreSQL (schema ${config.store.schema}, connection from $${config.store.urlEnv})`
    : `SQLite ${sqliteFile(config)}`;
}
