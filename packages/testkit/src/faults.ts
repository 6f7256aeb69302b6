import { createRandom, type Random } from './random.js';

/**
 * Fault injection for simulators. A {@link FaultInjector} decides, per request, what goes wrong:
 * some faults happen before the handler runs (latency, status errors, 429, connection reset, a
 * hang until the client gives up) and some after (a truncated body, a hostile or malformed body
 * replacing the real one). {@link startSimulatorServer} applies the decision.
 */

/** Variants of a hostile body. The server picks the body for the response's content type. */
export type HostileVariant = 'garbage' | 'deep' | 'billion_laughs' | 'external_entity' | 'huge';

/** One fault. Queue it with {@link FaultInjector.once} / {@link FaultInjector.next}. */
export type Fault =
  /** Wait before answering (added to any plan latency). */
  | { kind: 'latency'; ms: number }
  /** Answer this status instead of calling the handler (401, 403, 500, 502, 503, …). */
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  /**
   * Answer 429 with `Retry-After`. @default retryAfterMs 1000, unit 'seconds' (header rounded up
   * to whole seconds; 'milliseconds' writes the number of ms, as Skatteetaten does)
   */
  | { kind: 'rate_limit'; retryAfterMs?: number; unit?: 'seconds' | 'milliseconds' }
  /** Destroy the socket without answering. */
  | { kind: 'reset' }
  /** Never answer; the request hangs until the client gives up (or the server closes). */
  | { kind: 'timeout' }
  /** Send the headers and half the body, then destroy the socket. */
  | { kind: 'truncate' }
  /** Replace the body with a hostile payload for its content type (status 200). */
  | { kind: 'hostile'; variant?: HostileVariant }
  /** Replace the body with syntactically broken content of the same content type (status 200). */
  | { kind: 'malformed' };

/** The kinds of {@link Fault}. */
export type FaultKind = Fault['kind'];

/** The request facts a fault decision may look at. */
export interface FaultRequest {
  method: string;
  path: string;
}

/** Random faults applied to every matching request. All rates are probabilities in [0, 1]. */
export interface FaultPlan {
  /** Extra latency: a fixed number of ms or a uniform `[min, max]`. @default 0 */
  latencyMs?: number | [number, number];
  /** Share of requests answered 500/502/503 (evenly). @default 0 */
  errorRate?: number;
  /**
   * Deterministic 429 bursts: in every cycle of `every` requests, the last `burst` are answered
   * 429 with `Retry-After`. @default every 10, burst 1, retryAfterMs 1000, unit 'seconds'
   */
  rateLimit?: { every?: number; burst?: number; retryAfterMs?: number; unit?: 'seconds' | 'milliseconds' };
  /** Share of requests whose socket is destroyed. @default 0 */
  resetRate?: number;
  /** Share of responses cut off halfway. @default 0 */
  truncateRate?: number;
  /** Share of responses replaced with a hostile body. @default 0 */
  hostileRate?: number;
  /** Share of responses replaced with a malformed body. @default 0 */
  malformedRate?: number;
  /** Share of requests that hang until the client gives up. @default 0 */
  timeoutRate?: number;
  /** Only requests for which this returns true get faults (plan and queued). @default every request */
  when?: (request: FaultRequest) => boolean;
}

/** What the server should do for one request. */
export interface FaultDecision {
  /** Total delay before anything else, ms. */
  latencyMs: number;
  /** A fault replacing the handler (status, rate_limit, reset, timeout), if any. */
  before?: Fault;
  /** A fault applied to the handler's response (truncate, hostile, malformed), if any. */
  after?: Fault;
}

/** Counters of faults decided so far, by kind. */
export type FaultCounts = Partial<Record<FaultKind, number>>;

/** Decides faults per request. Deterministic for a seed and a request order. */
export interface FaultInjector {
  /** Decide the faults for one request (the server calls this once per request). */
  decide(request: FaultRequest): FaultDecision;
  /**
   * Queue a one-shot fault for the next matching request; with `when`, for the next request that
   * also matches it (e.g. the next write), while queued faults without it keep their turn.
   */
  once(fault: Fault, when?: (request: FaultRequest) => boolean): FaultInjector;
  /** Queue the same fault for the next `n` matching requests (with `when`: as {@link once}). */
  next(n: number, fault: Fault, when?: (request: FaultRequest) => boolean): FaultInjector;
  /** Replace the plan (queued one-shot faults stay). */
  set(plan: FaultPlan): FaultInjector;
  /** Remove the plan and every queued fault, and reset the rate-limit cycle. */
  clear(): FaultInjector;
  /** The current plan. */
  readonly plan: Readonly<FaultPlan>;
  /** How many one-shot faults are still queued. */
  readonly pending: number;
  /** Faults decided so far, by kind. */
  readonly counts: Readonly<FaultCounts>;
}

const BEFORE_KINDS = new Set<FaultKind>(['status', 'rate_limit', 'reset', 'timeout']);

/**
 * Create a fault injector. With no plan it injects nothing until faults are queued or a plan is set.
 * @param plan random faults to apply. @default {}
 * @param seed seed for the fault rolls. @default 'faults'
 */
