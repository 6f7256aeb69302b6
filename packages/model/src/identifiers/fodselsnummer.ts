import { maskFodselsnummer } from '../redact.js';
import { fail, passes } from './internal.js';

/**
 * Fødselsnummer, D-nummer and H-nummer, including Tenor's synthetic numbers and the control-digit
 * rule Skatteetaten uses for numbers issued from 2032.
 *
 * Spec: https://skatteetaten.github.io/folkeregisteret-api-dokumentasjon/nytt-fodselsnummer-fra-2032/
 * and Skatteetaten's test vectors (`shared/specs/folkeregister/testvectors/foedselsnummer.csv`).
 */

/** `fnr`: ordinary fødselsnummer; `dnr`: D-nummer (day + 40); `hnr`: H-nummer (month + 40). */
export type FodselsnummerKind = 'fnr' | 'dnr' | 'hnr';

/** Which control-digit rule the number satisfies. */
export type FodselsnummerControlRule = 'classic' | '2032';

/** A parsed, valid fødselsnummer/D-nummer/H-nummer. */
export interface Fodselsnummer {
  /** The eleven digits, without spaces. */
  value: string;
  kind: FodselsnummerKind;
  /** True for Tenor's synthetic test numbers (birth month + 80). */
  synthetic: boolean;
  /** Birth date as `YYYY-MM-DD`, with the century taken from the individnummer. */
  birthDate: string;
  /**
   * `classic`: the first control digit is the mod-11 digit of 1964. `2032`: it is one of the three
   * further values allowed from 2032 (remainder 1, 2 or 3), so the number cannot be a classic one.
   */
  controlRule: FodselsnummerControlRule;
  /**
   * From the 9th digit (odd: male), given only for `classic` numbers: numbers issued under the 2032
   * rule are gender-neutral, and their 9th digit says nothing. (A gender-neutral number may happen to
   * satisfy the classic rule too; nothing in the number can tell, so treat `sex` as a hint.)
   */
  sex?: 'female' | 'male';
}

const IDENTIFIER = 'fodselsnummer';
const K1_WEIGHTS = [3, 7, 6, 1, 8, 9, 4, 5, 2] as const;
const K2_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const;

function weightedSum(digits: readonly number[], weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += (digits[i] ?? 0) * (weights[i] ?? 0);
  return sum;
}

/**
 * The birth year from the two-digit year and the individnummer (Skatteetaten's allocation):
 * 000–499 → 1900–1999; 500–749 with year 54–99 → 1854–1899; 500–999 with year 00–39 → 2000–2039;
 * 900–999 with year 40–99 → 1940–1999. Combinations outside those ranges (e.g. 750–899 with year
 * 40–99) are never allocated to real people, but Tenor issues them (Skatteetaten's own vector
 * `syntetisk 2032-D-nummer` is one), so they fall back to 1900 + year rather than being rejected.
 */
function centuryYear(twoDigitYear: number, individnummer: number): number {
  if (individnummer <= 499) return 1900 + twoDigitYear;
  if (individnummer <= 749 && twoDigitYear >= 54) return 1800 + twoDigitYear;
  if (twoDigitYear <= 39) return 2000 + twoDigitYear;
  // 900–999 with year 40–99 is 1940–1999; 500–899 with year 40–99 has no allocation: same fallback.
  return 1900 + twoDigitYear;
}

