import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasErrorCode } from '../errors.js';
import {
  isOrganisasjonsnummer,
  makeOrganisasjonsnummer,
  parseOrganisasjonsnummer,
} from './organisasjonsnummer.js';

// Brønnøysundregistrene's own number (an organisation, not a person), published on brreg.no.
const BRREG = '974760673';

function reasonOf(input: unknown): string {
  try {
    parseOrganisasjonsnummer(input as string);
  } catch (error) {
    expect(hasErrorCode(error, 'invalid_identifier')).toBe(true);
    expect((error as { identifier: string }).identifier).toBe('organisasjonsnummer');
    return (error as { reason: string }).reason;
  }
  throw new Error('expected an error');
}

describe('organisasjonsnummer', () => {
  it('parses plain, spaced and padded forms', () => {
    expect(parseOrganisasjonsnummer(BRREG)).toBe(BRREG);
    expect(parseOrganisasjonsnummer('974 760 673')).toBe(BRREG);
    expect(parseOrganisasjonsnummer(' 974760673\t')).toBe(BRREG);
  });

  it.each([
    ['too short', '97476067', /9 digits, got 8/],
    ['too long', '9747606730', /9 digits, got 10/],
    ['letters', '97476067X', /only digits/],
    ['odd spacing', '9747 60673', /only digits/],
    ['a dash', '974-760-673', /only digits/],
    ['wrong control digit', '974760674', /control digit/],
    ['control digit would be 10', '100000130', /control digit/],
    ['not a string', 974760673, /expected a string/],
  ])('rejects %s', (_name, input, reason) => {
    expect(reasonOf(input)).toMatch(reason);
    expect(isOrganisasjonsnummer(input)).toBe(false);
  });

  it('makes numbers that parse, and null when the remainder would give 10', () => {
    expect(makeOrganisasjonsnummer(97476067)).toBe(BRREG);
    expect(makeOrganisasjonsnummer(10000013)).toBeNull();
    expect(makeOrganisasjonsnummer(1)).toMatch(/^00000001[0-9]$/);
    expect(() => makeOrganisasjonsnummer(100_000_000)).toThrow(/0–99999999/);
    expect(() => makeOrganisasjonsnummer(1.5)).toThrow(/integer/);
  });

  it('detects every single-digit change of a valid number', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99_999_999 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 1, max: 9 }),
        (base, position, delta) => {
          const valid = makeOrganisasjonsnummer(base);
          if (valid === null) return;
          expect(parseOrganisasjonsnummer(valid)).toBe(valid);
          const digits = [...valid];
          digits[position] = String((Number(digits[position]) + delta) % 10);
          expect(isOrganisasjonsnummer(digits.join(''))).toBe(false);
        },
      ),
      { numRuns: 5_000 },
    );
  });
});
