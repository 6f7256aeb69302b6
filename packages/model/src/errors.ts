import { maskFodselsnummer, redactDeep, redactText } from './redact.js';

const PERSON_IDENTIFIER = /f(o|ø)dselsnummer|d-?nummer|h-?nummer|fnr|person/i;

/**
 * The error hierarchy every Registerbro package throws.
 *
 * Check errors with {@link isRegisterbroError} / {@link hasErrorCode} rather than `instanceof`:
 * two copies of this package in one process (a common result of npm's hoisting) would make
 * `instanceof` fail, while the brand survives.
 */
const BRAND = Symbol.for('registerbro.error');

/** The registers (and our own components) an error or a source reference can come from. */
export type SystemName =
  | 'folkeregister'
  | 'matrikkel'
  | 'noark'
  | 'landbruk'
  | 'kart'
  | 'maskinporten'
  | 'engine'
  | 'registerbro'
  | (string & {});

export interface RegisterbroErrorOptions {
  /** The system the error concerns (`folkeregister`, `matrikkel`, …). */
  system?: SystemName;
  /** The record the error concerns, already masked (use `maskFodselsnummer` for fnr). */
  record?: string;
  /** What the reader should do about it. */
  hint?: string;
  /** True when the same call may succeed if retried later. */
  retryable?: boolean;
  cause?: unknown;
  /** Extra structured, non-personal detail. */
  details?: Record<string, unknown>;
}

