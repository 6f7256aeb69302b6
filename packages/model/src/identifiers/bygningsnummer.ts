import { fail, passes, requireString, show } from './internal.js';

/**
 * Bygningsnummer: the matrikkel's building number. The Matrikkel API and matrikkelføring v2 type it
 * `xs:long`; issued numbers have at most nine digits, so that is what we accept. Leading zeros carry
 * no meaning in a number and are dropped, so `080012345` and `80012345` are the same building.
 */

/**
 * Parse a bygningsnummer (1–9 digits, not zero). Returns the canonical digits without leading zeros.
 * @throws InvalidIdentifierError (`identifier: 'bygningsnummer'`)
 */
export function parseBygningsnummer(input: string): string {
  const value = requireString('bygningsnummer', input);
  if (!/^[0-9]{1,9}$/.test(value)) fail('bygningsnummer', show(input), 'must be 1–9 digits');
  const canonical = value.replace(/^0+/, '');
  if (canonical === '') fail('bygningsnummer', value, 'must not be zero');
  return canonical;
}

/** True when {@link parseBygningsnummer} accepts `input`. Never throws. */
export function isBygningsnummer(input: unknown): boolean {
  return typeof input === 'string' && passes(() => parseBygningsnummer(input));
}
