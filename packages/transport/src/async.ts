import { AbortedError, ConfigError, type SystemName } from '@registerbro/model';

/** Who an abort is reported for: the {@link AbortedError} the helpers below throw carries these. */
export interface AbortContext {
  /**
   * The system the aborted work belongs to.
   * @default 'registerbro'
   */
  system?: SystemName;
  /** The record the work concerned, already masked (use `maskFodselsnummer` for fnr). */
  record?: string;
  /**
   * The message of the {@link AbortedError}.
   * @default `${system}: the operation was aborted`
   */
  message?: string;
}

/** An {@link AbortContext} plus the signal to watch. */
export interface AbortableOptions extends AbortContext {
  /** Aborting it rejects at once with an {@link AbortedError}. */
  signal?: AbortSignal | undefined;
}

/** The {@link AbortedError} every helper here throws, named after `context`. */
export function abortedError(context: AbortContext = {}): AbortedError {
  const system = context.system ?? 'registerbro';
  return new AbortedError(context.message ?? `${system}: the operation was aborted`, {
    system,
    ...(context.record === undefined ? {} : { record: context.record }),
  });
}

/** Throw an {@link AbortedError} when `signal` has already aborted; do nothing otherwise. */
export function throwIfAborted(signal: AbortSignal | undefined, context?: AbortContext): void {
  if (signal?.aborted) throw abortedError(context);
}

/**
 * Wait `ms` milliseconds. Rejects with an {@link AbortedError} as soon as `options.signal` aborts
 * (or at once when it already has), and then leaves no timer behind.
 */
export function sleep(ms: number, options: AbortableOptions = {}): Promise<void> {
  const { signal } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortedError(options));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError(options));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Follow `promise`, but let the caller's abort win: rejects with an {@link AbortedError} as soon as
 * `options.signal` aborts. The work behind `promise` is not cancelled (others may share it); its
 * later outcome is observed, so it never becomes an unhandled rejection.
 */
export function abortable<T>(promise: Promise<T>, options: AbortableOptions = {}): Promise<T> {
  const { signal } = options;
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(abortedError(options));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortedError(options));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function checkPositiveInteger(value: number, what: string, hint: string): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ConfigError(`${what} must be a positive integer, got ${String(value)}`, { hint });
  }
}

/**
 * Split `items` into consecutive slices of `size` (the last one may be shorter). An empty list gives
 * no slices. Throws a {@link ConfigError} when `size` is not a positive integer — a zero, negative,
 * fractional or NaN batch size would otherwise loop forever or silently drop items.
 */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  checkPositiveInteger(
    size,
    'chunk: the batch size',
    'Set the batch or page size option to a whole number ≥ 1.',
  );
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Options of {@link mapLimit}. */
export interface MapLimitOptions extends AbortableOptions {
  /**
   * Stop taking new items when this aborts; the call then rejects with an {@link AbortedError}
   * (named by the {@link AbortContext} fields) once the items in flight have settled.
   * @default undefined (never stops early)
   */
  signal?: AbortSignal | undefined;
}

/**
 * Run `fn` over `items` with at most `limit` calls in flight, resolving to the results in the order
 * of `items` (not of completion).
 *
 * On the first failure no new item is started; the call rejects with that first error only after
 * every call already in flight has settled, so no work of this call is still running when the
 * caller regains control (and later failures are observed, never unhandled). The same holds for an
 * abort through `options.signal`.
 *
 * `limit` must be a positive integer or `Infinity` (all at once); anything else is a
 * {@link ConfigError}.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  options: MapLimitOptions = {},
): Promise<R[]> {
  if (limit !== Number.POSITIVE_INFINITY) {
    checkPositiveInteger(
      limit,
      'mapLimit: the concurrency limit',
      'Set the concurrency option to a whole number ≥ 1.',
    );
  }
  const { signal } = options;
  throwIfAborted(signal, options);
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length && failure === undefined) {
      if (signal?.aborted) {
        failure = { error: abortedError(options) };
        return;
      }
      const index = next++;
      try {
        results[index] = await fn(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}
