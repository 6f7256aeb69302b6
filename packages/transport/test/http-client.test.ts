import { hasErrorCode, isRegisterbroError, ConflictError } from '@registerbro/model';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AuthProvider,
  basicAuth,
  createHttpClient,
  parseRetryAfter,
  redactUrl,
  buildUrl,
} from '../src/index.js';
import { caught, reply, startServer, type TestServer, uniqueSystem } from './helpers.js';

// Synthetic, Tenor-style (birth month + 80): never a real person.
const SYNTHETIC_FNR = '01818012345';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const fast = { backoff: { baseMs: 1, maxMs: 5 } };

describe('createHttpClient against a real server', () => {
  it('retries a GET on 5xx with backoff and returns the eventual 200', async () => {
    server = await startServer((_req, res, _seen, i) => (i < 2 ? reply(res, 503) : reply(res, 200, 'ok')));
    const client = createHttpClient({ system: uniqueSystem(), baseURL: server.url, ...fast });
    const res = await client.request({
      method: 'GET',
      path: '/x',
      query: { a: 1, b: ['x', 'y'], c: undefined },
    });
    expect(res.status).toBe(200);
    expect(res.body).toBe('ok');
    expect(server.requests).toHaveLength(3);
    expect(server.requests[0]?.url).toBe('/x?a=1&b=x&b=y');
    client.close();
  });

  it('gives up after the configured retries with an HttpError that names status, method and a clean URL', async () => {
    server = await startServer((_req, res) => reply(res, 500, 'secret body'));
    const base = server.url.replace('http://', 'http://user:pw@');
    const client = createHttpClient({
      system: uniqueSystem(),
      baseURL: base,
      retries: 2,
      auth: basicAuth('user', 'hunter2'),
      ...fast,
    });
    const error = await caught(
      client.request({
        method: 'GET',
        path: `/personer/${SYNTHETIC_FNR}`,
        query: { token: 'abc123', side: 2 },
      }),
    );
    expect(hasErrorCode(error, 'http_error')).toBe(true);
    const e = error as { status: number; method: string; url: string; retryable: boolean };
    expect(e.status).toBe(500);
    expect(e.method).toBe('GET');
    expect(e.retryable).toBe(true);
    expect(e.url).toContain('side=2');
    const serialised = `${JSON.stringify(error)} ${String(error)} ${e.url} ${(error as Error).stack}`;
    for (const secret of ['abc123', 'pw@', 'hunter2', 'Basic ', SYNTHETIC_FNR, 'secret body']) {
      expect(serialised).not.toContain(secret);
    }
    expect(server.requests).toHaveLength(3);
    expect(server.requests[0]?.headers.authorization).toMatch(/^Basic /);
    client.close();
  });

  it('never retries a plain POST, but does when the request says it is idempotent', async () => {
    server = await startServer((_req, res) => reply(res, 503));
    const client = createHttpClient({ system: uniqueSystem(), baseURL: server.url, ...fast });
    const error = await caught(client.request({ method: 'POST', path: '/x', body: { a: 1 } }));
    expect(hasErrorCode(error, 'http_error')).toBe(true);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.body).toBe('{"a":1}');
    expect(server.requests[0]?.headers['content-type']).toBe('application/json');
    await caught(client.request({ method: 'POST', path: '/x', body: '<a/>', idempotent: true }));
    expect(server.requests).toHaveLength(5);
    client.close();
  });

  it('honours Retry-After in seconds and throws RateLimitError when the wait exceeds maxRetryAfterMs', async () => {
    server = await startServer((_req, res) => reply(res, 429, '', { 'retry-after': '120' }));
    const client = createHttpClient({ system: uniqueSystem(), baseURL: server.url, ...fast });
    const error = await caught(client.request({ method: 'GET', path: '/x' }));
    expect(hasErrorCode(error, 'rate_limited')).toBe(true);
    expect((error as { retryAfterMs: number }).retryAfterMs).toBe(120_000);
    expect(server.requests).toHaveLength(1);
    client.close();
  });

  it('reads a numeric Retry-After as milliseconds when told (Skatteetaten)', async () => {
    server = await startServer((_req, res, _s, i) =>
      i === 0 ? reply(res, 429, '', { 'retry-after': '30' }) : reply(res, 200, 'ok'),
    );
    // If 30 were read as seconds, 30 000 ms > maxRetryAfterMs and this would throw.
    const client = createHttpClient({
      system: uniqueSystem(),
      baseURL: server.url,
      retryAfterUnit: 'milliseconds',
      maxRetryAfterMs: 1_000,
      ...fast,
    });
    const res = await client.request({ method: 'GET', path: '/x' });
    expect(res.status).toBe(200);
    expect(server.requests).toHaveLength(2);
    client.close();
  });

  it('honours a Retry-After HTTP-date on 503', async () => {
    const inAnHour = new Date(Date.now() + 3_600_000).toUTCString();
    server = await startServer((_req, res) => reply(res, 503, '', { 'retry-after': inAnHour }));
    const client = createHttpClient({ system: uniqueSystem(), baseURL: server.url, ...fast });
    const error = await caught(client.request({ method: 'GET', path: '/x' }));
    expect(hasErrorCode(error, 'rate_limited')).toBe(true);
    expect((error as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(3_500_000);
  });

  it('throws RateLimitError on a 429 once retries are used up', async () => {
    server = await startServer((_req, res) => reply(res, 429));
    const client = createHttpClient({ system: uniqueSystem(), baseURL: server.url, retries: 1, ...fast });
    const error = await caught(client.request({ method: 'GET', path: '/x' }));
    expect(hasErrorCode(error, 'rate_limited')).toBe(true);
    expect((error as { retryable: boolean }).retryable).toBe(true);
    expect(server.requests).toHaveLength(2);
  });

  it('times out with TimeoutError and retries the timeout for a GET', async () => {
    server = await startServer((_req, res) => {
      setTimeout(() => reply(res, 200, 'late'), 2_000).unref();
    });
    const client = createHttpClient({
      system: uniqueSystem(),
      baseURL: server.url,
      timeoutMs: 50,
      retries: 1,
      ...fast,
    });
    const error = await caught(client.request({ method: 'GET', path: '/slow' }));
    expect(hasErrorCode(error, 'timeout')).toBe(true);
    expect(server.requests).toHaveLength(2);
    client.close();
  });

  it('aborts an in-flight request with AbortedError', async () => {
    server = await startServer((_req, res) => {
      setTimeout(() => reply(res, 200), 2_000).unref();
    });
    const client = createHttpClient({ system: uniqueSystem(), baseURL: server.url, ...fast });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const error = await caught(client.request({ method: 'GET', path: '/x', signal: controller.signal }));
    expect(hasErrorCode(error, 'aborted')).toBe(true);
    expect(server.requests).toHaveLength(1);
    client.close();
  });

  it('aborting during a backoff sleep rejects at once', { timeout: 5_000 }, async () => {
    // Retry-After 30 s (below maxRetryAfterMs) would make the client sleep 30 s; the abort must cut it.
    server = await startServer((_req, res) => reply(res, 503, '', { 'retry-after': '30' }));
    const client = createHttpClient({ system: uniqueSystem(), baseURL: server.url, ...fast });
    const controller = new AbortController();
    const pending = caught(client.request({ method: 'GET', path: '/x', signal: controller.signal }));
    await new Promise((r) => setTimeout(r, 100));
    expect(server.requests).toHaveLength(1);
    controller.abort();
    const error = await pending;
    expect(hasErrorCode(error, 'aborted')).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('an already-aborted signal sends nothing', async () => {
    server = await startServer((_req, res) => reply(res, 200));
    const client = createHttpClient({ system: uniqueSystem(), baseURL: server.url });
    const error = await caught(client.request({ method: 'GET', path: '/x', signal: AbortSignal.abort() }));
    expect(hasErrorCode(error, 'aborted')).toBe(true);
    expect(server.requests).toHaveLength(0);
  });

  it('retries a GET after the server resets the connection; a POST surfaces network_error', async () => {
    server = await startServer((req, res, _s, i) => {
      if (i === 0 || req.method === 'POST') req.socket.destroy();
      else reply(res, 200, 'ok');
    });
    const client = createHttpClient({ system: uniqueSystem(), baseURL: server.url, ...fast });
    const res = await client.request({ method: 'GET', path: '/x' });
    expect(res.body).toBe('ok');
    const error = await caught(client.request({ method: 'POST', path: '/x', body: 'a' }));
    expect(hasErrorCode(error, 'network_error')).toBe(true);
    expect((error as { retryable: boolean }).retryable).toBe(true);
    client.close();
  });

  it('maps a refused connection to a retryable network_error', async () => {
    const closed = await startServer((_req, res) => reply(res, 200));
    const url = closed.url;
    await closed.close();
    const client = createHttpClient({ system: uniqueSystem(), baseURL: url, retries: 1, ...fast });
    const error = await caught(client.request({ method: 'GET', path: '/x' }));
    expect(hasErrorCode(error, 'network_error')).toBe(true);
    expect((error as { retryable: boolean }).retryable).toBe(true);
  });

  it('re-authenticates once on 401 (invalidate + retry), even for a POST', async () => {
    server = await startServer((req, res) =>
      req.headers.authorization === 'Bearer t2' ? reply(res, 200, 'ok') : reply(res, 401),
    );
    let token = 1;
    let invalidations = 0;
    const auth: AuthProvider = {
      headers: async () => ({ authorization: `Bearer t${token}` }),
      invalidate: () => {
        invalidations += 1;
        token += 1;
      },
    };
    const client = createHttpClient({ system: uniqueSystem(), baseURL: server.url, auth, ...fast });
    const res = await client.request({ method: 'POST', path: '/x', body: 'a' });
    expect(res.status).toBe(200);
    expect(invalidations).toBe(1);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(['Bearer t1', 'Bearer t2']);
  });

  it('throws AuthError when the retried request is still 401, and at once on 403', async () => {
    server = await startServer((req, res) => reply(res, req.url === '/forbidden' ? 403 : 401));
    let invalidations = 0;
    const auth: AuthProvider = {
      headers: async () => ({ authorization: 'Bearer sekrit-token' }),
      invalidate: () => {
        invalidations += 1;
      },
    };
    const client = createHttpClient({ system: uniqueSystem(), baseURL: server.url, auth, ...fast });
    const error = await caught(client.request({ method: 'GET', path: '/x' }));
    expect(hasErrorCode(error, 'auth_failed')).toBe(true);
    expect((error as { status: number }).status).toBe(401);
    expect(JSON.stringify(error) + String(error)).not.toContain('sekrit-token');
    expect(invalidations).toBe(1);
    expect(server.requests).toHaveLength(2);
    const forbidden = await caught(client.request({ method: 'GET', path: '/forbidden' }));
    expect((forbidden as { status: number }).status).toBe(403);
    expect(server.requests).toHaveLength(3);
  });

  it('returns okStatuses instead of throwing and lets mapError type system-specific bodies', async () => {
    server = await startServer((req, res) =>
      req.url === '/gone' ? reply(res, 404) : reply(res, 409, '{"c":"x"}'),
    );
    const client = createHttpClient({
      system: uniqueSystem(),
      baseURL: server.url,
      mapError: (response) =>
        response.status === 409
          ? new ConflictError(`conflict ${(response.json() as { c: string }).c}`, { system: 'noark' })
          : undefined,
    });
    expect((await client.request({ method: 'GET', path: '/gone', okStatuses: [404] })).status).toBe(404);
    const error = await caught(client.request({ method: 'PUT', path: '/x', body: {} }));
    expect(hasErrorCode(error, 'conflict')).toBe(true);
    expect((error as Error).message).toBe('conflict x');
    expect(server.requests).toHaveLength(2);
  });

  it('json() throws UpstreamInvalidError on a malformed body', async () => {
    server = await startServer((_req, res) => reply(res, 200, '{"a":'));
    const client = createHttpClient({ system: uniqueSystem(), baseURL: server.url });
    const res = await client.request({ method: 'GET', path: '/x' });
    const error = await caught(Promise.resolve().then(() => res.json()));
    expect(hasErrorCode(error, 'upstream_invalid')).toBe(true);
  });

  it('opens the circuit after consecutive failures, fails fast, then half-opens', async () => {
    let healthy = false;
    server = await startServer((_req, res) => (healthy ? reply(res, 200, 'ok') : reply(res, 500)));
    const client = createHttpClient({
      system: uniqueSystem(),
      baseURL: server.url,
      retries: 0,
      circuitBreaker: { failureThreshold: 2, halfOpenAfterMs: 100 },
    });
    await caught(client.request({ method: 'GET', path: '/x' }));
    await caught(client.request({ method: 'GET', path: '/x' }));
    const open = await caught(client.request({ method: 'GET', path: '/x' }));
    expect(hasErrorCode(open, 'circuit_open')).toBe(true);
    expect(server.requests).toHaveLength(2);
    healthy = true;
    await new Promise((r) => setTimeout(r, 150));
    const res = await client.request({ method: 'GET', path: '/x' });
    expect(res.status).toBe(200);
    expect(server.requests).toHaveLength(3);
  });

  it('shares the circuit breaker between clients of the same system, but not with shared: false', async () => {
    server = await startServer((_req, res) => reply(res, 502));
    const system = uniqueSystem();
    const opts = {
      system,
      baseURL: server.url,
      retries: 0,
      circuitBreaker: { failureThreshold: 1, halfOpenAfterMs: 60_000 },
    };
    const a = createHttpClient(opts);
    const b = createHttpClient(opts);
    const own = createHttpClient({ ...opts, shared: false });
    await caught(a.request({ method: 'GET', path: '/x' }));
    expect(hasErrorCode(await caught(b.request({ method: 'GET', path: '/x' })), 'circuit_open')).toBe(true);
    expect(hasErrorCode(await caught(own.request({ method: 'GET', path: '/x' })), 'http_error')).toBe(true);
    expect(server.requests).toHaveLength(2);
  });

  it('a 5xx listed in okStatuses (a SOAP fault) is an answer and does not open the circuit', async () => {
    server = await startServer((_req, res) => reply(res, 500, '<fault/>'));
    const client = createHttpClient({
      system: uniqueSystem(),
      baseURL: server.url,
      circuitBreaker: { failureThreshold: 1, halfOpenAfterMs: 60_000 },
    });
    for (let i = 0; i < 3; i++) {
      const res = await client.request({
        method: 'POST',
        path: '/soap',
        body: '<e/>',
        idempotent: true,
        okStatuses: [500],
      });
      expect(res.body).toBe('<fault/>');
    }
    expect(server.requests).toHaveLength(3);
  });

  it('a 5xx that mapError calls a non-retryable business answer does not open the circuit', async () => {
    server = await startServer((_req, res) => reply(res, 500, '<Fault>not found</Fault>'));
    const client = createHttpClient({
      system: uniqueSystem(),
      baseURL: server.url,
      ...fast,
      circuitBreaker: { failureThreshold: 1, halfOpenAfterMs: 60_000 },
      mapError: (response) =>
        response.body.includes('not found')
          ? new ConflictError('the object was not found', { code: 'not_found', retryable: false })
          : undefined,
    });
    for (let i = 0; i < 3; i++) {
      const error = await caught(
        client.request({ method: 'POST', path: '/soap', body: '<e/>', idempotent: true }),
      );
      expect(hasErrorCode(error, 'not_found')).toBe(true);
    }
    expect(server.requests).toHaveLength(3);
  });

  it('retries an idempotent request whose body was cut off mid-stream', async () => {
    let calls = 0;
    server = await startServer((_req, res) => {
      calls += 1;
      if (calls === 1) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write('{"partial":');
        setTimeout(() => res.socket?.destroy(), 5);
        return;
      }
      reply(res, 200, '{"ok":true}');
    });
    const client = createHttpClient({ system: uniqueSystem(), baseURL: server.url, ...fast });
    const res = await client.request({ method: 'GET', path: '/doc' });
    expect(res.json()).toEqual({ ok: true });
    expect(calls).toBe(2);
  });

  it('does not follow a redirect (our credentials would go with it): an HttpError names where the register moved', async () => {
    let seenElsewhere = 0;
    const elsewhere = await startServer((_req, res) => {
      seenElsewhere += 1;
      reply(res, 200, 'moved here');
    });
    server = await startServer((_req, res) => {
      res.writeHead(301, { location: `${elsewhere.url}/ny?token=abc123` });
      res.end();
    });
    const client = createHttpClient({
      system: uniqueSystem(),
      baseURL: server.url,
      auth: basicAuth('user', 'hunter2'),
      ...fast,
    });
    const error = await caught(client.request({ method: 'GET', path: '/gammel' }));
    await elsewhere.close();
    expect(hasErrorCode(error, 'http_error')).toBe(true);
    expect((error as { status?: number }).status).toBe(301);
    const hint = (error as { hint?: string }).hint ?? '';
    expect(hint).toContain(`${elsewhere.url}/ny`);
    expect(hint).not.toContain('abc123');
    expect(seenElsewhere).toBe(0);
    client.close();
  });

  it('4xx responses do not open the circuit', async () => {
    server = await startServer((_req, res) => reply(res, 400));
    const client = createHttpClient({
      system: uniqueSystem(),
      baseURL: server.url,
      circuitBreaker: { failureThreshold: 1, halfOpenAfterMs: 60_000 },
    });
    for (let i = 0; i < 3; i++) {
      const error = await caught(client.request({ method: 'GET', path: '/x' }));
      expect((error as { status: number }).status).toBe(400);
    }
    expect(server.requests).toHaveLength(3);
  });

  it('keeps at most maxConcurrent requests in flight across clients of one system', async () => {
    let inFlight = 0;
    let peak = 0;
    server = await startServer((_req, res) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        reply(res, 200);
      }, 15);
    });
    const system = uniqueSystem();
    const opts = { system, baseURL: server.url, rateLimit: { requestsPerSecond: 1000, maxConcurrent: 2 } };
    const a = createHttpClient(opts);
    const b = createHttpClient(opts);
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? a : b).request({ method: 'GET', path: `/${i}` })),
    );
    expect(server.requests).toHaveLength(8);
    expect(peak).toBe(2);
    a.close();
    b.close();
  });

  it('an abort while queued behind the rate limiter rejects and never sends', async () => {
    server = await startServer((_req, res) => {
      setTimeout(() => reply(res, 200), 100);
    });
    const client = createHttpClient({
      system: uniqueSystem(),
      baseURL: server.url,
      rateLimit: { requestsPerSecond: 100, maxConcurrent: 1 },
    });
    const first = client.request({ method: 'GET', path: '/first' });
    const controller = new AbortController();
    const second = caught(client.request({ method: 'GET', path: '/second', signal: controller.signal }));
    controller.abort();
    expect(hasErrorCode(await second, 'aborted')).toBe(true);
    await first;
    await new Promise((r) => setTimeout(r, 30));
    expect(server.requests.map((r) => r.url)).toEqual(['/first']);
  });
});

