import type { Adapter, Operation } from '@registerbro/model';

/**
 * The contract between the conformance suite and one adapter + simulator pair.
 *
 * An adapter package implements {@link ConformanceHarness} once (in its `test/` folder, against its
 * own simulator) and calls `describeAdapterConformance(harness)`. The suite calls
 * {@link ConformanceHarness.setup} once **per test**, so every test gets a fresh register, a fresh
 * adapter and no faults left over from another test.
 */

/** Names of the conformance tests; keys of {@link ConformanceHarness.optOut}. */
export type ConformanceTestName =
  | 'check_ok'
  | 'check_reports_failure'
  | 'capabilities_honoured'
  | 'get_known'
  | 'get_unknown_returns_null'
  | 'get_many_found_and_missing'
  | 'scan_covers_every_key_once'
  | 'empty_feed'
  | 'many_pages'
  | 'resume_from_cursor'
  | 'auth_error'
  | 'rate_limit_error'
  | 'malformed_body'
  | 'malformed_record_quarantined'
  | 'abort_before_call'
  | 'abort_during_call'
  | 'entities_parse'
  | 'apply_idempotent';

/**
 * A fault the simulator injects into its answers. Every fault stays armed until
 * {@link ConformanceContext.clearFaults} is called, so a client that retries (a bearer client
 * refreshes its token once on 401; a client retries 429) meets the fault again and must give up
 * with the typed error.
 *
 * - `unauthorized`: every request is answered 401.
 * - `rate_limit`: every request is answered 429 with a `Retry-After` the adapter does not sleep
 *   through (configure the adapter under test so it throws rather than waits, e.g. a
 *   `maxRetryAfterMs` below the simulator's value, or `retries: 0`).
 * - `malformed_body`: every response body is unusable in the wire format (truncated JSON, broken
 *   XML, a payload failing the wire schema).
 * - `malformed_record`: exactly one record in the next change-feed page the simulator serves fails
 *   the wire schema; the rest of that page is good. One-shot: later pages are good again. Pick a
 *   record that would have yielded exactly one change entry (the suite expects one fewer change
 *   and one quarantine entry).
 * - `latency`: every request is held without an answer until `clearFaults()` (or delayed by at
 *   least 10 s). The suite aborts the call after a few milliseconds and expects it to settle with
 *   AbortedError well before the answer could come.
 *
 * With testkit's `createFaultInjector` behind `startSimulatorServer`, the usual mapping is:
 * `unauthorized` → `faults.next(1_000, { kind: 'status', status: 401 })`; `rate_limit` →
 * `faults.set({ rateLimit: { every: 1, burst: 1, retryAfterMs: 120_000 } })`; `malformed_body` →
 * `faults.set({ malformedRate: 1 })`; `latency` → `faults.set({ timeoutRate: 1 })`;
 * `clearFaults()` → `faults.clear()`. `malformed_record` is the simulator's own: corrupt one
 * record of the next feed page in the handler.
 */
export type ConformanceFault =
  | 'unauthorized'
  | 'rate_limit'
  | 'malformed_body'
  | 'malformed_record'
  | 'latency';

/**
 * What a zod schema offers the suite. Structural so the suite does not pin a zod copy: any
 * `z.ZodType<E>` (zod 3 or 4) fits.
 */
export interface EntitySchema {
  safeParse(value: unknown): { success: boolean; error?: { message: string } | undefined };
}

/** A write the suite applies twice with the same idempotency key (writable adapters only). */
export interface SampleOperation<Op extends Operation = Operation> {
  /** An operation whose `type` is listed in `adapter.capabilities.apply`. */
  operation: Op;
  /**
   * How many times the target record was actually changed since `sampleOperation()` was called,
   * read from the simulator's own state (not through the adapter). The suite expects exactly 1.
   */
  verify(): Promise<number>;
}

/** One fresh simulator + adapter, made by {@link ConformanceHarness.setup} for one test. */
export interface ConformanceContext<E, Op extends Operation = Operation> {
  /** The adapter under test, configured against this context's simulator. */
  adapter: Adapter<E, Op>;
  /**
   * A second, independent adapter instance against the same simulator, as after a process
   * restart. When given, the suite resumes from stored cursors and re-applies operations with it,
   * proving that cursors and idempotency do not live in the adapter's memory. The suite closes it.
   */
  createAdapter?(): Adapter<E, Op>;
  /**
   * Every key the register holds now, in canonical text form: exactly the set a complete
   * `scan()` must cover and that `get` must find. Read from the simulator's state.
   */
  knownKeys(): readonly string[] | Promise<readonly string[]>;
  /** A well-formed key (valid check digits, right shape) the register does not know: `get` → null. */
  unknownKey: string;
  /**
   * Make the register record `count` more changes (moves, renames, new records, …).
   * Resolves to the number of change-feed entries the adapter must report for them (usually
   * `count`; more when one register change yields several entries, e.g. a rekey plus an upsert).
   * Must resolve to at least 1 when `count` ≥ 1.
   */
  produceChanges(count: number): Promise<number>;
  /** Arm a fault on the simulator (see {@link ConformanceFault}). */
  inject(fault: ConformanceFault): void | Promise<void>;
  /** Disarm every fault. */
  clearFaults(): void | Promise<void>;
  /**
   * For writable adapters (non-empty `capabilities.apply`): a fresh operation on a real target
   * record, and a way to count how often the target changed. Required when the adapter declares
   * any operation type.
   */
  sampleOperation?(): SampleOperation<Op> | Promise<SampleOperation<Op>>;
  /** Close the adapter(s) and the simulator. Called after every test, also when it failed. */
  teardown(): Promise<void>;
}

/** How an adapter package plugs its adapter + simulator into the conformance suite. */
export interface ConformanceHarness<E, Op extends Operation = Operation> {
  /** Shown in the suite's title, e.g. `folkeregister`. */
  name: string;
  /** The canonical model schema every entity the adapter returns must parse with (`PersonSchema`). */
  schema: EntitySchema;
  /** The canonical key of an entity (the same text `get` takes and changes carry). */
  keyOf(entity: E): string;
  /** A fresh simulator + adapter. Called once per test; the suite always calls `teardown()`. */
  setup(): Promise<ConformanceContext<E, Op>>;
  /**
   * The page size passed to `changes()` and `scan()`. When the register pages at a fixed size, set
   * this to that size: the suite produces `2 × pageSize + 1` changes to get at least three pages.
   * @default 5
   */
  pageSize?: number;
  /**
   * Per-test timeout in milliseconds.
   * @default 30_000
   */
  timeoutMs?: number;
  /**
   * Tests this adapter opts out of, each with a written reason (shown in the skipped test's title).
   * An empty reason or an unknown test name is an error.
   */
  optOut?: Partial<Record<ConformanceTestName, string>>;
}
