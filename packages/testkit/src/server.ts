import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  type Fault,
  type FaultInjector,
  type FaultKind,
  type HostileVariant,
  hostileBody,
  malformedBody,
} from './faults.js';

/**
 * The shared HTTP server every simulator runs on: a real `node:http` server on 127.0.0.1, port 0,
 * that collects the request body, applies faults around the simulator's handler and keeps a
 * bounded request log.
 */

/** A request as the simulator's handler sees it. */
export interface SimRequest {
  method: string;
  /** Path without the query string, e.g. `/folkeregisteret/api/v1/personer/…`. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names, as node:http gives them. */
  headers: IncomingHttpHeaders;
  /** The whole request body as UTF-8 text (empty string when none). */
  body: string;
  /** Path and query as requested. */
  url: string;
  /** Aborted when the client disconnects (for long-polling handlers). */
  signal: AbortSignal;
}

/** What the handler answers. */
export interface SimResponse {
  /** @default 200 */
  status?: number;
  headers?: Record<string, string>;
  /** @default '' */
  body?: string | Buffer;
}

/** One request in the log. */
export interface RequestLogEntry {
  /** ISO timestamp the request arrived. */
  at: string;
  method: string;
  path: string;
  /** Status sent, or 0 when the connection was reset or hung. */
  status: number;
  /** The fault applied, if any (`latency` when only a delay was added). */
  fault?: FaultKind;
}

/** Counters over every request since start (the log itself keeps only the latest entries). */
export interface RequestStats {
  total: number;
  byStatus: Record<number, number>;
  byFault: Partial<Record<FaultKind, number>>;
  /** Requests whose handler threw (answered 500). */
  handlerErrors: number;
}

/** Options of {@link startSimulatorServer}. */
export interface SimulatorServerOptions {
  /** The simulator's name, used in error bodies and the server header. */
  name: string;
  handler: (request: SimRequest) => Promise<SimResponse> | SimResponse;
  /** Faults to apply. @default none */
  faults?: FaultInjector;
  /**
   * Checked after before-faults and before the handler. `false` answers 401 with a JSON body;
   * a {@link SimResponse} is sent as is. @default every request is allowed
   */
  auth?: (headers: IncomingHttpHeaders, request: SimRequest) => boolean | SimResponse;
  /** Body for injected error statuses (e.g. a system's own error shape). @default a small JSON object */
  errorBody?: (status: number, request: SimRequest) => SimResponse;
  /** Hostile body for a variant and content type. @default {@link hostileBody} */
  hostile?: (contentType: string | undefined, variant: HostileVariant) => string;
  /** How many log entries to keep (the oldest are dropped). @default 10_000 */
  logLimit?: number;
  /** Largest request body accepted; larger gets 413. @default 50 MiB */
  maxBodyBytes?: number;
  /** A hung request is ended after this long even if the client waits. @default 120_000 */
  hangMs?: number;
}

/** A running simulator server. */
export interface SimulatorServer {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  url: string;
  port: number;
  name: string;
  /** The latest requests, oldest first (at most `logLimit` plus a tenth). */
  requests: RequestLogEntry[];
  /** Counters since start. */
  stats: RequestStats;
  /** The fault injector in use (the one passed in, or an inert one). */
  faults: FaultInjector | undefined;
  /** Empty the log and counters. */
  clearLog(): void;
  /** Stop accepting, destroy open sockets (keep-alive and hung ones) and resolve when closed. */
  close(): Promise<void>;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (ms <= 0 || signal.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/** A header's value whatever the case of its name. */
function headerValue(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name) return headers[key];
  return undefined;
}

/** The handler's headers with our own Content-Length (any handler-set one, in any case, dropped). */
function withLength(
  headers: Record<string, string> | undefined,
  length: number,
): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(headers ?? {}))
    if (key.toLowerCase() !== 'content-length') out[key] = value;
  out['content-length'] = length;
  return out;
}

/** Collect a request body (events, not async iteration: half the cost per small request). */
function readBody(req: IncomingMessage, maxBody: number): Promise<{ body: string; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBody) chunks.push(chunk);
    });
    req.on('end', () => {
      const tooLarge = size > maxBody;
      resolve({
        body: tooLarge || chunks.length === 0 ? '' : Buffer.concat(chunks).toString('utf8'),
        tooLarge,
      });
    });
    req.on('error', reject);
  });
}

function retryAfterHeader(fault: Extract<Fault, { kind: 'rate_limit' }>): string {
  const ms = fault.retryAfterMs ?? 1000;
  return fault.unit === 'milliseconds' ? String(ms) : String(Math.max(1, Math.ceil(ms / 1000)));
}

/**
 * Start a simulator server on 127.0.0.1 (a free port). Faults are applied in this order: latency;
 * reset / hang / status / 429 (instead of the handler); auth; the handler; truncate / hostile /
 * malformed (on the handler's response).
 */
