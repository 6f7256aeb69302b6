/**
 * The engine's state: one {@link Store} per database, bound to one municipality at a time with
 * {@link Store.forTenant}. Every table carries the tenant (kommunenummer) in its primary key, so one
 * PostgreSQL database can serve many municipalities while an embedded SQLite file usually holds one.
 *
 * Conventions of the whole layer:
 * - ids are per-tenant integers (`conflict #42` in municipality 1806 is unrelated to #42 in 1875);
 * - timestamps are ISO-8601 UTC text with milliseconds (`2026-11-25T16:02:04.123Z`), which sorts
 *   as text in both dialects;
 * - JSON values are stored as text in both dialects and returned parsed;
 * - free-text fields (reasons, notes, messages, excerpts, masked keys) pass through `redactText`
 *   before they are stored; raw keys live only in the columns named `raw…`;
 * - nothing in this layer logs.
 */

/** The SQL dialect behind a store. */
export type StoreDialect = 'sqlite' | 'postgres';

/** What {@link Store.migrate} did. */
export interface MigrationReport {
  /** Migrations applied by this call, in order (empty when the schema was already current). */
  applied: string[];
}

/** A database holding the state of one or many municipalities. */
export interface Store {
  readonly dialect: StoreDialect;
  /** Bring the schema up to date. Safe to call any number of times and from several processes. */
  migrate(): Promise<MigrationReport>;
  /**
   * The operations of one municipality. `tenant` is a four-digit kommunenummer; every query the
   * returned object makes is restricted to it.
   */
  forTenant(tenant: string): TenantStore;
  /** Close the connection (SQLite) or the pool (PostgreSQL). */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// cursors

/** The stored position in one source's feed. */
export interface CursorState {
  source: string;
  stream: string;
  cursor: string;
  updatedAt: string;
}

// ---------------------------------------------------------------------------------------------
// identity

/** A link from a canonical entity to one system's id for it. */
export interface IdentityLink {
  id: number;
  entityType: string;
  canonicalId: string;
  system: string;
  systemId: string;
  validFrom: string;
  /** Set when the system id was replaced (re-key); the link is then history. */
  validTo: string | null;
  /** The system id that replaced this one. */
  replacedBy: string | null;
  reason: string | null;
}

/** Input of {@link TenantStore.link}. */
export interface LinkInput {
  /** `person`, `property`, `case`, … */
  entityType: string;
  canonicalId: string;
  system: string;
  systemId: string;
  reason?: string;
}

/** Input of {@link TenantStore.rekey}: `from` is replaced by `to` in `system`. */
export interface RekeyInput {
  entityType: string;
  system: string;
  from: string;
  to: string;
  /** E.g. `D-nummer replaced by fødselsnummer`; redacted before storing. */
  reason?: string;
}

// ---------------------------------------------------------------------------------------------
// references

/** A target record that depends on a master entity (an archive party on a person, a case class on a property). */
export interface Reference {
  masterSystem: string;
  masterKey: string;
  targetSystem: string;
  targetKey: string;
  /** What kind of dependency: `party`, `gbnr_class`, … @default '' */
  relation?: string;
  /** The flow that maintains it. */
  flow?: string | null;
}

/** Which references {@link TenantStore.removeReferences} deletes: all of a target record, optionally narrowed. */
export interface ReferenceFilter {
  targetSystem: string;
  targetKey: string;
  masterSystem?: string;
  masterKey?: string;
  relation?: string;
}

// ---------------------------------------------------------------------------------------------
// base values

/** The last value synced into one field of one target record (the B of the three-way compare). */
export interface BaseValue {
  system: string;
  recordKey: string;
  field: string;
  /** Any JSON value. */
  value: unknown;
}

// ---------------------------------------------------------------------------------------------
// outbox

/** Status of an outbox item. A `pending` item may be leased by a worker (see `leaseOwner`). */
export type OutboxStatus = 'pending' | 'applied' | 'failed' | 'conflicted';

/** A planned operation to enqueue. */
export interface OutboxInput {
  /** Deterministic key derived from the operation's content; enqueuing it twice is a no-op. */
  idempotencyKey: string;
  flow: string;
  /** The system the operation is applied to. */
  system: string;
  /** The operation type the adapter accepts (`updatePartAddress`, …). */
  type: string;
  /** The target record's key in that system. */
  target: string;
  /** The operation (any JSON). */
  payload: unknown;
  runId?: number | null;
}

/** An operation in the outbox. */
export interface OutboxItem {
  id: number;
  idempotencyKey: string;
  flow: string;
  system: string;
  type: string;
  target: string;
  payload: unknown;
  runId: number | null;
  status: OutboxStatus;
  attempts: number;
  leaseOwner: string | null;
  leaseExpiresAt: string | null;
  /** Not claimable before this time (retry backoff). */
  availableAt: string;
  /** The apply result (JSON) once applied or conflicted. */
  result: unknown;
  errorCode: string | null;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Result of enqueuing one operation. */
export interface EnqueueResult {
  item: OutboxItem;
  /** False when an item with the same idempotency key already existed (it is returned unchanged). */
  created: boolean;
}

/** Options of {@link TenantStore.claim}. */
export interface ClaimOptions {
  /** Who claims (worker id); only this owner can mark the items. */
  owner: string;
  /** How many items at most. @default 100 */
  limit?: number;
  /** How long the claim holds; after it, another worker may claim the item again. @default 60_000 */
  leaseMs?: number;
  /** Only items of this flow. */
  flow?: string;
  /** Only items for this system. */
  system?: string;
}

/** Filter of {@link TenantStore.listOutbox}. */
export interface OutboxFilter {
  status?: OutboxStatus;
  flow?: string;
  /** @default 100 */
  limit?: number;
  /** Items with an id greater than this (paging). */
  afterId?: number;
}

/** Why an apply failed. */
export interface OutboxFailure {
  /** snake_case error code. */
  code: string;
  /** Message; redacted before storing. */
  message: string;
  /** When set, the item returns to `pending` and becomes claimable at this time; otherwise it is `failed`. */
  retryAt?: string;
}

// ---------------------------------------------------------------------------------------------
// conflicts

/** How an admin resolved a conflict. */
export type ConflictResolution = 'take_master' | 'keep_local' | 'link' | 'ignore';

/** Status of a conflict. */
export type ConflictStatus = 'open' | 'resolved';

/** A conflict to open: the engine could not decide and asks an admin. */
export interface ConflictInput {
  /**
   * Deterministic key of the decision (flow, target record, field): while a conflict with this key
   * is open, opening it again updates it instead of adding a second one.
   */
  conflictKey: string;
  flow: string;
  /** The rule that found it: `local_edit`, `both_changed`, `ambiguous_match`, `master_gone`, … */
  rule: string;
  /** Human reason; redacted before storing. */
  reason: string;
  entityType: string;
  /** The entity's key for display; redacted before storing (use masked keys). */
  entityKey: string;
  /** The unmasked key, kept only in its own column for re-fetching. */
  rawEntityKey?: string;
  /** The master's side (JSON). */
  master: unknown;
  /** The target's side (JSON). */
  target: unknown;
  /** The last synced base (JSON), when there is one. */
  base?: unknown;
  runId?: number | null;
}

/** A stored conflict. */
export interface Conflict {
  id: number;
  conflictKey: string;
  flow: string;
  rule: string;
  reason: string;
  entityType: string;
  entityKey: string;
  rawEntityKey: string | null;
  master: unknown;
  target: unknown;
  base: unknown;
  status: ConflictStatus;
  resolution: ConflictResolution | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
  /** For `link`: the entity the admin linked to. */
  linkTo: string | null;
  /** How often the engine found this conflict while it was open. */
  occurrences: number;
  runId: number | null;
  createdAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
}

/** Result of {@link TenantStore.openConflict}. */
export interface OpenConflictResult {
  conflict: Conflict;
  /** False when an open conflict with the same key existed (it is updated with the new sides). */
  created: boolean;
}

/** Filter of {@link TenantStore.listConflicts}. */
export interface ConflictFilter {
  status?: ConflictStatus;
  flow?: string;
  /** Only conflicts of this rule (`local_edit`, `unmatched_party`, `split`, …). */
  rule?: string;
  /** @default 100 */
  limit?: number;
  afterId?: number;
}

/** An admin's decision on a conflict. */
export interface ConflictDecision {
  resolution: ConflictResolution;
  /** Who decided (user id). */
  by: string;
  /** Redacted before storing. */
  note?: string;
  /** Required for `link`: the entity to link to. */
  linkTo?: string;
}

// ---------------------------------------------------------------------------------------------
// quarantine

/** A bad input to set aside. */
export interface QuarantineInput {
  /** The source system. */
  source: string;
  recordType: string;
  /** Display key (masked); redacted again before storing. */
  key?: string;
  /** The unmasked key, kept only in its own column. */
  rawKey?: string;
  errorCode: string;
  /** What was wrong and what to do; redacted before storing. */
  reason: string;
  /** A short excerpt of the input; redacted and cut to 500 characters. */
  excerpt?: string;
  runId?: number | null;
}

/** Status of a quarantine entry. */
export type QuarantineStatus = 'open' | 'released';

/** A stored quarantine entry. */
export interface QuarantineRecord {
  id: number;
  source: string;
  recordType: string;
  recordKey: string | null;
  rawKey: string | null;
  errorCode: string;
  reason: string;
  excerpt: string | null;
  status: QuarantineStatus;
  /** How often the same bad record was seen while open. */
  occurrences: number;
  runId: number | null;
  createdAt: string;
  lastSeenAt: string;
  releasedAt: string | null;
  releasedBy: string | null;
  releaseNote: string | null;
}

/** Result of {@link TenantStore.addQuarantine}. */
export interface QuarantineAddResult {
  entry: QuarantineRecord;
  /** False when the same record with the same error was already open (its count went up). */
  created: boolean;
}

/** Filter of {@link TenantStore.listQuarantine}. */
export interface QuarantineFilter {
  status?: QuarantineStatus;
  source?: string;
  /** @default 100 */
  limit?: number;
  afterId?: number;
}

// ---------------------------------------------------------------------------------------------
// runs

/** How a flow runs. */
export type RunMode = 'full' | 'incremental' | 'dry-run';
/** Outcome of a run; `running` until finished. */
export type RunStatus = 'running' | 'ok' | 'degraded' | 'failed';

/** One run of a flow. */
export interface Run {
  id: number;
  flow: string;
  mode: RunMode;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  /** Counts (JSON object), e.g. `{ changes: 1000, operations: 12, conflicts: 1 }`. */
  counts: Record<string, number> | null;
  message: string | null;
}

/** How a run ended. */
export interface RunFinish {
  status: Exclude<RunStatus, 'running'>;
  counts?: Record<string, number>;
  /** Redacted before storing. */
  message?: string;
}

// ---------------------------------------------------------------------------------------------
// audit

/** An entry to append to the audit log. */
export interface AuditInput {
  /** `user:<id>` for admins, `flow:<name>` for the engine. */
  actor: string;
  /** `outbox.applied`, `conflict.resolve`, `identity.rekey`, … */
  action: string;
  /** The entity concerned; redacted before storing (use canonical ids or masked keys). */
  entity: string;
  before?: unknown;
  after?: unknown;
  /** Redacted before storing. */
  reason?: string;
}

/** A stored, hash-chained audit entry. */
export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  before: unknown;
  after: unknown;
  reason: string | null;
  prevHash: string;
  /** sha256 (hex) of the canonical JSON of this entry including `tenant` and `prevHash`. */
  hash: string;
}

/** Result of {@link TenantStore.verifyAudit}. */
export type AuditVerification =
  | { ok: true; entries: number; headHash: string }
  | {
      ok: false;
      /** The first entry whose sequence, link or hash does not check out. */
      brokenSeq: number;
      problem: 'sequence_gap' | 'prev_hash_mismatch' | 'hash_mismatch' | 'head_mismatch';
      entries: number;
    };

// ---------------------------------------------------------------------------------------------
// locks

/** A held lock. */
export interface LockState {
  name: string;
  owner: string;
  acquiredAt: string;
  expiresAt: string;
}

// ---------------------------------------------------------------------------------------------
// page commit

/** Everything one handled page produces, stored with the new cursor in one transaction. */
export interface PageCommit {
  source: string;
  stream: string;
  /** The position after the page. */
  cursor: string;
  /**
   * When given, the commit happens only if the stored cursor still equals this (`null`: no cursor
   * stored yet); otherwise a `ConflictError` (code `cursor_moved`) is thrown and nothing is stored.
   * Guards against two workers handling the same page.
   */
  expectedCursor?: string | null;
  operations?: OutboxInput[];
  conflicts?: ConflictInput[];
  quarantine?: QuarantineInput[];
  baseValues?: BaseValue[];
  references?: { add?: Reference[]; remove?: ReferenceFilter[] };
  audit?: AuditInput[];
}

/** What {@link TenantStore.commitPage} stored. */
export interface PageCommitResult {
  operations: EnqueueResult[];
  conflicts: OpenConflictResult[];
  quarantine: QuarantineAddResult[];
  audit: AuditEntry[];
}

// ---------------------------------------------------------------------------------------------
// the tenant-bound store

/** The state of one municipality. Obtain it with {@link Store.forTenant}. */
export interface TenantStore {
  readonly tenant: string;

