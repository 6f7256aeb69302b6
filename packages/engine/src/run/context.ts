import {
  AbortedError,
  type Adapter,
  type Case,
  type QuarantineEntry,
  type SystemName,
  isRegisterbroError,
} from '@registerbro/model';
import type { Masters } from '../plan/masters.js';
import type { ArchiveOperation } from '../plan/operations.js';
import type { Plan, PlannedConflict } from '../plan/types.js';
import { canonicalJson, sha256Hex } from '../store/canonical-json.js';
import { toQuarantineInput } from '../store/quarantine-input.js';
import type {
  BaseValue,
  ConflictInput,
  OutboxInput,
  OutboxItem,
  QuarantineInput,
  Reference,
  ReferenceFilter,
  TenantStore,
} from '../store/types.js';
import { SourceFailedError } from './errors.js';
import type { EngineLogger, EngineOptions, ProgressEvent, RunnableFlow } from './types.js';

/**
 * What every part of a run shares: the store, the adapters, the clock, the counts, and the one
 * way plans reach the store ({@link commitPlan}).
 */
export interface RunContext {
  readonly store: TenantStore;
  readonly options: EngineOptions;
  readonly archive: Adapter<Case, ArchiveOperation>;
  readonly masters: Masters | undefined;
  readonly logger: EngineLogger;
  readonly owner: string;
  readonly flow: RunnableFlow;
  readonly dryRun: boolean;
  readonly signal: AbortSignal | undefined;
  runId: number | null;
  readonly counts: Record<string, number>;
  /** Dry run: the plans that would have been committed. */
  readonly plans: Plan[];
  pages: number;
  now(): number;
  nowIso(): string;
  count(key: string, n?: number): void;
  progress(phase: ProgressEvent['phase']): void;
  /** Run an adapter call; any failure becomes a {@link SourceFailedError} naming the register. */
  source<T>(system: SystemName, what: string, fn: () => Promise<T>): Promise<T>;
  checkAborted(): void;
}

export function createRunContext(
  base: {
    store: TenantStore;
    options: EngineOptions;
    logger: EngineLogger;
    owner: string;
    clock: () => number;
  },
  flow: RunnableFlow,
  dryRun: boolean,
  signal: AbortSignal | undefined,
): RunContext {
  const counts: Record<string, number> = {};
  const ctx: RunContext = {
    store: base.store,
    options: base.options,
    archive: base.options.archive,
    masters: base.options.masters,
    logger: base.logger,
    owner: base.owner,
    flow,
    dryRun,
    signal,
    runId: null,
    counts,
    plans: [],
    pages: 0,
    now: base.clock,
    nowIso: () => new Date(base.clock()).toISOString(),
    count(key, n = 1) {
      counts[key] = (counts[key] ?? 0) + n;
    },
    progress(phase) {
      try {
        base.options.onProgress?.({
          flow,
          ...(ctx.runId === null ? {} : { runId: ctx.runId }),
          phase,
          pages: ctx.pages,
          counts: { ...counts },
        });
      } catch {
        // A broken progress callback must not stop a sync.
      }
    },
    async source(system, what, fn) {
      try {
        return await fn();
      } catch (error) {
        if (isRegisterbroError(error) && error.code === 'aborted') throw error;
        if (signal?.aborted) throw error;
        throw new SourceFailedError(system, what, error);
      }
    },
    checkAborted() {
      if (signal?.aborted) {
        const reason: unknown = signal.reason;
        if (isRegisterbroError(reason)) throw reason;
        throw new AbortedError(`Flow ${flow} was aborted`, { system: 'engine', cause: reason });
      }
    },
  };
  return ctx;
}