/** True when `individnummer` is allocated to people born in `year` (the strict allocation rule). */
function individnummerFitsYear(individnummer: number, year: number): boolean {
  if (year >= 1900 && year <= 1999 && individnummer <= 499) return true;
  if (year >= 1854 && year <= 1899) return individnummer >= 500 && individnummer <= 749;
  if (year >= 2000 && year <= 2039) return individnummer >= 500;
  if (year >= 1940 && year <= 1999) return individnummer >= 900;
  return false;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * Parse a fødselsnummer, D-nummer or H-nummer (also Tenor's synthetic numbers, month + 80, alone or
 * with day + 40). Accepts surrounding whitespace and the written form `DDMMYY NNNNN` (one space).
 * @throws InvalidIdentifierError (`identifier: 'fodselsnummer'`, input masked) with the reason:
 *   not digits, wrong length, impossible date, control digit 1 or 2 wrong.
 */
export function parseFodselsnummer(input: string): Fodselsnummer {
  if (typeof input !== 'string') {
    fail(IDENTIFIER, typeof input, `expected a string, got ${input === null ? 'null' : typeof input}`);
  }
  // Masked only for an error: most inputs are valid, and this runs for every person read.
  const bad = (reason: string): never => fail(IDENTIFIER, maskFodselsnummer(input), reason);
  const trimmed = input.trim();
  const value = /^[0-9]{6} [0-9]{5}$/.test(trimmed) ? trimmed.replace(' ', '') : trimmed;
  if (!/^[0-9]*$/.test(value)) {
    bad('must contain only digits (optionally written DDMMYY NNNNN)');
  }
  if (value.length !== 11) bad(`must be 11 digits, got ${value.length}`);

  const d: number[] = [];
  for (let i = 0; i < 11; i++) d.push(value.charCodeAt(i) - 48);
  const dayField = Number(value.slice(0, 2));
  const monthField = Number(value.slice(2, 4));
  const twoDigitYear = Number(value.slice(4, 6));
  const individnummer = Number(value.slice(6, 9));

  const dnr = dayField > 40;
  const day = dnr ? dayField - 40 : dayField;
  let month = monthField;
  let synthetic = false;
  let hnr = false;
  if (monthField > 80) {
    synthetic = true;
    month = monthField - 80;
  } else if (monthField > 40) {
    hnr = true;
    month = monthField - 40;
  }
  if (dnr && hnr) {
    bad('impossible date: day + 40 (D-nummer) and month + 40 (H-nummer) together');
  }
  const year = centuryYear(twoDigitYear, individnummer);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    bad('impossible date in the first six digits');
  }

  // Control digit 1: the weighted sum including k1 must leave remainder 0 (classic) or, from
  // 2032, 0–3. Control digit 2 is still the classic mod-11 digit over the first ten digits.
  const rest = (weightedSum(d, K1_WEIGHTS) + (d[9] ?? 0)) % 11;
  if (rest > 3) bad('control digit 1 (the 10th digit) is wrong');
  if ((weightedSum(d, K2_WEIGHTS) + (d[10] ?? 0)) % 11 !== 0) {
    bad('control digit 2 (the 11th digit) is wrong');
  }

  const controlRule: FodselsnummerControlRule = rest === 0 ? 'classic' : '2032';
  const result: Fodselsnummer = {
    value,
    kind: dnr ? 'dnr' : hnr ? 'hnr' : 'fnr',
    synthetic,
    birthDate: `${year}-${pad2(month)}-${pad2(day)}`,
    controlRule,
  };
  if (controlRule === 'classic') result.sex = (d[8] ?? 0) % 2 === 1 ? 'male' : 'female';
  return result;
}

/** True when `input` is a string {@link parseFodselsnummer} accepts. Never throws. */
export function isFodselsnummer(input: unknown): boolean {
  return typeof input === 'string' && passes(() => parseFodselsnummer(input));
}

/** Options of {@link makeFodselsnummer}. */
export interface MakeFodselsnummerOptions {
  /** `YYYY-MM-DD`, 1854-01-01 to 2039-12-31. */
  birthDate: string;
  /** 0–999; must be allocated to the birth year (e.g. 500–749 for 1854–1899). */
  individnummer: number;
  /** @default 'fnr' */
  kind?: FodselsnummerKind;
  /** Tenor-style synthetic number (month + 80). Cannot be combined with `hnr`. @default false */
  synthetic?: boolean;
  /** `2032` picks the first of the remainders 1–3 that gives valid control digits. @default 'classic' */
  controlRule?: FodselsnummerControlRule;
}

/**
 * Build a number with valid control digits (test data, simulators). Returns `null` when no valid
 * control digits exist for that individnummer under the chosen rule (about one in five under the
 * classic rule: pick the next individnummer).
 * @throws InvalidIdentifierError when the options cannot describe a number (bad date, individnummer
 *   not allocated to that year, `hnr` with `synthetic`).
 */
export function makeFodselsnummer(options: MakeFodselsnummerOptions): string | null {
  const { birthDate, individnummer, kind = 'fnr', synthetic = false, controlRule = 'classic' } = options;
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(birthDate);
  if (!m) fail(IDENTIFIER, birthDate, 'birthDate must be YYYY-MM-DD');
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    fail(IDENTIFIER, birthDate, 'birthDate is not a real date');
  }
  if (!Number.isInteger(individnummer) || individnummer < 0 || individnummer > 999) {
    fail(IDENTIFIER, String(individnummer), 'individnummer must be an integer 0–999');
  }
  if (!individnummerFitsYear(individnummer, year)) {
    fail(IDENTIFIER, String(individnummer), `individnummer is not allocated to birth year ${year}`);
  }
  if (kind === 'hnr' && synthetic) fail(IDENTIFIER, kind, 'an H-nummer cannot also be synthetic');

  const dayField = kind === 'dnr' ? day + 40 : day;
  const monthField = month + (kind === 'hnr' ? 40 : 0) + (synthetic ? 80 : 0);
  const base = `${pad2(dayField)}${pad2(monthField)}${pad2(year % 100)}${String(individnummer).padStart(3, '0')}`;
  const d = Array.from(base, Number);
  const sum1 = weightedSum(d, K1_WEIGHTS);
  const rests = controlRule === 'classic' ? [0] : [1, 2, 3];
  for (const rest of rests) {
    const k1 = (((rest - sum1) % 11) + 11) % 11;
    if (k1 === 10) continue;
    const k2 = (11 - (weightedSum([...d, k1], K2_WEIGHTS) % 11 || 11)) % 11;
    if (k2 === 10) continue;
    return `${base}${k1}${k2}`;
  }
  return null;
}
