import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasErrorCode } from '../errors.js';
import { specPath } from '../../test/spec-path.js';
import {
  currentKommunenummer,
  isKommunenummer,
  kommuneInfo,
  listKommunenummer,
  parseKommunenummer,
} from './kommunenummer.js';

const changes2020 = readFileSync(specPath('kommuner', 'kommuneendringer-2019-2020.csv'), 'utf8')
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((line) => {
    const [from = '', to = ''] = line.split(';');
    return { from: from.slice(0, 4), to: to.slice(0, 4), line };
  });

describe('kommunenummer', () => {
  it('knows the 357 municipalities of 2024 and the 356 of 2020–2023', () => {
    expect(listKommunenummer('2024-01-01')).toHaveLength(357);
    expect(listKommunenummer('2020-01-01')).toHaveLength(356);
    expect(listKommunenummer('2023-12-31')).toHaveLength(356);
    expect(listKommunenummer()).toEqual(listKommunenummer('2024-06-01'));
  });

  it('gave 115 municipalities new numbers in 2024 (SSB), in seven new counties plus the Ålesund split', () => {
    const old = new Set(listKommunenummer('2023-12-31'));
    const fresh = listKommunenummer('2024-01-01').filter((n) => !old.has(n));
    expect(fresh).toHaveLength(115);
    expect(new Set(fresh.map((n) => n.slice(0, 2)))).toEqual(
      new Set(['15', '31', '32', '33', '39', '40', '55', '56']),
    );
  });

  it('parses current and historic numbers, keeping the leading zero', () => {
    expect(parseKommunenummer('1806')).toBe('1806');
    expect(parseKommunenummer(' 0301 ')).toBe('0301');
    expect(parseKommunenummer('1854')).toBe('1854');
    expect(parseKommunenummer('3001')).toBe('3001');
    expect(parseKommunenummer('0101')).toBe('0101');
  });

  it.each([
    ['unknown number', '9999', /unknown kommunenummer/],
    ['0000', '0000', /unknown kommunenummer/],
    ['a number never used', '1299', /unknown kommunenummer/],
    ['three digits', '301', /exactly 4 digits/],
    ['five digits', '18060', /exactly 4 digits/],
    ['letters', '18O6', /exactly 4 digits/],
    ['inner space', '18 06', /exactly 4 digits/],
    ['a number', 1806, /expected a string/],
  ])('rejects %s', (_name, input, reason) => {
    expect(isKommunenummer(input)).toBe(false);
    try {
      parseKommunenummer(input as string);
      expect.unreachable();
    } catch (error) {
      expect(hasErrorCode(error, 'invalid_identifier')).toBe(true);
      expect((error as { reason: string }).reason).toMatch(reason);
    }
  });

  it('describes a number with kommuneInfo', () => {
    expect(kommuneInfo('1854')).toEqual({
      nummer: '1854',
      navn: 'Ballangen',
      validTo: '2019-12-31',
      successors: ['1806'],
    });
    expect(kommuneInfo('1806')).toEqual({
      nummer: '1806',
      navn: 'Narvik',
      validFrom: '2020-01-01',
      successors: [],
    });
    expect(kommuneInfo('3024')).toMatchObject({
      navn: 'Bærum',
      validFrom: '2020-01-01',
      validTo: '2023-12-31',
      successors: ['3201'],
    });
    expect(kommuneInfo('0301')).toEqual({ nummer: '0301', navn: 'Oslo', successors: [] });
    expect(kommuneInfo('9999')).toBeUndefined();
    const info = kommuneInfo('1850')!;
    info.successors.push('0000');
    expect(kommuneInfo('1850')!.successors).toEqual(['1806', '1875']);
  });

  it('follows mergers, splits and chains to the current numbers', () => {
    expect(currentKommunenummer('1854')).toEqual(['1806']);
    expect(currentKommunenummer('1806')).toEqual(['1806']);
    expect(currentKommunenummer('1850')).toEqual(['1806', '1875']);
    expect(currentKommunenummer('5012')).toEqual(['5055', '5056', '5059']);
    expect(currentKommunenummer('0219')).toEqual(['3201']);
    expect(currentKommunenummer('0101')).toEqual(['3101']);
    expect(currentKommunenummer('0137')).toEqual(['3114']);
    expect(currentKommunenummer('0532')).toEqual(['3236']);
    expect(currentKommunenummer('1852')).toEqual(['5512']);
    expect(currentKommunenummer('2017')).toEqual(['5603']);
    expect(currentKommunenummer('1507')).toEqual(['1508', '1580']);
    // Haram joined Ålesund in 2020 and left it in 2024; the table cannot tell a part from the whole.
    expect(currentKommunenummer('1534')).toEqual(['1508', '1580']);
  });

  it('answers for a given date', () => {
    expect(currentKommunenummer('0101', '2021-06-01')).toEqual(['3001']);
    expect(currentKommunenummer('0101', '2019-12-31')).toEqual(['0101']);
    expect(currentKommunenummer('0101', '2024-01-01')).toEqual(['3101']);
    expect(currentKommunenummer('1534', '2022-01-01')).toEqual(['1507']);
    expect(() => currentKommunenummer('3101', '2020-06-01')).toThrow(/not valid yet/);
    expect(() => currentKommunenummer('1806', '1.1.2020')).toThrow(/YYYY-MM-DD/);
    expect(() => currentKommunenummer('9999')).toThrow(/unknown kommunenummer/);
  });

  it('holds every row of the 2019→2020 change list', () => {
    expect(changes2020.length).toBeGreaterThan(300);
    for (const { from, to, line } of changes2020) {
      expect(isKommunenummer(from), line).toBe(true);
      expect(isKommunenummer(to), line).toBe(true);
      expect(currentKommunenummer(from, '2020-01-01'), line).toContain(to);
    }
  });

  it('leads every number, old or new, to numbers that are current today', () => {
    const current = new Set(listKommunenummer('2024-01-01'));
    const all = [...new Set(changes2020.flatMap((c) => [c.from, c.to])), ...current];
    for (const nummer of all) {
      const successors = currentKommunenummer(nummer);
      expect(successors.length, nummer).toBeGreaterThan(0);
      for (const s of successors) expect(current.has(s), `${nummer} → ${s}`).toBe(true);
    }
  });
});
