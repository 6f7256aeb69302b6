import {
  type Adapter,
  type ApplyResult,
  type Case,
  maskFodselsnummer,
  toRegisterbroError,
} from '@registerbro/model';
import { type ArchiveOperation, ArchiveOperationSchema } from '../plan/operations.js';
import { PROTECTED_PLACEHOLDER } from '../plan/types.js';
import { canonicalJson, sha256Hex } from '../store/canonical-json.js';
import type { AuditInput, BaseValue, OutboxItem, TenantStore } from '../store/types.js';
import type { DrainReport, EngineLogger } from './types.js';

/** What the applier needs. */
export interface DrainDeps {
  store: TenantStore;
  archive: Adapter<Case, ArchiveOperation>;
  owner: string;
  clock: () => number;
  logger: EngineLogger;
  leaseMs: number;
  retry: { baseMs: number; maxMs: number; maxAttempts: number };
  signal?: AbortSignal;
  onBatch?: (report: DrainReport) => void;
}

const CLAIM_LIMIT = 50;

/**
 * Apply the outbox: claim pending items with a lease, `archive.apply(op, { idempotencyKey })`, and
 * record the outcome. Applied (or already applied) → the item is marked applied, the base values the
 * operation establishes are stored and an audit entry is appended, in one transaction. A
 * `ConflictError` (ETag mismatch after re-read, a frozen journalpost) → the item is conflicted and a
 * conflict opened. A retryable error → back to pending with exponential backoff, terminal after
 * `maxAttempts`. Anything else → failed for good and quarantined with the reason.
 *
 * A crash anywhere leaves items pending (or leased until the lease expires), so a later drain
 * resumes them; the adapter's idempotency (key + compare-and-set) makes a repeated apply a no-op.
 */
export async function drainOutbox(deps: DrainDeps): Promise<DrainReport> {
  const report: DrainReport = { applied: 0, alreadyApplied: 0, conflicted: 0, failed: 0, retried: 0 };
  const seen = new Set<number>();
  for (;;) {
    if (deps.signal?.aborted) deps.signal.throwIfAborted();
    const items = await deps.store.claim({
      owner: deps.owner,
      limit: CLAIM_LIMIT,
      leaseMs: deps.leaseMs,
      system: deps.archive.system,
    });
    // An item handed back within this drain (a retry due at once) waits for the next drain.
    const fresh = items.filter((i) => !seen.has(i.id));
    if (fresh.length === 0) break;
    for (const item of fresh) {
      seen.add(item.id);
      await applyOne(deps, item, report);
    }
    deps.onBatch?.({ ...report });
  }
  return report;
}

