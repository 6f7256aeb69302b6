import { fail, passes, requireString, show } from './internal.js';

/** Postnummer (Posten/Bring): four digits 0001–9999, kept as a string so `0150` keeps its zero. */

/**
 * Parse a postnummer.
 * @throws InvalidIdentifierError (`identifier: 'postnummer'`) on a wrong form or `0000`.
 */
export function parsePostnummer(input: string): string {
  const value = requireString('postnummer', input);
  if (!/^[0-9]{4}$/.test(value))
    fail('postnummer', show(input), 'must be exactly 4 digits (keep the leading zero)');
  if (value === '0000') fail('postnummer', value, 'must be 0001–9999');
  return value;
}

/** True when {@link parsePostnummer} accepts `input`. Never throws. */
export function isPostnummer(input: unknown): boolean {
  return typeof input === 'string' && passes(() => parsePostnummer(input));
}
