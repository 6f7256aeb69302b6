import { AbortedError, hasErrorCode, isRegisterbroError } from '@registerbro/model';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { abortable, abortedError, chunk, mapLimit, sleep, throwIfAborted } from '../src/index.js';
import { caught } from './helpers.js';

/** A promise the test settles by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Let every queued microtask (and the ones they queue) run. */
async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

afterEach(() => {
  vi.useRealTimers();
});

describe('abortedError / throwIfAborted', () => {
  it('names the system, record and message, with sensible defaults', () => {
    const plain = abortedError();
    expect(plain).toBeInstanceOf(AbortedError);
    expect(plain.code).toBe('aborted');
    expect(plain.system).toBe('registerbro');
    expect(plain.message).toBe('registerbro: the operation was aborted');
    const named = abortedError({ system: 'noark', record: 'sak 2024/1', message: 'Fiks Arkiv: stopped' });
    expect(named.system).toBe('noark');
    expect(named.record).toBe('sak 2024/1');
    expect(named.message).toBe('Fiks Arkiv: stopped');
  });

  it('throws only for an aborted signal', () => {
    expect(() => throwIfAborted(undefined)).not.toThrow();
    expect(() => throwIfAborted(new AbortController().signal)).not.toThrow();
    let error: unknown;
    try {
      throwIfAborted(AbortSignal.abort(), { system: 'folkeregister' });
    } catch (e) {
      error = e;
    }
    expect(hasErrorCode(error, 'aborted')).toBe(true);
    expect((error as AbortedError).message).toBe('folkeregister: the operation was aborted');
  });
});

describe('sleep', () => {
  it('resolves after the time and leaves no listener behind', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const remove = vi.spyOn(controller.signal, 'removeEventListener');
    let done = false;
    const pending = sleep(1_000, { signal: controller.signal }).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await pending;
    expect(done).toBe(true);
    expect(remove).toHaveBeenCalledWith('abort', expect.any(Function));
  });

  it('an abort during the sleep rejects with AbortedError at once and clears the timer', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const pending = caught(sleep(60_000, { signal: controller.signal, system: 'matrikkel', record: 'r1' }));
    expect(vi.getTimerCount()).toBe(1);
    controller.abort();
    // No timer is advanced: the rejection must come from the abort alone.
    const error = await pending;
    expect(error).toBeInstanceOf(AbortedError);
    expect((error as AbortedError).system).toBe('matrikkel');
    expect((error as AbortedError).record).toBe('r1');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an already-aborted signal rejects without starting a timer', async () => {
    vi.useFakeTimers();
    const error = await caught(sleep(60_000, { signal: AbortSignal.abort(), message: 'x: gave up' }));
    expect(hasErrorCode(error, 'aborted')).toBe(true);
    expect((error as Error).message).toBe('x: gave up');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('works with real timers and no signal', async () => {
    await expect(sleep(1)).resolves.toBeUndefined();
  });
});

