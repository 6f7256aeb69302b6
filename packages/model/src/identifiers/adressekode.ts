import { fail, passes, show } from './internal.js';

/**
 * Adressekode: the matrikkel's number of a street (veg) or addressed area within one municipality,
 * `xs:int` in the Matrikkel API; issued codes are 1–99 999. Unique only together with the kommunenummer.
 */

/**
 * Parse an adressekode from text (`1234`, leading zeros allowed) or a number.
 * @throws InvalidIdentifierError (`identifier: 'adressekode'`)
 */
export function parseAdressekode(input: string | number): number {
  let value: number;
  if (typeof input === 'number') {
    value = input;
  } else if (typeof input === 'string' && /^[0-9]{1,5}$/.test(input.trim())) {
    value = Number(input.trim());
  } else {
    fail('adressekode', show(input), 'must be 1–5 digits');
  }
  if (!Number.isInteger(value) || value < 1 || value > 99_999) {
    fail('adressekode', show(input), 'must be an integer 1–99999');
  }
  return value;
}

/** True when {@link parseAdressekode} accepts `input`. Never throws. */
export function isAdressekode(input: unknown): boolean {
  return (typeof input === 'string' || typeof input === 'number') && passes(() => parseAdressekode(input));
}
