import { HttpError, isRegisterbroError } from '@registerbro/model';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../src/index.js';

describe('runCheck', () => {
  it('a probe that answers is ok, with its answer as detail and a latency', async () => {
    const result = await runCheck('matrikkel', async () => 'siste endring 42', { failureDetail: 'unused' });
    expect(result).toEqual({
      ok: true,
      system: 'matrikkel',
      latencyMs: expect.any(Number),
      detail: 'siste endring 42',
    });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('a probe without an answer gives no detail', async () => {
    const result = await runCheck('noark', async () => undefined);
    expect(result.ok).toBe(true);
    expect('detail' in result).toBe(false);
  });

  it('a failing probe never rejects: not ok, the error kept as a RegisterbroError of the system', async () => {
    const http = new HttpError('noark: GET / answered 503', {
      system: 'noark',
      status: 503,
      method: 'GET',
      url: 'http://127.0.0.1/',
    });
    const kept = await runCheck('noark', () => Promise.reject(http));
    expect(kept).toMatchObject({ ok: false, system: 'noark' });
    expect(kept.error).toBe(http);
    expect('detail' in kept).toBe(false);

    const wrapped = await runCheck(
      'folkeregister',
      async () => {
        throw new TypeError('socket closed');
      },
      { failureDetail: '/folkeregisteret/api/v1' },
    );
    expect(wrapped.ok).toBe(false);
    expect(wrapped.detail).toBe('/folkeregisteret/api/v1');
    expect(isRegisterbroError(wrapped.error)).toBe(true);
    expect(wrapped.error?.system).toBe('folkeregister');
    expect(wrapped.error?.message).toBe('socket closed');
  });
});