  /**
   * Run `fn` in one transaction: everything it does through the given store commits together or
   * not at all. Use only `tx` inside: a call on the outer object is not part of the transaction
   * (and on SQLite, whose single connection the transaction holds, it would wait forever).
   * Nested calls join the outer transaction.
   */
  transaction<T>(fn: (tx: TenantStore) => Promise<T>): Promise<T>;

  /** The stored cursor of `source`/`stream`, or `undefined` before the first page. */
  getCursor(source: string, stream: string): Promise<string | undefined>;
  /** Store a cursor outside a page commit (e.g. the feed head after a full scan). */
  setCursor(source: string, stream: string, cursor: string): Promise<void>;
  listCursors(): Promise<CursorState[]>;
  /**
   * Store a page's outbox items, conflicts, quarantine entries, base values, references and audit
   * entries together with its new cursor, in one transaction: the cursor moves only when the page's
   * work is durably recorded, and an error leaves everything as it was.
   */
  commitPage(page: PageCommit): Promise<PageCommitResult>;

  /** Link a system id to a canonical entity. Idempotent; a system id already linked elsewhere throws `ConflictError` (`identity_conflict`). */
  link(input: LinkInput): Promise<IdentityLink>;
  /**
   * Replace `from` by `to` in a system: the current link gets `validTo` and `replacedBy`, and a new
   * link with the same canonical id is made. Repeating a done re-key returns the new link.
   * Throws `ConflictError` (`identity_unknown`) when `from` is not linked.
   */
  rekey(input: RekeyInput): Promise<IdentityLink>;
  /**
   * The canonical id a system id belongs to. With `includeHistory`, a replaced id (an old D-nummer,
   * a pre-1806 matrikkelnummer) also resolves.
   */
  resolveCanonical(
    entityType: string,
    system: string,
    systemId: string,
    options?: { includeHistory?: boolean },
  ): Promise<string | undefined>;
  /** The current links of a canonical entity, optionally in one system. */
  systemIds(entityType: string, canonicalId: string, system?: string): Promise<IdentityLink[]>;
  /** All links of a canonical entity including replaced ones, oldest first. */
  linkHistory(entityType: string, canonicalId: string): Promise<IdentityLink[]>;