/** The store's conflict input for a planned conflict. The field travels in the entity key (`target@field`). */
export function toConflictInput(c: PlannedConflict, runId: number | null): ConflictInput {
  return {
    conflictKey: c.conflictKey,
    flow: c.flow,
    rule: c.kind,
    reason: c.reason,
    entityType: c.entityType,
    entityKey: c.field ? `${c.target}@${c.field}` : c.target,
    ...(c.rawKeys?.[0] === undefined ? {} : { rawEntityKey: c.rawKeys[0] }),
    master: c.master,
    target: c.local,
    base: c.base,
    runId,
  };
}

/** Split a conflict entity key made by {@link toConflictInput} back into target and field. */
export function parseConflictEntityKey(entityKey: string): { target: string; field?: string } {
  const at = entityKey.lastIndexOf('@');
  if (at < 0) return { target: entityKey };
  return { target: entityKey.slice(0, at), field: entityKey.slice(at + 1) };
}

/**
 * The outbox item for an operation. `protectedPerson` rides along in the payload (the archive never
 * sees it: the operation schema strips it) so the applier audits `<beskyttet>` instead of values.
 */
export function toOutboxInput(
  op: ArchiveOperation,
  runId: number | null,
  protectedPerson: boolean,
): OutboxInput {
  return {
    idempotencyKey: op.idempotencyKey,
    flow: op.flow,
    system: op.system,
    type: op.type,
    target: op.target,
    payload: protectedPerson ? { ...op, protectedPerson: true } : op,
    runId,
  };
}

/** Quarantine entries of an adapter page for the store. */
export function quarantineInputs(
  source: string,
  entries: readonly QuarantineEntry[],
  runId: number | null,
): QuarantineInput[] {
  return entries.map((e) => toQuarantineInput(source, e, runId ?? undefined));
}

/** One page's work to commit. */
export interface PageWork {
  source: string;
  stream: string;
  cursor: string;
  /** Compare-and-set on the stored cursor (`null`: none stored yet). */
  expectedCursor?: string | null;
  plan: Plan;
  quarantine?: QuarantineInput[];
  references?: { add?: Reference[]; remove?: ReferenceFilter[] };
  /** More base values to store with the page (e.g. F6's snapshot of Matrikkelen's addresses). */
  baseValues?: BaseValue[];
  /** True when the operation concerns a person with protected address. */
  protectedOp?: (op: ArchiveOperation) => boolean;
}

/**
 * Commit a page: its operations, conflicts, base updates, quarantine entries and references with
 * the new cursor in one transaction; then the identity links the planner learned. A dry run only
 * keeps the plan. An operation whose key was applied before but is planned again (the target was
 * changed back since) is enqueued once more under a key derived from the applied item, so it is not
 * silently swallowed by the outbox's "never twice" rule — and a re-run derives the same key.
 */
export async function commitPlan(ctx: RunContext, work: PageWork): Promise<void> {
  const plan = await dropSuppressed(ctx, work.plan);
  ctx.count('operationsPlanned', plan.operations.length);
  ctx.count('conflicts', plan.conflicts.length);
  ctx.count('quarantined', work.quarantine?.length ?? 0);
  if (ctx.dryRun) {
    ctx.plans.push(plan);
    return;
  }
  const protectedOp = work.protectedOp ?? (() => false);
  const result = await ctx.store.commitPage({
    source: work.source,
    stream: work.stream,
    cursor: work.cursor,
    ...(work.expectedCursor === undefined ? {} : { expectedCursor: work.expectedCursor }),
    operations: plan.operations.map((op) => toOutboxInput(op, ctx.runId, protectedOp(op))),
    conflicts: plan.conflicts.map((c) => toConflictInput(c, ctx.runId)),
    quarantine: work.quarantine ?? [],
    baseValues: [...plan.baseUpdates, ...(work.baseValues ?? [])],
    ...(work.references ? { references: work.references } : {}),
  });
  for (const [i, r] of result.operations.entries()) {
    const op = plan.operations[i];
    if (r.created) ctx.count('operationsEnqueued');
    else if (op && r.item.status === 'applied') await rearm(ctx, op, r.item, protectedOp(op));
  }
  for (const link of plan.links) {
    try {
      await ctx.store.link({
        entityType: 'person',
        canonicalId: link.canonicalId,
        system: 'noark',
        systemId: link.target,
        reason: link.reason,
      });
      await ctx.store.appendAudit({
        actor: `flow:${link.flow}`,
        action: 'identity.link',
        entity: link.target,
        before: null,
        after: { person: '***********', how: link.how },
        reason: link.reason,
      });
      const caseId = caseIdOfTarget(link.target);
      if (caseId !== undefined) {
        await ctx.store.addReferences([
          {
            masterSystem: 'folkeregister',
            masterKey: link.canonicalId,
            targetSystem: 'noark',
            targetKey: caseId,
            relation: 'party',
            flow: 'F1',
          },
        ]);
      }
    } catch (error) {
      ctx.logger.warn('could not store an identity link the planner learned', {
        target: link.target,
        code: isRegisterbroError(error) ? error.code : 'unexpected',
      });
    }
  }
  ctx.pages++;
  ctx.progress('commit');
}

