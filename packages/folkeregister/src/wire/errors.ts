import {
  AuthError,
  HttpError,
  RateLimitError,
  type RegisterbroError,
  UpstreamInvalidError,
} from '@registerbro/model';
import { z } from 'zod';
import { maskIdentifierLike } from './common.js';

/**
 * Folkeregisteret answers errors in three body shapes, depending on which layer refused the call:
 *
 * 1. `{ kode, melding }` — the documented gateway error (e.g. `FREG-001`);
 * 2. `FolkeregisterFeilmelding` — `{ alvorlighetsgrad, feilkode, feilmelding, httpStatus, tilleggsinformasjon }`
 *    (401/403 in the OpenAPI);
 * 3. `ErrorMessageForExternalUsers` — `{ code, feilreferanse, httpStatus, message }` (404 on the feed).
 *
 * All three are read into one {@link FolkeregisterErrorBody} and become the same typed errors.
 *
 * @see https://skatteetaten.github.io/folkeregisteret-api-dokumentasjon/hendelsesliste/ (feilmeldinger)
 */
export const KodeMeldingWireSchema = z.looseObject({ kode: z.string(), melding: z.string() });

/** Shape 2: `FolkeregisterFeilmelding` (401/403 in the OpenAPI). */
export const FolkeregisterFeilmeldingWireSchema = z.looseObject({
  alvorlighetsgrad: z.string().optional(),
  feilkode: z.string().optional(),
  feilmelding: z.string(),
  httpStatus: z.number().int().optional(),
  tilleggsinformasjon: z.record(z.string(), z.string()).optional(),
});

/** Shape 3: `ErrorMessageForExternalUsers` (404 on the feed), with `feilreferanse` for support. */
export const ErrorMessageForExternalUsersWireSchema = z.looseObject({
  code: z.string().optional(),
  feilreferanse: z.string().optional(),
  httpStatus: z.number().int().optional(),
  message: z.string(),
});

/** The three error shapes, normalised. */
export interface FolkeregisterErrorBody {
  shape: 'kode-melding' | 'folkeregister-feilmelding' | 'error-message-for-external-users';
  /** Skatteetaten's error code (`FREG-001`, `feilkode`, `code`). */
  code?: string;
  /** The message text (redacted when put in an error). */
  message: string;
  /** `feilreferanse`: quote it to Skatteetaten's support. */
  reference?: string;
  /** `httpStatus` from the body, when present. */
  httpStatus?: number;
  severity?: string;
}

/** Read an error body in any of the three shapes; `undefined` when it is none of them. */
export function parseFolkeregisterErrorBody(body: unknown): FolkeregisterErrorBody | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const a = KodeMeldingWireSchema.safeParse(body);
  // The register's own text may quote the identifier it refused, in any shape: masked here, once.
  if (a.success)
    return { shape: 'kode-melding', code: a.data.kode, message: maskIdentifierLike(a.data.melding) };
  const b = FolkeregisterFeilmeldingWireSchema.safeParse(body);
  if (b.success) {
    return {
      shape: 'folkeregister-feilmelding',
      code: b.data.feilkode,
      message: maskIdentifierLike(b.data.feilmelding),
      httpStatus: b.data.httpStatus,
      severity: b.data.alvorlighetsgrad,
    };
  }
  const c = ErrorMessageForExternalUsersWireSchema.safeParse(body);
  if (c.success) {
    return {
      shape: 'error-message-for-external-users',
      code: c.data.code,
      message: maskIdentifierLike(c.data.message),
      reference: c.data.feilreferanse,
      httpStatus: c.data.httpStatus,
    };
  }
  return undefined;
}

/** Parse text as JSON and read it as an error body; `undefined` for anything else. */
export function parseFolkeregisterErrorText(text: string): FolkeregisterErrorBody | undefined {
  if (!text || text.length > 100_000) return undefined;
  const first = text.trimStart()[0];
  if (first !== '{') return undefined;
  try {
    return parseFolkeregisterErrorBody(JSON.parse(text));
  } catch {
    return undefined;
  }
}

