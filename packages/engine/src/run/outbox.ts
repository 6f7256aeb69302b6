import {
  type Adapter,
  type ApplyResult,
  type Case,
  RegisterbroError,
  maskFodselsnummer,
  toRegisterbroError,
} from '@registerbro/model';
import { type ArchiveOperation, ArchiveOperationSchema } from '../plan/operations.js';
import { PROTECTED_PLACEHOLDER } from '../plan/types.js';
import { canonicalJson, sha256Hex } from '../store/canonical-json.js';
import type { AuditInput, BaseValue, OutboxItem, TenantStore } from '../store/types.js';
import { SourceFailedError, registerName } from './errors.js';
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
  /**
   * Items applied at the same time, at most one per case (see {@link orderingKey}).
   * @default 1
   */
  concurrency?: number;
}

const CLAIM_LIMIT = 50;

/**
 * What must be applied in order: every operation on one case (the saksmappe, its parties and its
 * classes) or on one journalpost shares a key, so two writes to one record never race and keep the
 * order they were planned in (outbox id).
 */
export function orderingKey(item: Pick<OutboxItem, 'target'>): string {
  const m = /^(saksmappe|journalpost)\/([^/]+)/.exec(item.target);
  return m ? `${m[1]}/${m[2]}` : item.target;
}

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
 *
 * The drain waits (up to 10 s) for retries it scheduled, so a passing fault does not leave work
 * for the next run. When the archive is down — its circuit breaker open, or three attempts on three
 * operations (or on all it has) failing retryably in a row with nothing answered in between — it stops with a
 * {@link SourceFailedError} naming the archive (the run ends `degraded`) and hands those
 * operations back without counting the attempt: an outage never exhausts `maxAttempts`.
 */
export async function drainOutbox(deps: DrainDeps): Promise<DrainReport> {
  const report: DrainReport = { applied: 0, alreadyApplied: 0, conflicted: 0, failed: 0, retried: 0 };
  const seen = new Set<number>();
  // Items this drain handed back for a retry (id → when due): the drain waits for the ones due
  // within SETTLE_MS, so a passing fault (a reset, a 503, a 429) does not leave work for the next run.
  const waiting = new Map<number, number>();
  const settleUntil = deps.clock() + SETTLE_MS;
  // Failed attempts one after the other with nothing answered in between, and their items: when
  // they span several items (or every item this drain has), the archive is down.
  const streak = { attempts: 0, ids: new Set<number>() };
  for (;;) {
    if (deps.signal?.aborted) deps.signal.throwIfAborted();
    const items = await deps.store.claim({
      owner: deps.owner,
      limit: CLAIM_LIMIT,
      leaseMs: deps.leaseMs,
      system: deps.archive.system,
    });
    const settling = deps.clock() <= settleUntil;
    // Past the settle time, an item handed back within this drain (a retry due at once) waits for
    // the next drain; its claim is handed back without counting an attempt.
    const fresh = settling ? items : items.filter((i) => !seen.has(i.id));
    if (fresh.length === 0) {
      await deps.store.handBack(
        items.map((i) => i.id),
        deps.owner,
      );
      const due = [...waiting.values()].filter((t) => t <= settleUntil);
      if (!settling || due.length === 0) break;
      await pause(Math.max(0, Math.min(...due) - deps.clock()), deps.signal);
      continue;
    }
    // Items not started yet (handed back when the archive turns out to be down).
    const untried = new Set(fresh.map((x) => x.id));
    // Applied in this batch, recorded together when the batch has settled.
    const done: Done[] = [];
    const one = async (item: OutboxItem): Promise<void> => {
      untried.delete(item.id);
      seen.add(item.id);
      const mine: DrainReport = { applied: 0, alreadyApplied: 0, conflicted: 0, failed: 0, retried: 0 };
      try {
        await applyOne(deps, item, mine, done);
      } finally {
        for (const k of Object.keys(mine) as (keyof DrainReport)[]) report[k] += mine[k];
      }
      if (mine.retried === 0) {
        waiting.delete(item.id);
        streak.attempts = 0;
        streak.ids.clear();
        return;
      }
      const stored = await deps.store.getOutboxItem(item.id);
      if (stored?.status === 'pending') waiting.set(item.id, Date.parse(stored.availableAt));
      streak.attempts++;
      streak.ids.add(item.id);
      const down = streak.attempts >= OUTAGE_STREAK && streak.ids.size >= Math.min(OUTAGE_STREAK, seen.size);
      if (stored?.errorCode === 'circuit_open' || down) throw new ArchiveDown(stored);
    };
    const stopped = await inLanes(fresh, deps.concurrency ?? 1, one);
    // What the archive took in this batch is recorded in one transaction (one commit, one sync to
    // disk), also when the batch stopped early.
    await recordDone(deps.store, deps.owner, done.splice(0));
    if (stopped instanceof ArchiveDown)
      await archiveDown(deps, [...streak.ids, ...untried], stopped.last, report);
    if (stopped !== undefined) throw stopped;
    deps.onBatch?.({ ...report });
  }
  return report;
}

