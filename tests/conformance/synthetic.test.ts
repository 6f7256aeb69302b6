import { describe, expect, it } from 'vitest';
import {
  controlDigit,
  nextSyntheticFodselsnummer,
  syntheticFodselsnummer,
  withControlDigits,
} from './synthetic.js';

describe('synthetic fødselsnummer', () => {
  it('computes the classic control digits (worked example built from its own weights)', () => {
    // Nine digits chosen so the weighted sums are easy to check by hand: 0…0 then 1.
    expect(controlDigit('000000001', [3, 7, 6, 1, 8, 9, 4, 5, 2])).toBe(9);
    expect(withControlDigits('000000000')).toBe('00000000000');
  });

  it('makes Tenor-style numbers only: month + 80, valid control digits, D-nummer day + 40', () => {
    for (let day = 1; day <= 28; day += 9) {
      const birthDate = `1975-06-${String(day).padStart(2, '0')}`;
      const fnr = nextSyntheticFodselsnummer(birthDate, 10).value;
      const dnr = nextSyntheticFodselsnummer(birthDate, 10, 'dnr').value;
      expect(fnr.slice(2, 4)).toBe('86');
      expect(Number(fnr.slice(0, 2))).toBe(day);
      expect(Number(dnr.slice(0, 2))).toBe(day + 40);
      for (const value of [fnr, dnr]) expect(withControlDigits(value.slice(0, 9))).toBe(value);
    }
  });

  it('returns null when an individnummer has no valid control digit, and refuses other centuries', () => {
    const results = Array.from({ length: 60 }, (_, n) => syntheticFodselsnummer('1980-01-15', n));
    expect(results.some((value) => value === null)).toBe(true);
    expect(results.some((value) => value !== null)).toBe(true);
    expect(() => syntheticFodselsnummer('2005-01-15', 1)).toThrow(/1900–1999/);
  });
});
