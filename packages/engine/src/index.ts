/**
 * `@registerbro/engine` — the sync engine. This release contains its state layer: a store on
 * SQLite (embedded default) or PostgreSQL (scale-out) with cursors, identity links, the reference
 * index, base values, the outbox, conflicts, quarantine, runs, a hash-chained audit log and locks.
 * The flows, planner and outbox applier are in progress.
 * @packageDocumentation
 */
export { createSqliteStore } from './store/sqlite.js';
export type { SqliteStoreOptions } from './store/sqlite.js';
export { createPostgresStore } from './store/postgres.js';
export type { PostgresStoreOptions } from './store/postgres.js';
export { AUDIT_GENESIS_HASH, auditEntryHash } from './store/kysely-store.js';
export { canonicalJson, sha256Hex } from './store/canonical-json.js';
export { toQuarantineInput } from './store/quarantine-input.js';
export { engineMigrations, engineMigrationProvider } from './store/migrations.js';
export type { EngineDatabase } from './store/schema.js';
export type {
  AuditEntry,
  AuditInput,
  AuditVerification,
  BaseValue,
  ClaimOptions,
  Conflict,
  ConflictDecision,
  ConflictFilter,
  ConflictInput,
  ConflictResolution,
  ConflictStatus,
  CursorState,
  EnqueueResult,
  IdentityLink,
  LinkInput,
  LockState,
  MigrationReport,
  OpenConflictResult,
  OutboxFailure,
  OutboxFilter,
  OutboxInput,
  OutboxItem,
  OutboxStatus,
  PageCommit,
  PageCommitResult,
  QuarantineAddResult,
  QuarantineFilter,
  QuarantineInput,
  QuarantineRecord,
  QuarantineStatus,
  Reference,
  ReferenceFilter,
  RekeyInput,
  Run,
  RunFinish,
  RunMode,
  RunStatus,
  Store,
  StoreDialect,
  TenantStore,
} from './store/types.js';
