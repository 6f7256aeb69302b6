import { readFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { ConfigError } from '@registerbro/model';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/**
 * The one configuration file of `registerbro` (YAML or JSON), validated with zod. Secrets never
 * live in it: every credential is named by the environment variable that holds it (`…Env` keys),
 * so the file can be committed and reviewed. A wrong or missing setting fails with ONE line that
 * names the key and what is expected.
 */

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
const KOMMUNENUMMER = /^\d{4}$/;
const CRON_FIELDS = /^\S+(\s+\S+){4,5}$/;
const PG_SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

const envName = (what: string) =>
  z
    .string({ error: `expected the NAME of the environment variable holding ${what}, e.g. "MY_SECRET"` })
    .regex(ENV_NAME, {
      error: `expected the NAME of an environment variable (A–Z, 0–9, _) holding ${what}, not the value`,
    });

const url = (what: string) =>
  z
    .string({ error: `expected the URL of ${what} (http:// or https://)` })
    .refine((v) => /^https?:\/\/[^\s/]+/.test(v), {
      error: `expected the URL of ${what} (http:// or https://)`,
    });

const cron = z
  .string({ error: 'expected a cron expression such as "*/15 * * * *"' })
  .regex(CRON_FIELDS, { error: 'expected a cron expression with 5 or 6 fields, such as "*/15 * * * *"' });

/** How one flow runs under `registerbro serve`. */
const FlowConfigSchema = z.strictObject(
  {
    /** @default true */
    enabled: z.boolean({ error: 'expected true or false' }).default(true),
    /** Incremental run from the change feeds. @default every 15 minutes */
    schedule: cron.default('*/15 * * * *'),
    /** Full reconciliation. @default 03:00 every Sunday */
    fullSchedule: cron.default('0 3 * * 0'),
    /**
     * First sync of a field (no base yet): adopt the master where the link is certain (audited),
     * or open a conflict for every difference. @default 'adopt_master_when_certain'
     */
    firstSync: z
      .enum(['adopt_master_when_certain', 'conflict'], {
        error: 'expected "adopt_master_when_certain" or "conflict"',
      })
      .default('adopt_master_when_certain'),
  },
  { error: 'expected an object with enabled, schedule, fullSchedule and firstSync' },
);

const FolkeregisterAuthSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('token'), tokenEnv: envName('the bearer token') }),
    z.strictObject({
      kind: z.literal('maskinporten'),
      tokenEndpoint: url('the Maskinporten token endpoint'),
      audience: z.string().optional(),
      clientId: z.string({ error: 'expected the Maskinporten client id (integrasjon id)' }).min(1),
      scope: z.string({ error: 'expected the Maskinporten scope' }).min(1),
      keyEnv: envName('the PKCS#8 PEM private key of the organisation certificate'),
      /** The key id registered for the client (public, not a secret). */
      kid: z.string({ error: 'expected the kid registered for the client in Samarbeidsportalen' }).min(1),
    }),
  ],
  {
    error:
      'expected kind "token" (with tokenEnv) or "maskinporten" (with tokenEndpoint, clientId, scope, keyEnv)',
  },
);

const ms = (what: string) =>
  z
    .number({ error: `expected ${what} in milliseconds` })
    .int()
    .positive({ error: `expected ${what} in milliseconds (> 0)` });

/**
 * How the HTTP client talks to one register: per-attempt timeout, bounded retries with backoff and
 * jitter, the longest `Retry-After` slept, the circuit breaker and a rate limit. Omitted keys keep
 * the transport's defaults (30 s, 3 retries, 200 ms–10 s backoff, 60 s, breaker after 5 failures
 * for 30 s, no rate limit).
 */
