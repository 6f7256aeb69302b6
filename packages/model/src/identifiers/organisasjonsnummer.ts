import { fail, passes, requireString, show } from './internal.js';

/**
 * Organisasjonsnummer (Enhetsregisteret): nine digits, the last a mod-11 control digit with weights
 * 3, 2, 7, 6, 5, 4, 3, 2. A remainder that would give control digit 10 is never issued.
 * Spec: https://www.brreg.no/om-oss/registrene-vare/om-enhetsregisteret/organisasjonsnummeret/
 * The first digit is not checked: Brønnøysund issues 8xx/9xx, but Tenor's synthetic organisations
 * use 2xx and 3xx.
 */

const IDENTIFIER = 'organisasjonsnummer';
const WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2] as const;

function controlDigit(first8: string): number | null {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(first8[i]) * (WEIGHTS[i] ?? 0);
  const k = (11 - (sum % 11)) % 11;
  return k === 10 ? null : k;
}

/**
 * Parse an organisasjonsnummer: `974760673`, also written `974 760 673`. Returns the nine digits.
 * @throws InvalidIdentifierError (`identifier: 'organisasjonsnummer'`) on wrong length, non-digits
 *   or a wrong control digit.
 */
export function parseOrganisasjonsnummer(input: string): string {
  const trimmed = requireString(IDENTIFIER, input);
  const value = /^[0-9]{3} [0-9]{3} [0-9]{3}$/.test(trimmed) ? trimmed.replaceAll(' ', '') : trimmed;
  if (!/^[0-9]*$/.test(value)) {
    fail(IDENTIFIER, show(input), 'must contain only digits (optionally written NNN NNN NNN)');
  }
  if (value.length !== 9) fail(IDENTIFIER, show(input), `must be 9 digits, got ${value.length}`);
  const k = controlDigit(value.slice(0, 8));
  if (k === null || k !== Number(value[8])) {
    fail(
      IDENTIFIER,
      show(input),
      'control digit (the 9th digit) is wrong',
      'check the number for a typing error',
    );
  }
  return value;
}

/** True when `input` is a string {@link parseOrganisasjonsnummer} accepts. Never throws. */
export function isOrganisasjonsnummer(input: unknown): boolean {
  return typeof input === 'string' && passes(() => parseOrganisasjonsnummer(input));
}

/**
 * Append the control digit to an eight-digit base (0–99 999 999, zero-padded). Returns `null` when
 * the base has no valid control digit (remainder 1).
 * @throws InvalidIdentifierError when `base8` is not an integer in range.
 */
export function makeOrganisasjonsnummer(base8: number): string | null {
  if (!Number.isInteger(base8) || base8 < 0 || base8 > 99_999_999) {
    fail(IDENTIFIER, show(base8), 'the base must be an integer 0–99999999');
  }
  const first8 = String(base8).padStart(8, '0');
  const k = controlDigit(first8);
  return k === null ? null : `${first8}${k}`;
}
