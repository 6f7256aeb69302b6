import type {
  Adapter,
  ArchiveRecord,
  CallOptions,
  Case,
  Person,
  Property,
  QuarantineEntry,
} from '@registerbro/model';
import type { createEngine } from './engine.js';
import type { FirstSyncPolicy } from '../plan/compare.js';
import type { Masters } from '../plan/masters.js';
import type { ArchiveOperation } from '../plan/operations.js';
import type { Plan, PlanSummary } from '../plan/index.js';
import type { ConflictResolution, RunStatus, TenantStore } from '../store/types.js';

/** The flows the runner can run. */
export type RunnableFlow = 'F1' | 'F2' | 'F6';

/** A minimal logger (pino, console and the CLI's logger all fit). Messages never hold an unmasked fnr. */
export interface EngineLogger {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

/** Settings of one flow. */
export interface FlowSettings {
  /** @default true */
  enabled?: boolean;
  /** First-sync policy (no base yet). @default 'adopt_master_when_certain' */
  policy?: FirstSyncPolicy;
}

/** Where a run is, for progress bars and logs. */
export interface ProgressEvent {
  flow: RunnableFlow | 'outbox';
  runId?: number;
  phase: 'scan' | 'changes' | 'commit' | 'drain' | 'done';
  /** Pages handled so far. */
  pages: number;
  /** Counts so far (same keys as the run's counts). */
  counts: Readonly<Record<string, number>>;
}

/** Options of {@link createEngine}. */
export interface EngineOptions {
  /** The municipality's state. */
  store: TenantStore;
  /** The master registers. A flow whose source is missing cannot run (ConfigError). */
  sources: { folkeregister?: Adapter<Person>; matrikkel?: Adapter<Property> };
  /** The archive: read (scan/get) and written (apply). */
  archive: Adapter<Case, ArchiveOperation>;
  /**
   * Reads a case's journalposts (e.g. the Noark adapter's `getRecords`), so F1 also keeps the
   * korrespondanseparter current; finalised journalposts are never edited. @default none (F1 covers
   * saksparter only)
   */
  records?: (
    caseKey: string,
    options?: CallOptions,
  ) => Promise<{ records: ArchiveRecord[]; quarantined: QuarantineEntry[] } | null>;
  /** Per-flow switches and first-sync policies. @default every flow enabled, 'adopt_master_when_certain' */
  flows?: Partial<Record<RunnableFlow, FlowSettings>>;
  /** Masters per field (see `resolveMasters`). @default DEFAULT_MASTERS */
  masters?: Masters;
  /** Milliseconds since the epoch; moves time in tests. @default Date.now */
  clock?: () => number;
  /** @default a logger that drops everything */
  logger?: EngineLogger;
  /** Called after every page and drain batch. Errors it throws are ignored. */
  onProgress?: (event: ProgressEvent) => void;
  /** This worker's id for locks and outbox leases. @default `engine-<random>` */
  owner?: string;
  /** Lock time-to-live; the lock is renewed every third of it while a run holds it. @default 60_000 */
  lockTtlMs?: number;
  /** Outbox lease per claimed item. @default 60_000 */
  leaseMs?: number;
  /** Largest `getMany` batch (capped by the adapter's `maxBatchSize`). @default 500 */
  batchSize?: number;
  /** Archive scan page size asked for. @default 100 */
  scanPageSize?: number;
  /**
   * Outbox items applied at the same time by a drain: different cases in parallel, one case's
   * operations always one after the other in the order they were planned. @default 1 (one item
   * after the other, in outbox order)
   */
  applyConcurrency?: number;
  /**
   * Archive pages `runFlows` lets the fastest flow read ahead of the slowest one of a shared full
   * scan (memory: pages held at once). @default 4
   */
  sharedScanWindow?: number;
  /** Retry backoff of failed applies: `baseMs · 2^(attempts-1)` capped at `maxMs`, terminal after `maxAttempts`. @default { baseMs: 1_000, maxMs: 600_000, maxAttempts: 8 } */
  retry?: { baseMs?: number; maxMs?: number; maxAttempts?: number };
  /** Kommunenummer for GBNR class ids written `g/b`. @default the store's tenant */
  defaultKommunenummer?: string;
}

/** Options of {@link Engine.runFlow}. */
export interface RunFlowOptions {
  /** `full`: scan the archive and rebuild the reference index; `incremental`: follow the source's change feed. */
  mode: 'full' | 'incremental';
  /** Plan only: nothing is written anywhere except the run record. @default false */
  dryRun?: boolean;
  signal?: AbortSignal;
}

/** What a run did. */
export interface RunReport {
  runId: number;
  flow: RunnableFlow;
  mode: 'full' | 'incremental';
  dryRun: boolean;
  status: Exclude<RunStatus, 'running'>;
  counts: Record<string, number>;
  /** Why the run was degraded or failed, and what to do. */
  message?: string;
  /** Dry run only: the merged plan. */
  plan?: Plan;
  /** Dry run only: `renderPlan(plan)`. */
  rendered?: string;
}

/** What {@link Engine.drainOutbox} did. */
export interface DrainReport {
  applied: number;
  alreadyApplied: number;
  conflicted: number;
  /** Failed for good (quarantined). */
  failed: number;
  /** Failed and rescheduled. */
  retried: number;
}

/** Options of {@link Engine.reconcile}. */
export interface ReconcileOptions {
  kind: 'person' | 'property' | 'case';
  /** fnr/D-nummer, `kkkk-g/b/f/s` matrikkelnummer, or the case's systemID/saksnummer. */
  key: string;
  /** Enqueue the plan and drain the outbox. @default false */
  apply?: boolean;
  signal?: AbortSignal;
}

/** Result of {@link Engine.reconcile}. */
export interface ReconcileResult {
  plan: Plan;
  summary: PlanSummary;
  rendered: string;
  /** Cases examined. */
  cases: number;
  /** Set when `apply` was given. */
  drained?: DrainReport;
}

/** An admin's decision: the resolution, or the resolution with a note and (for `link`) the target. */
export type ResolveDecision =
  | ConflictResolution
  | { resolution: ConflictResolution; note?: string; linkTo?: string };

/** Result of {@link Engine.resolveConflict}. */
export interface ResolveResult {
  conflictId: number;
  resolution: ConflictResolution;
  /** The idempotency key of the operation enqueued for `take_master` / `link`, when one was. */
  operationKey?: string;
  drained?: DrainReport;
}

/** The runner (see {@link createEngine}). */
export interface Engine {
  /**
   * Run one flow under its lock, recorded as a run. Resolves with the report for `ok` and
   * `degraded` runs (a register failed: the message names it); rejects with `FlowLockedError`
   * (`flow_locked`) when the flow already runs, with `ConfigError` when it is disabled or its source
   * is missing, and with the cause of a `failed` run (after recording it).
   */
  runFlow(flow: RunnableFlow, options: RunFlowOptions): Promise<RunReport>;
  /**
   * Run several flows at once, each as {@link runFlow} would (own lock, run record, cursor and
   * report): one promise per flow, in the order given, each settling like `runFlow`'s (handle every
   * one). Full runs read ONE archive scan between them, page by page; F6 plans its address changes
   * only after F1 and F2 have ended (as in a sequential sync, it then sees their writes). One drain
   * applies the outbox at a time, so one case's operations keep their order.
   */
  runFlows(flows: readonly RunnableFlow[], options: RunFlowOptions): Promise<RunReport>[];
  /**
   * Plan one entity graph — a person (every case referencing any of their identifiers), a property
   * (the cases classified by it) or a case (its parties and GBNR classes) — and render it. With
   * `apply: true` the plan is enqueued and the outbox drained. Uses the reference index built by
   * full runs for people and properties.
   */
  reconcile(options: ReconcileOptions): Promise<ReconcileResult>;
  /** Apply every claimable outbox item now (pending, due, lease free or expired). */
  drainOutbox(options?: { signal?: AbortSignal }): Promise<DrainReport>;
  /**
   * Record an admin's decision (audited by the store) and carry it out: `take_master` and a class
   * `link` enqueue an operation keyed by the conflict id and drain it; `keep_local` and `ignore`
   * keep the same question from being reopened while its sides stay the same; a party `link`
   * stores the identity link. `actor` is `user:<id>`.
   */
  resolveConflict(id: number, decision: ResolveDecision, actor: string): Promise<ResolveResult>;
}