describe('abortable', () => {
  it('passes the outcome through when nothing aborts', async () => {
    await expect(abortable(Promise.resolve(7), { signal: new AbortController().signal })).resolves.toBe(7);
    await expect(abortable(Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });

  it('rejects at once on abort; the underlying work goes on and a late failure is not unhandled', async () => {
    const work = deferred<number>();
    const controller = new AbortController();
    const pending = caught(abortable(work.promise, { signal: controller.signal, system: 'maskinporten' }));
    controller.abort();
    const error = await pending;
    expect(hasErrorCode(error, 'aborted')).toBe(true);
    expect((error as AbortedError).system).toBe('maskinporten');
    work.reject(new Error('late'));
    await flush();
  });

  it('an already-aborted signal rejects without waiting for the work', async () => {
    const work = deferred<number>();
    const error = await caught(abortable(work.promise, { signal: AbortSignal.abort() }));
    expect(hasErrorCode(error, 'aborted')).toBe(true);
    work.reject(new Error('late'));
    await flush();
  });
});

describe('chunk', () => {
  it('splits into consecutive slices; the last may be shorter', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([1, 2, 3, 4], 2)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(chunk([1, 2, 3], 1)).toEqual([[1], [2], [3]]);
  });

  it('an empty list gives no slices; a size beyond the length gives one', () => {
    expect(chunk([], 3)).toEqual([]);
    expect(chunk(['a', 'b'], 1000)).toEqual([['a', 'b']]);
  });

  it('does not touch the input and returns fresh arrays', () => {
    const input = Object.freeze([1, 2, 3]);
    const out = chunk(input, 3);
    expect(out[0]).toEqual([1, 2, 3]);
    expect(out[0]).not.toBe(input);
  });

  it.each([0, -1, 2.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'rejects a size of %s with a ConfigError',
    (size) => {
      let error: unknown;
      try {
        chunk([1, 2, 3], size);
      } catch (e) {
        error = e;
      }
      expect(hasErrorCode(error, 'config_invalid')).toBe(true);
      expect((error as Error).message).toContain(String(size));
    },
  );
});

describe('mapLimit', () => {
  it('keeps at most `limit` in flight and the results in input order', async () => {
    const gates = Array.from({ length: 7 }, () => deferred<void>());
    let inFlight = 0;
    let most = 0;
    const started: number[] = [];
    const pending = mapLimit([10, 11, 12, 13, 14, 15, 16], 3, async (item, index) => {
      started.push(index);
      inFlight++;
      most = Math.max(most, inFlight);
      await gates[index]?.promise;
      inFlight--;
      return item * 2;
    });
    await flush();
    expect(started).toEqual([0, 1, 2]);
    // Finish out of order: the results must still follow the input.
    for (const i of [2, 0, 6, 1, 5, 3, 4]) {
      gates[i]?.resolve();
      await flush();
    }
    await expect(pending).resolves.toEqual([20, 22, 24, 26, 28, 30, 32]);
    expect(most).toBe(3);
    expect(started.sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('an empty list resolves to [] without calling fn; Infinity runs all at once', async () => {
    const fn = vi.fn(async (x: number) => x);
    await expect(mapLimit([], 4, fn)).resolves.toEqual([]);
    expect(fn).not.toHaveBeenCalled();
    let inFlight = 0;
    let most = 0;
    await mapLimit([1, 2, 3, 4], Number.POSITIVE_INFINITY, async (x) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await flush();
      inFlight--;
      return x;
    });
    expect(most).toBe(4);
  });

  it('on the first error starts nothing new and rejects with it only after the in-flight work settles', async () => {
    const gates = Array.from({ length: 5 }, () => deferred<string>());
    const started: number[] = [];
    let settled = false;
    const pending = mapLimit([0, 1, 2, 3, 4], 2, (i) => {
      started.push(i);
      return gates[i]?.promise as Promise<string>;
    }).finally(() => {
      settled = true;
    });
    const outcome = caught(pending);
    await flush();
    gates[0]?.reject(new Error('first'));
    await flush();
    // Item 1 is still in flight: the call waits for it and starts nothing new.
    expect(settled).toBe(false);
    expect(started).toEqual([0, 1]);
    gates[1]?.reject(new Error('second'));
    const error = await outcome;
    expect((error as Error).message).toBe('first');
    expect(started).toEqual([0, 1]);
  });

  it('an abort stops taking new items and rejects with the named AbortedError after in-flight work', async () => {
    const gates = Array.from({ length: 4 }, () => deferred<number>());
    const controller = new AbortController();
    const started: number[] = [];
    const outcome = caught(
      mapLimit(
        [0, 1, 2, 3],
        1,
        (i) => {
          started.push(i);
          return gates[i]?.promise as Promise<number>;
        },
        { signal: controller.signal, system: 'folkeregister' },
      ),
    );
    await flush();
    controller.abort();
    gates[0]?.resolve(0);
    const error = await outcome;
    expect(isRegisterbroError(error) && error.code).toBe('aborted');
    expect((error as Error).message).toBe('folkeregister: the operation was aborted');
    expect(started).toEqual([0]);
  });

  it('an already-aborted signal calls nothing', async () => {
    const fn = vi.fn(async (x: number) => x);
    const error = await caught(mapLimit([1], 1, fn, { signal: AbortSignal.abort() }));
    expect(hasErrorCode(error, 'aborted')).toBe(true);
    expect(fn).not.toHaveBeenCalled();
  });

  it.each([0, -2, 1.5, Number.NaN])('rejects a limit of %s with a ConfigError', async (limit) => {
    const error = await caught(mapLimit([1, 2], limit, async (x) => x));
    expect(hasErrorCode(error, 'config_invalid')).toBe(true);
  });
});
