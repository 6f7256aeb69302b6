import { idnr } from '@navikt/fnrvalidator';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nineDigits, withControlDigits } from '../../test/fnr-helpers.js';
import { isFodselsnummer, parseFodselsnummer } from './fodselsnummer.js';

/**
 * Property tests against NAV's @navikt/fnrvalidator (2.2.1, which knows D/H/Tenor numbers and the
 * 2032 control digits). Where it and Skatteetaten's rules disagree we follow Skatteetaten; the two
 * known cases are checked explicitly below rather than filtered out silently:
 *
 * 1. D-nummer and H-nummer together (day + 40 and month + 40): the oracle calls it `dnr-and-hnr` and
 *    accepts it. No register issues such a number (H-nummer are health-sector help numbers for people
 *    without an fnr or D-nummer), so we reject it as an impossible date.
 * 2. 29 February of year 00 with individnummer 000–499: the oracle reads year 00 as 2000 (a leap year),
 *    but that individnummer range means 1900, which was not a leap year, so the date does not exist.
 */

type OracleType = 'fnr' | 'dnr' | 'hnr' | 'tnr' | 'dnr-and-hnr' | 'dnr-and-tnr';

function oracle(value: string): { valid: boolean; type?: OracleType } {
  const r = idnr(value);
  return r.status === 'valid' ? { valid: true, type: r.type } : { valid: false };
}

function knownDisagreement(value: string, type: OracleType | undefined): string | undefined {
  if (type === 'dnr-and-hnr') return 'D and H together';
  const individnummer = Number(value.slice(6, 9));
  const monthField = Number(value.slice(2, 4)) % 40;
  const dayField = Number(value.slice(0, 2)) % 40;
  if (value.slice(4, 6) === '00' && individnummer <= 499 && dayField === 29 && monthField % 40 === 2) {
    return '29 February 1900';
  }
  return undefined;
}

function compare(value: string, stats: Map<string, number>): void {
  const theirs = oracle(value);
  const ours = isFodselsnummer(value);
  const disagreement = knownDisagreement(value, theirs.type);
  if (disagreement !== undefined && theirs.valid) {
    expect(ours, disagreement).toBe(false);
    stats.set(disagreement, (stats.get(disagreement) ?? 0) + 1);
    return;
  }
  expect(ours).toBe(theirs.valid);
  stats.set(ours ? 'valid' : 'invalid', (stats.get(ours ? 'valid' : 'invalid') ?? 0) + 1);
  if (!ours) return;
  const parsed = parseFodselsnummer(value);
  const expected: Record<string, [string, boolean]> = {
    fnr: ['fnr', false],
    dnr: ['dnr', false],
    hnr: ['hnr', false],
    tnr: ['fnr', true],
    'dnr-and-tnr': ['dnr', true],
  };
  expect([parsed.kind, parsed.synthetic]).toEqual(expected[theirs.type!]);
  if (parsed.controlRule === '2032') stats.set('2032 rule', (stats.get('2032 rule') ?? 0) + 1);
  if (parsed.synthetic) stats.set('synthetic', (stats.get('synthetic') ?? 0) + 1);
}

/** Valid-shaped numbers: real and impossible dates, every kind, every k1 remainder, some broken k2. */
const shaped = fc
  .record({
    yy: fc.integer({ min: 0, max: 99 }),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.oneof(fc.integer({ min: 1, max: 31 }), fc.integer({ min: 0, max: 32 })),
    individnummer: fc.integer({ min: 0, max: 999 }),
    dnr: fc.boolean(),
    monthOffset: fc.constantFrom(0, 40, 80),
    control: fc.oneof(
      fc.constantFrom(0, 1, 2, 3).map((rest) => ({ rest })),
      fc.integer({ min: 0, max: 99 }).map((digits) => ({ digits })),
      fc.record({ rest: fc.constantFrom(0, 1, 2, 3), k2Delta: fc.integer({ min: 1, max: 9 }) }),
    ),
  })
  .map(({ yy, month, day, individnummer, dnr, monthOffset, control }) => {
    const nine = nineDigits(day + (dnr ? 40 : 0), month + monthOffset, yy, individnummer);
    if ('digits' in control) return `${nine}${String(control.digits).padStart(2, '0')}`;
    const full = withControlDigits(nine, control.rest) ?? `${nine}00`;
    if (!('k2Delta' in control)) return full;
    return `${full.slice(0, 10)}${(Number(full[10]) + control.k2Delta) % 10}`;
  });

describe('parseFodselsnummer agrees with @navikt/fnrvalidator', () => {
  it('on 20 000 valid-shaped numbers (D/H/Tenor, impossible dates, 2032 digits, broken k2)', () => {
    const stats = new Map<string, number>();
    fc.assert(
      fc.property(shaped, (value) => compare(value, stats)),
      { numRuns: 20_000, seed: 20_320_101 },
    );
    // The generator must actually reach every interesting region, or the comparison proves little.
    expect(stats.get('valid') ?? 0).toBeGreaterThan(3_000);
    expect(stats.get('invalid') ?? 0).toBeGreaterThan(3_000);
    expect(stats.get('2032 rule') ?? 0).toBeGreaterThan(500);
    expect(stats.get('synthetic') ?? 0).toBeGreaterThan(500);
    expect(stats.get('D and H together') ?? 0).toBeGreaterThan(50);
  });

  it('on 20 000 random eleven-digit strings', () => {
    const stats = new Map<string, number>();
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{11}$/), (value) => compare(value, stats)),
      { numRuns: 20_000, seed: 1964 },
    );
    expect(stats.get('invalid') ?? 0).toBeGreaterThan(15_000);
  });

  it('on every 29 February of year 00: the 1900 case is the documented disagreement', () => {
    const stats = new Map<string, number>();
    for (let ind = 0; ind < 1000; ind++) {
      for (const rest of [0, 1, 2, 3]) {
        const n = withControlDigits(nineDigits(29, 82, 0, ind), rest);
        if (n) compare(n, stats);
      }
    }
    expect(stats.get('29 February 1900') ?? 0).toBeGreaterThan(1000);
    expect(stats.get('valid') ?? 0).toBeGreaterThan(1000);
  });

  it('rejects whitespace and junk the oracle also rejects, but accepts the written DDMMYY NNNNN form', () => {
    const base = withControlDigits(nineDigits(17, 85, 90, 100))!;
    expect(oracle(base).valid).toBe(true);
    const spaced = `${base.slice(0, 6)} ${base.slice(6)}`;
    // The oracle wants bare digits; we accept the written form deliberately (forms and letters use it).
    expect(oracle(spaced).valid).toBe(false);
    expect(isFodselsnummer(spaced)).toBe(true);
    for (const junk of [
      `${base}x`,
      `x${base}`,
      base.replace('1', 'l'),
      `${base.slice(0, 10)}.`,
      `+${base.slice(1)}`,
    ]) {
      expect(oracle(junk).valid).toBe(false);
      expect(isFodselsnummer(junk)).toBe(false);
    }
  });
});
