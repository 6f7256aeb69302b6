import { UpstreamInvalidError, type ValidationIssue } from '@registerbro/model';
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

/** A short, safe excerpt of a value for error messages (redacted by the error itself). Never throws. */
export function excerptOf(value: unknown): string {
  try {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return (text ?? typeof value).slice(0, 200);
  } catch {
    // Hostile input (100 000-deep nesting) can overflow the stack of any printer.
    return '[unprintable]';
  }
}
