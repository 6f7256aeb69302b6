import { makeFodselsnummer, makeOrganisasjonsnummer } from '@registerbro/model';

/**
 * Synthetic identifiers for the world: made by `@registerbro/model`'s generators, always
 * Tenor-style (birth month + 80), so none can be a real person's number. The checks below are a
 * second, independent implementation of the control digits, used by `checkWorld` and the tests.
 */

const K1_WEIGHTS = [3, 7, 6, 1, 8, 9, 4, 5, 2] as const;
const K2_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const;
const ORG_WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2] as const;

function controlDigit(digits: string, weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += (digits.charCodeAt(i) - 48) * weights[i]!;
  const k = 11 - (sum % 11);
  return k === 11 ? 0 : k;
}

/** True when the 11 digits pass both mod-11 control digits (classic rule). */
export function passesMod11(value: string): boolean {
  if (!/^\d{11}$/.test(value)) return false;
  const k1 = controlDigit(value, K1_WEIGHTS);
  if (k1 === 10 || k1 !== value.charCodeAt(9) - 48) return false;
  const k2 = controlDigit(value, K2_WEIGHTS);
  return k2 !== 10 && k2 === value.charCodeAt(10) - 48;
}

/** True for a Tenor-style synthetic number: month + 80 (fnr or D-nummer). */
export function isSyntheticNumber(value: string): boolean {
  const month = Number(value.slice(2, 4));
  return month >= 81 && month <= 92;
}

/** The individnummer range for a birth year (classic rules). */
export function individnummerRange(year: number): [number, number][] {
  if (year >= 2000 && year <= 2039) return [[500, 999]];
  if (year >= 1940 && year <= 1999)
    return [
      [0, 499],
      [900, 999],
    ];
  if (year >= 1900 && year <= 1939) return [[0, 499]];
  if (year >= 1854 && year <= 1899) return [[500, 749]];
  throw new RangeError(`no individnummer range for birth year ${year}`);
}

/**
 * A synthetic fødselsnummer/D-nummer for a birth date and individnummer, or null when no valid
 * control digits exist for it. Delegates to the model's generator so there is one implementation.
 */
export function makeSyntheticNumber(
  birthDate: string,
  individnummer: number,
  kind: 'fnr' | 'dnr',
): string | null {
  return makeFodselsnummer({ birthDate, individnummer, kind, synthetic: true });
}

/** A valid organisasjonsnummer from an 8-digit base, or null when the control digit would be 10. */
export function makeOrgnr(base8: number): string | null {
  return makeOrganisasjonsnummer(base8);
}

/** True when 9 digits pass the organisasjonsnummer mod-11 check. */
export function passesOrgnrMod11(value: string): boolean {
  if (!/^\d{9}$/.test(value)) return false;
  const k = controlDigit(value, ORG_WEIGHTS);
  return k !== 10 && k === value.charCodeAt(8) - 48;
}
