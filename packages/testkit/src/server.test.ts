import { afterEach, describe, expect, it } from 'vitest';
import { createFaultInjector } from './faults.js';
import { type SimulatorServer, startSimulatorServer } from './server.js';

const servers: SimulatorServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(options: Partial<Parameters<typeof startSimulatorServer>[0]> = {}) {
  const server = await startSimulatorServer({
    name: 'test',
    handler: (req) => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        method: req.method,
        path: req.path,
        q: req.query.get('q'),
        body: req.body,
        n: 'x'.repeat(2000),
      }),
    }),
    ...options,
  });
  servers.push(server);
  return server;
}

describe('startSimulatorServer', () => {
  it('serves the handler on 127.0.0.1 and logs requests', async () => {
    const server = await start();
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const res = await fetch(`${server.url}/a/b?q=1`, { method: 'POST', body: 'hello' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ method: 'POST', path: '/a/b', q: '1', body: 'hello' });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/a/b', status: 200 });
    expect(server.stats.byStatus[200]).toBe(1);
    server.clearLog();
    expect(server.requests).toHaveLength(0);
  });

  it('checks auth and answers 401, or the response auth returns', async () => {
    const server = await start({
      auth: (headers) =>
        headers.authorization === 'Bearer good'
          ? true
          : headers.authorization
            ? { status: 403, body: 'no' }
            : false,
    });
    expect((await fetch(server.url)).status).toBe(401);
    expect((await fetch(server.url, { headers: { authorization: 'Bearer bad' } })).status).toBe(403);
    expect((await fetch(server.url, { headers: { authorization: 'Bearer good' } })).status).toBe(200);
  });

  it('answers a queued status fault, then recovers', async () => {
    const faults = createFaultInjector().once({ kind: 'status', status: 503 });
    const server = await start({ faults });
    const first = await fetch(server.url);
    expect(first.status).toBe(503);
    expect(await first.text()).toContain('injected 503');
    expect((await fetch(server.url)).status).toBe(200);
    expect(server.requests.map((r) => r.fault)).toEqual(['status', undefined]);
  });

  it('uses the simulator error body for injected statuses', async () => {
    const faults = createFaultInjector().once({ kind: 'status', status: 500 });
    const server = await start({
      faults,
      errorBody: (status) => ({ status, body: `<fault>${status}</fault>` }),
    });
    expect(await (await fetch(server.url)).text()).toBe('<fault>500</fault>');
  });

  it('answers 429 with Retry-After in seconds or milliseconds', async () => {
    const faults = createFaultInjector()
      .once({ kind: 'rate_limit', retryAfterMs: 1500 })
      .once({ kind: 'rate_limit', retryAfterMs: 1500, unit: 'milliseconds' });
    const server = await start({ faults });
    const a = await fetch(server.url);
    expect(a.status).toBe(429);
    expect(a.headers.get('retry-after')).toBe('2');
    const b = await fetch(server.url);
    expect(b.headers.get('retry-after')).toBe('1500');
    expect((await fetch(server.url)).status).toBe(200);
  });

  it('rate-limits in bursts from the plan', async () => {
    const server = await start({ faults: createFaultInjector({ rateLimit: { every: 3, burst: 1 } }) });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await fetch(server.url)).status);
    expect(statuses).toEqual([200, 200, 429, 200, 200, 429]);
  });

  it('answers 5xx at errorRate 1', async () => {
    const server = await start({ faults: createFaultInjector({ errorRate: 1 }) });
    for (let i = 0; i < 5; i++) expect([500, 502, 503]).toContain((await fetch(server.url)).status);
  });

  it('resets the connection', async () => {
    const server = await start({ faults: createFaultInjector().once({ kind: 'reset' }) });
    await expect(fetch(server.url)).rejects.toThrow();
    expect((await fetch(server.url)).status).toBe(200);
    expect(server.requests[0]).toMatchObject({ status: 0, fault: 'reset' });
  });

  it('truncates the body mid-way', async () => {
    const server = await start({ faults: createFaultInjector().once({ kind: 'truncate' }) });
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
  });

  it('replaces the body with a hostile payload for its content type', async () => {
    const faults = createFaultInjector()
      .once({ kind: 'hostile', variant: 'billion_laughs' })
      .once({ kind: 'hostile', variant: 'garbage' });
    const xml = await start({
      faults,
      handler: () => ({ headers: { 'content-type': 'application/xml' }, body: '<ok/>' }),
    });
    expect(await (await fetch(xml.url)).text()).toContain('<!ENTITY lol9');
    const json = await start({ faults });
    const body = await (await fetch(json.url)).text();
    expect(() => JSON.parse(body)).toThrow();
  });

  it('sets its own Content-Length whatever case the handler used, and keeps its content type', async () => {
    const faults = createFaultInjector().once({ kind: 'malformed' });
    const server = await start({
      faults,
      handler: () => ({
        headers: { 'Content-Type': 'text/xml', 'Content-Length': '999' },
        body: '<a>ok</a>',
      }),
    });
    const plain = await fetch(server.url);
    expect(plain.headers.get('content-type')).toBe('text/xml');
    const text = await plain.text();
    expect(text).toContain('<broken');
    expect(plain.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    const ok = await fetch(server.url);
    expect(await ok.text()).toBe('<a>ok</a>');
    expect(ok.headers.get('content-length')).toBe('9');
  });

  it('sends a malformed body', async () => {
    const server = await start({ faults: createFaultInjector().once({ kind: 'malformed' }) });
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow();
  });

  it('hangs until the client gives up, and still closes promptly', async () => {
    const server = await start({ faults: createFaultInjector().once({ kind: 'timeout' }) });
    await expect(fetch(server.url, { signal: AbortSignal.timeout(150) })).rejects.toThrow();
    expect(server.requests[0]).toMatchObject({ fault: 'timeout', status: 0 });
    // A second hung request is left open on purpose: close() must end it.
    server.faults!.once({ kind: 'timeout' });
    const pending = fetch(server.url).then(
      () => 'answered',
      () => 'failed',
    );
    await new Promise((r) => setTimeout(r, 50));
    await server.close();
    expect(await pending).toBe('failed');
  });

  it('adds latency and logs it', async () => {
    const server = await start({ faults: createFaultInjector().once({ kind: 'latency', ms: 30 }) });
    expect((await fetch(server.url)).status).toBe(200);
    expect(server.requests[0]!.fault).toBe('latency');
  });

  it('turns a throwing handler into a 500', async () => {
    const server = await start({
      handler: () => {
        throw new Error('boom');
      },
    });
    const res = await fetch(server.url);
    expect(res.status).toBe(500);
    expect(await res.text()).toContain('boom');
    expect(server.stats.handlerErrors).toBe(1);
  });

  it('refuses bodies over the limit', async () => {
    const server = await start({ maxBodyBytes: 10 });
    expect((await fetch(server.url, { method: 'POST', body: 'x'.repeat(100) })).status).toBe(413);
  });

  it('aborts the handler signal when the client goes away', async () => {
    let aborted: Promise<boolean> | undefined;
    const server = await start({
      handler: (req) => {
        aborted = new Promise((resolve) => req.signal.addEventListener('abort', () => resolve(true)));
        return new Promise(() => {});
      },
    });
    const controller = new AbortController();
    const request = fetch(server.url, { signal: controller.signal }).catch(() => 'aborted');
    while (!aborted) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    expect(await request).toBe('aborted');
    expect(await aborted).toBe(true);
  });

  it('keeps the log bounded', async () => {
    const server = await start({ logLimit: 5 });
    for (let i = 0; i < 20; i++) await fetch(`${server.url}/${i}`);
    expect(server.requests.length).toBeGreaterThanOrEqual(5);
    expect(server.requests.length).toBeLessThanOrEqual(6);
    expect(server.stats.total).toBe(20);
    expect(server.requests.at(-1)!.path).toBe('/19');
  });

  it('closes with keep-alive connections open', async () => {
    const server = await start();
    await (await fetch(server.url)).text();
    await server.close();
    await expect(fetch(server.url)).rejects.toThrow();
  });
});
