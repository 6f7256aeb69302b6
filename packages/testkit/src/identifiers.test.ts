import { describe, expect, it } from 'vitest';
import {
  individnummerRange,
  isSyntheticNumber,
  makeOrgnr,
  makeSyntheticNumber,
  passesMod11,
  passesOrgnrMod11,
} from './identifiers.js';

describe('synthetic identifiers', () => {
  it('makes Tenor-style fnr (month + 80) that pass both control digits', () => {
    let made = 0;
    for (let individ = 500; individ < 600; individ++) {
      const fnr = makeSyntheticNumber('2001-03-15', individ, 'fnr');
      if (!fnr) continue;
      made++;
      expect(fnr.slice(0, 6)).toBe('158301');
      expect(fnr.slice(6, 9)).toBe(String(individ));
      expect(passesMod11(fnr)).toBe(true);
      expect(isSyntheticNumber(fnr)).toBe(true);
    }
    // About 2 in 11 individnummer have no valid control digits.
    expect(made).toBeGreaterThan(70);
    expect(made).toBeLessThan(100);
  });

  it('makes D-nummer with day + 40 as well as month + 80', () => {
    const dnr = [0, 1, 2, 3, 4, 5]
      .map((i) => makeSyntheticNumber('1985-12-31', 100 + i, 'dnr'))
      .find(Boolean)!;
    expect(dnr.slice(0, 4)).toBe('7192');
    expect(passesMod11(dnr)).toBe(true);
  });

  it('rejects a changed digit', () => {
    const fnr = [0, 1, 2, 3].map((i) => makeSyntheticNumber('1970-06-01', 200 + i, 'fnr')).find(Boolean)!;
    const broken = fnr.slice(0, 10) + String((Number(fnr[10]) + 1) % 10);
    expect(passesMod11(broken)).toBe(false);
    expect(passesMod11('123')).toBe(false);
  });

  it('knows the individnummer ranges', () => {
    expect(individnummerRange(2010)).toEqual([[500, 999]]);
    expect(individnummerRange(1950)).toEqual([
      [0, 499],
      [900, 999],
    ]);
    expect(() => individnummerRange(1800)).toThrow(RangeError);
  });

  it('makes organisasjonsnummer that pass mod-11', () => {
    const orgnrs = Array.from({ length: 30 }, (_, i) => makeOrgnr(31_000_000 + i)).filter(
      (o): o is string => !!o,
    );
    expect(orgnrs.length).toBeGreaterThan(20);
    for (const o of orgnrs) expect(passesOrgnrMod11(o)).toBe(true);
    const o = orgnrs[0]!;
    expect(passesOrgnrMod11(o.slice(0, 8) + String((Number(o[8]) + 1) % 10))).toBe(false);
    expect(passesOrgnrMod11('12345678')).toBe(false);
  });
});