export function createFaultInjector(plan: FaultPlan = {}, seed: number | string = 'faults'): FaultInjector {
  let current: FaultPlan = { ...plan };
  let random: Random = createRandom(seed);
  const queue: { fault: Fault; when?: (request: FaultRequest) => boolean }[] = [];
  let cycle = 0;
  const counts: FaultCounts = {};
  const count = (fault: Fault | undefined) => {
    if (fault) counts[fault.kind] = (counts[fault.kind] ?? 0) + 1;
  };

  const planLatency = (): number => {
    const l = current.latencyMs;
    if (l === undefined) return 0;
    if (typeof l === 'number') return Math.max(0, l);
    return Math.max(0, Math.round(l[0] + random.next() * (l[1] - l[0])));
  };

  const injector: FaultInjector = {
    decide(request) {
      if (current.when && !current.when(request)) return { latencyMs: 0 };
      const decision: FaultDecision = { latencyMs: planLatency() };
      const at = queue.findIndex((q) => q.when === undefined || q.when(request));
      const queued = at < 0 ? undefined : queue.splice(at, 1)[0]?.fault;
      if (queued) {
        if (queued.kind === 'latency') decision.latencyMs += queued.ms;
        else if (BEFORE_KINDS.has(queued.kind)) decision.before = queued;
        else decision.after = queued;
        count(queued);
        return decision;
      }
      // Rate limiting counts every request so the cycle is predictable, whatever else happens.
      const rl = current.rateLimit;
      if (rl) {
        const every = Math.max(1, rl.every ?? 10);
        const burst = Math.min(every, Math.max(1, rl.burst ?? 1));
        cycle = (cycle % every) + 1;
        if (cycle > every - burst) {
          decision.before = {
            kind: 'rate_limit',
            retryAfterMs: rl.retryAfterMs ?? 1000,
            ...(rl.unit ? { unit: rl.unit } : {}),
          };
          count(decision.before);
          return decision;
        }
      }
      if (current.resetRate && random.chance(current.resetRate)) decision.before = { kind: 'reset' };
      else if (current.timeoutRate && random.chance(current.timeoutRate))
        decision.before = { kind: 'timeout' };
      else if (current.errorRate && random.chance(current.errorRate))
        decision.before = { kind: 'status', status: random.pick([500, 502, 503]) };
      if (!decision.before) {
        if (current.truncateRate && random.chance(current.truncateRate))
          decision.after = { kind: 'truncate' };
        else if (current.hostileRate && random.chance(current.hostileRate))
          decision.after = {
            kind: 'hostile',
            variant: random.pick<HostileVariant>(['garbage', 'deep', 'billion_laughs', 'external_entity']),
          };
        else if (current.malformedRate && random.chance(current.malformedRate))
          decision.after = { kind: 'malformed' };
      }
      count(decision.before);
      count(decision.after);
      return decision;
    },
    once(fault, when) {
      queue.push(when ? { fault, when } : { fault });
      return injector;
    },
    next(n, fault, when) {
      for (let i = 0; i < n; i++) queue.push(when ? { fault, when } : { fault });
      return injector;
    },
    set(plan) {
      current = { ...plan };
      cycle = 0;
      return injector;
    },
    clear() {
      current = {};
      queue.length = 0;
      cycle = 0;
      random = createRandom(seed);
      return injector;
    },
    get plan() {
      return current;
    },
    get pending() {
      return queue.length;
    },
    get counts() {
      return counts;
    },
  };
  return injector;
}

/** The media family of a content type, for choosing hostile/malformed bodies. */
export function contentFamily(contentType: string | undefined): 'json' | 'xml' | 'other' {
  const ct = (contentType ?? '').toLowerCase();
  if (ct.includes('json')) return 'json';
  if (ct.includes('xml')) return 'xml';
  return 'other';
}

/**
 * A hostile body for a content type. JSON: garbage, 100 000-deep nesting, a huge string; XML: a
 * billion-laughs entity bomb, an external entity reading `/etc/passwd`, 100 000-deep nesting.
 * Adapters must reject these with a typed error, without hanging or exhausting memory.
 */
export function hostileBody(contentType: string | undefined, variant: HostileVariant = 'garbage'): string {
  const family = contentFamily(contentType);
  if (family === 'xml') {
    switch (variant) {
      case 'billion_laughs': {
        const lines = ['<?xml version="1.0"?>', '<!DOCTYPE lolz [', '  <!ENTITY lol "lol">'];
        for (let i = 1; i <= 9; i++) {
          const prev = i === 1 ? 'lol' : `lol${i - 1}`;
          lines.push(`  <!ENTITY lol${i} "${`&${prev};`.repeat(10)}">`);
        }
        lines.push(']>', '<lolz>&lol9;</lolz>');
        return lines.join('\n');
      }
      case 'external_entity':
        return '<?xml version="1.0"?>\n<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n<foo>&xxe;</foo>';
      case 'deep':
        return `<?xml version="1.0"?>${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}`;
      case 'huge':
        return `<?xml version="1.0"?><a>${'x'.repeat(20 * 1024 * 1024)}</a>`;
      default:
        return '<?xml version="1.0"?><unclosed><tag attr="x></unclosed>\u0000\u0001';
    }
  }
  switch (variant) {
    case 'deep':
      return `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    case 'huge':
      return `{"data":"${'x'.repeat(20 * 1024 * 1024)}"}`;
    case 'billion_laughs':
    case 'external_entity':
      // JSON has no entities; the closest hostile shape is a wide object with prototype keys.
      return '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}';
    default:
      return '\u0000\u00ff{"not": json at all]]]';
  }
}

/** A syntactically broken body of the same content type (cut mid-token, unbalanced). */
export function malformedBody(contentType: string | undefined, original = ''): string {
  const family = contentFamily(contentType);
  if (family === 'xml') return `${original.slice(0, Math.floor(original.length / 2))}<broken attr="</broken`;
  if (family === 'json') return `${original.slice(0, Math.floor(original.length / 2))}{"broken": [1, 2,,}`;
  return '\u0000malformed\u0000';
}
