import { hostname } from 'node:os';
import {
  type DrainReport,
  type Engine,
  type EngineLogger,
  type ProgressEvent,
  type RunFlowOptions,
  type RunReport,
  type RunnableFlow,
  type Store,
  type TenantStore,
  createEngine,
} from '@registerbro/engine';
import { hasErrorCode, isRegisterbroError, redactText } from '@registerbro/model';
import type { Logger } from '@registerbro/transport';
import { type Config, FLOWS, flowConfig } from './config.js';
import { describeStore, openStore } from './store.js';
import { type Adapters, createAdapters } from './wiring.js';

/**
 * One open installation: configuration, store, adapters and the engine, plus the sync loop the
 * CLI and the scheduler share (run each flow, then apply its outbox, and summarise).
 */

/** What one flow did in a sync. */
export interface FlowResult {
  flow: RunnableFlow;
  mode: 'full' | 'incremental';
  dryRun: boolean;
  /** `skipped`: another process held the flow's lock; `failed`: the run threw. */
  status: RunReport['status'] | 'skipped';
  runId?: number;
  counts: Record<string, number>;
  drained?: DrainReport;
  message?: string;
  durationMs: number;
  /** Dry run: the rendered plan. */
  rendered?: string;
}

/** What a whole sync did. */
export interface SyncSummary {
  tenant: string;
  store: string;
  mode: 'full' | 'incremental';
  dryRun: boolean;
  flows: FlowResult[];
  openConflicts: number;
  openQuarantine: number;
  durationMs: number;
  /** True when a shutdown stopped the sync early. */
  interrupted: boolean;
}

/** Options of {@link SyncService.sync}. */
export interface SyncOptions {
  /** @default every enabled flow */
  flows?: readonly RunnableFlow[];
  full?: boolean;
  dryRun?: boolean;
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  /** Called after each flow (metrics). */
  onFlow?: (result: FlowResult) => void;
}

/** An open installation. */
export interface SyncService {
  readonly config: Config;
  readonly store: Store;
  readonly tenant: TenantStore;
  readonly adapters: Adapters;
  readonly engine: Engine;
  readonly owner: string;
  sync(options?: SyncOptions): Promise<SyncSummary>;
  close(): Promise<void>;
}

/** The engine's logger over pino (engine messages never hold an unmasked fnr; pino masks anyway). */
export function engineLogger(logger: Logger): EngineLogger {
  return {
    info: (message, data) => logger.info(data ?? {}, message),
    warn: (message, data) => logger.warn(data ?? {}, message),
    error: (message, data) => logger.error(data ?? {}, message),
  };
}

