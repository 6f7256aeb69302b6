import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasErrorCode } from '../errors.js';
import { formatMatrikkelnummer, isMatrikkelnummer, parseMatrikkelnummer } from './matrikkelnummer.js';
import type { Matrikkelnummer } from './matrikkelnummer.js';

const m = (kommunenummer: string, g: number, b: number, f = 0, s = 0): Matrikkelnummer => ({
  kommunenummer,
  gardsnummer: g,
  bruksnummer: b,
  festenummer: f,
  seksjonsnummer: s,
});

describe('matrikkelnummer', () => {
  it.each([
    ['1806-12/3', m('1806', 12, 3)],
    ['1806-12/3/0/0', m('1806', 12, 3)],
    ['1806-12/3/4', m('1806', 12, 3, 4)],
    ['1806-12/3/4/5', m('1806', 12, 3, 4, 5)],
    ['1806 12/3', m('1806', 12, 3)],
    ['1806-0012/0003', m('1806', 12, 3)],
    [' 3413-6/501/0/2 ', m('3413', 6, 501, 0, 2)],
    ['1806 - 12/3', m('1806', 12, 3)],
    ['1854-99999/9999/9999/9999', m('1854', 99999, 9999, 9999, 9999)],
    ['1806-1/0', m('1806', 1, 0)],
  ])('parses %s', (input, expected) => {
    expect(parseMatrikkelnummer(input)).toEqual(expected);
    expect(isMatrikkelnummer(input)).toBe(true);
  });

  it('uses defaultKommunenummer for the short gnr/bnr form, and only then', () => {
    expect(parseMatrikkelnummer('12/3', { defaultKommunenummer: '1806' })).toEqual(m('1806', 12, 3));
    expect(parseMatrikkelnummer('4601-12/3', { defaultKommunenummer: '1806' })).toEqual(m('4601', 12, 3));
    expect(isMatrikkelnummer('12/3')).toBe(false);
    expect(() => parseMatrikkelnummer('12/3')).toThrow(/no kommunenummer/);
    expect(() => parseMatrikkelnummer('12/3', { defaultKommunenummer: '9999' })).toThrow(
      /unknown kommunenummer/,
    );
  });

  it.each([
    ['a backslash (Kartverket test case)', '3413-6/501\\0/2', /expected kommunenummer-gnr/],
    ['only kommune and gnr', '3413-6', /expected kommunenummer-gnr/],
    ['only a slash', '/', /expected kommunenummer-gnr/],
    ['unknown kommune', '9999-555/22', /unknown kommunenummer/],
    ['gnr 0', '1806-0/1', /gardsnummer must be an integer 1–99999/],
    ['gnr too long', '1806-100000/1', /expected kommunenummer-gnr/],
    ['bnr too long', '1806-1/10000', /expected kommunenummer-gnr/],
    ['too many parts', '1806-1/2/3/4/5', /expected kommunenummer-gnr/],
    ['letters', '1806-12a/3', /expected kommunenummer-gnr/],
    ['three-digit kommune', '806-12/3', /expected kommunenummer-gnr/],
    ['empty', '', /expected kommunenummer-gnr/],
    ['not a string', 1806, /expected a string/],
  ])('rejects %s', (_name, input, reason) => {
    expect(isMatrikkelnummer(input)).toBe(false);
    try {
      parseMatrikkelnummer(input as string);
      expect.unreachable();
    } catch (error) {
      expect(hasErrorCode(error, 'invalid_identifier')).toBe(true);
      expect((error as { identifier: string }).identifier).toBe('matrikkelnummer');
      expect((error as { reason: string }).reason).toMatch(reason);
    }
  });

  it('formats full (the key) and short', () => {
    expect(formatMatrikkelnummer(m('1806', 12, 3))).toBe('1806-12/3/0/0');
    expect(formatMatrikkelnummer(m('1806', 12, 3), { style: 'full' })).toBe('1806-12/3/0/0');
    expect(formatMatrikkelnummer(m('1806', 12, 3), { style: 'short' })).toBe('1806-12/3');
    expect(formatMatrikkelnummer(m('1806', 12, 3, 4), { style: 'short' })).toBe('1806-12/3/4');
    expect(formatMatrikkelnummer(m('1806', 12, 3, 0, 2), { style: 'short' })).toBe('1806-12/3/0/2');
    expect(formatMatrikkelnummer(m('0301', 1, 0), { style: 'short' })).toBe('0301-1/0');
    expect(() => formatMatrikkelnummer(m('1806', 0, 3))).toThrow(/gardsnummer/);
    expect(() => formatMatrikkelnummer(m('1806', 1, 3.5))).toThrow(/bruksnummer/);
    expect(() => formatMatrikkelnummer(m('9999', 1, 3))).toThrow(/unknown kommunenummer/);
  });

  it('round-trips both styles', () => {
    const arb = fc.record({
      kommunenummer: fc.constantFrom('0301', '1806', '1854', '3001', '3101', '5001'),
      gardsnummer: fc.integer({ min: 1, max: 99_999 }),
      bruksnummer: fc.integer({ min: 0, max: 9_999 }),
      festenummer: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 9_999 })),
      seksjonsnummer: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 9_999 })),
    });
    fc.assert(
      fc.property(arb, (value) => {
        expect(parseMatrikkelnummer(formatMatrikkelnummer(value))).toEqual(value);
        expect(parseMatrikkelnummer(formatMatrikkelnummer(value, { style: 'short' }))).toEqual(value);
      }),
      { numRuns: 2_000 },
    );
  });
});
