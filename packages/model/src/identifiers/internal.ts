import { InvalidIdentifierError } from '../errors.js';

/** Shared plumbing of the identifier parsers (not exported from the package). */

/** Throw the typed error every `parseX` throws. `shownInput` must already be safe to show. */
export function fail(identifier: string, shownInput: string, reason: string, hint?: string): never {
  throw new InvalidIdentifierError(identifier, shownInput, reason, hint === undefined ? {} : { hint });
}

/** A short, printable rendering of any input for an error message (never a fødselsnummer). */
export function show(input: unknown): string {
  if (typeof input === 'string') return input.length > 40 ? `${input.slice(0, 40)}…` : input;
  if (typeof input === 'number' || typeof input === 'bigint' || typeof input === 'boolean')
    return String(input);
  if (input === null) return 'null';
  return typeof input;
}

/** Require a string and trim it; anything else fails with "not a string". */
export function requireString(identifier: string, input: unknown): string {
  if (typeof input !== 'string')
    fail(identifier, show(input), `expected a string, got ${describeType(input)}`);
  return input.trim();
}

function describeType(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  return typeof input;
}

/** True when `fn` does not throw: the `isX` guards are built on the parsers so both agree exactly. */
export function passes(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch {
    return false;
  }
}
