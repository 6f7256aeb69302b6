import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasErrorCode, type InvalidIdentifierError } from '../errors.js';
import { nineDigits, syntheticNumber, withControlDigits } from '../../test/fnr-helpers.js';
import { specPath } from '../../test/spec-path.js';
import { isFodselsnummer, makeFodselsnummer, parseFodselsnummer } from './fodselsnummer.js';
import type { FodselsnummerKind } from './fodselsnummer.js';

interface Vector {
  row: number;
  value: string;
  synthetic: boolean;
  valid: boolean;
  description: string;
}

const vectors: Vector[] = readFileSync(specPath('folkeregister', 'testvectors', 'foedselsnummer.csv'), 'utf8')
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((line, i) => {
    const [value = '', synthetic, valid, description = ''] = line.split(',');
    return { row: i + 2, value, synthetic: synthetic === 'true', valid: valid === 'true', description };
  });

/** The error `fn` throws, checked to be an invalid_identifier error for fodselsnummer. */
function errorOf(fn: () => unknown): InvalidIdentifierError {
  try {
    fn();
  } catch (error) {
    expect(hasErrorCode(error, 'invalid_identifier')).toBe(true);
    const e = error as InvalidIdentifierError;
    expect(e.identifier).toBe('fodselsnummer');
    return e;
  }
  throw new Error('expected an InvalidIdentifierError');
}

describe("Skatteetaten's test vectors", () => {
  it('has the ten rows of the published file', () => {
    expect(vectors).toHaveLength(10);
  });

  // Named by row and description: the numbers themselves are real-looking and stay out of test names.
  it.each(vectors)('row $row: $description (gyldig=$valid, syntetisk=$synthetic)', (v) => {
    expect(isFodselsnummer(v.value)).toBe(v.valid);
    if (v.valid) {
      const parsed = parseFodselsnummer(v.value);
      expect(parsed.synthetic).toBe(v.synthetic);
      expect(parsed.value).toBe(v.value);
      expect(parsed.kind).toBe(v.description.includes('D-nummer') ? 'dnr' : 'fnr');
      // The description says which control-digit generation the number belongs to.
      if (v.description.includes('2032')) expect(parsed.controlRule).toBe('2032');
      if (v.description.includes('1964')) expect(parsed.controlRule).toBe('classic');
      expect(parsed.sex === undefined).toBe(parsed.controlRule === '2032');
    } else {
      const e = errorOf(() => parseFodselsnummer(v.value));
      expect(e.input).not.toContain(v.value.slice(0, 6));
      expect(e.message).not.toMatch(/[0-9]{6}/);
    }
  });

  it('gives the reasons for the two invalid rows: a wrong control digit and 29 February 1901', () => {
    const reasons = vectors
      .filter((v) => !v.valid)
      .map((v) => errorOf(() => parseFodselsnummer(v.value)).reason);
    expect(reasons).toEqual([
      'control digit 2 (the 11th digit) is wrong',
      'impossible date in the first six digits',
    ]);
  });
});

