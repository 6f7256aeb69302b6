import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import { RegisterbroError } from '@registerbro/model';
import type { MigrationReport } from './types.js';

/**
 * The schema, written once with Kysely's schema builder so SQLite and PostgreSQL get the same
 * tables. Only portable types are used: `text` (timestamps as ISO-8601 UTC, JSON as text) and
 * `integer`. The store writes every timestamp as fixed-width `toISOString()` text, so text order is
 * time order under any collation. Unique indexes over nullable "open key" columns stand in for partial indexes, since
 * both dialects treat NULLs as distinct.
 */
const initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('counters')
      .addColumn('tenant', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('value', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('counters_pk', ['tenant', 'name'])
      .execute();

    await db.schema
      .createTable('cursors')
      .addColumn('tenant', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('stream', 'text', (c) => c.notNull())
      .addColumn('cursor', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('cursors_pk', ['tenant', 'source', 'stream'])
      .execute();

    await db.schema
      .createTable('identity_links')
      .addColumn('tenant', 'text', (c) => c.notNull())
      .addColumn('id', 'integer', (c) => c.notNull())
      .addColumn('entity_type', 'text', (c) => c.notNull())
      .addColumn('canonical_id', 'text', (c) => c.notNull())
      .addColumn('system', 'text', (c) => c.notNull())
      .addColumn('system_id', 'text', (c) => c.notNull())
      .addColumn('current_key', 'text')
      .addColumn('valid_from', 'text', (c) => c.notNull())
      .addColumn('valid_to', 'text')
      .addColumn('replaced_by', 'text')
      .addColumn('reason', 'text')
      .addPrimaryKeyConstraint('identity_links_pk', ['tenant', 'id'])
      .execute();
    await db.schema
      .createIndex('identity_links_current_uq')
      .on('identity_links')
      .columns(['tenant', 'entity_type', 'system', 'current_key'])
      .unique()
      .execute();
    await db.schema
      .createIndex('identity_links_canonical_ix')
      .on('identity_links')
      .columns(['tenant', 'entity_type', 'canonical_id'])
      .execute();
    await db.schema
      .createIndex('identity_links_system_ix')
      .on('identity_links')
      .columns(['tenant', 'entity_type', 'system', 'system_id'])
      .execute();

    await db.schema
      .createTable('refs')
      .addColumn('tenant', 'text', (c) => c.notNull())
      .addColumn('master_system', 'text', (c) => c.notNull())
      .addColumn('master_key', 'text', (c) => c.notNull())
      .addColumn('target_system', 'text', (c) => c.notNull())
      .addColumn('target_key', 'text', (c) => c.notNull())
      .addColumn('relation', 'text', (c) => c.notNull())
      .addColumn('flow', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('refs_pk', [
        'tenant',
        'master_system',
        'master_key',
        'target_system',
        'target_key',
        'relation',
      ])
      .execute();
    await db.schema
      .createIndex('refs_target_ix')
      .on('refs')
      .columns(['tenant', 'target_system', 'target_key'])
      .execute();

    await db.schema
      .createTable('base_values')
      .addColumn('tenant', 'text', (c) => c.notNull())
      .addColumn('system', 'text', (c) => c.notNull())
      .addColumn('record_key', 'text', (c) => c.notNull())
      .addColumn('field', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('synced_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('base_values_pk', ['tenant', 'system', 'record_key', 'field'])
      .execute();

    await db.schema
      .createTable('outbox')
      .addColumn('tenant', 'text', (c) => c.notNull())
      .addColumn('id', 'integer', (c) => c.notNull())
      .addColumn('idempotency_key', 'text', (c) => c.notNull())
      .addColumn('flow', 'text', (c) => c.notNull())
      .addColumn('system', 'text', (c) => c.notNull())
      .addColumn('op_type', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('run_id', 'integer')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('lease_owner', 'text')
      .addColumn('lease_expires_at', 'text')
      .addColumn('available_at', 'text', (c) => c.notNull())
      .addColumn('result', 'text')
      .addColumn('error_code', 'text')
      .addColumn('error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('outbox_pk', ['tenant', 'id'])
      .addUniqueConstraint('outbox_idempotency_uq', ['tenant', 'idempotency_key'])
      .execute();
    await db.schema
      .createIndex('outbox_claim_ix')
      .on('outbox')
      .columns(['tenant', 'status', 'available_at', 'id'])
      .execute();

    await db.schema
      .createTable('conflicts')
      .addColumn('tenant', 'text', (c) => c.notNull())
      .addColumn('id', 'integer', (c) => c.notNull())
      .addColumn('conflict_key', 'text', (c) => c.notNull())
      .addColumn('open_key', 'text')
      .addColumn('flow', 'text', (c) => c.notNull())
      .addColumn('rule', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('entity_type', 'text', (c) => c.notNull())
      .addColumn('entity_key', 'text', (c) => c.notNull())
      .addColumn('raw_entity_key', 'text')
      .addColumn('master', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('base', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('resolution', 'text')
      .addColumn('resolved_by', 'text')
      .addColumn('resolution_note', 'text')
      .addColumn('link_to', 'text')
      .addColumn('occurrences', 'integer', (c) => c.notNull())
      .addColumn('run_id', 'integer')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addColumn('resolved_at', 'text')
      .addPrimaryKeyConstraint('conflicts_pk', ['tenant', 'id'])
      .addUniqueConstraint('conflicts_open_uq', ['tenant', 'open_key'])
      .execute();
    await db.schema
      .createIndex('conflicts_status_ix')
      .on('conflicts')
      .columns(['tenant', 'status', 'flow', 'id'])
      .execute();

    await db.schema
      .createTable('quarantine')
      .addColumn('tenant', 'text', (c) => c.notNull())
      .addColumn('id', 'integer', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('record_type', 'text', (c) => c.notNull())
      .addColumn('record_key', 'text')
      .addColumn('raw_key', 'text')
      .addColumn('error_code', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('excerpt', 'text')
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('open_key', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('occurrences', 'integer', (c) => c.notNull())
      .addColumn('run_id', 'integer')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addColumn('released_at', 'text')
      .addColumn('released_by', 'text')
      .addColumn('release_note', 'text')
      .addPrimaryKeyConstraint('quarantine_pk', ['tenant', 'id'])
      .addUniqueConstraint('quarantine_open_uq', ['tenant', 'open_key'])
      .execute();
    await db.schema
      .createIndex('quarantine_status_ix')
      .on('quarantine')
      .columns(['tenant', 'status', 'source', 'id'])
      .execute();

    await db.schema
      .createTable('runs')
      .addColumn('tenant', 'text', (c) => c.notNull())
      .addColumn('id', 'integer', (c) => c.notNull())
      .addColumn('flow', 'text', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .addColumn('counts', 'text')
      .addColumn('message', 'text')
      .addPrimaryKeyConstraint('runs_pk', ['tenant', 'id'])
      .execute();
    await db.schema.createIndex('runs_flow_ix').on('runs').columns(['tenant', 'flow', 'id']).execute();

    await db.schema
      .createTable('audit_log')
      .addColumn('tenant', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('entity', 'text', (c) => c.notNull())
      .addColumn('before', 'text')
      .addColumn('after', 'text')
      .addColumn('reason', 'text')
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('audit_log_pk', ['tenant', 'seq'])
      .execute();

    await db.schema
      .createTable('audit_heads')
      .addColumn('tenant', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('audit_heads_pk', ['tenant'])
      .execute();

    await db.schema
      .createTable('locks')
      .addColumn('tenant', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('acquired_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('locks_pk', ['tenant', 'name'])
      .execute();
  },

  async down(db: Kysely<unknown>) {
    for (const table of [
      'locks',
      'audit_heads',
      'audit_log',
      'runs',
      'quarantine',
      'conflicts',
      'outbox',
      'base_values',
      'refs',
      'identity_links',
      'cursors',
      'counters',
    ]) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};

/**
 * Re-key by target: removing a case's references filters on (target, master system, relation).
 * SQLite without statistics picked the primary key's (tenant, master_system) prefix for that and
 * scanned every reference of the system per delete — quadratic over a full run. A covering index
 * over the whole target-first key makes the target lookup the obvious plan on both databases.
 */
const refsByTarget: Migration = {
  async up(db) {
    await db.schema.dropIndex('refs_target_ix').ifExists().execute();
    await db.schema
      .createIndex('refs_by_target_ix')
      .on('refs')
      .columns(['tenant', 'target_system', 'target_key', 'master_system', 'master_key', 'relation'])
      .execute();
  },
  async down(db) {
    await db.schema.dropIndex('refs_by_target_ix').ifExists().execute();
    await db.schema
      .createIndex('refs_target_ix')
      .on('refs')
      .columns(['tenant', 'target_system', 'target_key'])
      .execute();
  },
};

/** The migrations in order. Names sort in application order; never rename or edit a released one. */
export const engineMigrations: Readonly<Record<string, Migration>> = {
  '0001_initial': initial,
  '0002_refs_by_target': refsByTarget,
};

/** Kysely migration provider over {@link engineMigrations} (no files: the schema ships in the bundle). */
export const engineMigrationProvider: MigrationProvider = {
  async getMigrations() {
    return { ...engineMigrations };
  },
};

/**
 * Apply pending migrations. Kysely's migrator takes a lock table, so two processes starting at once
 * do not both migrate. On PostgreSQL pass the store's schema: Kysely looks for its tables across
 * every schema it can see, so without it a second Registerbro schema in the same database would
 * make the migrator believe its tables exist and then fail to find them.
 */
export async function runMigrations(db: Kysely<unknown>, schema?: string): Promise<MigrationReport> {
  const migrator = new Migrator({
    db,
    provider: engineMigrationProvider,
    migrationTableName: 'registerbro_migration',
    migrationLockTableName: 'registerbro_migration_lock',
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new RegisterbroError(
      'migration_failed',
      `Engine store migration ${failed ?? '(before any migration ran)'} failed: ${error instanceof Error ? error.message : String(error)}`,
      {
        system: 'engine',
        cause: error,
        hint: 'Check the database connection and permissions; the failed migration was rolled back.',
      },
    );
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