async function applyOne(deps: DrainDeps, item: OutboxItem, report: DrainReport): Promise<void> {
  const { store, owner } = deps;
  const parsed = ArchiveOperationSchema.safeParse(item.payload);
  if (!parsed.success) {
    await store.transaction(async (tx) => {
      const marked = await tx.markFailed(item.id, owner, {
        code: 'invalid_operation',
        message: `Outbox item #${item.id} does not hold a valid archive operation`,
      });
      if (marked === undefined) return;
      await tx.addQuarantine({
        source: 'engine',
        recordType: 'outbox_item',
        key: `#${item.id}`,
        errorCode: 'invalid_operation',
        reason: `Outbox item #${item.id} (${item.type}) is not a valid archive operation; it was not applied. Inspect and re-plan.`,
      });
    });
    report.failed++;
    return;
  }
  const op = parsed.data;
  const protectedPerson = (item.payload as { protectedPerson?: unknown }).protectedPerson === true;
  let result: ApplyResult;
  try {
    result = await deps.archive.apply(op, {
      idempotencyKey: item.idempotencyKey,
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
  } catch (thrown) {
    const error = toRegisterbroError(thrown, deps.archive.system);
    if (error.code === 'aborted') throw thrown;
    if (error.name === 'ConflictError' || isConflictCode(error.code)) {
      await store.transaction(async (tx) => {
        const marked = await tx.markConflicted(item.id, owner, { code: error.code, message: error.message });
        if (marked === undefined) return;
        // A one-field update gets the planner's conflict identity (flow, target, field), so the
        // next plan of the same question updates this conflict instead of opening a second one,
        // and take_master / keep_local work on it like on any field conflict.
        const fields =
          op.type === 'party.update'
            ? Object.keys(op.set).filter((k) => op.set[k as keyof typeof op.set] !== undefined)
            : [];
        const field = fields.length === 1 ? fields[0] : undefined;
        const sides = protectedPerson
          ? { master: PROTECTED_PLACEHOLDER, target: PROTECTED_PLACEHOLDER }
          : field !== undefined && op.type === 'party.update'
            ? {
                master: (op.set as Record<string, unknown>)[field] ?? null,
                target: (op.expected as Record<string, unknown>)[field] ?? null,
              }
            : { master: wantedSide(op), target: expectedSide(op) };
        await tx.openConflict({
          conflictKey: sha256Hex(
            canonicalJson({ flow: op.flow, target: op.target, field: field ?? `apply:${op.type}` }),
          ),
          flow: op.flow,
          rule: error.code === 'frozen' ? 'frozen' : 'apply_conflict',
          reason: `${op.reason} — kunne ikke skrives: ${error.message}. Arkivet er endret siden planen ble laget; velg master- eller lokal verdi.`,
          entityType: op.type.startsWith('class.') ? 'class' : op.type === 'party.add' ? 'case' : 'party',
          entityKey: field === undefined ? op.target : `${op.target}@${field}`,
          ...sides,
          base: null,
          runId: item.runId,
        });
      });
      report.conflicted++;
      deps.logger.warn('archive refused an operation: conflict opened', { item: item.id, code: error.code });
      return;
    }
    const maxAttempts = deps.retry.maxAttempts;
    if (error.retryable && item.attempts < maxAttempts) {
      const wait = Math.min(deps.retry.maxMs, deps.retry.baseMs * 2 ** Math.max(0, item.attempts - 1));
      const hinted = (error as { retryAfterMs?: unknown }).retryAfterMs;
      const delay = typeof hinted === 'number' && hinted > wait ? hinted : wait;
      await store.markFailed(item.id, owner, {
        code: error.code,
        message: error.message,
        retryAt: new Date(deps.clock() + delay).toISOString(),
      });
      report.retried++;
      deps.logger.warn('archive apply failed; will retry', {
        item: item.id,
        code: error.code,
        delayMs: delay,
      });
      return;
    }
    await store.transaction(async (tx) => {
      const marked = await tx.markFailed(item.id, owner, { code: error.code, message: error.message });
      if (marked === undefined) return;
      await tx.addQuarantine({
        source: deps.archive.system,
        recordType: 'operation',
        key: op.target,
        errorCode: error.code,
        reason: `${op.type} on ${op.target} failed${error.retryable ? ` after ${item.attempts} attempts` : ''}: ${error.message}${error.hint ? ` — ${error.hint}` : ''}`,
        runId: item.runId,
      });
    });
    report.failed++;
    deps.logger.error('archive apply failed for good: quarantined', { item: item.id, code: error.code });
    return;
  }
  const applied = result.status === 'applied';
  await store.transaction(async (tx) => {
    const marked = await tx.markApplied(item.id, owner, result);
    // Our lease ran out and someone else holds the item: they record it.
    if (marked === undefined) return;
    const bases = baseValuesAfter(op);
    if (bases.length > 0) await tx.setBase(bases);
    await tx.appendAudit(auditOf(op, applied ? 'outbox.applied' : 'outbox.already_applied', protectedPerson));
  });
  if (applied) report.applied++;
  else report.alreadyApplied++;
}

function isConflictCode(code: string): boolean {
  return (
    code === 'conflict' ||
    code === 'frozen' ||
    code === 'etag_mismatch' ||
    code === 'precondition_failed' ||
    code === 'local_edit' ||
    code === 'kept_class_missing'
  );
}

/** The base values an applied operation establishes (the B of the next three-way compare). */
export function baseValuesAfter(op: ArchiveOperation): BaseValue[] {
  switch (op.type) {
    case 'party.update':
      return Object.entries(op.set)
        .filter(([, v]) => v !== undefined)
        .map(([field, value]) => ({ system: 'noark', recordKey: op.target, field, value }));
    case 'party.remove_address':
      return [{ system: 'noark', recordKey: op.target, field: 'address', value: null }];
    case 'party.add':
      return op.baseField
        ? [{ system: 'noark', recordKey: op.target, field: op.baseField, value: true }]
        : [];
    default:
      return [];
  }
}

function wantedSide(op: ArchiveOperation): unknown {
  switch (op.type) {
    case 'party.update':
      return op.set;
    case 'party.remove_address':
      return { address: null };
    case 'party.rekey_identifier':
      return { identifier: maskFodselsnummer(op.to) };
    case 'party.add':
      return { party: { ...op.party, identifier: op.party.identifier && maskId(op.party.identifier) } };
    case 'class.rekey':
      return { classId: op.to };
    case 'class.remove':
      return { classId: null };
    case 'case.create_followup':
      return { followupType: op.followupType, title: op.title };
  }
}

function expectedSide(op: ArchiveOperation): unknown {
  switch (op.type) {
    case 'party.update':
      return op.expected;
    case 'party.rekey_identifier':
      return { identifier: maskFodselsnummer(op.from) };
    case 'class.rekey':
      return { classId: op.from };
    case 'class.remove':
      return { classId: op.classId };
    default:
      return null;
  }
}

function maskId(identifier: string): string {
  return identifier.length === 11 ? maskFodselsnummer(identifier) : identifier;
}

/**
 * The audit entry of an applied operation: actor = the flow, before/after = the values it replaced
 * and wrote — `<beskyttet>` for a person with protected address, masked identifiers always.
 */
export function auditOf(op: ArchiveOperation, action: string, protectedPerson: boolean): AuditInput {
  const base = { actor: `flow:${op.flow}`, action, entity: op.target, reason: op.reason };
  if (protectedPerson || op.type === 'party.remove_address') {
    return { ...base, before: PROTECTED_PLACEHOLDER, after: PROTECTED_PLACEHOLDER };
  }
  switch (op.type) {
    case 'party.update': {
      const before: Record<string, unknown> = {};
      for (const k of Object.keys(op.set)) before[k] = (op.expected as Record<string, unknown>)[k] ?? null;
      return { ...base, before, after: op.set };
    }
    case 'party.add':
      return { ...base, before: null, after: wantedSide(op) };
    default:
      return { ...base, before: expectedSide(op), after: wantedSide(op) };
  }
}