/** Raised inside a batch when the archive is down; the drain then stops (see {@link archiveDown}). */
class ArchiveDown {
  constructor(readonly last: OutboxItem | undefined) {}
}

/**
 * Run `fn` over a claimed batch: one case's items (see {@link orderingKey}) one after the other in id
 * order, different cases `concurrency` at a time (1: every item in id order). After the first error
 * nothing new starts; the ones in flight settle, and the error is answered (undefined: none).
 */
async function inLanes(
  items: readonly OutboxItem[],
  concurrency: number,
  fn: (item: OutboxItem) => Promise<void>,
): Promise<unknown> {
  const sorted = [...items].sort((a, b) => a.id - b.id);
  const width = Math.max(1, Math.floor(concurrency));
  const lanes: OutboxItem[][] = [];
  if (width === 1) for (const item of sorted) lanes.push([item]);
  else {
    const byKey = new Map<string, OutboxItem[]>();
    for (const item of sorted) {
      const key = orderingKey(item);
      const lane = byKey.get(key);
      if (lane) lane.push(item);
      else {
        const fresh = [item];
        byKey.set(key, fresh);
        lanes.push(fresh);
      }
    }
  }
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    for (let lane = lanes.shift(); lane !== undefined; lane = lanes.shift()) {
      for (const item of lane) {
        if (failure !== undefined) return;
        try {
          await fn(item);
        } catch (error) {
          failure ??= { error };
          return;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, lanes.length) }, worker));
  return failure?.error;
}

/** How long a drain waits, at most, for operations it handed back for a retry. */
const SETTLE_MS = 10_000;
/**
 * Failed attempts in a row (retryably, nothing answered in between) that mean the archive is down,
 * when they span this many items — or every item the drain has, when it has fewer. One item
 * failing again and again while others are applied is that item's problem: it is retried until
 * `maxAttempts`, then quarantined.
 */
const OUTAGE_STREAK = 3;

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The archive is down (its circuit breaker is open, or operations fail one after the other): stop
 * the drain. The operations that failed in the streak and the claimed ones not tried get their
 * attempt back — an outage is not the operations' fault, so a long one never quarantines them —
 * and stay pending for the next run, which the run's `degraded` message says.
 */
async function archiveDown(
  deps: DrainDeps,
  ids: readonly number[],
  last: OutboxItem | undefined,
  report: DrainReport,
): Promise<never> {
  await deps.store.handBack(ids, deps.owner);
  const waitingItems = (await deps.store.listOutbox({ status: 'pending', limit: 100_000 })).filter(
    (i) => i.system === deps.archive.system,
  ).length;
  deps.logger.warn('archive down: the outbox drain stopped', {
    code: last?.errorCode ?? 'unknown',
    waiting: waitingItems,
    applied: report.applied,
  });
  const cause = new RegisterbroError(last?.errorCode ?? 'unavailable', last?.error ?? 'no answer', {
    system: deps.archive.system,
    retryable: true,
  });
  throw new SourceFailedError(
    deps.archive.system,
    `applying the outbox (${report.applied + report.alreadyApplied} applied, ${waitingItems} waiting)`,
    cause,
    `Nothing is lost: the ${waitingItems} operation(s) not applied stay in the outbox (an outage counts no attempt against them) and the next run applies them. Check ${registerName(deps.archive.system)}'s status, credentials and network, then run the sync again.`,
  );
}

async function applyOne(
  deps: DrainDeps,
  item: OutboxItem,
  report: DrainReport,
  later?: Done[],
): Promise<void> {
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
  const done: Done = { item, op, result, applied, protectedPerson };
  if (later) later.push(done);
  else await recordDone(store, owner, [done]);
  if (applied) report.applied++;
  else report.alreadyApplied++;
}

/** An operation the archive took (or already had), to record. */
interface Done {
  item: OutboxItem;
  op: ArchiveOperation;
  result: ApplyResult;
  applied: boolean;
  protectedPerson: boolean;
}

/**
 * Record applied operations in one transaction: each item marked applied, the base values it
 * establishes and its audit entry. A crash before this commit leaves the items leased: once the
 * lease expires the next drain applies them again and the archive answers `already_applied`.
 */
async function recordDone(store: TenantStore, owner: string, done: readonly Done[]): Promise<void> {
  if (done.length === 0) return;
  await store.transaction(async (tx) => {
    for (const { item, op, result, applied, protectedPerson } of done) {
      const marked = await tx.markApplied(item.id, owner, result);
      // Our lease ran out and someone else holds the item: they record it.
      if (marked === undefined) continue;
      const bases = baseValuesAfter(op);
      if (bases.length > 0) await tx.setBase(bases);
      await tx.appendAudit(
        auditOf(op, applied ? 'outbox.applied' : 'outbox.already_applied', protectedPerson),
      );
    }
  });
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