/** Base of every error Registerbro throws: a snake_case `code`, the system, `retryable` and `cause`. */
export class RegisterbroError extends Error {
  readonly [BRAND] = true;
  readonly code: string;
  readonly system: SystemName | undefined;
  readonly record: string | undefined;
  readonly hint: string | undefined;
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, options: RegisterbroErrorOptions = {}) {
    // Messages are redacted at construction so no eleven-digit identifier ever leaves in one.
    super(redactText(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RegisterbroError';
    this.code = code;
    this.system = options.system;
    this.record = options.record === undefined ? undefined : redactText(options.record);
    this.hint = options.hint === undefined ? undefined : redactText(options.hint);
    this.retryable = options.retryable ?? false;
    this.details = options.details === undefined ? undefined : redactDeep(options.details);
  }

  /** A plain, log-safe object (no cause chain bodies, no secrets). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      system: this.system,
      record: this.record,
      hint: this.hint,
      retryable: this.retryable,
      details: this.details,
    };
  }
}

/** True when `value` is any Registerbro error, from any copy of this package. */
export function isRegisterbroError(value: unknown): value is RegisterbroError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** True when `value` is a Registerbro error with the given `code`. */
export function hasErrorCode<C extends string>(
  value: unknown,
  code: C,
): value is RegisterbroError & { code: C } {
  return isRegisterbroError(value) && value.code === code;
}

/** A setting is missing or wrong. */
export class ConfigError extends RegisterbroError {
  constructor(message: string, options: RegisterbroErrorOptions & { key?: string } = {}) {
    super('config_invalid', message, { ...options, details: { ...options.details, key: options.key } });
    this.name = 'ConfigError';
  }
}

/** Credentials were refused or could not be obtained (401/403, token endpoint errors). */
export class AuthError extends RegisterbroError {
  readonly status: number | undefined;
  constructor(message: string, options: RegisterbroErrorOptions & { status?: number } = {}) {
    super('auth_failed', message, options);
    this.name = 'AuthError';
    this.status = options.status;
  }
}

/** An HTTP exchange ended with an unexpected status. `url` never carries credentials or query secrets. */
export class HttpError extends RegisterbroError {
  readonly status: number;
  readonly method: string;
  readonly url: string;
  constructor(
    message: string,
    options: RegisterbroErrorOptions & { status: number; method: string; url: string; code?: string },
  ) {
    super(options.code ?? 'http_error', message, {
      retryable: options.status >= 500 || options.status === 408,
      ...options,
    });
    this.name = 'HttpError';
    this.status = options.status;
    this.method = options.method.toUpperCase();
    this.url = redactText(options.url);
  }
}

/** The register asked us to slow down (429); `retryAfterMs` says for how long. */
export class RateLimitError extends RegisterbroError {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: RegisterbroErrorOptions & { retryAfterMs?: number } = {}) {
    super('rate_limited', message, { retryable: true, ...options });
    this.name = 'RateLimitError';
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** A request took longer than its timeout. */
export class TimeoutError extends RegisterbroError {
  readonly timeoutMs: number | undefined;
  constructor(message: string, options: RegisterbroErrorOptions & { timeoutMs?: number } = {}) {
    super('timeout', message, { retryable: true, ...options });
    this.name = 'TimeoutError';
    this.timeoutMs = options.timeoutMs;
  }
}

/** The circuit breaker for a system is open after repeated failures; calls fail fast until it half-opens. */
export class CircuitOpenError extends RegisterbroError {
  constructor(message: string, options: RegisterbroErrorOptions = {}) {
    super('circuit_open', message, { retryable: true, ...options });
    this.name = 'CircuitOpenError';
  }
}

/** The caller aborted the operation through its `AbortSignal`. */
export class AbortedError extends RegisterbroError {
  constructor(message = 'The operation was aborted', options: RegisterbroErrorOptions = {}) {
    super('aborted', message, options);
    this.name = 'AbortedError';
  }
}

/** One issue found while validating an upstream payload (zod-compatible, never holds values). */
export interface ValidationIssue {
  path: (string | number)[];
  message: string;
  code?: string;
}

/**
 * The register sent something we cannot use: a body that fails its wire schema, malformed JSON/XML,
 * an invalid identifier. The record goes to quarantine; the rest of the page goes on.
 */
export class UpstreamInvalidError extends RegisterbroError {
  readonly issues: ValidationIssue[];
  /** A short, redacted excerpt of the offending input (at most 200 characters). */
  readonly excerpt: string | undefined;
  constructor(
    message: string,
    options: RegisterbroErrorOptions & { issues?: ValidationIssue[]; excerpt?: string; code?: string } = {},
  ) {
    super(options.code ?? 'upstream_invalid', message, options);
    this.name = 'UpstreamInvalidError';
    this.issues = options.issues ?? [];
    this.excerpt = options.excerpt === undefined ? undefined : redactText(options.excerpt.slice(0, 200));
  }
}

/** The adapter does not support this call (see its declared capabilities). Never a silent no-op. */
export class UnsupportedError extends RegisterbroError {
  constructor(message: string, options: RegisterbroErrorOptions = {}) {
    super('unsupported', message, options);
    this.name = 'UnsupportedError';
  }
}

/**
 * A write could not be made because the target changed underneath us (ETag mismatch, 409/412) or
 * a rule forbids it (`code: 'frozen'` for a finalised Noark journalpost). The engine turns it into
 * a conflict for an administrator.
 */
export class ConflictError extends RegisterbroError {
  constructor(message: string, options: RegisterbroErrorOptions & { code?: string } = {}) {
    super(options.code ?? 'conflict', message, options);
    this.name = 'ConflictError';
  }
}

/** An identifier failed its syntax or check rule. `input` is masked for fødselsnummer. */
export class InvalidIdentifierError extends RegisterbroError {
  readonly identifier: string;
  readonly input: string;
  readonly reason: string;
  constructor(identifier: string, input: string, reason: string, options: RegisterbroErrorOptions = {}) {
    // A person identifier is masked whole, whatever its shape: a near-miss such as 12 digits or
    // `DDMMYY-NNNNN` is as personal as a valid number.
    const shown = PERSON_IDENTIFIER.test(identifier) ? maskFodselsnummer(input) : redactText(input);
    super('invalid_identifier', `Invalid ${identifier} "${shown}": ${reason}`, options);
    this.name = 'InvalidIdentifierError';
    this.identifier = identifier;
    this.input = shown;
    this.reason = reason;
  }
}

/** Wrap an unknown thrown value as a RegisterbroError, keeping it as `cause`. */
export function toRegisterbroError(value: unknown, system?: SystemName): RegisterbroError {
  if (isRegisterbroError(value)) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new RegisterbroError('unexpected', message, { system, cause: value });
}
