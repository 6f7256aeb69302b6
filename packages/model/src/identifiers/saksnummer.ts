import { fail, passes, requireString, show } from './internal.js';

/**
 * Noark 5 saksnummer (saksår/sakssekvensnummer) and journalpostnummer (journalår/journalsekvensnummer),
 * written `2024/123`. Archive systems also print a two-digit year with a padded sequence number
 * (`24/00123`): a two-digit year 00–69 is read as 2000–2069 and 70–99 as 1970–1999 — a fixed pivot,
 * not today's date, so the same text always means the same case (electronic journals start in the 1970s).
 */

/** A saksnummer. */
export interface Saksnummer {
  saksaar: number;
  sekvensnummer: number;
}

/** A journalpostnummer. */
export interface Journalpostnummer {
  journalaar: number;
  sekvensnummer: number;
}

const PATTERN = /^([0-9]{2}|[0-9]{4})\s*\/\s*([0-9]{1,7})$/;
const MIN_YEAR = 1900;
const MAX_YEAR = 2099;
const MAX_SEQUENCE = 9_999_999;

function parseYearSequence(identifier: string, input: unknown): [number, number] {
  const text = requireString(identifier, input);
  const m = PATTERN.exec(text);
  if (!m) fail(identifier, show(input), 'expected year/number, e.g. 2024/123 (or 24/123)');
  const raw = Number(m[1]);
  const year = m[1]!.length === 2 ? (raw <= 69 ? 2000 + raw : 1900 + raw) : raw;
  if (year < MIN_YEAR || year > MAX_YEAR)
    fail(identifier, show(input), `the year must be ${MIN_YEAR}–${MAX_YEAR}`);
  const sequence = Number(m[2]);
  if (sequence < 1) fail(identifier, show(input), 'the sequence number must be at least 1');
  return [year, sequence];
}

function formatYearSequence(identifier: string, year: number, sequence: number): string {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    fail(identifier, show(year), `the year must be an integer ${MIN_YEAR}–${MAX_YEAR}`);
  }
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > MAX_SEQUENCE) {
    fail(identifier, show(sequence), `the sequence number must be an integer 1–${MAX_SEQUENCE}`);
  }
  return `${year}/${sequence}`;
}

/**
 * Parse `2024/123` (also `24/123`, `2024 / 00123`).
 * @throws InvalidIdentifierError (`identifier: 'saksnummer'`)
 */
export function parseSaksnummer(input: string): Saksnummer {
  const [saksaar, sekvensnummer] = parseYearSequence('saksnummer', input);
  return { saksaar, sekvensnummer };
}

/** True when {@link parseSaksnummer} accepts `input`. Never throws. */
export function isSaksnummer(input: unknown): boolean {
  return typeof input === 'string' && passes(() => parseSaksnummer(input));
}

/** `{ saksaar: 2024, sekvensnummer: 123 }` → `2024/123` (four-digit year, no padding). */
export function formatSaksnummer(s: Saksnummer): string {
  return formatYearSequence('saksnummer', s.saksaar, s.sekvensnummer);
}

/**
 * Parse a journalpostnummer, same forms as {@link parseSaksnummer}.
 * @throws InvalidIdentifierError (`identifier: 'journalpostnummer'`)
 */
export function parseJournalpostnummer(input: string): Journalpostnummer {
  const [journalaar, sekvensnummer] = parseYearSequence('journalpostnummer', input);
  return { journalaar, sekvensnummer };
}

/** True when {@link parseJournalpostnummer} accepts `input`. Never throws. */
export function isJournalpostnummer(input: unknown): boolean {
  return typeof input === 'string' && passes(() => parseJournalpostnummer(input));
}

/** `{ journalaar: 2024, sekvensnummer: 5 }` → `2024/5`. */
export function formatJournalpostnummer(j: Journalpostnummer): string {
  return formatYearSequence('journalpostnummer', j.journalaar, j.sekvensnummer);
}