describe('parseFodselsnummer', () => {
  const tenor = syntheticNumber(17, 5, 1990);

  it('reads a synthetic number: kind, birth date, rule and sex', () => {
    const p = parseFodselsnummer(tenor);
    expect(p).toMatchObject({ value: tenor, kind: 'fnr', synthetic: true, birthDate: '1990-05-17' });
    expect(p.controlRule).toBe('classic');
    expect(p.sex).toBe(Number(tenor[8]) % 2 === 1 ? 'male' : 'female');
  });

  it('reads D-nummer (day + 40), alone and with the synthetic month + 80', () => {
    const d = syntheticNumber(1, 1, 1990, { dnr: true });
    expect(parseFodselsnummer(d)).toMatchObject({ kind: 'dnr', synthetic: true, birthDate: '1990-01-01' });
    const real = makeFodselsnummer({ birthDate: '1985-12-31', individnummer: 401, kind: 'dnr' });
    const plain = real ?? makeFodselsnummer({ birthDate: '1985-12-31', individnummer: 402, kind: 'dnr' })!;
    expect(plain.slice(0, 2)).toBe('71');
    expect(parseFodselsnummer(plain)).toMatchObject({
      kind: 'dnr',
      synthetic: false,
      birthDate: '1985-12-31',
    });
  });

  it('reads H-nummer (month + 40)', () => {
    const h =
      withControlDigits(nineDigits(15, 46, 1970, 123)) ?? withControlDigits(nineDigits(15, 46, 1970, 124))!;
    expect(parseFodselsnummer(h)).toMatchObject({ kind: 'hnr', synthetic: false, birthDate: '1970-06-15' });
  });

  it('applies the century rules of the individnummer', () => {
    const cases: [number, number, string][] = [
      [99, 499, '1999'],
      [54, 500, '1854'],
      [99, 749, '1899'],
      [0, 500, '2000'],
      [39, 999, '2039'],
      [40, 900, '1940'],
      [99, 999, '1999'],
      [0, 0, '1900'],
    ];
    for (const [yy, ind, year] of cases) {
      const n =
        withControlDigits(nineDigits(1, 81, yy, ind)) ??
        withControlDigits(nineDigits(1, 81, yy, ind), 1) ??
        withControlDigits(nineDigits(1, 81, yy, ind), 2)!;
      expect(parseFodselsnummer(n).birthDate, `year ${yy} individnummer ${ind}`).toBe(`${year}-01-01`);
    }
  });

  it('knows leap years by century: 29 February 2000 exists, 29 February 1900 does not', () => {
    const in2000 =
      withControlDigits(nineDigits(29, 82, 0, 600)) ?? withControlDigits(nineDigits(29, 82, 0, 601))!;
    expect(parseFodselsnummer(in2000).birthDate).toBe('2000-02-29');
    const in1900 =
      withControlDigits(nineDigits(29, 82, 0, 100)) ?? withControlDigits(nineDigits(29, 82, 0, 101))!;
    expect(errorOf(() => parseFodselsnummer(in1900)).reason).toMatch(/impossible date/);
  });

  it('accepts surrounding whitespace and the written form DDMMYY NNNNN', () => {
    expect(parseFodselsnummer(`  ${tenor}\n`).value).toBe(tenor);
    expect(parseFodselsnummer(`${tenor.slice(0, 6)} ${tenor.slice(6)}`).value).toBe(tenor);
  });

  it('tells the 2032 rule from the classic one and gives no sex for 2032-rule numbers', () => {
    for (const rest of [1, 2, 3]) {
      const n = syntheticNumber(3, 3, 2033, { rest, from: 500 });
      const p = parseFodselsnummer(n);
      expect(p.controlRule).toBe('2032');
      expect(p.sex).toBeUndefined();
    }
  });

  describe('rejects bad input with a masked, reasoned error', () => {
    const cases: [string, string, RegExp][] = [
      ['too short', tenor.slice(0, 10), /must be 11 digits, got 10/],
      ['too long', `${tenor}0`, /must be 11 digits, got 12/],
      ['empty', '', /must be 11 digits, got 0/],
      ['letters', `${tenor.slice(0, 10)}A`, /only digits/],
      ['a dash', `${tenor.slice(0, 6)}-${tenor.slice(6)}`, /only digits/],
      ['two spaces', `${tenor.slice(0, 6)}  ${tenor.slice(6)}`, /only digits/],
      ['a space elsewhere', `${tenor.slice(0, 5)} ${tenor.slice(5)}`, /only digits/],
      ['a full-width digit', `${tenor.slice(0, 10)}\uFF11`, /only digits/],
      [
        '31 February',
        withControlDigits(nineDigits(31, 82, 90, 123)) ?? withControlDigits(nineDigits(31, 82, 90, 124))!,
        /impossible date/,
      ],
      [
        'day 0',
        withControlDigits(nineDigits(0, 81, 90, 123)) ?? withControlDigits(nineDigits(0, 81, 90, 124))!,
        /impossible date/,
      ],
      [
        'month 13',
        withControlDigits(nineDigits(1, 93, 90, 123)) ?? withControlDigits(nineDigits(1, 93, 90, 124))!,
        /impossible date/,
      ],
      [
        'month 0 (plain 00)',
        withControlDigits(nineDigits(1, 0, 90, 123)) ?? withControlDigits(nineDigits(1, 0, 90, 124))!,
        /impossible date/,
      ],
      [
        'D and H together',
        withControlDigits(nineDigits(41, 41, 90, 123)) ?? withControlDigits(nineDigits(41, 41, 90, 124))!,
        /impossible date/,
      ],
      [
        'day + 80',
        withControlDigits(nineDigits(81, 81, 90, 123)) ?? withControlDigits(nineDigits(81, 81, 90, 124))!,
        /impossible date/,
      ],
    ];
    it.each(cases)('%s', (_name, input, reason) => {
      const e = errorOf(() => parseFodselsnummer(input));
      expect(e.reason).toMatch(reason);
      expect(e.input).toMatch(/^\**$/);
      expect(e.message).not.toMatch(/[0-9]{5}/);
      expect(isFodselsnummer(input)).toBe(false);
    });

    it('control digit 1 wrong (no remainder 0–3 fits)', () => {
      const d = [...tenor];
      // Try each other k1 until the remainder leaves 0–3: only then is control digit 1 to blame.
      const bad = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
        .map((k1) => `${d.slice(0, 9).join('')}${k1}${d[10]}`)
        .find(
          (n) =>
            !isFodselsnummer(n) && errorOf(() => parseFodselsnummer(n)).reason.includes('control digit 1'),
        );
      expect(bad).toBeDefined();
    });

    it('control digit 2 wrong', () => {
      const bad = `${tenor.slice(0, 10)}${(Number(tenor[10]) + 1) % 10}`;
      expect(errorOf(() => parseFodselsnummer(bad)).reason).toBe('control digit 2 (the 11th digit) is wrong');
    });

    it('non-strings', () => {
      for (const value of [null, undefined, 17859010067, {}, []]) {
        expect(isFodselsnummer(value)).toBe(false);
        expect(errorOf(() => parseFodselsnummer(value as unknown as string)).reason).toMatch(
          /expected a string/,
        );
      }
    });
  });
});

