import type { RunnableFlow } from '@registerbro/engine';
import type { Logger } from '@registerbro/transport';
import { Cron } from 'croner';
import Fastify from 'fastify';
import { FLOWS, flowConfig } from './config.js';
import { createServiceMetrics } from './metrics.js';
import { createProgressReporter, formatCounts } from './progress.js';
import type { FlowResult, SyncService } from './service.js';

/**
 * `registerbro serve`: the flows on their cron schedules, one run at a time in this process and
 * never two of the same flow for the municipality across processes (the engine's store lock), with
 * `/healthz`, `/readyz` and Prometheus `/metrics`. SIGTERM/SIGINT stop the schedules, let the run in
 * hand finish its page (or hand it back), close the server and the store, and exit 0.
 */

/** Options of {@link startServer}. */
export interface ServeOptions {
  logger: Logger;
  /** @default config.serve.host */
  host?: string;
  /** @default config.serve.port (0: a free port) */
  port?: number;
  /** Run every enabled flow incrementally once right after start. @default false */
  runNow?: boolean;
}

/** A running service. */
export interface RunningServer {
  url: string;
  /** Queue a run (used by schedules and `runNow`); resolves when it ran or was dropped. */
  trigger(flow: RunnableFlow, mode: 'full' | 'incremental'): Promise<void>;
  /** Graceful stop; resolves when everything is closed. Idempotent. */
  stop(reason?: string): Promise<void>;
}

/** Start the HTTP server and the schedules. */
export async function startServer(service: SyncService, options: ServeOptions): Promise<RunningServer> {
  const { config, logger } = { config: service.config, logger: options.logger };
  const metrics = createServiceMetrics(config.tenant);
  const abort = new AbortController();
  const pending = new Set<string>();
  const running = new Set<string>();
  let queue: Promise<void> = Promise.resolve();
  let stopping: Promise<void> | undefined;
  let ready = false;

  async function runJob(flow: RunnableFlow, mode: 'full' | 'incremental'): Promise<void> {
    if (abort.signal.aborted) return;
    running.add(flow);
    metrics.setRunning(flow, true);
    logger.info({ flow, mode }, `flow ${flow} ${mode} run starting`);
    // A long run reports where it is every half minute in the log.
    const progress = createProgressReporter({
      tty: false,
      intervalMs: 30_000,
      line: (text) => logger.info({ flow, mode }, text),
    });
    try {
      await service.sync({
        flows: [flow],
        full: mode === 'full',
        signal: abort.signal,
        onProgress: (event) => progress.update(event),
        onFlow: (r: FlowResult) => {
          metrics.recordFlow(r);
          logger.info(
            {
              flow: r.flow,
              mode: r.mode,
              status: r.status,
              runId: r.runId,
              counts: r.counts,
              drained: r.drained,
              durationMs: r.durationMs,
            },
            `flow ${r.flow} ${r.mode} ${r.status}: ${formatCounts(r.counts)}${r.message ? ` — ${r.message}` : ''}`,
          );
        },
      });
      await metrics.refresh(service.tenant);
    } catch (error) {
      logger.error({ flow, mode, err: error }, `flow ${flow} ${mode} run failed`);
    } finally {
      running.delete(flow);
      metrics.setRunning(flow, false);
    }
  }

  function trigger(flow: RunnableFlow, mode: 'full' | 'incremental'): Promise<void> {
    const key = `${flow}:${mode}`;
    if (abort.signal.aborted || pending.has(key)) return queue;
    pending.add(key);
    // One run at a time in this process: the store's single writer (SQLite) and the archive's
    // rate limits are shared by all flows.
    queue = queue.then(async () => {
      pending.delete(key);
      await runJob(flow, mode);
    });
    return queue;
  }

  const app = Fastify({ logger: false });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    if (!ready || abort.signal.aborted) return reply.code(503).send({ status: 'stopping' });
    try {
      await service.tenant.listRuns({ limit: 1 });
    } catch {
      return reply.code(503).send({ status: 'store unavailable' });
    }
    return { status: 'ready', tenant: config.tenant, running: [...running] };
  });
  app.get('/metrics', async (_req, reply) => {
    await metrics.refresh(service.tenant).catch(() => {});
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  const crons: Cron[] = [];
  for (const flow of FLOWS) {
    const fc = flowConfig(config, flow);
    if (!fc.enabled) continue;
    crons.push(
      new Cron(fc.schedule, { name: `${flow}-incremental`, protect: true }, () =>
        trigger(flow, 'incremental'),
      ),
    );
    crons.push(
      new Cron(fc.fullSchedule, { name: `${flow}-full`, protect: true }, () => trigger(flow, 'full')),
    );
  }

  const address = await app.listen({
    host: options.host ?? config.serve.host,
    port: options.port ?? config.serve.port,
  });
  ready = true;
  logger.info(
    { url: address, flows: FLOWS.filter((f) => flowConfig(config, f).enabled) },
    `registerbro serving municipality ${config.tenant} at ${address}`,
  );
  if (options.runNow)
    for (const flow of FLOWS) if (flowConfig(config, flow).enabled) void trigger(flow, 'incremental');

  const stop = (reason = 'stop'): Promise<void> => {
    stopping ??= (async () => {
      logger.info({ reason }, 'shutting down: finishing the page in hand');
      ready = false;
      for (const c of crons) c.stop();
      abort.abort();
      const timeout = new Promise<'timeout'>((resolve) =>
        setTimeout(() => resolve('timeout'), config.serve.shutdownTimeoutMs).unref(),
      );
      if ((await Promise.race([queue.then(() => 'done' as const), timeout])) === 'timeout')
        logger.warn(
          {},
          'shutdown timeout: the run in hand is abandoned; its outbox leases expire and it resumes later',
        );
      await app.close();
      await service.close();
      logger.info({}, 'stopped');
    })();
    return stopping;
  };

  return { url: address, trigger, stop };
}