  /** Record dependencies (idempotent). */
  addReferences(references: readonly Reference[]): Promise<void>;
  /** Remove the references of a target record; returns how many went. */
  removeReferences(filter: ReferenceFilter): Promise<number>;
  /**
   * `removeReferences` for several filters at once (filters that differ only in `targetKey` share one
   * statement per few hundred keys); returns how many went in all.
   */
  removeReferencesMany(filters: readonly ReferenceFilter[]): Promise<number>;
  /** The target records that depend on a master entity. */
  dependentsOf(masterSystem: string, masterKey: string): Promise<Reference[]>;
  /**
   * The target records that depend on any of several master entities of one system (one query per
   * few hundred keys): the same rows as `dependentsOf` for each key, ordered by master key, target
   * system, target key and relation.
   */
  dependentsOfMany(masterSystem: string, masterKeys: readonly string[]): Promise<Reference[]>;
  /** The master entities a target record depends on. */
  referencesOf(targetSystem: string, targetKey: string): Promise<Reference[]>;

  /** Base values of one record, by field. Empty when never synced. */
  getBase(system: string, recordKey: string): Promise<Record<string, unknown>>;
  /** Base values of many records: record key → field → value (records never synced are absent). */
  getBaseMany(system: string, recordKeys: readonly string[]): Promise<Map<string, Record<string, unknown>>>;
  /** Upsert base values. */
  setBase(values: readonly BaseValue[]): Promise<void>;
  /** Delete a record's base values (all, or the named fields); returns how many went. */
  deleteBase(system: string, recordKey: string, fields?: readonly string[]): Promise<number>;

