import { redactText } from '@registerbro/model';
import { type Logger as PinoLogger, pino } from 'pino';

/** The logger {@link createLogger} returns (a pino logger). */
export type Logger = PinoLogger;

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  /** @default 'info' (or `LOG_LEVEL` from the environment) */
  level?: string;
  /** The `name` field on every line. */
  name?: string;
  /** Where lines go. @default stdout */
  destination?: NodeJS.WritableStream;
  /** Fields added to every line. */
  base?: Record<string, unknown>;
}

/** Field names whose values are never logged, at any depth (compared case-insensitively). */
const SECRET_KEYS = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'password',
  'passord',
  'passphrase',
  'secret',
  'token',
  'access_token',
  'refresh_token',
  'client_secret',
  'assertion',
];
const SECRET_KEY_SET = new Set(SECRET_KEYS);

function pathKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `["${key}"]`;
}

/**
 * The pino `redact` paths: each secret key at the top and under up to three levels of wildcards,
 * in lower case and Capitalised (HTTP header objects come in both).
 */
export const LOG_REDACT_PATHS: readonly string[] = (() => {
  const keys = SECRET_KEYS.flatMap((k) => [
    k,
    k.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase()),
  ]);
  const paths: string[] = [];
  for (const key of new Set(keys)) {
    for (const prefix of ['', '*', '*.*', '*.*.*']) {
      const p = pathKey(key);
      paths.push(prefix === '' ? (p.startsWith('.') ? p.slice(1) : p) : `${prefix}${p}`);
    }
  }
  return paths;
})();

/**
 * Deep copy of a value for logging: secret-named fields dropped at any depth, strings with
 * eleven-digit runs masked, errors reduced to name/message/code/stack (an axios error's config
 * holds the request headers, so nothing else of an error is kept).
 */
export function redactLogValue(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value === 'number' && Number.isInteger(value) && /^-?\d{11}$/.test(String(value)))
    return '***********';
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value) || depth > 12) return '[…]';
  seen.add(value);
  if (value instanceof Error) {
    const e = value as Error & { code?: unknown; cause?: unknown };
    const out: Record<string, unknown> = { type: e.name, message: redactText(e.message) };
    if (e.code !== undefined) out.code = e.code;
    if (e.stack) out.stack = redactText(e.stack);
    const safe = (e as { toJSON?: () => unknown }).toJSON;
    if (typeof safe === 'function') Object.assign(out, redactLogValue(safe.call(e), depth + 1, seen));
    if (e.cause !== undefined) out.cause = redactLogValue(e.cause, depth + 1, seen);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => redactLogValue(v, depth + 1, seen));
  if (Buffer.isBuffer(value)) return `[Buffer ${value.length} bytes]`;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (SECRET_KEY_SET.has(key.toLowerCase())) continue;
    out[key] = redactLogValue(v, depth + 1, seen);
  }
  return out;
}

/**
 * A pino logger that never prints a fødselsnummer/D-nummer or a credential:
 * - `redact` removes secret fields (`authorization`, `cookie`, `password`, `token`, …) by path;
 * - `formatters.log` deep-copies each line's object, dropping secret fields at any depth and
 *   masking eleven-digit runs in every string, including error messages and stacks;
 * - `hooks.streamWrite` masks eleven-digit runs in the finished line, so the message itself and
 *   bindings of child loggers are covered too.
 *
 * @example
 * const log = createLogger({ name: 'sync' });
 * log.info({ person: { fnr } }, `updated ${fnr}`); // both masked
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? process.stdout;
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      name: options.name,
      // Only when given: an explicit `base: undefined` would drop pino's pid and hostname.
      ...(options.base === undefined
        ? {}
        : { base: redactLogValue(options.base) as Record<string, unknown> }),
      redact: { paths: [...LOG_REDACT_PATHS], remove: true },
      serializers: {
        err: (error: unknown) => redactLogValue(error),
        error: (error: unknown) => redactLogValue(error),
      },
      formatters: {
        log: (object) => redactLogValue(object) as Record<string, unknown>,
        bindings: (bindings) => redactLogValue(bindings) as Record<string, unknown>,
      },
      hooks: {
        streamWrite: redactLine,
      },
    },
    destination as pino.DestinationStream,
  );
}

/** Mask eleven-digit runs in a finished JSON line; a bare JSON number becomes a masked string. */
function redactLine(line: string): string {
  return redactText(line.replace(/([:,[])-?\d{11}(?=[,}\]])/g, '$1"***********"'));
}
