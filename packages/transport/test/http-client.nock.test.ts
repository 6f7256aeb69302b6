import { hasErrorCode } from '@registerbro/model';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type TokenProvider, bearerAuth, createHttpClient } from '../src/index.js';
import { caught, uniqueSystem } from './helpers.js';

const BASE = 'https://register.example.test';
const fast = { backoff: { baseMs: 1, maxMs: 5 } };

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => {
  const done = nock.isDone();
  nock.cleanAll();
  expect(done).toBe(true);
});
afterAll(() => {
  nock.enableNetConnect();
});

describe('createHttpClient with nock', () => {
  it('retries 5xx for GET and returns the body as text with lower-cased headers', async () => {
    nock(BASE).get('/api/x').query({ side: '1' }).times(2).reply(502);
    nock(BASE)
      .get('/api/x')
      .query({ side: '1' })
      .reply(200, '{"a":"007"}', { 'Content-Type': 'application/json', ETag: '"v1"' });
    const client = createHttpClient({ system: uniqueSystem(), baseURL: `${BASE}/api`, ...fast });
    const res = await client.request({ method: 'GET', path: '/x', query: { side: 1 } });
    expect(res.body).toBe('{"a":"007"}');
    expect(res.json()).toEqual({ a: '007' });
    expect(res.headers.etag).toBe('"v1"');
    client.close();
  });

  it('does not retry a plain POST', async () => {
    nock(BASE).post('/x', 'payload').reply(500);
    const client = createHttpClient({ system: uniqueSystem(), baseURL: BASE, ...fast });
    const error = await caught(client.request({ method: 'POST', path: '/x', body: 'payload' }));
    expect((error as { status: number }).status).toBe(500);
  });

  it('honours a millisecond Retry-After (Skatteetaten) and then succeeds', async () => {
    nock(BASE).get('/x').reply(429, '', { 'Retry-After': '20' });
    nock(BASE).get('/x').reply(200, 'ok');
    const client = createHttpClient({
      system: uniqueSystem(),
      baseURL: BASE,
      retryAfterUnit: 'milliseconds',
      maxRetryAfterMs: 1_000,
      ...fast,
    });
    expect((await client.request({ method: 'GET', path: '/x' })).body).toBe('ok');
  });

  it('a 429 asking for longer than maxRetryAfterMs throws RateLimitError at once', async () => {
    nock(BASE).get('/x').reply(429, '', { 'Retry-After': '5' });
    const client = createHttpClient({
      system: uniqueSystem(),
      baseURL: BASE,
      maxRetryAfterMs: 1_000,
      ...fast,
    });
    const error = await caught(client.request({ method: 'GET', path: '/x' }));
    expect(hasErrorCode(error, 'rate_limited')).toBe(true);
    expect((error as { retryAfterMs: number }).retryAfterMs).toBe(5_000);
  });

  it('retries a connection reset and maps it to network_error when retries run out', async () => {
    const reset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    nock(BASE).get('/x').replyWithError(reset());
    nock(BASE).get('/x').reply(200, 'ok');
    nock(BASE).get('/y').times(2).replyWithError(reset());
    const client = createHttpClient({ system: uniqueSystem(), baseURL: BASE, retries: 1, ...fast });
    expect((await client.request({ method: 'GET', path: '/x' })).body).toBe('ok');
    const error = await caught(client.request({ method: 'GET', path: '/y' }));
    expect(hasErrorCode(error, 'network_error')).toBe(true);
    expect((error as { retryable: boolean }).retryable).toBe(true);
  });

  it('times out a slow answer with TimeoutError', async () => {
    nock(BASE).get('/slow').delay(1_000).reply(200, 'late');
    const client = createHttpClient({ system: uniqueSystem(), baseURL: BASE, timeoutMs: 30, retries: 0 });
    const error = await caught(client.request({ method: 'GET', path: '/slow' }));
    expect(hasErrorCode(error, 'timeout')).toBe(true);
    expect((error as { timeoutMs: number }).timeoutMs).toBe(30);
  });

  it('re-authenticates a bearer token once on 401', async () => {
    let n = 0;
    let invalidated = 0;
    const tokens: TokenProvider = {
      getToken: async () => `t${n + 1}`,
      invalidate: () => {
        invalidated += 1;
        n += 1;
      },
    };
    nock(BASE).get('/x').matchHeader('authorization', 'Bearer t1').reply(401);
    nock(BASE).get('/x').matchHeader('authorization', 'Bearer t2').reply(200, 'ok');
    const client = createHttpClient({
      system: uniqueSystem(),
      baseURL: BASE,
      auth: bearerAuth(tokens),
      ...fast,
    });
    expect((await client.request({ method: 'GET', path: '/x' })).body).toBe('ok');
    expect(invalidated).toBe(1);
  });

  it('opens the circuit after consecutive 5xx and fails fast without a request', async () => {
    nock(BASE).get('/x').times(2).reply(503);
    const client = createHttpClient({
      system: uniqueSystem(),
      baseURL: BASE,
      retries: 0,
      circuitBreaker: { failureThreshold: 2, halfOpenAfterMs: 60_000 },
    });
    await caught(client.request({ method: 'GET', path: '/x' }));
    await caught(client.request({ method: 'GET', path: '/x' }));
    const error = await caught(client.request({ method: 'GET', path: '/x' }));
    expect(hasErrorCode(error, 'circuit_open')).toBe(true);
  });
});