/** Open the store, create the adapters and the engine. */
export async function openService(
  config: Config,
  options: {
    logger: Logger;
    env?: NodeJS.ProcessEnv;
    onProgress?: (event: ProgressEvent) => void;
  },
): Promise<SyncService> {
  const env = options.env ?? process.env;
  // Adapters first: a missing secret fails before the database is touched.
  const adapters = createAdapters(config, env);
  let store: Store;
  try {
    store = await openStore(config, env);
  } catch (error) {
    await adapters.close();
    throw error;
  }
  const tenant = store.forTenant(config.tenant);
  const owner = `registerbro@${hostname()}:${process.pid}`;
  let progress = options.onProgress;
  const engine = createEngine({
    store: tenant,
    sources: { folkeregister: adapters.folkeregister, matrikkel: adapters.matrikkel },
    archive: adapters.archive,
    flows: Object.fromEntries(
      FLOWS.map((f) => [
        f,
        { enabled: flowConfig(config, f).enabled, policy: flowConfig(config, f).firstSync },
      ]),
    ),
    logger: engineLogger(options.logger),
    owner,
    lockTtlMs: config.engine.lockTtlMs,
    leaseMs: config.engine.leaseMs,
    batchSize: config.engine.batchSize,
    scanPageSize: config.engine.scanPageSize,
    retry: config.engine.retry,
    onProgress: (event) => progress?.(event),
  });

  const service: SyncService = {
    config,
    store,
    tenant,
    adapters,
    engine,
    owner,
    async sync(o = {}) {
      const started = Date.now();
      const mode = o.full ? 'full' : 'incremental';
      const dryRun = o.dryRun ?? false;
      const flows = (o.flows ?? FLOWS.filter((f) => flowConfig(config, f).enabled)) as RunnableFlow[];
      const results: FlowResult[] = [];
      let interrupted = false;
      const previous = progress;
      if (o.onProgress) progress = o.onProgress;
      try {
        if (o.signal?.aborted) interrupted = true;
        else {
          // A full sync runs the flows at the same time, each under its own lock and cursor, reading
          // the archive once for all of them (see Engine.runFlows). An incremental sync runs them one
          // after the other: each sees the writes of the one before, as F6 must see F1's.
          const run: RunFlowOptions = { mode, dryRun, ...(o.signal ? { signal: o.signal } : {}) };
          const settle = async (flow: RunnableFlow, report: Promise<RunReport>, begun: number) => {
            const result = await outcome(flow, report, begun, mode, dryRun, o.signal, options.logger);
            o.onFlow?.(result);
            return result;
          };
          if (mode === 'full') {
            const begun = Date.now();
            const runs = engine.runFlows(flows, run);
            results.push(
              ...(await Promise.all(runs.map((r, i) => settle(flows[i] as RunnableFlow, r, begun)))),
            );
            if (results.some((r) => r.message === 'interrupted')) interrupted = true;
          } else {
            for (const flow of flows) {
              if (o.signal?.aborted) {
                interrupted = true;
                break;
              }
              const result = await settle(flow, engine.runFlow(flow, run), Date.now());
              results.push(result);
              if (result.message === 'interrupted') {
                interrupted = true;
                break;
              }
            }
          }
        }
      } finally {
        progress = previous;
      }
      const openConflicts = (await tenant.listConflicts({ status: 'open', limit: 100_000 })).length;
      const openQuarantine = (await tenant.listQuarantine({ status: 'open', limit: 100_000 })).length;
      return {
        tenant: config.tenant,
        store: describeStore(config),
        mode,
        dryRun,
        flows: results,
        openConflicts,
        openQuarantine,
        durationMs: Date.now() - started,
        interrupted,
      };
    },
    async close() {
      await adapters.close();
      await store.close();
    },
  };
  return service;
}

const isAbort = (error: unknown, signal?: AbortSignal) =>
  signal?.aborted === true ||
  hasErrorCode(error, 'aborted') ||
  (error instanceof Error && (error.name === 'AbortError' || error.name === 'AbortedError'));

async function outcome(
  flow: RunnableFlow,
  run: Promise<RunReport>,
  started: number,
  mode: 'full' | 'incremental',
  dryRun: boolean,
  signal: AbortSignal | undefined,
  logger: Logger,
): Promise<FlowResult> {
  const base = { flow, mode, dryRun };
  let report: RunReport;
  try {
    report = await run;
  } catch (error) {
    if (hasErrorCode(error, 'flow_locked')) {
      logger.warn({ flow, code: 'flow_locked' }, (error as Error).message);
      return {
        ...base,
        status: 'skipped',
        counts: {},
        message: (error as Error).message,
        durationMs: Date.now() - started,
      };
    }
    if (isAbort(error, signal)) {
      return {
        ...base,
        status: 'degraded',
        counts: {},
        message: 'interrupted',
        durationMs: Date.now() - started,
      };
    }
    const message = isRegisterbroError(error)
      ? error.message
      : redactText(String((error as Error)?.message ?? error));
    logger.error({ flow, err: error }, `flow ${flow} failed: ${message}`);
    return { ...base, status: 'failed', counts: {}, message, durationMs: Date.now() - started };
  }
  const result: FlowResult = {
    ...base,
    status: report.status,
    runId: report.runId,
    counts: report.counts,
    durationMs: 0,
    ...(report.message ? { message: report.message } : {}),
    ...(report.rendered ? { rendered: report.rendered } : {}),
  };
  // The engine applies the outbox at the end of every run (and between incremental pages).
  if (!dryRun) {
    const c = report.counts;
    result.drained = {
      applied: c.operationsApplied ?? 0,
      alreadyApplied: c.operationsAlreadyApplied ?? 0,
      conflicted: c.operationsConflicted ?? 0,
      failed: c.operationsFailed ?? 0,
      retried: c.operationsRetried ?? 0,
    };
  }
  if (signal?.aborted) result.message = 'interrupted';
  result.durationMs = Date.now() - started;
  return result;
}