const HttpSchema = z.strictObject(
  {
    /** Per attempt (connect + response + body). @default 30_000 */
    timeoutMs: ms('the per-attempt timeout').optional(),
    /** Retries after the first attempt (idempotent requests only). @default 3 */
    retries: z
      .number({ error: 'expected a number of retries (0–20)' })
      .int()
      .min(0)
      .max(20, { error: 'expected a number of retries (0–20)' })
      .optional(),
    /** Exponential backoff with full jitter. @default { baseMs: 200, maxMs: 10_000 } */
    backoff: z
      .strictObject(
        { baseMs: ms('the first backoff').optional(), maxMs: ms('the longest backoff').optional() },
        { error: 'expected { baseMs, maxMs }' },
      )
      .optional(),
    /** A longer `Retry-After` is not slept: the call fails (and is retried by the next run). @default 60_000 */
    maxRetryAfterMs: ms('the longest Retry-After slept').optional(),
    /** `false` disables it. @default { failureThreshold: 5, halfOpenAfterMs: 30_000 } */
    circuitBreaker: z
      .union(
        [
          z.literal(false),
          z.strictObject({
            failureThreshold: z.number().int().positive().optional(),
            halfOpenAfterMs: ms('the open time of the circuit breaker').optional(),
          }),
        ],
        { error: 'expected false or { failureThreshold, halfOpenAfterMs }' },
      )
      .optional(),
    /** @default no limit */
    rateLimit: z
      .strictObject(
        {
          requestsPerSecond: z.number({ error: 'expected requests per second (> 0)' }).positive(),
          maxConcurrent: z.number().int().positive().optional(),
        },
        { error: 'expected { requestsPerSecond, maxConcurrent? }' },
      )
      .optional(),
  },
  {
    error: 'expected an object with timeoutMs, retries, backoff, maxRetryAfterMs, circuitBreaker, rateLimit',
  },
);

/** The HTTP settings of one register, as the transport's client options (only the keys given). */
export type HttpSettings = z.infer<typeof HttpSchema>;

const FolkeregisterSchema = z.strictObject({
  baseURL: url('Folkeregisteret'),
  /** @default 'offentlig-med-hjemmel' */
  rettighetspakke: z.string().min(1).default('offentlig-med-hjemmel'),
  auth: FolkeregisterAuthSchema,
  http: HttpSchema.optional(),
});

const MatrikkelSchema = z.strictObject({
  /** Host of the SOAP API (services under `/matrikkelapi/wsapi/v1`). */
  baseURL: url('Matrikkelen'),
  usernameEnv: envName('the Matrikkel user name'),
  passwordEnv: envName('the Matrikkel password'),
  /** Geonorge's adresse-API. @default 'https://ws.geonorge.no/adresser/v1' */
  adresseApiURL: url('the adresse-API').optional(),
  /** Kartverket's eiendom-API. @default 'https://api.kartverket.no/eiendom/v1' */
  eiendomApiURL: url('the eiendom-API').optional(),
  /** Kommunenummer to follow. @default the tenant */
  kommunenummer: z.string().regex(KOMMUNENUMMER, { error: 'expected a four-digit kommunenummer' }).optional(),
  http: HttpSchema.optional(),
});

const NoarkSchema = z
  .strictObject({
    /** The Tjenestegrensesnitt API root, e.g. `https://arkiv.example.no/api`. */
    baseURL: url('the Noark 5 Tjenestegrensesnitt API root'),
    usernameEnv: envName('the archive user name').optional(),
    passwordEnv: envName('the archive password').optional(),
    /** Fiks Arkiv over HTTP (the simulator's endpoint); cases are then created with arkivmeldinger. */
    fiksURL: url('the Fiks Arkiv message endpoint').optional(),
    /** Our name as eksternID.system. @default 'registerbro' */
    fagsystem: z.string().min(1).default('registerbro'),
    /** HTTP settings of the Tjenestegrensesnitt and the Fiks Arkiv endpoint. */
    http: HttpSchema.optional(),
  })
  .refine((n) => (n.usernameEnv === undefined) === (n.passwordEnv === undefined), {
    error: 'expected both usernameEnv and passwordEnv (basic auth), or neither',
    path: ['passwordEnv'],
  });

const StoreSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('sqlite'),
      /** @default `<dataDir>/registerbro.sqlite` */
      file: z.string().min(1).optional(),
    }),
    z.strictObject({
      kind: z.literal('postgres'),
      urlEnv: envName('the PostgreSQL connection string'),
      /** @default 'registerbro' */
      schema: z
        .string()
        .regex(PG_SCHEMA, { error: 'expected a lower-case PostgreSQL schema name (letters, digits, _)' })
        .default('registerbro'),
    }),
  ],
  { error: 'expected kind "sqlite" (with an optional file) or "postgres" (with urlEnv)' },
);