export async function startSimulatorServer(options: SimulatorServerOptions): Promise<SimulatorServer> {
  const logLimit = Math.max(1, options.logLimit ?? 10_000);
  const trimChunk = Math.min(1000, Math.ceil(logLimit / 10));
  const maxBody = options.maxBodyBytes ?? 50 * 1024 * 1024;
  const hangMs = options.hangMs ?? 120_000;
  const hostile = options.hostile ?? hostileBody;
  const sockets = new Set<Socket>();
  const stats: RequestStats = { total: 0, byStatus: {}, byFault: {}, handlerErrors: 0 };
  const requests: RequestLogEntry[] = [];
  let closing = false;

  const log = (entry: RequestLogEntry) => {
    stats.total++;
    stats.byStatus[entry.status] = (stats.byStatus[entry.status] ?? 0) + 1;
    if (entry.fault) stats.byFault[entry.fault] = (stats.byFault[entry.fault] ?? 0) + 1;
    requests.push(entry);
    // Drop in chunks (a tenth of the limit) so a long run does not shift the array on every request.
    if (requests.length > logLimit + trimChunk) requests.splice(0, requests.length - logLimit);
  };

  const errorBody =
    options.errorBody ??
    ((status: number): SimResponse => ({
      status,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ error: `${options.name} simulator: injected ${status}`, status }),
    }));

  const send = (res: ServerResponse, response: SimResponse) => {
    const body = response.body ?? '';
    res.writeHead(response.status ?? 200, withLength(response.headers, Buffer.byteLength(body)));
    res.end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const at = new Date().toISOString();
    const controller = new AbortController();
    // 'close' on the response fires after it finished or when the client went away; only the latter aborts.
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const { body, tooLarge } = await readBody(req, maxBody);
    const rawUrl = req.url ?? '/';
    const parsed = new URL(rawUrl, 'http://127.0.0.1');
    const request: SimRequest = {
      method: req.method ?? 'GET',
      path: parsed.pathname,
      query: parsed.searchParams,
      headers: req.headers,
      body,
      url: rawUrl,
      signal: controller.signal,
    };
    const entry: RequestLogEntry = { at, method: request.method, path: request.path, status: 0 };
    if (tooLarge) {
      entry.status = 413;
      log(entry);
      send(res, { status: 413, body: `${options.name} simulator: body over ${maxBody} bytes` });
      return;
    }

    const decision = options.faults?.decide({ method: request.method, path: request.path }) ?? {
      latencyMs: 0,
    };
    if (decision.latencyMs > 0) {
      entry.fault = 'latency';
      await sleep(decision.latencyMs, controller.signal);
    }
    if (controller.signal.aborted) {
      log(entry);
      return;
    }

    const before = decision.before;
    if (before) {
      entry.fault = before.kind;
      switch (before.kind) {
        case 'reset':
          log(entry);
          req.socket.destroy();
          return;
        case 'timeout':
          log(entry);
          // Hang: answer nothing. The client's timeout (or close()) ends it; the cap keeps a
          // forgotten request from holding the process open.
          await sleep(hangMs, controller.signal);
          if (!res.headersSent && !res.destroyed) req.socket.destroy();
          return;
        case 'status': {
          const response = before.body
            ? { status: before.status, headers: before.headers ?? {}, body: before.body }
            : errorBody(before.status, request);
          entry.status = response.status ?? before.status;
          log(entry);
          send(res, {
            ...response,
            status: before.status,
            headers: { ...response.headers, ...before.headers },
          });
          return;
        }
        case 'rate_limit':
          entry.status = 429;
          log(entry);
          {
            // The register's own error shape, with the Retry-After the fault asks for.
            const limited = errorBody(429, request);
            send(res, {
              ...limited,
              status: 429,
              headers: { ...limited.headers, 'retry-after': retryAfterHeader(before) },
            });
          }
          return;
        default:
          break;
      }
    }

    if (options.auth) {
      const verdict = options.auth(req.headers, request);
      if (verdict !== true) {
        const response: SimResponse =
          verdict === false
            ? {
                status: 401,
                headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer' },
                body: JSON.stringify({ error: `${options.name} simulator: unauthorised` }),
              }
            : verdict;
        entry.status = response.status ?? 401;
        log(entry);
        send(res, response);
        return;
      }
    }

    let response: SimResponse;
    try {
      response = await options.handler(request);
    } catch (error) {
      stats.handlerErrors++;
      response = {
        status: 500,
        headers: { 'content-type': 'text/plain' },
        body: `${options.name} simulator: handler failed: ${(error as Error)?.message ?? String(error)}`,
      };
    }
    if (controller.signal.aborted || res.destroyed) {
      log(entry);
      return;
    }
    const status = response.status ?? 200;
    entry.status = status;
    const after = decision.after;
    if (!after) {
      log(entry);
      send(res, response);
      return;
    }
    entry.fault = after.kind;
    const contentType = headerValue(response.headers, 'content-type');
    if (after.kind === 'truncate') {
      const body = Buffer.from(response.body ?? '');
      log(entry);
      res.writeHead(status, withLength(response.headers, body.length));
      const half = body.subarray(0, Math.floor(body.length / 2));
      res.write(half, () => {
        res.socket?.destroy();
      });
      return;
    }
    const original =
      typeof response.body === 'string' ? response.body : (response.body?.toString('utf8') ?? '');
    const replaced =
      after.kind === 'hostile'
        ? hostile(contentType, after.variant ?? 'garbage')
        : malformedBody(contentType, original);
    entry.status = 200;
    log(entry);
    send(res, {
      status: 200,
      // Without a content type the hostile/malformed body is JSON-shaped: say so.
      headers: contentType
        ? { ...response.headers }
        : { ...response.headers, 'content-type': 'application/json' },
      body: replaced,
    });
  };

  const server = createServer({ keepAlive: true }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      stats.handlerErrors++;
      if (!res.headersSent && !res.destroyed) {
        send(res, {
          status: 500,
          body: `${options.name} simulator: ${(error as Error)?.message ?? String(error)}`,
        });
      } else {
        res.destroy();
      }
    });
  });
  server.keepAliveTimeout = 5_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    if (closing) socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    name: options.name,
    requests,
    stats,
    faults: options.faults,
    clearLog() {
      requests.length = 0;
      stats.total = 0;
      stats.byStatus = {};
      stats.byFault = {};
      stats.handlerErrors = 0;
    },
    close() {
      closing = true;
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections?.();
      });
    },
  };
}
