import { isKommunenummer } from './kommunenummer.js';
import { fail, passes, requireString, show } from './internal.js';

/**
 * Matrikkelnummer: kommunenummer, gårdsnummer, bruksnummer, festenummer and seksjonsnummer
 * (matrikkelforskriften § 3; Kartverket writes `3413-6/501/0/2`). Historic kommunenummer are allowed:
 * old records keep them, and the matrikkel renumbers properties with the municipality.
 */

const IDENTIFIER = 'matrikkelnummer';

/** The five parts of a matrikkelnummer. */
export interface Matrikkelnummer {
  kommunenummer: string;
  /** 1–99 999 */
  gardsnummer: number;
  /** 0–9 999 */
  bruksnummer: number;
  /** 0–9 999; 0 when the unit is not a festegrunn */
  festenummer: number;
  /** 0–9 999; 0 when the unit is not an eierseksjon */
  seksjonsnummer: number;
}

/** Options of {@link parseMatrikkelnummer}. */
export interface ParseMatrikkelnummerOptions {
  /** Kommunenummer for the short form `gnr/bnr` without one. @default undefined (the form is rejected) */
  defaultKommunenummer?: string;
}

// kommune, then `-` or spaces; gnr/bnr[/fnr[/snr]] with up to 5/4/4/4 digits (zero-padded forms allowed).
const PATTERN =
  /^(?:([0-9]{4})(?:\s*-\s*|\s+))?([0-9]{1,5})\/([0-9]{1,4})(?:\/([0-9]{1,4})(?:\/([0-9]{1,4}))?)?$/;

function checkParts(m: Matrikkelnummer, shown: string): void {
  if (!isKommunenummer(m.kommunenummer)) {
    fail(IDENTIFIER, shown, `unknown kommunenummer ${show(m.kommunenummer)}`);
  }
  const ranges: [keyof Matrikkelnummer, number, number][] = [
    ['gardsnummer', 1, 99_999],
    ['bruksnummer', 0, 9_999],
    ['festenummer', 0, 9_999],
    ['seksjonsnummer', 0, 9_999],
  ];
  for (const [key, min, max] of ranges) {
    const v = m[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      fail(IDENTIFIER, shown, `${key} must be an integer ${min}–${max}`);
    }
  }
}

/**
 * Parse the text forms `1806-12/3`, `1806-12/3/4`, `1806-12/3/0/0`, `1806 12/3`, `1806-0012/0003`,
 * and `12/3` with `defaultKommunenummer`.
 * @throws InvalidIdentifierError on another form, a number out of range or an unknown kommunenummer.
 */
export function parseMatrikkelnummer(
  input: string,
  options: ParseMatrikkelnummerOptions = {},
): Matrikkelnummer {
  const text = requireString(IDENTIFIER, input);
  const m = PATTERN.exec(text);
  if (!m) {
    fail(
      IDENTIFIER,
      show(input),
      'expected kommunenummer-gnr/bnr[/fnr[/snr]], e.g. 1806-12/3 or 1806-12/3/0/0',
      'matrikkelnummer use slashes between the numbers and a dash after the kommunenummer',
    );
  }
  const kommunenummer = m[1] ?? options.defaultKommunenummer;
  if (kommunenummer === undefined) {
    fail(IDENTIFIER, show(input), 'no kommunenummer: write kkkk-gnr/bnr or pass defaultKommunenummer');
  }
  const result: Matrikkelnummer = {
    kommunenummer,
    gardsnummer: Number(m[2]),
    bruksnummer: Number(m[3]),
    festenummer: Number(m[4] ?? 0),
    seksjonsnummer: Number(m[5] ?? 0),
  };
  checkParts(result, show(input));
  return result;
}

/** True when `input` is a string {@link parseMatrikkelnummer} accepts with these options. Never throws. */
export function isMatrikkelnummer(input: unknown, options?: ParseMatrikkelnummerOptions): boolean {
  return typeof input === 'string' && passes(() => parseMatrikkelnummer(input, options));
}

/** Options of {@link formatMatrikkelnummer}. */
export interface FormatMatrikkelnummerOptions {
  /**
   * `full`: always five parts, `1806-12/3/0/0` (the key used everywhere in Registerbro).
   * `short`: trailing zero seksjonsnummer, then trailing zero festenummer, dropped: `1806-12/3`.
   * @default 'full'
   */
  style?: 'full' | 'short';
}

/**
 * Write a matrikkelnummer as text.
 * @throws InvalidIdentifierError when a part is out of range or the kommunenummer is unknown.
 */
export function formatMatrikkelnummer(
  m: Matrikkelnummer,
  options: FormatMatrikkelnummerOptions = {},
): string {
  const { kommunenummer, gardsnummer: g, bruksnummer: b, festenummer: f, seksjonsnummer: s } = m;
  checkParts(m, `${show(kommunenummer)}-${g}/${b}/${f}/${s}`);
  if (options.style === 'short') {
    if (s !== 0) return `${kommunenummer}-${g}/${b}/${f}/${s}`;
    if (f !== 0) return `${kommunenummer}-${g}/${b}/${f}`;
    return `${kommunenummer}-${g}/${b}`;
  }
  return `${kommunenummer}-${g}/${b}/${f}/${s}`;
}