  /** Enqueue operations; an idempotency key seen before returns the existing item (`created: false`). */
  enqueue(operations: readonly OutboxInput[]): Promise<EnqueueResult[]>;
  /**
   * Lease up to `limit` claimable items (pending, available, not leased or lease expired) to
   * `owner`, oldest first. Concurrent claimers never get the same item while its lease holds.
   */
  claim(options: ClaimOptions): Promise<OutboxItem[]>;
  /** Mark a leased item applied. `undefined` when `owner` no longer holds it (or it is not pending). */
  markApplied(id: number, owner: string, result?: unknown): Promise<OutboxItem | undefined>;
  /** Mark a leased item failed, or back to pending for a retry at `failure.retryAt`. */
  markFailed(id: number, owner: string, failure: OutboxFailure): Promise<OutboxItem | undefined>;
  /** Mark a leased item conflicted (the target changed under us; a conflict was opened). */
  markConflicted(id: number, owner: string, result?: unknown): Promise<OutboxItem | undefined>;
  /**
   * Hand pending items back without counting the attempt their claim counted: the target system
   * was down, the operations were not at fault. Releases `owner`'s leases on them; items leased by
   * another owner, or no longer pending, are left alone. Resolves to how many were handed back.
   */
  handBack(ids: readonly number[], owner: string): Promise<number>;
  getOutboxItem(id: number): Promise<OutboxItem | undefined>;
  /** Items by id ascending. */
  listOutbox(filter?: OutboxFilter): Promise<OutboxItem[]>;

