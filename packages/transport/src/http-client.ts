import http from 'node:http';
import https from 'node:https';
import {
  type AbortedError,
  AuthError,
  CircuitOpenError,
  HttpError,
  RateLimitError,
  RegisterbroError,
  type SystemName,
  TimeoutError,
  UpstreamInvalidError,
  isRegisterbroError,
} from '@registerbro/model';
import axios, { type AxiosResponse, isAxiosError } from 'axios';
import Bottleneck from 'bottleneck';
import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
} from 'cockatiel';
import { type AbortableOptions, abortable, abortedError as sharedAbortedError, sleep } from './async.js';
import type { AuthProvider } from './auth.js';

/** HTTP methods the client sends. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** A query-string value; arrays repeat the key, `undefined` drops it. */
export type QueryValue = string | number | boolean | undefined | readonly (string | number)[];

/** One request sent through {@link HttpClient.request}. */
export interface HttpRequest {
  method: HttpMethod;
  /** Path relative to `baseURL`, or an absolute `http(s)://` URL (e.g. a hypermedia link). */
  path: string;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  /** A string or Buffer is sent as-is; any other object is sent as JSON. */
  body?: string | Buffer | object;
  /**
   * Allow retries for this request even though its method is not idempotent (e.g. a SOAP read
   * over POST).
   * @default true for GET/HEAD/PUT/DELETE/OPTIONS, false for POST/PATCH
   */
  idempotent?: boolean;
  signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` for this request. */
  timeoutMs?: number;
  /** Statuses returned instead of thrown, e.g. `[304, 404]`. 2xx are always returned. */
  okStatuses?: readonly number[];
  /** The record the request concerns, for error messages (11-digit runs are masked). */
  record?: string;
}

/** A response: status, lower-cased headers and the body as text. */
export interface HttpResponse {
  status: number;
  /** Lower-cased header names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: string;
  /** The request URL (with credentials removed). */
  url: string;
  /** Parse the body as JSON; throws `UpstreamInvalidError` on malformed JSON. */
  json<T = unknown>(): T;
}

/** Options for {@link createHttpClient}. */
export interface HttpClientOptions {
  /** The register this client talks to; it keys the shared rate limiter and circuit breaker. */
  system: SystemName;
  /** Base URL that request paths are appended to. */
  baseURL: string;
  /** Per-attempt timeout (connect + response + body). @default 30_000 */
  timeoutMs?: number;
  /** Retries after the first attempt, for idempotent requests only. @default 3 */
  retries?: number;
  /** Exponential backoff with full jitter between retries. @default { baseMs: 200, maxMs: 10_000 } */
  backoff?: { baseMs?: number; maxMs?: number };
  /** Unit of a numeric `Retry-After` (Skatteetaten sends milliseconds). @default 'seconds' */
  retryAfterUnit?: 'seconds' | 'milliseconds';
  /** A `Retry-After` longer than this is not slept: a `RateLimitError` is thrown. @default 60_000 */
  maxRetryAfterMs?: number;
  /**
   * Per-system rate limit: requests are spaced `1000 / requestsPerSecond` ms apart and at most
   * `maxConcurrent` are in flight. Shared by every client with the same `system` (see `shared`).
   * @default undefined (no limit)
   */
  rateLimit?: { requestsPerSecond: number; maxConcurrent?: number };
  /**
   * Circuit breaker per system: after `failureThreshold` consecutive failures (5xx, 408, timeouts,
   * network errors) calls fail fast with `CircuitOpenError` for `halfOpenAfterMs`, then one trial
   * call decides. `false` disables it.
   * @default { failureThreshold: 5, halfOpenAfterMs: 30_000 }
   */
  circuitBreaker?: { failureThreshold?: number; halfOpenAfterMs?: number } | false;
  /** Credentials; on a 401 `invalidate()` is called once and the request retried. */
  auth?: AuthProvider;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** @default 'registerbro-transport' */
  userAgent?: string;
  /** Reuse connections. @default true */
  keepAlive?: boolean;
  /**
   * Share the rate limiter and circuit breaker with every other client of the same `system` in
   * this process (the first client's settings win). `false` gives this client its own.
   * @default true
   */
  shared?: boolean;
  /** Turn a non-2xx response into a system-specific typed error (return `undefined` for the default). */
  mapError?: (response: HttpResponse, request: HttpRequest) => RegisterbroError | undefined;
}

/** A resilient HTTP client for one register. */
export interface HttpClient {
  /** Send a request, with rate limiting, retries, circuit breaking and typed errors. */
  request(request: HttpRequest): Promise<HttpResponse>;
  /** Close kept-alive connections. */
  close(): void;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'UND_ERR_SOCKET',
]);
const SECRET_QUERY_KEY =
  /token|secret|passw|passord|apikey|api_key|^key$|signature|^sig$|assertion|^code$|auth/i;

interface SystemState {
  limiter?: Bottleneck;
  breaker?: CircuitBreakerPolicy;
}

// Process-wide so that several adapters (or several clients in one adapter) talking to the same
// register respect one budget and one view of its health.
const sharedStates = new Map<string, SystemState>();

/** Forget the shared rate limiters and circuit breakers (for tests). */
export function resetSharedHttpState(): void {
  sharedStates.clear();
}

/** Outcome of one exchange: a response, or a thrown RegisterbroError. */
interface Exchange {
  response: HttpResponse;
  /** 5xx/408 not listed in the request's okStatuses (a SOAP fault in a 500 is an answer, not an outage). */
  failure: boolean;
}

/**
 * Create the HTTP client every adapter uses: axios underneath (text bodies, every status
 * returned to us), keep-alive agents, timeouts, `AbortSignal`, bounded retries with exponential
 * backoff and full jitter for idempotent requests, `Retry-After`, a per-system rate limit and
 * circuit breaker, and typed errors that never carry secrets or unmasked fødselsnummer.
 *
 * @example
 * const client = createHttpClient({ system: 'landbruk', baseURL: 'https://example.test/api',
 *   auth: bearerAuth(tokens), rateLimit: { requestsPerSecond: 10 } });
 * const res = await client.request({ method: 'GET', path: '/v1/x', okStatuses: [404] });
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const system = options.system;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retries = Math.max(0, options.retries ?? 3);
  const baseMs = options.backoff?.baseMs ?? 200;
  const maxMs = options.backoff?.maxMs ?? 10_000;
  const retryAfterUnit = options.retryAfterUnit ?? 'seconds';
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  const keepAlive = options.keepAlive ?? true;
  const httpAgent = new http.Agent({ keepAlive });
  const httpsAgent = new https.Agent({ keepAlive });
  const state = resolveState(options);
  const breakerSettings =
    options.circuitBreaker === false
      ? undefined
      : {
          failureThreshold: options.circuitBreaker?.failureThreshold ?? 5,
          halfOpenAfterMs: options.circuitBreaker?.halfOpenAfterMs ?? 30_000,
        };

  const axiosInstance = axios.create({
    responseType: 'text',
    // We read every status ourselves and decide what is an error.
    validateStatus: () => true,
    transformResponse: [(data: unknown) => data],
    transformRequest: [(data: unknown) => data],
    httpAgent,
    httpsAgent,
    // Registers' APIs answer where they are asked; a redirect is reported (see defaultError), never
    // followed with our credentials. Also keeps follow-redirects' per-request wrapper off the path.
    maxRedirects: 0,
  });

  async function exchangeOnce(
    request: HttpRequest,
    method: HttpMethod,
    url: string,
    safeUrl: string,
    authHeaders: Record<string, string>,
  ): Promise<Exchange> {
    const headers: Record<string, string> = {
      'user-agent': options.userAgent ?? 'registerbro-transport',
      ...options.headers,
      ...request.headers,
      ...authHeaders,
    };
    let data: string | Buffer | undefined;
    if (request.body === undefined) data = undefined;
    else if (typeof request.body === 'string' || Buffer.isBuffer(request.body)) data = request.body;
    else {
      data = JSON.stringify(request.body);
      if (!hasHeader(headers, 'content-type')) headers['content-type'] = 'application/json';
    }

    const attemptTimeout = request.timeoutMs ?? timeoutMs;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, attemptTimeout);
    // AbortSignal.any follows the caller's signal without adding a listener to it: one run signal
    // shared by many requests in flight would otherwise pass Node's listener warning threshold.
    const signal = request.signal ? AbortSignal.any([request.signal, controller.signal]) : controller.signal;
    try {
      const res: AxiosResponse<string> = await axiosInstance.request<string>({
        method,
        url,
        headers,
        data,
        signal,
      });
      const response = toHttpResponse(res, safeUrl, system, request.record);
      // A 5xx counts against the register's health unless the caller expects it, or the register's
      // own error mapping says it is a business answer (a SOAP "not found" Fault arrives as 500).
      const failure =
        (res.status >= 500 || res.status === 408) &&
        !request.okStatuses?.includes(res.status) &&
        options.mapError?.(response, request)?.retryable !== false;
      return { response, failure };
    } catch (error) {
      if (request.signal?.aborted) throw abortedError(system, request.record);
      if (timedOut) {
        throw new TimeoutError(`${system}: ${method} ${safeUrl} timed out after ${attemptTimeout} ms`, {
          system,
          record: request.record,
          timeoutMs: attemptTimeout,
          hint: 'The register is slow or unreachable; the request is retried if idempotent.',
        });
      }
      throw networkError(error, system, method, safeUrl, request.record);
    } finally {
      clearTimeout(timer);
    }
  }

  async function guarded(
    request: HttpRequest,
    method: HttpMethod,
    url: string,
    safeUrl: string,
    authHeaders: Record<string, string>,
  ): Promise<Exchange> {
    const run = () => exchangeOnce(request, method, url, safeUrl, authHeaders);
    const throughBreaker = () => {
      if (!state.breaker) return run();
      return state.breaker.execute(run).catch((error: unknown) => {
        if (error instanceof BrokenCircuitError) {
          throw new CircuitOpenError(
            `${system}: circuit open after repeated failures; ${method} ${safeUrl} not sent`,
            {
              system,
              record: request.record,
              hint: `Calls fail fast for ${breakerSettings?.halfOpenAfterMs ?? 0} ms, then one trial call decides.`,
            },
          );
        }
        throw error;
      });
    };
    if (!state.limiter) return throughBreaker();
    return scheduleAbortable(state.limiter, throughBreaker, request.signal, system, request.record);
  }

  async function request(request: HttpRequest): Promise<HttpResponse> {
    const method = request.method.toUpperCase() as HttpMethod;
    const idempotent = request.idempotent ?? IDEMPOTENT_METHODS.has(method);
    const maxAttempts = 1 + (idempotent ? retries : 0);
    const url = buildUrl(options.baseURL, request.path, request.query);
    const safeUrl = redactUrl(url);
    let reauthenticated = false;
    let attempt = 0;

    for (;;) {
      if (request.signal?.aborted) throw abortedError(system, request.record);
      attempt += 1;
      let response: HttpResponse;
      // Credentials are fetched outside the limiter and breaker: a slow token endpoint must not
      // hold a concurrency slot, and its failures say nothing about the register's health.
      const authHeaders = options.auth ? await options.auth.headers(request.signal) : {};
      try {
        ({ response } = await guarded(request, method, url, safeUrl, authHeaders));
      } catch (error) {
        if (isRegisterbroError(error) && isRetryableTransportError(error) && attempt < maxAttempts) {
          await sleep(
            backoffDelay(attempt, baseMs, maxMs),
            abortContext(request.signal, system, request.record),
          );
          continue;
        }
        throw error;
      }

      const status = response.status;
      if ((status >= 200 && status < 300) || request.okStatuses?.includes(status)) return response;

      // A 401 means the request was not processed, so one re-authentication is safe for any method.
      if (status === 401 && !reauthenticated && options.auth?.invalidate) {
        reauthenticated = true;
        options.auth.invalidate();
        attempt -= 1;
        continue;
      }

      const retryAfterMs = parseRetryAfter(response.headers['retry-after'], retryAfterUnit);
      const error =
        options.mapError?.(response, request) ??
        defaultError(response, request, method, safeUrl, system, retryAfterMs);
      if (retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs && RETRY_STATUSES.has(status)) {
        throw new RateLimitError(
          `${system}: ${method} ${safeUrl} answered ${status} and asked us to wait ${retryAfterMs} ms (more than maxRetryAfterMs ${maxRetryAfterMs})`,
          {
            system,
            record: request.record,
            retryAfterMs,
            hint: 'Try again after retryAfterMs, or raise maxRetryAfterMs.',
            details: { status },
          },
        );
      }
      if (RETRY_STATUSES.has(status) && error.retryable && attempt < maxAttempts) {
        await sleep(
          retryAfterMs ?? backoffDelay(attempt, baseMs, maxMs),
          abortContext(request.signal, system, request.record),
        );
        continue;
      }
      throw error;
    }
  }

  function resolveState(opts: HttpClientOptions): SystemState {
    const shared = opts.shared ?? true;
    let s: SystemState | undefined = shared ? sharedStates.get(opts.system) : undefined;
    if (!s) {
      s = {};
      if (shared) sharedStates.set(opts.system, s);
    }
    if (!s.limiter && opts.rateLimit) {
      s.limiter = new Bottleneck({
        minTime: Math.ceil(1000 / opts.rateLimit.requestsPerSecond),
        maxConcurrent: opts.rateLimit.maxConcurrent ?? null,
      });
    }
    if (!s.breaker && opts.circuitBreaker !== false) {
      const threshold = opts.circuitBreaker?.failureThreshold ?? 5;
      s.breaker = circuitBreaker(
        handleWhen(
          (error) =>
            isRegisterbroError(error) && (error.code === 'timeout' || error.code === 'network_error'),
        ).orWhenResult((result) => (result as Exchange).failure),
        {
          halfOpenAfter: opts.circuitBreaker?.halfOpenAfterMs ?? 30_000,
          breaker: new ConsecutiveBreaker(threshold),
        },
      );
    }
    return s;
  }

  return {
    request,
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

function toHttpResponse(
  res: AxiosResponse<string>,
  url: string,
  system: SystemName,
  record?: string,
): HttpResponse {
  const headers: Record<string, string> = {};
  const raw = res.headers as Record<string, unknown> & { toJSON?: () => Record<string, unknown> };
  const plain = typeof raw.toJSON === 'function' ? raw.toJSON() : raw;
  for (const [key, value] of Object.entries(plain)) {
    if (value === undefined || value === null) continue;
    headers[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  const body = typeof res.data === 'string' ? res.data : res.data == null ? '' : String(res.data);
  return {
    status: res.status,
    headers,
    body,
    url,
    json<T>(): T {
      try {
        return JSON.parse(body) as T;
      } catch (error) {
        throw new UpstreamInvalidError(`${system}: response from ${url} is not valid JSON`, {
          system,
          record,
          excerpt: body.slice(0, 200),
          cause: error,
          hint: 'The register sent a malformed body; the record is quarantined.',
        });
      }
    },
  };
}

function defaultError(
  response: HttpResponse,
  request: HttpRequest,
  method: HttpMethod,
  safeUrl: string,
  system: SystemName,
  retryAfterMs: number | undefined,
): RegisterbroError {
  const status = response.status;
  const what = `${system}: ${method} ${safeUrl} answered ${status}`;
  if (status === 401 || status === 403) {
    return new AuthError(`${what}; the credentials were refused`, {
      system,
      record: request.record,
      status,
      hint:
        status === 401
          ? 'Check the credentials (client id, key, password) configured for this register.'
          : 'The credentials are valid but lack access: check scopes, roles or the delegation.',
    });
  }
  if (status === 429) {
    return new RateLimitError(`${what}; the register asks us to slow down`, {
      system,
      record: request.record,
      retryAfterMs,
      hint: 'Lower rateLimit.requestsPerSecond for this register.',
      details: { status },
    });
  }
  if (status >= 300 && status < 400 && response.headers.location !== undefined) {
    return new HttpError(`${what} (a redirect, not followed)`, {
      system,
      record: request.record,
      status,
      method,
      url: safeUrl,
      hint: `The register moved this address to ${redactUrl(response.headers.location)}; redirects are not followed (the credentials would go with them): configure the new address as baseURL.`,
    });
  }
  return new HttpError(what, { system, record: request.record, status, method, url: safeUrl });
}

function isRetryableTransportError(error: RegisterbroError): boolean {
  return (error.code === 'timeout' || error.code === 'network_error') && error.retryable;
}

/** What an abort of a request is reported as: the request, not just "the operation". */
function abortContext(
  signal: AbortSignal | undefined,
  system: SystemName,
  record?: string,
): AbortableOptions {
  return {
    signal,
    system,
    message: `${system}: the request was aborted`,
    ...(record === undefined ? {} : { record }),
  };
}

function abortedError(system: SystemName, record?: string): AbortedError {
  return sharedAbortedError(abortContext(undefined, system, record));
}

function networkError(
  error: unknown,
  system: SystemName,
  method: string,
  safeUrl: string,
  record?: string,
): RegisterbroError {
  // Never keep the axios error itself as cause: its config holds the request headers
  // (Authorization) and body.
  const code = isAxiosError(error) ? error.code : (error as { code?: string } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const transient =
    (code !== undefined && TRANSIENT_NETWORK_CODES.has(code)) ||
    // A body cut off mid-stream (axios ERR_BAD_RESPONSE "stream has been aborted") is a dropped
    // connection too: the same request may well succeed.
    /socket hang up|ECONNRESET|ECONNREFUSED|stream has been aborted/i.test(message);
  const cause = Object.assign(new Error(message), { code });
  return new RegisterbroError('network_error', `${system}: ${method} ${safeUrl} failed: ${message}`, {
    system,
    record,
    retryable: transient,
    cause,
    details: { networkCode: code },
    hint: transient ? 'The connection failed; the request is retried if idempotent.' : undefined,
  });
}

/** Run `fn` through the limiter, but let the caller's abort win while the job is still queued. */
function scheduleAbortable<T>(
  limiter: Bottleneck,
  fn: () => Promise<T>,
  signal: AbortSignal | undefined,
  system: SystemName,
  record?: string,
): Promise<T> {
  if (!signal) return limiter.schedule(fn);
  const job = limiter.schedule(() => {
    // Queued jobs whose caller gave up are not sent at all.
    if (signal.aborted) return Promise.reject(abortedError(system, record));
    return fn();
  });
  return abortable(job, abortContext(signal, system, record));
}

/** Full-jitter exponential backoff: a random wait in [0, min(max, base·2^(attempt-1))). */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  return Math.random() * Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * Read a `Retry-After` header: delta seconds (or milliseconds when `unit` says so) or an HTTP-date.
 * Returns milliseconds, or `undefined` when absent or unreadable.
 */
export function parseRetryAfter(
  value: string | undefined,
  unit: 'seconds' | 'milliseconds' = 'seconds',
  now: number = Date.now(),
): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const n = Number(trimmed);
    return Math.round(unit === 'milliseconds' ? n : n * 1000);
  }
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Join `baseURL` and `path` (absolute URLs pass through) and append the query. */
export function buildUrl(baseURL: string, path: string, query?: Record<string, QueryValue>): string {
  const joined = /^https?:\/\//i.test(path)
    ? path
    : path === ''
      ? baseURL
      : `${baseURL.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  if (!query) return joined;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else params.append(key, String(value));
  }
  const qs = params.toString();
  if (qs === '') return joined;
  return `${joined}${joined.includes('?') ? '&' : '?'}${qs}`;
}

/** A URL fit for errors and logs: no userinfo, secret-looking query values replaced by `***`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    for (const key of [...new Set(parsed.searchParams.keys())]) {
      if (SECRET_QUERY_KEY.test(key)) parsed.searchParams.set(key, '***');
    }
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//').replace(/\?.*$/, '');
  }
}