const HINTS: Record<number, string> = {
  400: 'The request was malformed (an invalid identifier or parameter); fix the input, do not retry.',
  401: 'The Maskinporten token was refused: check the client id, key and that the token is not expired.',
  403: 'The token lacks the scope for this rettighetspakke (folkeregister:deling/…); ask for access.',
  404: 'The register does not know this record.',
  406: 'The Accept header is not supported; ask for application/json.',
  429: 'Too many calls: wait Retry-After milliseconds before the next request.',
  500: 'Folkeregisteret failed internally; retry later.',
};

/** Inputs for {@link toFolkeregisterError}. */
export interface FolkeregisterErrorContext {
  status: number;
  method: string;
  /** URL without secrets (fnr in it are masked by the error). */
  url: string;
  /** Raw response body text. */
  body: string;
  /** `Retry-After` already converted to milliseconds. */
  retryAfterMs?: number;
  /** Masked record name. */
  record?: string;
}

/**
 * The one typed error for every Folkeregisteret error status and body shape: `AuthError` (401/403),
 * `RateLimitError` (429, `retryAfterMs`), otherwise `HttpError` (code `not_found` for 404,
 * `bad_request` for 400, `not_acceptable` for 406, `http_error` else). The normalised body is in
 * `details.upstream` (`code`, `message`, `reference`, `shape`), redacted of fnr.
 */
export function toFolkeregisterError(ctx: FolkeregisterErrorContext): RegisterbroError {
  const parsed = parseFolkeregisterErrorText(ctx.body);
  const upstream = parsed
    ? { shape: parsed.shape, code: parsed.code, message: parsed.message, reference: parsed.reference }
    : undefined;
  const said = parsed ? `: ${[parsed.code, parsed.message].filter(Boolean).join(' ')}` : '';
  const ref = parsed?.reference ? ` (feilreferanse ${parsed.reference})` : '';
  // A path may hold an identifier of any shape (personer/{id}); the model masks only 11 digits in a row.
  const url = maskIdentifierLike(ctx.url);
  const text = `Folkeregisteret ${ctx.method.toUpperCase()} ${url} answered ${ctx.status}${said}${ref}`;
  const common = {
    system: 'folkeregister' as const,
    record: ctx.record,
    hint: HINTS[ctx.status] ?? (ctx.status >= 500 ? HINTS[500] : undefined),
    details: { status: ctx.status, upstream },
  };
  if (ctx.status === 401 || ctx.status === 403) return new AuthError(text, { ...common, status: ctx.status });
  if (ctx.status === 429) return new RateLimitError(text, { ...common, retryAfterMs: ctx.retryAfterMs });
  const code =
    ctx.status === 404
      ? 'not_found'
      : ctx.status === 400
        ? 'bad_request'
        : ctx.status === 406
          ? 'not_acceptable'
          : 'http_error';
  return new HttpError(text, { ...common, status: ctx.status, method: ctx.method, url, code });
}

/**
 * A 200 whose body is one of the error shapes (seen from gateways in front of the register):
 * the record cannot be used, so it becomes an `UpstreamInvalidError` with code `upstream_error_body`.
 */
export function errorBodyOn200(
  parsed: FolkeregisterErrorBody,
  what: string,
  record?: string,
): UpstreamInvalidError {
  return new UpstreamInvalidError(
    `Folkeregisteret answered ${what} with 200 but an error body: ${[parsed.code, parsed.message].filter(Boolean).join(' ')}`,
    {
      system: 'folkeregister',
      code: 'upstream_error_body',
      record,
      retryable: true,
      details: { upstream: parsed },
      hint: 'The register (or a gateway) reported an error inside a success response; retry later.',
    },
  );
}
