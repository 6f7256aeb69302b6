import { ConflictError, ConfigError, RegisterbroError, redactText } from '@registerbro/model';
import { type Kysely, type Selectable, sql } from 'kysely';
import { canonicalJson, sha256Hex } from './canonical-json.js';
import { runMigrations } from './migrations.js';
import type {
  AuditLogTable,
  ConflictsTable,
  EngineDatabase,
  IdentityLinksTable,
  OutboxTable,
  QuarantineTable,
  RefsTable,
  RunsTable,
} from './schema.js';
import type {
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
} from './types.js';

/** The hash an empty chain starts from. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/** Largest number of values bound in one `IN (…)` list or multi-row insert chunk. */
const CHUNK = 200;
const EXCERPT_MAX = 500;
const DEFAULT_LIMIT = 100;

/** @internal What both dialect factories hand to the shared implementation. */
export interface KyselyStoreContext {
  db: Kysely<EngineDatabase>;
  dialect: StoreDialect;
  clock: () => number;
  /** Runs before the migrator (PostgreSQL: create the schema). */
  beforeMigrate?: () => Promise<void>;
  /** The schema holding the migration tables (PostgreSQL), so another schema's tables never count. */
  migrationSchema?: string;
  close: () => Promise<void>;
}

/** @internal Build a {@link Store} over a configured Kysely instance. */
export function createKyselyStore(ctx: KyselyStoreContext): Store {
  let closed = false;
  return {
    dialect: ctx.dialect,
    async migrate(): Promise<MigrationReport> {
      await ctx.beforeMigrate?.();
      return runMigrations(ctx.db.withoutPlugins() as unknown as Kysely<unknown>, ctx.migrationSchema);
    },
    forTenant(tenant: string): TenantStore {
      if (!/^[0-9]{4}$/.test(tenant)) {
        throw new ConfigError(`Tenant "${tenant}" is not a four-digit kommunenummer`, {
          system: 'engine',
          key: 'tenant',
          hint: 'Pass the municipality number, e.g. "1806" for Narvik.',
        });
      }
      return new KyselyTenantStore(ctx, tenant, ctx.db, false);
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await ctx.close();
    },
  };
}

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function toJsonText(value: unknown): string {
  return canonicalJson(value === undefined ? null : value);
}

function fromJsonText(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}

function redactOptional(text: string | undefined | null): string | null {
  return text === undefined || text === null ? null : redactText(text);
}

function invalidInput(message: string, hint: string): RegisterbroError {
  return new RegisterbroError('invalid_input', message, { system: 'engine', hint });
}

/**
 * One open row per key (an open conflict, an open quarantine entry): bump the open row when there
 * is one, else insert it; an insert that loses a race to a concurrent transaction (`insert` gives
 * `undefined` under ON CONFLICT DO NOTHING) bumps the row the other one made.
 */
async function bumpOrInsertOpen<R>(
  bump: () => Promise<R | undefined>,
  insert: () => Promise<R | undefined>,
  what: string,
): Promise<R> {
  const bumped = await bump();
  if (bumped !== undefined) return bumped;
  const inserted = await insert();
  if (inserted !== undefined) return inserted;
  const raced = await bump();
  if (raced === undefined) throw internalError(`${what} vanished while it was being opened`);
  return raced;
}

function internalError(message: string): RegisterbroError {
  return new RegisterbroError('internal_error', `Engine store: ${message}`, {
    system: 'engine',
    retryable: true,
    hint: 'Retry; the transaction was rolled back. Report it if it happens again.',
  });
}

/** Normalise a caller's timestamp to the stored form, so text comparison orders it correctly. */
function toStoredTime(value: string, what: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    throw invalidInput(`${what} "${value}" is not a date-time`, 'Pass an ISO-8601 date-time.');
  return new Date(ms).toISOString();
}

function toLink(row: Selectable<IdentityLinksTable>): IdentityLink {
  return {
    id: row.id,
    entityType: row.entityType,
    canonicalId: row.canonicalId,
    system: row.system,
    systemId: row.systemId,
    validFrom: row.validFrom,
    validTo: row.validTo,
    replacedBy: row.replacedBy,
    reason: row.reason,
  };
}

function toReference(row: Selectable<RefsTable>): Reference {
  return {
    masterSystem: row.masterSystem,
    masterKey: row.masterKey,
    targetSystem: row.targetSystem,
    targetKey: row.targetKey,
    relation: row.relation,
    flow: row.flow,
  };
}