/** The configuration file's schema. */
export const ConfigSchema = z.strictObject({
  /** The municipality (kommunenummer) this installation serves. */
  tenant: z
    .string({ error: 'expected a four-digit kommunenummer in quotes, e.g. "1806"' })
    .regex(KOMMUNENUMMER, { error: 'expected a four-digit kommunenummer in quotes, e.g. "1806"' }),
  /** Folder of the SQLite file and other local state. @default './data' */
  dataDir: z.string().min(1).default('./data'),
  /** @default { kind: 'sqlite' } */
  store: StoreSchema.default({ kind: 'sqlite' }),
  folkeregister: FolkeregisterSchema,
  matrikkel: MatrikkelSchema,
  noark: NoarkSchema,
  /** Per flow; flows not listed run with the defaults. */
  flows: z
    .strictObject({
      F1: FlowConfigSchema.optional(),
      F2: FlowConfigSchema.optional(),
      F6: FlowConfigSchema.optional(),
    })
    .default({}),
  /** Engine tuning. */
  engine: z
    .strictObject({
      /** A flow's lock expires this long after its holder stopped renewing it (a killed process). @default 60_000 */
      lockTtlMs: z
        .number({ error: 'expected milliseconds (≥ 1000)' })
        .int()
        .min(1_000, { error: 'expected milliseconds (≥ 1000)' })
        .default(60_000),
      /** An outbox item claimed by a process that died is claimable again after this long. @default 60_000 */
      leaseMs: z
        .number({ error: 'expected milliseconds (≥ 1000)' })
        .int()
        .min(1_000, { error: 'expected milliseconds (≥ 1000)' })
        .default(60_000),
      /** Largest getMany batch. @default 500 */
      batchSize: z.number().int().positive().default(500),
      /** Archive scan page size. @default 100 */
      scanPageSize: z.number().int().positive().default(100),
      /**
       * Archive writes that failed with a retryable error (timeout, 5xx, 429, reset) wait
       * `baseMs · 2^(attempts−1)` (at most `maxMs`, or the register's Retry-After when longer) and
       * are tried again, by the same run when due before it ends and else by the next; after
       * `maxAttempts` they are quarantined. @default { baseMs: 1000, maxMs: 600000, maxAttempts: 8 }
       */
      retry: z
        .strictObject(
          {
            baseMs: ms('the first retry delay').default(1_000),
            maxMs: ms('the longest retry delay').default(600_000),
            maxAttempts: z
              .number({ error: 'expected a number of attempts (≥ 1)' })
              .int()
              .min(1, { error: 'expected a number of attempts (≥ 1)' })
              .default(8),
          },
          { error: 'expected { baseMs, maxMs, maxAttempts }' },
        )
        .default({ baseMs: 1_000, maxMs: 600_000, maxAttempts: 8 }),
    })
    .default({
      lockTtlMs: 60_000,
      leaseMs: 60_000,
      batchSize: 500,
      scanPageSize: 100,
      retry: { baseMs: 1_000, maxMs: 600_000, maxAttempts: 8 },
    }),
  serve: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1'),
      port: z
        .number({ error: 'expected a TCP port number (0–65535)' })
        .int()
        .min(0)
        .max(65_535, { error: 'expected a TCP port number (0–65535)' })
        .default(9464),
      /** How long a shutdown waits for the page in hand. @default 30_000 */
      shutdownTimeoutMs: z.number().int().positive().default(30_000),
    })
    .default({ host: '127.0.0.1', port: 9464, shutdownTimeoutMs: 30_000 }),
  log: z
    .strictObject({
      level: z
        .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
          error: 'expected one of fatal, error, warn, info, debug, trace, silent',
        })
        .default('info'),
    })
    .default({ level: 'info' }),
});

/** The validated configuration. */
export type Config = z.infer<typeof ConfigSchema>;
/** The flows the service runs. */
export const FLOWS = ['F1', 'F2', 'F6'] as const;
/** A flow id the service runs. */
export type ServiceFlow = (typeof FLOWS)[number];

/** A key that holds a secret value instead of naming an environment variable. */
const SECRET_KEYS = /^(password|username|token|secret|key|privateKey|apiKey|connectionString|url)$/i;

function keyPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.') || '(root)';
}

