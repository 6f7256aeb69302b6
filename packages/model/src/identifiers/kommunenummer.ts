import { KOMMUNE_TABLE } from './kommuner-data.js';
import { fail, passes, requireString, show } from './internal.js';

/**
 * Kommunenummer: the four-digit municipality numbers of SSB's classification 131. The table holds
 * every number valid from 2024-01-01 and every number that ended in the 2020 and 2024 reforms, with
 * their successors, so historic numbers in old records still parse and can be followed to today's.
 */

const IDENTIFIER = 'kommunenummer';

/** What the table knows about one kommunenummer. */
export interface KommuneInfo {
  nummer: string;
  /** The official name (Sámi and Kven forms included, as SSB writes them). */
  navn: string;
  /** First day the number was valid, when it began in a reform this table covers (2020 or 2024). */
  validFrom?: string;
  /** Last day the number was valid; absent for current numbers. */
  validTo?: string;
  /** The numbers that took over when this one ended (several when it was split). */
  successors: string[];
}

const TABLE: ReadonlyMap<string, KommuneInfo> = new Map(
  KOMMUNE_TABLE.split('\n').map((line) => {
    const [nummer = '', navn = '', validFrom = '', validTo = '', successors = ''] = line.split('|');
    const info: KommuneInfo = { nummer, navn, successors: successors ? successors.split(',') : [] };
    if (validFrom) info.validFrom = validFrom;
    if (validTo) info.validTo = validTo;
    return [nummer, info];
  }),
);

/**
 * Parse a kommunenummer: four digits (leading zero kept) that is current or historic in the table.
 * @throws InvalidIdentifierError on a wrong form or an unknown number.
 */
export function parseKommunenummer(input: string): string {
  const value = requireString(IDENTIFIER, input);
  if (!/^[0-9]{4}$/.test(value))
    fail(IDENTIFIER, show(input), 'must be exactly 4 digits (keep the leading zero)');
  if (!TABLE.has(value)) {
    fail(
      IDENTIFIER,
      value,
      'unknown kommunenummer',
      'use a number from SSB classification 131 (2020 or later)',
    );
  }
  return value;
}

/** True when `input` is a string {@link parseKommunenummer} accepts. Never throws. */
export function isKommunenummer(input: unknown): boolean {
  return typeof input === 'string' && passes(() => parseKommunenummer(input));
}

/** The table's entry for `nummer`, or `undefined` for an unknown number. Never throws. */
export function kommuneInfo(nummer: string): KommuneInfo | undefined {
  const info = typeof nummer === 'string' ? TABLE.get(nummer.trim()) : undefined;
  return info === undefined ? undefined : { ...info, successors: [...info.successors] };
}

/** Every kommunenummer valid on `at` (`YYYY-MM-DD`; @default today), sorted. */
export function listKommunenummer(at?: string): string[] {
  const day = at ?? new Date().toISOString().slice(0, 10);
  return [...TABLE.values()].filter((k) => validOn(k, day)).map((k) => k.nummer);
}

function validOn(info: KommuneInfo, day: string): boolean {
  return (
    (info.validFrom === undefined || info.validFrom <= day) &&
    (info.validTo === undefined || info.validTo >= day)
  );
}

/**
 * The number(s) that `nummer` had become on `at`, following renumberings, mergers and splits through
 * several reforms: `'1854'` (Ballangen) → `['1806']`; `'0101'` → `['3101']` (via 3001 in 2020–2023);
 * a split number gives all its successors (`'1507'` → `['1508', '1580']`). Because the table does not
 * say which part of a split went where, a number merged into one that was later split gets all the
 * parts (`'1534'` → `['1508', '1580']`). A number valid on `at` is returned as itself.
 * @param at `YYYY-MM-DD` @default today
 * @throws InvalidIdentifierError for a malformed or unknown number, or a date before it existed.
 */
export function currentKommunenummer(nummer: string, at?: string): string[] {
  const start = parseKommunenummer(nummer);
  const day = at ?? new Date().toISOString().slice(0, 10);
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(day)) fail(IDENTIFIER, day, 'the date `at` must be YYYY-MM-DD');
  const first = TABLE.get(start)!;
  if (first.validFrom !== undefined && first.validFrom > day) {
    fail(IDENTIFIER, start, `the number was not valid yet on ${day} (valid from ${first.validFrom})`);
  }
  const result = new Set<string>();
  const seen = new Set<string>();
  const visit = (n: string): void => {
    if (seen.has(n)) return;
    seen.add(n);
    const info = TABLE.get(n);
    if (info === undefined) return;
    if (info.validTo === undefined || info.validTo >= day || info.successors.length === 0) {
      result.add(n);
      return;
    }
    for (const s of info.successors) visit(s);
  };
  visit(start);
  return [...result].sort();
}
