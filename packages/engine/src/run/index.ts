/**
 * The engine runner: flows F1/F2/F6 over the adapter contract, the outbox applier, reconciliation
 * and conflict resolution. Re-exported from the package index.
 */
export { createEngine } from './engine.js';
export { FlowLockedError, SourceFailedError } from './errors.js';
export { baseValuesAfter, auditOf } from './outbox.js';
export type {
  DrainReport,
  Engine,
  EngineLogger,
  EngineOptions,
  FlowSettings,
  ProgressEvent,
  ReconcileOptions,
  ReconcileResult,
  ResolveDecision,
  ResolveResult,
  RunFlowOptions,
  RunReport,
  RunnableFlow,
} from './types.js';
