import { maskFodselsnummer, UpstreamInvalidError, type ValidationIssue } from '@registerbro/model';
import type { z } from 'zod';

/** Turn zod issues into the model's value-free {@link ValidationIssue}s (never holding an fnr). */
export function toValidationIssues(error: z.ZodError, limit = 20): ValidationIssue[] {
  return error.issues.slice(0, limit).map((issue) => ({
    path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: issue.message,
    code: issue.code,
  }));
}

/** Short human summary of the first issues: `navn[0].fornavn: expected string`. */
export function summariseIssues(error: z.ZodError, limit = 3): string {
  return error.issues
    .slice(0, limit)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

/** The error for a payload that fails its wire schema. `record` must already be masked. */
export function wireInvalid(
  what: string,
  error: z.ZodError,
  options: { record?: string; excerpt?: string; hint?: string } = {},
): UpstreamInvalidError {
  return new UpstreamInvalidError(
    `Folkeregisteret: ${what} does not match the wire schema (${summariseIssues(error)})`,
    {
      system: 'folkeregister',
      record: options.record,
      issues: toValidationIssues(error),
      excerpt: options.excerpt,
      hint:
        options.hint ??
        'The record is quarantined; check whether Skatteetaten changed the API version, then re-fetch it.',
    },
  );
}

/** Fields that hold a person identifier in Folkeregisteret's payloads. */
const IDENTIFIER_FIELDS =
  /^(foedselsEllerDNummer|folkeregisteridentifikator|foedselsnummer|dNummer|identifikasjonsnummer)$/i;

/**
 * Digit runs shaped like a person identifier, exact or not: 11 digits, a near miss of 9 to 13,
 * or `DDMMYY` and the rest split by a space, dash, dot or an encoded space (in a URL). The model
 * redacts only exact 11-digit runs, and a wrong-length identifier is just as personal.
 */
const IDENTIFIER_LIKE = /(?<![0-9])[0-9]{6}(?:[ .-]|%20|\+)?[0-9]{3,7}(?![0-9])/g;

/** Mask every identifier-like digit run in `text` (see {@link excerptOf}). */
export function maskIdentifierLike(text: string): string {
  return text.replace(IDENTIFIER_LIKE, '***********');
}

/**
 * A short, safe excerpt of a value for error messages. Values of identifier fields are masked
 * whatever their shape, and so is any identifier-like digit run elsewhere. Never throws.
 */
export function excerptOf(value: unknown): string {
  try {
    const text =
      typeof value === 'string'
        ? value
        : JSON.stringify(value, (key, field: unknown) =>
            typeof field === 'string' && IDENTIFIER_FIELDS.test(key) ? maskFodselsnummer(field) : field,
          );
    // Masked on more than is kept, so the cut at 200 cannot split a run into an unmasked tail.
    return maskIdentifierLike((text ?? typeof value).slice(0, 400)).slice(0, 200);
  } catch {
    // Hostile input (100 000-deep nesting) can overflow the stack of any printer.
    return '[unprintable]';
  }
}
