import { describe, expect, it } from 'vitest';
import { hasErrorCode } from '../errors.js';
import {
  formatJournalpostnummer,
  formatSaksnummer,
  isJournalpostnummer,
  isSaksnummer,
  parseJournalpostnummer,
  parseSaksnummer,
} from './saksnummer.js';

describe('saksnummer and journalpostnummer', () => {
  it('parses the Noark forms', () => {
    expect(parseSaksnummer('2024/123')).toEqual({ saksaar: 2024, sekvensnummer: 123 });
    expect(parseSaksnummer(' 2024 / 00123 ')).toEqual({ saksaar: 2024, sekvensnummer: 123 });
    expect(parseJournalpostnummer('2023/9')).toEqual({ journalaar: 2023, sekvensnummer: 9 });
  });

  it('reads a two-digit year with the fixed pivot 00–69 → 20xx, 70–99 → 19xx', () => {
    expect(parseSaksnummer('24/00123')).toEqual({ saksaar: 2024, sekvensnummer: 123 });
    expect(parseSaksnummer('69/1')).toEqual({ saksaar: 2069, sekvensnummer: 1 });
    expect(parseSaksnummer('70/1')).toEqual({ saksaar: 1970, sekvensnummer: 1 });
    expect(parseSaksnummer('99/5')).toEqual({ saksaar: 1999, sekvensnummer: 5 });
  });

  it('formats with a four-digit year and no padding', () => {
    expect(formatSaksnummer({ saksaar: 2024, sekvensnummer: 123 })).toBe('2024/123');
    expect(formatSaksnummer(parseSaksnummer('24/00123'))).toBe('2024/123');
    expect(formatJournalpostnummer({ journalaar: 2024, sekvensnummer: 5 })).toBe('2024/5');
    expect(() => formatSaksnummer({ saksaar: 24, sekvensnummer: 1 })).toThrow(/year/);
    expect(() => formatSaksnummer({ saksaar: 2024, sekvensnummer: 0 })).toThrow(/sequence/);
    expect(() => formatJournalpostnummer({ journalaar: 2024, sekvensnummer: 1.5 })).toThrow(/sequence/);
  });

  it.each([
    ['no slash', '2024123'],
    ['three-digit year', '024/1'],
    ['year too early', '1899/1'],
    ['sequence 0', '2024/0'],
    ['sequence too long', '2024/12345678'],
    ['a document number', '2024/123-4'],
    ['letters', '2024/12a'],
    ['empty', ''],
    ['a number', 2024],
  ])('rejects %s', (_name, input) => {
    expect(isSaksnummer(input)).toBe(false);
    expect(isJournalpostnummer(input)).toBe(false);
    for (const [identifier, parse] of [
      ['saksnummer', parseSaksnummer],
      ['journalpostnummer', parseJournalpostnummer],
    ] as const) {
      try {
        parse(input as string);
        expect.unreachable();
      } catch (error) {
        expect(hasErrorCode(error, 'invalid_identifier')).toBe(true);
        expect((error as { identifier: string }).identifier).toBe(identifier);
      }
    }
  });
});
