import type { TenantStore } from '@registerbro/engine';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { FlowResult } from './service.js';

/**
 * Prometheus metrics of the service. Labels are flows, modes, statuses and outcomes only — never
 * an identifier, so no fødselsnummer can reach a metric.
 */
export interface ServiceMetrics {
  registry: Registry;
  /** Record a finished flow. */
  recordFlow(result: FlowResult): void;
  /** Mark a flow running or idle. */
  setRunning(flow: string, running: boolean): void;
  /** Refresh the gauges read from the store (open conflicts, quarantine). */
  refresh(tenant: TenantStore): Promise<void>;
}

/** Create the registry and the service's metrics (plus Node's default process metrics). */
export function createServiceMetrics(tenant: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ tenant });
  collectDefaultMetrics({ register: registry, prefix: 'registerbro_' });
  const runs = new Counter({
    name: 'registerbro_runs_total',
    help: 'Flow runs by flow, mode and status (skipped: another process held the lock).',
    labelNames: ['flow', 'mode', 'status'] as const,
    registers: [registry],
  });
  const operations = new Counter({
    name: 'registerbro_operations_total',
    help: 'Archive operations by flow and outcome (planned, enqueued, applied, already_applied, conflicted, failed, retried).',
    labelNames: ['flow', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'registerbro_run_duration_seconds',
    help: 'Duration of flow runs including applying the outbox.',
    labelNames: ['flow', 'mode'] as const,
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
    registers: [registry],
  });
  const lastRun = new Gauge({
    name: 'registerbro_last_run_timestamp_seconds',
    help: 'When a flow last finished, by status.',
    labelNames: ['flow', 'mode', 'status'] as const,
    registers: [registry],
  });
  const running = new Gauge({
    name: 'registerbro_flow_running',
    help: '1 while a flow runs in this process.',
    labelNames: ['flow'] as const,
    registers: [registry],
  });
  const conflicts = new Gauge({
    name: 'registerbro_open_conflicts',
    help: 'Conflicts waiting for an administrator.',
    registers: [registry],
  });
  const quarantine = new Gauge({
    name: 'registerbro_open_quarantine',
    help: 'Bad inputs set aside, not yet released.',
    registers: [registry],
  });
  for (const flow of ['F1', 'F2', 'F6']) running.set({ flow }, 0);

  return {
    registry,
    recordFlow(r) {
      runs.inc({ flow: r.flow, mode: r.mode, status: r.status });
      duration.observe({ flow: r.flow, mode: r.mode }, r.durationMs / 1000);
      lastRun.set({ flow: r.flow, mode: r.mode, status: r.status }, Date.now() / 1000);
      const add = (outcome: string, v: number | undefined) => {
        if (v) operations.inc({ flow: r.flow, outcome }, v);
      };
      add('planned', r.counts.operationsPlanned);
      add('enqueued', r.counts.operationsEnqueued);
      add('applied', r.drained?.applied);
      add('already_applied', r.drained?.alreadyApplied);
      add('conflicted', r.drained?.conflicted);
      add('failed', r.drained?.failed);
      add('retried', r.drained?.retried);
    },
    setRunning(flow, on) {
      running.set({ flow }, on ? 1 : 0);
    },
    async refresh(store) {
      conflicts.set((await store.listConflicts({ status: 'open', limit: 100_000 })).length);
      quarantine.set((await store.listQuarantine({ status: 'open', limit: 100_000 })).length);
    },
  };
}
