/**
 * Kysely table types (camelCase here; the tables use snake_case through `CamelCasePlugin`).
 * JSON columns hold text, timestamps ISO-8601 UTC text: the same in SQLite and PostgreSQL.
 */
export interface CountersTable {
  tenant: string;
  name: string;
  value: number;
}

export interface CursorsTable {
  tenant: string;
  source: string;
  stream: string;
  cursor: string;
  updatedAt: string;
}

export interface IdentityLinksTable {
  tenant: string;
  id: number;
  entityType: string;
  canonicalId: string;
  system: string;
  systemId: string;
  /** Equals `systemId` while the link is current and NULL once replaced, so a plain unique index keeps one current link per system id. */
  currentKey: string | null;
  validFrom: string;
  validTo: string | null;
  replacedBy: string | null;
  reason: string | null;
}

export interface RefsTable {
  tenant: string;
  masterSystem: string;
  masterKey: string;
  targetSystem: string;
  targetKey: string;
  relation: string;
  flow: string | null;
  createdAt: string;
}

export interface BaseValuesTable {
  tenant: string;
  system: string;
  recordKey: string;
  field: string;
  value: string;
  syncedAt: string;
}

export interface OutboxTable {
  tenant: string;
  id: number;
  idempotencyKey: string;
  flow: string;
  system: string;
  opType: string;
  target: string;
  payload: string;
  runId: number | null;
  status: string;
  attempts: number;
  leaseOwner: string | null;
  leaseExpiresAt: string | null;
  availableAt: string;
  result: string | null;
  errorCode: string | null;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ConflictsTable {
  tenant: string;
  id: number;
  conflictKey: string;
  /** `conflictKey` while open, NULL once resolved (one open conflict per key). */
  openKey: string | null;
  flow: string;
  rule: string;
  reason: string;
  entityType: string;
  entityKey: string;
  rawEntityKey: string | null;
  master: string;
  target: string;
  base: string | null;
  status: string;
  resolution: string | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
  linkTo: string | null;
  occurrences: number;
  runId: number | null;
  createdAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
}

export interface QuarantineTable {
  tenant: string;
  id: number;
  source: string;
  recordType: string;
  recordKey: string | null;
  rawKey: string | null;
  errorCode: string;
  reason: string;
  excerpt: string | null;
  fingerprint: string;
  /** `fingerprint` while open, NULL once released. */
  openKey: string | null;
  status: string;
  occurrences: number;
  runId: number | null;
  createdAt: string;
  lastSeenAt: string;
  releasedAt: string | null;
  releasedBy: string | null;
  releaseNote: string | null;
}

export interface RunsTable {
  tenant: string;
  id: number;
  flow: string;
  mode: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  counts: string | null;
  message: string | null;
}

export interface AuditLogTable {
  tenant: string;
  seq: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  before: string | null;
  after: string | null;
  reason: string | null;
  prevHash: string;
  hash: string;
}

export interface AuditHeadsTable {
  tenant: string;
  seq: number;
  hash: string;
}

export interface LocksTable {
  tenant: string;
  name: string;
  owner: string;
  acquiredAt: string;
  expiresAt: string;
}

/** The whole schema as Kysely sees it. */
export interface EngineDatabase {
  counters: CountersTable;
  cursors: CursorsTable;
  identityLinks: IdentityLinksTable;
  refs: RefsTable;
  baseValues: BaseValuesTable;
  outbox: OutboxTable;
  conflicts: ConflictsTable;
  quarantine: QuarantineTable;
  runs: RunsTable;
  auditLog: AuditLogTable;
  auditHeads: AuditHeadsTable;
  locks: LocksTable;
}