describe('makeFodselsnummer', () => {
  const birthDate = fc
    .date({
      min: new Date('1854-01-01T00:00:00Z'),
      max: new Date('2039-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10));
  const allocated = (year: number): [number, number][] => {
    if (year <= 1899) return [[500, 749]];
    if (year <= 1939) return [[0, 499]];
    if (year <= 1999)
      return [
        [0, 499],
        [900, 999],
      ];
    return [[500, 999]];
  };
  const options = birthDate.chain((date) => {
    const ranges = allocated(Number(date.slice(0, 4)));
    return fc.record({
      birthDate: fc.constant(date),
      individnummer: fc.oneof(...ranges.map(([min, max]) => fc.integer({ min, max }))),
      kindAndSynthetic: fc.constantFrom<[FodselsnummerKind, boolean]>(
        ['fnr', false],
        ['fnr', true],
        ['dnr', false],
        ['dnr', true],
        ['hnr', false],
      ),
      controlRule: fc.constantFrom('classic' as const, '2032' as const),
    });
  });

  it('round-trips through parseFodselsnummer, and null means no control digits exist', () => {
    fc.assert(
      fc.property(
        options,
        ({ birthDate, individnummer, kindAndSynthetic: [kind, synthetic], controlRule }) => {
          const made = makeFodselsnummer({ birthDate, individnummer, kind, synthetic, controlRule });
          if (made === null) {
            // Brute force: no pair of control digits gives this rule for these nine digits.
            const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
            const nine = nineDigits(
              d + (kind === 'dnr' ? 40 : 0),
              m + (kind === 'hnr' ? 40 : 0) + (synthetic ? 80 : 0),
              y,
              individnummer,
            );
            for (let k = 0; k < 100; k++) {
              const candidate = `${nine}${String(k).padStart(2, '0')}`;
              if (isFodselsnummer(candidate))
                expect(parseFodselsnummer(candidate).controlRule).not.toBe(controlRule);
            }
            return;
          }
          const parsed = parseFodselsnummer(made);
          expect(parsed).toMatchObject({ value: made, kind, synthetic, birthDate, controlRule });
          expect(Number(made.slice(6, 9))).toBe(individnummer);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('finds classic control digits for about four in five individnummer', () => {
    let found = 0;
    for (let ind = 0; ind < 500; ind++) {
      if (makeFodselsnummer({ birthDate: '1990-05-17', individnummer: ind, synthetic: true })) found++;
    }
    expect(found).toBeGreaterThan(350);
    expect(found).toBeLessThan(450);
  });

  it('rejects options that describe no number', () => {
    expect(() => makeFodselsnummer({ birthDate: '1990-02-30', individnummer: 100 })).toThrow(
      /not a real date/,
    );
    expect(() => makeFodselsnummer({ birthDate: '17.05.1990', individnummer: 100 })).toThrow(/YYYY-MM-DD/);
    expect(() => makeFodselsnummer({ birthDate: '1990-05-17', individnummer: 1000 })).toThrow(/0–999/);
    expect(() => makeFodselsnummer({ birthDate: '1990-05-17', individnummer: 600 })).toThrow(/not allocated/);
    expect(() => makeFodselsnummer({ birthDate: '1870-05-17', individnummer: 100 })).toThrow(/not allocated/);
    expect(() => makeFodselsnummer({ birthDate: '2040-01-01', individnummer: 600 })).toThrow(/not allocated/);
    expect(() =>
      makeFodselsnummer({ birthDate: '1990-05-17', individnummer: 100, kind: 'hnr', synthetic: true }),
    ).toThrow(/H-nummer/);
  });
});
