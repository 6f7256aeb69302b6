import { describe, expect, it } from 'vitest';
import { contentFamily, createFaultInjector, hostileBody, malformedBody } from './faults.js';

const req = { method: 'GET', path: '/x' };

describe('createFaultInjector', () => {
  it('injects nothing without a plan', () => {
    const faults = createFaultInjector();
    for (let i = 0; i < 50; i++) expect(faults.decide(req)).toEqual({ latencyMs: 0 });
  });

  it('serves queued one-shot faults in order, before the plan', () => {
    const faults = createFaultInjector({ errorRate: 1 });
    faults
      .once({ kind: 'status', status: 401 })
      .next(2, { kind: 'malformed' })
      .once({ kind: 'latency', ms: 5 });
    expect(faults.pending).toBe(4);
    expect(faults.decide(req).before).toEqual({ kind: 'status', status: 401 });
    expect(faults.decide(req).after).toEqual({ kind: 'malformed' });
    expect(faults.decide(req).after).toEqual({ kind: 'malformed' });
    const latency = faults.decide(req);
    expect(latency.latencyMs).toBe(5);
    expect(latency.before).toBeUndefined();
    expect([500, 502, 503]).toContain((faults.decide(req).before as { status: number }).status);
    expect(faults.counts).toMatchObject({ status: 2, malformed: 2, latency: 1 });
  });

  it('serves a queued fault with its own condition to the next request that meets it', () => {
    const faults = createFaultInjector();
    const write = (r: { method: string }) => r.method !== 'GET';
    faults.next(2, { kind: 'status', status: 503 }, write).once({ kind: 'reset' });
    // A read takes the unconditional fault behind the two that wait for a write.
    expect(faults.decide(req).before).toEqual({ kind: 'reset' });
    expect(faults.decide(req)).toEqual({ latencyMs: 0 });
    expect(faults.pending).toBe(2);
    const put = { method: 'PUT', path: '/x' };
    expect(faults.decide(put).before).toEqual({ kind: 'status', status: 503 });
    expect(faults.decide(put).before).toEqual({ kind: 'status', status: 503 });
    expect(faults.decide(put)).toEqual({ latencyMs: 0 });
  });

  it('limits the rate in predictable cycles', () => {
    const faults = createFaultInjector({ rateLimit: { every: 4, burst: 2, retryAfterMs: 1500 } });
    const limited = Array.from({ length: 8 }, () => faults.decide(req).before?.kind === 'rate_limit');
    expect(limited).toEqual([false, false, true, true, false, false, true, true]);
  });

  it('rolls rates deterministically for a seed', () => {
    const plan = {
      errorRate: 0.3,
      resetRate: 0.1,
      truncateRate: 0.2,
      hostileRate: 0.1,
      latencyMs: [1, 9] as [number, number],
    };
    const a = createFaultInjector(plan, 5);
    const b = createFaultInjector(plan, 5);
    const da = Array.from({ length: 200 }, () => a.decide(req));
    expect(Array.from({ length: 200 }, () => b.decide(req))).toEqual(da);
    const kinds = new Set(da.flatMap((d) => [d.before?.kind, d.after?.kind]).filter(Boolean));
    expect(kinds).toEqual(new Set(['status', 'reset', 'truncate', 'hostile']));
    for (const d of da) {
      expect(d.latencyMs).toBeGreaterThanOrEqual(1);
      expect(d.latencyMs).toBeLessThanOrEqual(9);
    }
  });

  it('set() replaces the plan, clear() drops plan and queue, when() filters requests', () => {
    const faults = createFaultInjector({ errorRate: 1 });
    faults.set({ timeoutRate: 1 });
    expect(faults.decide(req).before).toEqual({ kind: 'timeout' });
    faults.once({ kind: 'reset' }).clear();
    expect(faults.pending).toBe(0);
    expect(faults.decide(req)).toEqual({ latencyMs: 0 });
    faults.set({ errorRate: 1, when: (r) => r.path !== '/token' });
    expect(faults.decide({ method: 'POST', path: '/token' })).toEqual({ latencyMs: 0 });
    expect(faults.decide(req).before?.kind).toBe('status');
  });
});

describe('hostile and malformed bodies', () => {
  it('picks the content family', () => {
    expect(contentFamily('application/json; charset=utf-8')).toBe('json');
    expect(contentFamily('application/soap+xml')).toBe('xml');
    expect(contentFamily(undefined)).toBe('other');
  });

  it('builds XML attacks', () => {
    expect(hostileBody('text/xml', 'billion_laughs')).toContain('<!ENTITY lol9');
    expect(hostileBody('text/xml', 'external_entity')).toContain('SYSTEM "file:///etc/passwd"');
    expect(hostileBody('application/xml', 'deep').length).toBeGreaterThan(600_000);
  });

  it('builds JSON that does not parse or nests too deep', () => {
    expect(() => JSON.parse(hostileBody('application/json', 'garbage'))).toThrow();
    expect(hostileBody('application/json', 'deep').startsWith('[[[[')).toBe(true);
    expect(() => JSON.parse(malformedBody('application/json', '{"a":1,"b":[1,2,3]}'))).toThrow();
    expect(malformedBody('text/xml', '<a><b>x</b></a>')).toContain('<broken');
  });
});