/**
 * Enqueue an operation again whose key was applied before. The planner plans a write only when the
 * target differs from the master while the base says the target was ours (or on a first sync), so
 * a planned, already-applied key means the value flipped back (A → B → A). The new key is derived
 * from the applied item's id; when that one was applied too (a second flip), from its id, and so
 * on — deterministic, so a re-run after a crash finds the same key.
 */
async function rearm(
  ctx: RunContext,
  op: ArchiveOperation,
  applied: OutboxItem,
  protectedPerson: boolean,
): Promise<void> {
  let item = applied;
  for (let hop = 0; hop < 32; hop++) {
    const key = sha256Hex(canonicalJson({ again: item.id, key: op.idempotencyKey }));
    const [r] = await ctx.store.enqueue([
      toOutboxInput({ ...op, idempotencyKey: key }, ctx.runId, protectedPerson),
    ]);
    if (r === undefined) return;
    if (r.created) {
      ctx.count('operationsEnqueued');
      return;
    }
    if (r.item.status !== 'applied') return;
    item = r.item;
  }
}

/** Where an admin's keep_local / ignore decision is remembered: base values of this system. */
export const SUPPRESSION_SYSTEM = 'engine';
const SUPPRESSION_FIELD = 'suppressed';

/** The suppression of a resolved conflict: the same sides found again are not reopened. */
export function suppressionOf(conflictKey: string, master: unknown, local: unknown): BaseValue {
  return {
    system: SUPPRESSION_SYSTEM,
    recordKey: conflictKey,
    field: SUPPRESSION_FIELD,
    value: { master, local },
  };
}

/**
 * Drop planned conflicts an admin already decided (keep_local / ignore) while both sides are still
 * what they were then; a changed master or local value brings the conflict back.
 */
export async function dropSuppressed(ctx: RunContext, plan: Plan): Promise<Plan> {
  if (plan.conflicts.length === 0) return plan;
  const stored = await ctx.store.getBaseMany(
    SUPPRESSION_SYSTEM,
    plan.conflicts.map((c) => c.conflictKey),
  );
  if (stored.size === 0) return plan;
  const conflicts = plan.conflicts.filter((c) => {
    const s = stored.get(c.conflictKey)?.[SUPPRESSION_FIELD];
    return s === undefined || canonicalJson(s) !== canonicalJson({ master: c.master, local: c.local });
  });
  ctx.count('conflictsSuppressed', plan.conflicts.length - conflicts.length);
  return { ...plan, conflicts, stats: { ...plan.stats, conflicts: conflicts.length } };
}

/** The case (saksmappe) systemID of a target key `saksmappe/{id}/…`. */
export function caseIdOfTarget(target: string): string | undefined {
  const m = /^saksmappe\/([^/]+)/.exec(target);
  return m?.[1];
}

/** Split a list into batches. */
export function* batches<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