/** One line naming the key and what is expected, from the first zod issue. */
export function formatConfigIssue(issue: z.core.$ZodIssue, source: string, raw?: unknown): string {
  const at = keyPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const full = at === '(root)' ? key : `${at}.${key}`;
    if (SECRET_KEYS.test(key))
      return `${source}: ${full}: secrets are not read from the config file; set ${key}Env to the name of an environment variable that holds it`;
    return `${source}: ${full}: unknown setting (check the spelling; see apps/sync/README.md)`;
  }
  const missing =
    issue.code === 'invalid_type' &&
    (/received undefined/.test(issue.message) || valueAt(raw, issue.path) === undefined);
  const message = issue.message.startsWith('Invalid input') ? defaultMessage(issue) : issue.message;
  return `${source}: ${at}: ${missing ? 'missing; ' : ''}${message}`;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let at: unknown = raw;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

function defaultMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return `expected ${issue.expected}`;
  return issue.message;
}

/**
 * Read, parse and validate a configuration file. Relative paths in it (dataDir, store.file) are
 * resolved against the file's folder. Throws {@link ConfigError} with a one-line message.
 */
export function loadConfig(file: string): Config {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `${file}: cannot read the config file (${(error as NodeJS.ErrnoException).code ?? 'error'}); pass --config <file> or create registerbro.yaml`,
      { system: 'registerbro', key: 'config', cause: error },
    );
  }
  let raw: unknown;
  try {
    raw = extname(file) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const first = String((error as Error).message).split('\n')[0];
    throw new ConfigError(`${file}: not valid ${extname(file) === '.json' ? 'JSON' : 'YAML'}: ${first}`, {
      system: 'registerbro',
      key: 'config',
      cause: error,
    });
  }
  const config = parseConfig(raw, file);
  const base = dirname(resolve(file));
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  config.dataDir = abs(config.dataDir);
  if (config.store.kind === 'sqlite' && config.store.file) config.store.file = abs(config.store.file);
  return config;
}

/** Validate an already parsed configuration object. Throws {@link ConfigError} with a one-line message. */
export function parseConfig(raw: unknown, source = 'config'): Config {
  const result = ConfigSchema.safeParse(raw ?? {});
  if (!result.success) {
    const issue = result.error.issues[0] as z.core.$ZodIssue;
    throw new ConfigError(formatConfigIssue(issue, source, raw ?? {}), {
      system: 'registerbro',
      key: keyPath(issue.path),
    });
  }
  return result.data;
}

/**
 * The value of the environment variable a `…Env` key names. Throws a one-line {@link ConfigError}
 * naming the key and the variable when it is unset or empty.
 */
export function secretFromEnv(env: NodeJS.ProcessEnv, key: string, variable: string, what: string): string {
  const value = env[variable];
  if (value === undefined || value === '') {
    throw new ConfigError(`config: ${key}: environment variable ${variable} is not set (expected ${what})`, {
      system: 'registerbro',
      key,
    });
  }
  return value;
}

/** The SQLite file the store uses. */
export function sqliteFile(config: Config): string {
  return config.store.kind === 'sqlite' && config.store.file
    ? config.store.file
    : resolve(config.dataDir, 'registerbro.sqlite');
}

/** The settings of one flow (defaults for flows the file does not list). */
export function flowConfig(config: Config, flow: ServiceFlow): z.infer<typeof FlowConfigSchema> {
  return config.flows[flow] ?? FlowConfigSchema.parse({});
}

/**
 * The transport client options of a register's `http` settings: only the keys the file sets, so
 * the transport's defaults stay in force for the rest.
 */
export function httpClientOptions(http: HttpSettings | undefined): {
  timeoutMs?: number;
  retries?: number;
  backoff?: { baseMs?: number; maxMs?: number };
  maxRetryAfterMs?: number;
  circuitBreaker?: { failureThreshold?: number; halfOpenAfterMs?: number } | false;
  rateLimit?: { requestsPerSecond: number; maxConcurrent?: number };
} {
  if (!http) return {};
  const out: ReturnType<typeof httpClientOptions> = {};
  if (http.timeoutMs !== undefined) out.timeoutMs = http.timeoutMs;
  if (http.retries !== undefined) out.retries = http.retries;
  if (http.backoff) out.backoff = { ...http.backoff };
  if (http.maxRetryAfterMs !== undefined) out.maxRetryAfterMs = http.maxRetryAfterMs;
  if (http.circuitBreaker !== undefined)
    out.circuitBreaker = http.circuitBreaker === false ? false : { ...http.circuitBreaker };
  if (http.rateLimit) out.rateLimit = { ...http.rateLimit };
  return out;
}