describe('helpers', () => {
  it('parses Retry-After seconds, milliseconds and HTTP-dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('2', 'seconds', now)).toBe(2_000);
    expect(parseRetryAfter('250', 'milliseconds', now)).toBe(250);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', 'seconds', now)).toBe(5_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:05 GMT', 'seconds', now)).toBe(0);
    expect(parseRetryAfter('soon', 'seconds', now)).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });

  it('redacts userinfo and secret query values from URLs', () => {
    const url = redactUrl('https://u:p@example.test/a?access_token=x1&client_secret=x2&page=3');
    expect(url).toBe('https://example.test/a?access_token=***&client_secret=***&page=3');
  });

  it('joins base URLs and paths and passes absolute links through', () => {
    expect(buildUrl('http://h/api/', '/v1/x')).toBe('http://h/api/v1/x');
    expect(buildUrl('http://h/api', 'http://other/y', { a: 'b c' })).toBe('http://other/y?a=b+c');
  });

  it('errors are RegisterbroErrors', async () => {
    const client = createHttpClient({ system: uniqueSystem(), baseURL: 'http://127.0.0.1:1', retries: 0 });
    const error = await caught(client.request({ method: 'GET', path: '/' }));
    expect(isRegisterbroError(error)).toBe(true);
  });
});

describe('one caller signal shared by many requests', () => {
  it('adds no listener per request (no MaxListenersExceededWarning with 30 in flight)', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    server = await startServer((_req, res) => {
      setTimeout(() => reply(res, 200, 'ok'), 20);
    });
    const client = createHttpClient({ system: uniqueSystem(), baseURL: server.url });
    const run = new AbortController();
    const results = await Promise.all(
      Array.from({ length: 30 }, () => client.request({ method: 'GET', path: '/x', signal: run.signal })),
    );
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);
    expect(results.every((r) => r.body === 'ok')).toBe(true);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });
});