  /** Open a conflict, or update the open one with the same key. */
  openConflict(input: ConflictInput): Promise<OpenConflictResult>;
  /** Conflicts by id ascending. */
  listConflicts(filter?: ConflictFilter): Promise<Conflict[]>;
  getConflict(id: number): Promise<Conflict | undefined>;
  /**
   * Resolve an open conflict and audit the decision in the same transaction. Resolving again with
   * the same resolution returns the conflict unchanged; a different one throws `ConflictError`
   * (`conflict_already_resolved`). An unknown id throws `ConflictError` (`conflict_unknown`).
   */
  resolveConflict(id: number, decision: ConflictDecision): Promise<Conflict>;

  /** Quarantine a bad input; the same record with the same error while open only counts up. */
  addQuarantine(input: QuarantineInput): Promise<QuarantineAddResult>;
  /** Entries by id ascending. */
  listQuarantine(filter?: QuarantineFilter): Promise<QuarantineRecord[]>;
  getQuarantine(id: number): Promise<QuarantineRecord | undefined>;
  /**
   * Release an entry (fixed upstream, or accepted); audited. An archive write the outbox gave up on
   * (`recordType` 'operation') goes back to the outbox as pending, so the next drain tries it again.
   * `undefined` for an unknown id.
   */
  releaseQuarantine(id: number, by: string, note?: string): Promise<QuarantineRecord | undefined>;

  startRun(input: { flow: string; mode: RunMode }): Promise<Run>;
  /** Finish a running run; `undefined` when unknown or already finished. */
  finishRun(id: number, finish: RunFinish): Promise<Run | undefined>;
  getRun(id: number): Promise<Run | undefined>;
  /** Most recent first. */
  listRuns(filter?: { flow?: string; limit?: number }): Promise<Run[]>;

  /** Append to the hash chain. Concurrent appends are serialised and never fork the chain. */
  appendAudit(input: AuditInput): Promise<AuditEntry>;
  /** Entries by seq ascending. */
  listAudit(filter?: { afterSeq?: number; limit?: number }): Promise<AuditEntry[]>;
  /** Recompute the chain from the first entry; reports the first entry that does not check out. */
  verifyAudit(): Promise<AuditVerification>;

  /**
   * Take the lock `name` for `ttlMs` when it is free, expired or already ours. True when we hold it.
   * Use it so two processes never run the same flow for the same municipality at once.
   */
  tryLock(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Extend a lock we still hold; false when it expired or another owner has it. */
  renewLock(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Release a lock we hold; false when we did not hold it. */
  unlock(name: string, owner: string): Promise<boolean>;
  /** The lock's current holder, when held and not expired. */
  getLock(name: string): Promise<LockState | undefined>;
}