function toOutboxItem(row: Selectable<OutboxTable>): OutboxItem {
  return {
    id: row.id,
    idempotencyKey: row.idempotencyKey,
    flow: row.flow,
    system: row.system,
    type: row.opType,
    target: row.target,
    payload: fromJsonText(row.payload),
    runId: row.runId,
    status: row.status as OutboxStatus,
    attempts: row.attempts,
    leaseOwner: row.leaseOwner,
    leaseExpiresAt: row.leaseExpiresAt,
    availableAt: row.availableAt,
    result: fromJsonText(row.result),
    errorCode: row.errorCode,
    error: row.error,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function toConflict(row: Selectable<ConflictsTable>): Conflict {
  return {
    id: row.id,
    conflictKey: row.conflictKey,
    flow: row.flow,
    rule: row.rule,
    reason: row.reason,
    entityType: row.entityType,
    entityKey: row.entityKey,
    rawEntityKey: row.rawEntityKey,
    master: fromJsonText(row.master),
    target: fromJsonText(row.target),
    base: fromJsonText(row.base),
    status: row.status as ConflictStatus,
    resolution: row.resolution as ConflictResolution | null,
    resolvedBy: row.resolvedBy,
    resolutionNote: row.resolutionNote,
    linkTo: row.linkTo,
    occurrences: row.occurrences,
    runId: row.runId,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    resolvedAt: row.resolvedAt,
  };
}

function toQuarantine(row: Selectable<QuarantineTable>): QuarantineRecord {
  return {
    id: row.id,
    source: row.source,
    recordType: row.recordType,
    recordKey: row.recordKey,
    rawKey: row.rawKey,
    errorCode: row.errorCode,
    reason: row.reason,
    excerpt: row.excerpt,
    status: row.status as QuarantineStatus,
    occurrences: row.occurrences,
    runId: row.runId,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    releasedAt: row.releasedAt,
    releasedBy: row.releasedBy,
    releaseNote: row.releaseNote,
  };
}

function toRun(row: Selectable<RunsTable>): Run {
  return {
    id: row.id,
    flow: row.flow,
    mode: row.mode as RunMode,
    status: row.status as RunStatus,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    counts: fromJsonText(row.counts) as Record<string, number> | null,
    message: row.message,
  };
}

function toAuditEntry(row: Selectable<AuditLogTable>): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action,
    entity: row.entity,
    before: fromJsonText(row.before),
    after: fromJsonText(row.after),
    reason: row.reason,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

/**
 * The hash of one audit entry: sha256 over the canonical JSON of its stored fields, the tenant and
 * the previous entry's hash. `before`/`after` are hashed as the JSON they are stored as.
 */
export function auditEntryHash(
  tenant: string,
  entry: Pick<
    Selectable<AuditLogTable>,
    'seq' | 'at' | 'actor' | 'action' | 'entity' | 'before' | 'after' | 'reason' | 'prevHash'
  >,
): string {
  return sha256Hex(
    canonicalJson({
      tenant,
      seq: entry.seq,
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      entity: entry.entity,
      before: fromJsonText(entry.before),
      after: fromJsonText(entry.after),
      reason: entry.reason,
      prevHash: entry.prevHash,
    }),
  );
}

class KyselyTenantStore implements TenantStore {
  constructor(
    private readonly ctx: KyselyStoreContext,
    readonly tenant: string,
    private readonly db: Kysely<EngineDatabase>,
    private readonly inTransaction: boolean,
  ) {}

  private now(offsetMs = 0): string {
    return new Date(this.ctx.clock() + offsetMs).toISOString();
  }

  private tx<T>(fn: (t: KyselyTenantStore) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    return this.ctx.db
      .transaction()
      .execute((trx) => fn(new KyselyTenantStore(this.ctx, this.tenant, trx, true)));
  }

  /** Reserve `count` consecutive per-tenant ids of a table; returns the first. */
  private async nextIds(name: string, count: number): Promise<number> {
    const row = await this.db
      .insertInto('counters')
      .values({ tenant: this.tenant, name, value: count })
      .onConflict((oc) =>
        oc
          .columns(['tenant', 'name'])
          .doUpdateSet({ value: sql<number>`${sql.ref('counters.value')} + ${count}` }),
      )
      .returning('value')
      .executeTakeFirstOrThrow();
    return Number(row.value) - count + 1;
  }

  transaction<T>(fn: (tx: TenantStore) => Promise<T>): Promise<T> {
    return this.tx(fn);
  }

  // ------------------------------------------------------------------------------------------
  // cursors

  async getCursor(source: string, stream: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('cursors')
      .select('cursor')
      .where('tenant', '=', this.tenant)
      .where('source', '=', source)
      .where('stream', '=', stream)
      .executeTakeFirst();
    return row?.cursor;
  }

  async setCursor(source: string, stream: string, cursor: string): Promise<void> {
    const updatedAt = this.now();
    await this.db
      .insertInto('cursors')
      .values({ tenant: this.tenant, source, stream, cursor, updatedAt })
      .onConflict((oc) => oc.columns(['tenant', 'source', 'stream']).doUpdateSet({ cursor, updatedAt }))
      .execute();
  }

  async listCursors(): Promise<CursorState[]> {
    const rows = await this.db
      .selectFrom('cursors')
      .select(['source', 'stream', 'cursor', 'updatedAt'])
      .where('tenant', '=', this.tenant)
      .orderBy('source')
      .orderBy('stream')
      .execute();
    return rows;
  }

  /** Move the cursor, with compare-and-set when `expected` is given. Always the first write of a page commit. */
  private async moveCursor(page: PageCommit): Promise<void> {
    const { source, stream, cursor, expectedCursor } = page;
    if (expectedCursor === undefined) {
      await this.setCursor(source, stream, cursor);
      return;
    }
    const updatedAt = this.now();
    let moved: bigint;
    if (expectedCursor === null) {
      const result = await this.db
        .insertInto('cursors')
        .values({ tenant: this.tenant, source, stream, cursor, updatedAt })
        .onConflict((oc) => oc.columns(['tenant', 'source', 'stream']).doNothing())
        .executeTakeFirst();
      moved = result.numInsertedOrUpdatedRows ?? 0n;
    } else {
      const result = await this.db
        .updateTable('cursors')
        .set({ cursor, updatedAt })
        .where('tenant', '=', this.tenant)
        .where('source', '=', source)
        .where('stream', '=', stream)
        .where('cursor', '=', expectedCursor)
        .executeTakeFirst();
      moved = result.numUpdatedRows;
    }
    if (moved === 0n) {
      throw new ConflictError(
        `The cursor of ${source}/${stream} (tenant ${this.tenant}) moved since the page was read; nothing was stored`,
        {
          code: 'cursor_moved',
          system: 'engine',
          retryable: true,
          hint: 'Another worker handled this page. Re-read the cursor and continue from there.',
        },
      );
    }
  }

  async commitPage(page: PageCommit): Promise<PageCommitResult> {
    return this.tx(async (t) => {
      await t.moveCursor(page);
      const quarantine: QuarantineAddResult[] = [];
      for (const entry of page.quarantine ?? []) quarantine.push(await t.addQuarantine(entry));
      const conflicts: OpenConflictResult[] = [];
      for (const conflict of page.conflicts ?? []) conflicts.push(await t.openConflict(conflict));
      const operations = await t.enqueue(page.operations ?? []);
      if (page.baseValues !== undefined) await t.setBase(page.baseValues);
      await t.removeReferencesMany(page.references?.remove ?? []);
      if (page.references?.add !== undefined) await t.addReferences(page.references.add);
      const audit = await t.appendAuditMany(page.audit ?? []);
      return { operations, conflicts, quarantine, audit };
    });
  }

  // ------------------------------------------------------------------------------------------
  // identity

  private async currentLink(
    entityType: string,
    system: string,
    systemId: string,
  ): Promise<Selectable<IdentityLinksTable> | undefined> {
    return this.db
      .selectFrom('identityLinks')
      .selectAll()
      .where('tenant', '=', this.tenant)
      .where('entityType', '=', entityType)
      .where('system', '=', system)
      .where('currentKey', '=', systemId)
      .executeTakeFirst();
  }

  private identityConflict(input: { entityType: string; system: string; systemId: string }): ConflictError {
    return new ConflictError(
      `${input.system} id ${input.systemId} is already linked to another ${input.entityType}`,
      {
        code: 'identity_conflict',
        system: 'engine',
        hint: 'Resolve the duplicate as a conflict (link or ignore) instead of relinking silently.',
      },
    );
  }

  async link(input: LinkInput): Promise<IdentityLink> {
    return this.tx(async (t) => {
      const existing = await t.currentLink(input.entityType, input.system, input.systemId);
      if (existing !== undefined) {
        if (existing.canonicalId === input.canonicalId) return toLink(existing);
        throw t.identityConflict(input);
      }
      const id = await t.nextIds('identity_links', 1);
      const inserted = await t.db
        .insertInto('identityLinks')
        .values({
          tenant: t.tenant,
          id,
          entityType: input.entityType,
          canonicalId: input.canonicalId,
          system: input.system,
          systemId: input.systemId,
          currentKey: input.systemId,
          validFrom: t.now(),
          validTo: null,
          replacedBy: null,
          reason: redactOptional(input.reason),
        })
        .onConflict((oc) => oc.columns(['tenant', 'entityType', 'system', 'currentKey']).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted !== undefined) return toLink(inserted);
      // A concurrent transaction linked it first.
      const raced = await t.currentLink(input.entityType, input.system, input.systemId);
      if (raced !== undefined && raced.canonicalId === input.canonicalId) return toLink(raced);
      throw t.identityConflict(input);
    });
  }

  async rekey(input: RekeyInput): Promise<IdentityLink> {
    return this.tx(async (t) => {
      const current = await t.currentLink(input.entityType, input.system, input.from);
      if (current === undefined) {
        const done = await t.db
          .selectFrom('identityLinks')
          .select('canonicalId')
          .where('tenant', '=', t.tenant)
          .where('entityType', '=', input.entityType)
          .where('system', '=', input.system)
          .where('systemId', '=', input.from)
          .where('replacedBy', '=', input.to)
          .executeTakeFirst();
        const target = await t.currentLink(input.entityType, input.system, input.to);
        if (done !== undefined && target !== undefined && target.canonicalId === done.canonicalId) {
          return toLink(target);
        }
        throw new ConflictError(`${input.system} id ${input.from} is not linked to any ${input.entityType}`, {
          code: 'identity_unknown',
          system: 'engine',
          hint: 'Link the old id before re-keying it, or link the new id directly.',
        });
      }
      const target = await t.currentLink(input.entityType, input.system, input.to);
      if (target !== undefined && target.canonicalId !== current.canonicalId) {
        throw t.identityConflict({ ...input, systemId: input.to });
      }
      const at = t.now();
      const reason = redactOptional(input.reason);
      await t.db
        .updateTable('identityLinks')
        .set({ currentKey: null, validTo: at, replacedBy: input.to, reason: reason ?? current.reason })
        .where('tenant', '=', t.tenant)
        .where('id', '=', current.id)
        .execute();
      if (target !== undefined) return toLink(target);
      const id = await t.nextIds('identity_links', 1);
      const row = await t.db
        .insertInto('identityLinks')
        .values({
          tenant: t.tenant,
          id,
          entityType: input.entityType,
          canonicalId: current.canonicalId,
          system: input.system,
          systemId: input.to,
          currentKey: input.to,
          validFrom: at,
          validTo: null,
          replacedBy: null,
          reason,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toLink(row);
    });
  }

  async resolveCanonical(
    entityType: string,
    system: string,
    systemId: string,
    options: { includeHistory?: boolean } = {},
  ): Promise<string | undefined> {
    const current = await this.currentLink(entityType, system, systemId);
    if (current !== undefined) return current.canonicalId;
    if (options.includeHistory !== true) return undefined;
    const old = await this.db
      .selectFrom('identityLinks')
      .select('canonicalId')
      .where('tenant', '=', this.tenant)
      .where('entityType', '=', entityType)
      .where('system', '=', system)
      .where('systemId', '=', systemId)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return old?.canonicalId;
  }

  async systemIds(entityType: string, canonicalId: string, system?: string): Promise<IdentityLink[]> {
    let query = this.db
      .selectFrom('identityLinks')
      .selectAll()
      .where('tenant', '=', this.tenant)
      .where('entityType', '=', entityType)
      .where('canonicalId', '=', canonicalId)
      .where('currentKey', 'is not', null);
    if (system !== undefined) query = query.where('system', '=', system);
    const rows = await query.orderBy('id').execute();
    return rows.map(toLink);
  }

  async linkHistory(entityType: string, canonicalId: string): Promise<IdentityLink[]> {
    const rows = await this.db
      .selectFrom('identityLinks')
      .selectAll()
      .where('tenant', '=', this.tenant)
      .where('entityType', '=', entityType)
      .where('canonicalId', '=', canonicalId)
      .orderBy('id')
      .execute();
    return rows.map(toLink);
  }

  // ------------------------------------------------------------------------------------------
  // references

  async addReferences(references: readonly Reference[]): Promise<void> {
    if (references.length === 0) return;
    const createdAt = this.now();
    const unique = new Map<string, Reference>();
    for (const r of references) {
      unique.set(
        canonicalJson([r.masterSystem, r.masterKey, r.targetSystem, r.targetKey, r.relation ?? '']),
        r,
      );
    }
    for (const part of chunks([...unique.values()], 50)) {
      await this.db
        .insertInto('refs')
        .values(
          part.map((r) => ({
            tenant: this.tenant,
            masterSystem: r.masterSystem,
            masterKey: r.masterKey,
            targetSystem: r.targetSystem,
            targetKey: r.targetKey,
            relation: r.relation ?? '',
            flow: r.flow ?? null,
            createdAt,
          })),
        )
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }

  async removeReferencesMany(filters: readonly ReferenceFilter[]): Promise<number> {
    // Filters alike but for the target key: one DELETE … target_key IN (…) per chunk.
    const groups = new Map<string, { filter: ReferenceFilter; keys: string[] }>();
    for (const f of filters) {
      const shape = JSON.stringify([
        f.targetSystem,
        f.masterSystem ?? null,
        f.masterKey ?? null,
        f.relation ?? null,
      ]);
      const group = groups.get(shape);
      if (group) group.keys.push(f.targetKey);
      else groups.set(shape, { filter: f, keys: [f.targetKey] });
    }
    let removed = 0;
    for (const { filter, keys } of groups.values()) {
      for (const part of chunks([...new Set(keys)])) {
        let query = this.db
          .deleteFrom('refs')
          .where('tenant', '=', this.tenant)
          .where('targetSystem', '=', filter.targetSystem)
          .where('targetKey', 'in', part);
        if (filter.masterSystem !== undefined) query = query.where('masterSystem', '=', filter.masterSystem);
        if (filter.masterKey !== undefined) query = query.where('masterKey', '=', filter.masterKey);
        if (filter.relation !== undefined) query = query.where('relation', '=', filter.relation);
        const result = await query.executeTakeFirst();
        removed += Number(result.numDeletedRows);
      }
    }
    return removed;
  }

  async removeReferences(filter: ReferenceFilter): Promise<number> {
    let query = this.db
      .deleteFrom('refs')
      .where('tenant', '=', this.tenant)
      .where('targetSystem', '=', filter.targetSystem)
      .where('targetKey', '=', filter.targetKey);
    if (filter.masterSystem !== undefined) query = query.where('masterSystem', '=', filter.masterSystem);
    if (filter.masterKey !== undefined) query = query.where('masterKey', '=', filter.masterKey);
    if (filter.relation !== undefined) query = query.where('relation', '=', filter.relation);
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async dependentsOf(masterSystem: string, masterKey: string): Promise<Reference[]> {
    const rows = await this.db
      .selectFrom('refs')
      .selectAll()
      .where('tenant', '=', this.tenant)
      .where('masterSystem', '=', masterSystem)
      .where('masterKey', '=', masterKey)
      .orderBy('targetSystem')
      .orderBy('targetKey')
      .orderBy('relation')
      .execute();
    return rows.map(toReference);
  }

  async dependentsOfMany(masterSystem: string, masterKeys: readonly string[]): Promise<Reference[]> {
    const out: Reference[] = [];
    for (const part of chunks([...new Set(masterKeys)].sort())) {
      const rows = await this.db
        .selectFrom('refs')
        .selectAll()
        .where('tenant', '=', this.tenant)
        .where('masterSystem', '=', masterSystem)
        .where('masterKey', 'in', part)
        .execute();
      for (const row of rows) out.push(toReference(row));
    }
    // Ordered here, not in SQL: the same order on both dialects whatever their collation.
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    return out.sort(
      (a, b) =>
        cmp(a.masterKey, b.masterKey) ||
        cmp(a.targetSystem, b.targetSystem) ||
        cmp(a.targetKey, b.targetKey) ||
        cmp(a.relation ?? '', b.relation ?? ''),
    );
  }

  async referencesOf(targetSystem: string, targetKey: string): Promise<Reference[]> {
    const rows = await this.db
      .selectFrom('refs')
      .selectAll()
      .where('tenant', '=', this.tenant)
      .where('targetSystem', '=', targetSystem)
      .where('targetKey', '=', targetKey)
      .orderBy('masterSystem')
      .orderBy('masterKey')
      .orderBy('relation')
      .execute();
    return rows.map(toReference);
  }

  // ------------------------------------------------------------------------------------------
  // base values

  async getBase(system: string, recordKey: string): Promise<Record<string, unknown>> {
    const rows = await this.db
      .selectFrom('baseValues')
      .select(['field', 'value'])
      .where('tenant', '=', this.tenant)
      .where('system', '=', system)
      .where('recordKey', '=', recordKey)
      .execute();
    const out: Record<string, unknown> = {};
    for (const row of rows) out[row.field] = fromJsonText(row.value);
    return out;
  }

  async getBaseMany(
    system: string,
    recordKeys: readonly string[],
  ): Promise<Map<string, Record<string, unknown>>> {
    const out = new Map<string, Record<string, unknown>>();
    for (const part of chunks([...new Set(recordKeys)])) {
      const rows = await this.db
        .selectFrom('baseValues')
        .select(['recordKey', 'field', 'value'])
        .where('tenant', '=', this.tenant)
        .where('system', '=', system)
        .where('recordKey', 'in', part)
        .execute();
      for (const row of rows) {
        let fields = out.get(row.recordKey);
        if (fields === undefined) {
          fields = {};
          out.set(row.recordKey, fields);
        }
        fields[row.field] = fromJsonText(row.value);
      }
    }
    return out;
  }

  async setBase(values: readonly BaseValue[]): Promise<void> {
    if (values.length === 0) return;
    const syncedAt = this.now();
    // One statement must not upsert the same row twice (PostgreSQL refuses): the last value wins.
    const unique = new Map<string, BaseValue>();
    for (const v of values) unique.set(canonicalJson([v.system, v.recordKey, v.field]), v);
    for (const part of chunks([...unique.values()], 100)) {
      await this.db
        .insertInto('baseValues')
        .values(
          part.map((v) => ({
            tenant: this.tenant,
            system: v.system,
            recordKey: v.recordKey,
            field: v.field,
            value: toJsonText(v.value),
            syncedAt,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['tenant', 'system', 'recordKey', 'field']).doUpdateSet((eb) => ({
            value: eb.ref('excluded.value'),
            syncedAt: eb.ref('excluded.syncedAt'),
          })),
        )
        .execute();
    }
  }

  async deleteBase(system: string, recordKey: string, fields?: readonly string[]): Promise<number> {
    if (fields !== undefined && fields.length === 0) return 0;
    let query = this.db
      .deleteFrom('baseValues')
      .where('tenant', '=', this.tenant)
      .where('system', '=', system)
      .where('recordKey', '=', recordKey);
    if (fields !== undefined) query = query.where('field', 'in', [...fields]);
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  // ------------------------------------------------------------------------------------------
  // outbox

  private async outboxByKeys(keys: readonly string[]): Promise<Map<string, Selectable<OutboxTable>>> {
    const out = new Map<string, Selectable<OutboxTable>>();
    for (const part of chunks(keys)) {
      const rows = await this.db
        .selectFrom('outbox')
        .selectAll()
        .where('tenant', '=', this.tenant)
        .where('idempotencyKey', 'in', part)
        .execute();
      for (const row of rows) out.set(row.idempotencyKey, row);
    }
    return out;
  }

  async enqueue(operations: readonly OutboxInput[]): Promise<EnqueueResult[]> {
    if (operations.length === 0) return [];
    return this.tx(async (t) => {
      const keys = [...new Set(operations.map((op) => op.idempotencyKey))];
      const existing = await t.outboxByKeys(keys);
      const fresh = new Map<string, OutboxInput>();
      for (const op of operations) {
        if (!existing.has(op.idempotencyKey) && !fresh.has(op.idempotencyKey))
          fresh.set(op.idempotencyKey, op);
      }
      const created = new Set<string>();
      if (fresh.size > 0) {
        let id = await t.nextIds('outbox', fresh.size);
        const now = t.now();
        for (const part of chunks([...fresh.values()], 50)) {
          const rows = await t.db
            .insertInto('outbox')
            .values(
              part.map((op) => ({
                tenant: t.tenant,
                id: id++,
                idempotencyKey: op.idempotencyKey,
                flow: op.flow,
                system: op.system,
                opType: op.type,
                target: op.target,
                payload: JSON.stringify(op.payload ?? null),
                runId: op.runId ?? null,
                status: 'pending',
                attempts: 0,
                leaseOwner: null,
                leaseExpiresAt: null,
                availableAt: now,
                result: null,
                errorCode: null,
                error: null,
                createdAt: now,
                updatedAt: now,
              })),
            )
            .onConflict((oc) => oc.columns(['tenant', 'idempotencyKey']).doNothing())
            .returningAll()
            .execute();
          for (const row of rows) {
            existing.set(row.idempotencyKey, row);
            created.add(row.idempotencyKey);
          }
        }
        // Keys a concurrent enqueue inserted between our read and our insert.
        const missing = keys.filter((k) => !existing.has(k));
        if (missing.length > 0) for (const [k, row] of await t.outboxByKeys(missing)) existing.set(k, row);
      }
      const reported = new Set<string>();
      return operations.map((op) => {
        const row = existing.get(op.idempotencyKey);
        if (row === undefined) throw internalError('an enqueued outbox row vanished');
        const isNew = created.has(op.idempotencyKey) && !reported.has(op.idempotencyKey);
        reported.add(op.idempotencyKey);
        return { item: toOutboxItem(row), created: isNew };
      });
    });
  }

  async claim(options: ClaimOptions): Promise<OutboxItem[]> {
    const limit = options.limit ?? DEFAULT_LIMIT;
    const leaseMs = options.leaseMs ?? 60_000;
    if (!(limit > 0) || !(leaseMs > 0)) {
      throw invalidInput('claim needs a positive limit and leaseMs', 'Pass limit ≥ 1 and leaseMs > 0.');
    }
    const now = this.now();
    const rows = await this.tx(async (t) => {
      let candidates = t.db
        .selectFrom('outbox')
        .select('id')
        .where('tenant', '=', t.tenant)
        .where('status', '=', 'pending')
        .where('availableAt', '<=', now)
        .where((eb) => eb.or([eb('leaseExpiresAt', 'is', null), eb('leaseExpiresAt', '<=', now)]))
        .orderBy('id')
        .limit(limit);
      if (options.flow !== undefined) candidates = candidates.where('flow', '=', options.flow);
      if (options.system !== undefined) candidates = candidates.where('system', '=', options.system);
      // PostgreSQL: concurrent claimers skip each other's rows instead of waiting for them. The ids
      // are picked first and updated second: an `UPDATE … WHERE id IN (SELECT … LIMIT n FOR UPDATE)`
      // may re-run the sub-select after its own updates and lease more than n rows.
      // SQLite has one writer at a time (transactions begin IMMEDIATE), so the pick is exclusive anyway.
      if (t.ctx.dialect === 'postgres') candidates = candidates.forUpdate().skipLocked();
      const ids = (await candidates.execute()).map((r) => r.id);
      if (ids.length === 0) return [];
      return t.db
        .updateTable('outbox')
        .set((eb) => ({
          leaseOwner: options.owner,
          leaseExpiresAt: t.now(leaseMs),
          attempts: eb('attempts', '+', 1),
          updatedAt: now,
        }))
        .where('tenant', '=', t.tenant)
        .where('id', 'in', ids)
        .returningAll()
        .execute();
    });
    return rows.sort((a, b) => a.id - b.id).map(toOutboxItem);
  }

  private async finishLeased(
    id: number,
    owner: string,
    set: Partial<Selectable<OutboxTable>>,
  ): Promise<OutboxItem | undefined> {
    const row = await this.db
      .updateTable('outbox')
      .set({ ...set, leaseOwner: null, leaseExpiresAt: null, updatedAt: this.now() })
      .where('tenant', '=', this.tenant)
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('leaseOwner', '=', owner)
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? undefined : toOutboxItem(row);
  }

  async markApplied(id: number, owner: string, result?: unknown): Promise<OutboxItem | undefined> {
    return this.finishLeased(id, owner, {
      status: 'applied',
      result: toJsonText(result),
      errorCode: null,
      error: null,
    });
  }

  async markFailed(id: number, owner: string, failure: OutboxFailure): Promise<OutboxItem | undefined> {
    const common = { errorCode: failure.code, error: redactText(failure.message) };
    if (failure.retryAt !== undefined) {
      const availableAt = toStoredTime(failure.retryAt, 'retryAt');
      return this.finishLeased(id, owner, { ...common, status: 'pending', availableAt });
    }
    return this.finishLeased(id, owner, { ...common, status: 'failed' });
  }

  async markConflicted(id: number, owner: string, result?: unknown): Promise<OutboxItem | undefined> {
    return this.finishLeased(id, owner, { status: 'conflicted', result: toJsonText(result) });
  }

  async handBack(ids: readonly number[], owner: string): Promise<number> {
    if (ids.length === 0) return 0;
    let handed = 0;
    for (const part of chunks([...new Set(ids)], 500)) {
      const rows = await this.db
        .updateTable('outbox')
        .set((eb) => ({
          attempts: eb
            .case()
            .when('attempts', '>', 0)
            .then(eb('attempts', '-', 1))
            .else(0)
            .end(),
          leaseOwner: null,
          leaseExpiresAt: null,
          updatedAt: this.now(),
        }))
        .where('tenant', '=', this.tenant)
        .where('id', 'in', part)
        .where('status', '=', 'pending')
        .where((eb) => eb.or([eb('leaseOwner', 'is', null), eb('leaseOwner', '=', owner)]))
        .returning('id')
        .execute();
      handed += rows.length;
    }
    return handed;
  }

  async getOutboxItem(id: number): Promise<OutboxItem | undefined> {
    const row = await this.db
      .selectFrom('outbox')
      .selectAll()
      .where('tenant', '=', this.tenant)
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toOutboxItem(row);
  }

  async listOutbox(filter: OutboxFilter = {}): Promise<OutboxItem[]> {
    let query = this.db.selectFrom('outbox').selectAll().where('tenant', '=', this.tenant);
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    if (filter.flow !== undefined) query = query.where('flow', '=', filter.flow);
    if (filter.afterId !== undefined) query = query.where('id', '>', filter.afterId);
    const rows = await query
      .orderBy('id')
      .limit(filter.limit ?? DEFAULT_LIMIT)
      .execute();
    return rows.map(toOutboxItem);
  }

  // ------------------------------------------------------------------------------------------
  // conflicts

  async openConflict(input: ConflictInput): Promise<OpenConflictResult> {
    return this.tx(async (t) => {
      const now = t.now();
      const sides = {
        rule: input.rule,
        reason: redactText(input.reason),
        master: toJsonText(input.master),
        target: toJsonText(input.target),
        base: input.base === undefined ? null : toJsonText(input.base),
        lastSeenAt: now,
      };
      const update = async (): Promise<OpenConflictResult | undefined> => {
        const row = await t.db
          .updateTable('conflicts')
          .set((eb) => ({ ...sides, occurrences: eb('occurrences', '+', 1) }))
          .where('tenant', '=', t.tenant)
          .where('openKey', '=', input.conflictKey)
          .returningAll()
          .executeTakeFirst();
        return row === undefined ? undefined : { conflict: toConflict(row), created: false };
      };
      const insert = async (): Promise<OpenConflictResult | undefined> => {
        const id = await t.nextIds('conflicts', 1);
        const row = await t.db
          .insertInto('conflicts')
          .values({
            tenant: t.tenant,
            id,
            conflictKey: input.conflictKey,
            openKey: input.conflictKey,
            flow: input.flow,
            entityType: input.entityType,
            entityKey: redactText(input.entityKey),
            rawEntityKey: input.rawEntityKey ?? null,
            status: 'open',
            resolution: null,
            resolvedBy: null,
            resolutionNote: null,
            linkTo: null,
            occurrences: 1,
            runId: input.runId ?? null,
            createdAt: now,
            resolvedAt: null,
            ...sides,
          })
          .onConflict((oc) => oc.columns(['tenant', 'openKey']).doNothing())
          .returningAll()
          .executeTakeFirst();
        return row === undefined ? undefined : { conflict: toConflict(row), created: true };
      };
      return bumpOrInsertOpen(update, insert, 'an open conflict');
    });
  }

  async listConflicts(filter: ConflictFilter = {}): Promise<Conflict[]> {
    let query = this.db.selectFrom('conflicts').selectAll().where('tenant', '=', this.tenant);
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    if (filter.flow !== undefined) query = query.where('flow', '=', filter.flow);
    if (filter.rule !== undefined) query = query.where('rule', '=', filter.rule);
    if (filter.afterId !== undefined) query = query.where('id', '>', filter.afterId);
    const rows = await query
      .orderBy('id')
      .limit(filter.limit ?? DEFAULT_LIMIT)
      .execute();
    return rows.map(toConflict);
  }

  async getConflict(id: number): Promise<Conflict | undefined> {
    const row = await this.db
      .selectFrom('conflicts')
      .selectAll()
      .where('tenant', '=', this.tenant)
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toConflict(row);
  }

  async resolveConflict(id: number, decision: ConflictDecision): Promise<Conflict> {
    if (decision.resolution === 'link' && (decision.linkTo === undefined || decision.linkTo === '')) {
      throw invalidInput(`Conflict ${id}: resolution "link" needs linkTo`, 'Name the entity to link to.');
    }
    return this.tx(async (t) => {
      const current = await t.getConflict(id);
      if (current === undefined) {
        throw new ConflictError(`Conflict ${id} does not exist in tenant ${t.tenant}`, {
          code: 'conflict_unknown',
          system: 'engine',
          hint: 'List open conflicts to find the right id.',
        });
      }
      if (current.status === 'resolved') {
        if (current.resolution === decision.resolution) return current;
        throw new ConflictError(
          `Conflict ${id} was already resolved as ${current.resolution} by ${current.resolvedBy ?? 'unknown'}`,
          {
            code: 'conflict_already_resolved',
            system: 'engine',
            hint: 'Reload the conflict; a new conflict is opened if the problem comes back.',
          },
        );
      }
      const note = redactOptional(decision.note);
      const row = await t.db
        .updateTable('conflicts')
        .set({
          status: 'resolved',
          openKey: null,
          resolution: decision.resolution,
          resolvedBy: decision.by,
          resolutionNote: note,
          linkTo: decision.linkTo ?? null,
          resolvedAt: t.now(),
        })
        .where('tenant', '=', t.tenant)
        .where('id', '=', id)
        .where('status', '=', 'open')
        .returningAll()
        .executeTakeFirstOrThrow();
      await t.appendAudit({
        actor: decision.by,
        action: 'conflict.resolve',
        entity: `conflict:${id}`,
        before: { status: 'open', conflictKey: current.conflictKey, rule: current.rule },
        after: { status: 'resolved', resolution: decision.resolution, linkTo: decision.linkTo ?? null },
        ...(note === null ? {} : { reason: note }),
      });
      return toConflict(row);
    });
  }

  // ------------------------------------------------------------------------------------------
  // quarantine

  async addQuarantine(input: QuarantineInput): Promise<QuarantineAddResult> {
    return this.tx(async (t) => {
      const now = t.now();
      const reason = redactText(input.reason);
      const excerpt = input.excerpt === undefined ? null : redactText(input.excerpt.slice(0, EXCERPT_MAX));
      const identity = input.rawKey ?? input.key ?? null;
      // The same record failing the same way is one entry; without a key the reason tells them apart.
      const fingerprint = sha256Hex(
        canonicalJson([
          input.source,
          input.recordType,
          identity,
          input.errorCode,
          identity === null ? reason : null,
        ]),
      );
      const update = async (): Promise<QuarantineAddResult | undefined> => {
        const row = await t.db
          .updateTable('quarantine')
          .set((eb) => ({
            reason,
            excerpt,
            lastSeenAt: now,
            runId: input.runId ?? null,
            occurrences: eb('occurrences', '+', 1),
          }))
          .where('tenant', '=', t.tenant)
          .where('openKey', '=', fingerprint)
          .returningAll()
          .executeTakeFirst();
        return row === undefined ? undefined : { entry: toQuarantine(row), created: false };
      };
      const insert = async (): Promise<QuarantineAddResult | undefined> => {
        const id = await t.nextIds('quarantine', 1);
        const row = await t.db
          .insertInto('quarantine')
          .values({
            tenant: t.tenant,
            id,
            source: input.source,
            recordType: input.recordType,
            recordKey: redactOptional(input.key),
            rawKey: input.rawKey ?? null,
            errorCode: input.errorCode,
            reason,
            excerpt,
            fingerprint,
            openKey: fingerprint,
            status: 'open',
            occurrences: 1,
            runId: input.runId ?? null,
            createdAt: now,
            lastSeenAt: now,
            releasedAt: null,
            releasedBy: null,
            releaseNote: null,
          })
          .onConflict((oc) => oc.columns(['tenant', 'openKey']).doNothing())
          .returningAll()
          .executeTakeFirst();
        return row === undefined ? undefined : { entry: toQuarantine(row), created: true };
      };
      return bumpOrInsertOpen(update, insert, 'an open quarantine entry');
    });
  }

  async listQuarantine(filter: QuarantineFilter = {}): Promise<QuarantineRecord[]> {
    let query = this.db.selectFrom('quarantine').selectAll().where('tenant', '=', this.tenant);
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    if (filter.source !== undefined) query = query.where('source', '=', filter.source);
    if (filter.afterId !== undefined) query = query.where('id', '>', filter.afterId);
    const rows = await query
      .orderBy('id')
      .limit(filter.limit ?? DEFAULT_LIMIT)
      .execute();
    return rows.map(toQuarantine);
  }

  async getQuarantine(id: number): Promise<QuarantineRecord | undefined> {
    const row = await this.db
      .selectFrom('quarantine')
      .selectAll()
      .where('tenant', '=', this.tenant)
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toQuarantine(row);
  }

  async releaseQuarantine(id: number, by: string, note?: string): Promise<QuarantineRecord | undefined> {
    return this.tx(async (t) => {
      const releaseNote = redactOptional(note);
      const row = await t.db
        .updateTable('quarantine')
        .set({ status: 'released', openKey: null, releasedAt: t.now(), releasedBy: by, releaseNote })
        .where('tenant', '=', t.tenant)
        .where('id', '=', id)
        .where('status', '=', 'open')
        .returningAll()
        .executeTakeFirst();
      if (row === undefined) return t.getQuarantine(id);
      // A write the outbox gave up on (recordType 'operation', keyed by its target) goes back to
      // the outbox: released means "try again", and the next drain applies it.
      let requeued = 0;
      if (row.recordType === 'operation' && row.recordKey !== null) {
        const items = await t.db
          .updateTable('outbox')
          .set({
            status: 'pending',
            attempts: 0,
            availableAt: t.now(),
            leaseOwner: null,
            leaseExpiresAt: null,
            updatedAt: t.now(),
          })
          .where('tenant', '=', t.tenant)
          .where('system', '=', row.source)
          .where('target', '=', row.recordKey)
          .where('status', '=', 'failed')
          .returning('id')
          .execute();
        requeued = items.length;
      }
      await t.appendAudit({
        actor: by,
        action: 'quarantine.release',
        entity: `quarantine:${id}`,
        before: { status: 'open', source: row.source, recordType: row.recordType, errorCode: row.errorCode },
        after: { status: 'released', ...(requeued > 0 ? { requeued } : {}) },
        ...(releaseNote === null ? {} : { reason: releaseNote }),
      });
      return toQuarantine(row);
    });
  }

  // ------------------------------------------------------------------------------------------
  // runs

  async startRun(input: { flow: string; mode: RunMode }): Promise<Run> {
    return this.tx(async (t) => {
      const id = await t.nextIds('runs', 1);
      const row = await t.db
        .insertInto('runs')
        .values({
          tenant: t.tenant,
          id,
          flow: input.flow,
          mode: input.mode,
          status: 'running',
          startedAt: t.now(),
          finishedAt: null,
          counts: null,
          message: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRun(row);
    });
  }

  async finishRun(id: number, finish: RunFinish): Promise<Run | undefined> {
    const row = await this.db
      .updateTable('runs')
      .set({
        status: finish.status,
        finishedAt: this.now(),
        counts: finish.counts === undefined ? null : toJsonText(finish.counts),
        message: redactOptional(finish.message),
      })
      .where('tenant', '=', this.tenant)
      .where('id', '=', id)
      .where('status', '=', 'running')
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? undefined : toRun(row);
  }

  async getRun(id: number): Promise<Run | undefined> {
    const row = await this.db
      .selectFrom('runs')
      .selectAll()
      .where('tenant', '=', this.tenant)
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toRun(row);
  }

  async listRuns(filter: { flow?: string; limit?: number } = {}): Promise<Run[]> {
    let query = this.db.selectFrom('runs').selectAll().where('tenant', '=', this.tenant);
    if (filter.flow !== undefined) query = query.where('flow', '=', filter.flow);
    const rows = await query
      .orderBy('id', 'desc')
      .limit(filter.limit ?? 50)
      .execute();
    return rows.map(toRun);
  }

  // ------------------------------------------------------------------------------------------
  // audit

  async appendAudit(input: AuditInput): Promise<AuditEntry> {
    const [entry] = await this.appendAuditMany([input]);
    return entry!;
  }

  /**
   * Append entries under the chain-head lock. The head row is written first, so SQLite takes its
   * write lock before reading the head (no stale read between processes); PostgreSQL additionally
   * locks the head row with `FOR UPDATE`, so concurrent appenders queue behind each other.
   */
  private async appendAuditMany(inputs: readonly AuditInput[]): Promise<AuditEntry[]> {
    if (inputs.length === 0) return [];
    return this.tx(async (t) => {
      await t.db
        .insertInto('auditHeads')
        .values({ tenant: t.tenant, seq: 0, hash: AUDIT_GENESIS_HASH })
        .onConflict((oc) => oc.column('tenant').doNothing())
        .execute();
      let headQuery = t.db.selectFrom('auditHeads').select(['seq', 'hash']).where('tenant', '=', t.tenant);
      if (t.ctx.dialect === 'postgres') headQuery = headQuery.forUpdate();
      const head = await headQuery.executeTakeFirstOrThrow();
      let seq = head.seq;
      let prevHash = head.hash;
      const rows: Selectable<AuditLogTable>[] = [];
      for (const input of inputs) {
        seq += 1;
        const fields = {
          seq,
          at: t.now(),
          actor: input.actor,
          action: input.action,
          entity: redactText(input.entity),
          before: toJsonText(input.before),
          after: toJsonText(input.after),
          reason: redactOptional(input.reason),
          prevHash,
        };
        const hash = auditEntryHash(t.tenant, fields);
        rows.push({ tenant: t.tenant, ...fields, hash });
        prevHash = hash;
      }
      for (const part of chunks(rows, 50)) await t.db.insertInto('auditLog').values(part).execute();
      await t.db
        .updateTable('auditHeads')
        .set({ seq, hash: prevHash })
        .where('tenant', '=', t.tenant)
        .execute();
      return rows.map(toAuditEntry);
    });
  }

  async listAudit(filter: { afterSeq?: number; limit?: number } = {}): Promise<AuditEntry[]> {
    const rows = await this.db
      .selectFrom('auditLog')
      .selectAll()
      .where('tenant', '=', this.tenant)
      .where('seq', '>', filter.afterSeq ?? 0)
      .orderBy('seq')
      .limit(filter.limit ?? DEFAULT_LIMIT)
      .execute();
    return rows.map(toAuditEntry);
  }

  async verifyAudit(): Promise<AuditVerification> {
    // Entries up to the head seq are committed and final; later appends are not our concern.
    const head = await this.db
      .selectFrom('auditHeads')
      .select(['seq', 'hash'])
      .where('tenant', '=', this.tenant)
      .executeTakeFirst();
    const headSeq = head?.seq ?? 0;
    let expected = 1;
    let prevHash = AUDIT_GENESIS_HASH;
    let entries = 0;
    for (;;) {
      const page = await this.db
        .selectFrom('auditLog')
        .selectAll()
        .where('tenant', '=', this.tenant)
        .where('seq', '>=', expected)
        .where('seq', '<=', headSeq)
        .orderBy('seq')
        .limit(1000)
        .execute();
      if (page.length === 0) break;
      for (const row of page) {
        if (row.seq !== expected) return { ok: false, brokenSeq: expected, problem: 'sequence_gap', entries };
        if (row.prevHash !== prevHash) {
          return { ok: false, brokenSeq: row.seq, problem: 'prev_hash_mismatch', entries };
        }
        if (auditEntryHash(this.tenant, row) !== row.hash) {
          return { ok: false, brokenSeq: row.seq, problem: 'hash_mismatch', entries };
        }
        prevHash = row.hash;
        expected += 1;
        entries += 1;
      }
    }
    if (entries !== headSeq) return { ok: false, brokenSeq: expected, problem: 'sequence_gap', entries };
    if (head !== undefined && head.hash !== prevHash) {
      return { ok: false, brokenSeq: headSeq, problem: 'head_mismatch', entries };
    }
    return { ok: true, entries, headHash: prevHash };
  }

  // ------------------------------------------------------------------------------------------
  // locks

  async tryLock(name: string, owner: string, ttlMs: number): Promise<boolean> {
    if (!(ttlMs > 0))
      throw invalidInput(`Lock ${name}: ttlMs must be positive`, 'Pass the lease length in ms.');
    const now = this.now();
    const expiresAt = this.now(ttlMs);
    // One statement: insert when free, take over when expired or already ours, else nothing.
    const row = await this.db
      .insertInto('locks')
      .values({ tenant: this.tenant, name, owner, acquiredAt: now, expiresAt })
      .onConflict((oc) =>
        oc
          .columns(['tenant', 'name'])
          .doUpdateSet((eb) => ({
            owner: eb.ref('excluded.owner'),
            acquiredAt: eb.ref('excluded.acquiredAt'),
            expiresAt: eb.ref('excluded.expiresAt'),
          }))
          .where((eb) => eb.or([eb('locks.expiresAt', '<=', now), eb('locks.owner', '=', owner)])),
      )
      .returning('owner')
      .executeTakeFirst();
    return row !== undefined;
  }

  async renewLock(name: string, owner: string, ttlMs: number): Promise<boolean> {
    if (!(ttlMs > 0))
      throw invalidInput(`Lock ${name}: ttlMs must be positive`, 'Pass the lease length in ms.');
    const result = await this.db
      .updateTable('locks')
      .set({ expiresAt: this.now(ttlMs) })
      .where('tenant', '=', this.tenant)
      .where('name', '=', name)
      .where('owner', '=', owner)
      .where('expiresAt', '>', this.now())
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async unlock(name: string, owner: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('locks')
      .where('tenant', '=', this.tenant)
      .where('name', '=', name)
      .where('owner', '=', owner)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async getLock(name: string): Promise<LockState | undefined> {
    const row = await this.db
      .selectFrom('locks')
      .select(['name', 'owner', 'acquiredAt', 'expiresAt'])
      .where('tenant', '=', this.tenant)
      .where('name', '=', name)
      .where('expiresAt', '>', this.now())
      .executeTakeFirst();
    return row;
  }
}
