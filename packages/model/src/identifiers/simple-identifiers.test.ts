import { describe, expect, it } from 'vitest';
import { hasErrorCode } from '../errors.js';
import { isAdressekode, parseAdressekode } from './adressekode.js';
import { isBygningsnummer, parseBygningsnummer } from './bygningsnummer.js';
import { isPostnummer, parsePostnummer } from './postnummer.js';
import { isProdusentnummer, parseProdusentnummer, produsentnummerPassesLuhn } from './produsentnummer.js';

function expectInvalid(identifier: string, fn: () => unknown, reason: RegExp): void {
  try {
    fn();
    expect.unreachable();
  } catch (error) {
    expect(hasErrorCode(error, 'invalid_identifier')).toBe(true);
    expect((error as { identifier: string }).identifier).toBe(identifier);
    expect((error as { reason: string }).reason).toMatch(reason);
  }
}

describe('postnummer', () => {
  it('keeps leading zeros', () => {
    expect(parsePostnummer('0150')).toBe('0150');
    expect(parsePostnummer(' 8514 ')).toBe('8514');
    expect(parsePostnummer('0001')).toBe('0001');
  });
  it.each([
    ['0000', /0001–9999/],
    ['150', /4 digits/],
    ['01500', /4 digits/],
    ['85l4', /4 digits/],
    ['85 14', /4 digits/],
    [8514, /expected a string/],
  ])('rejects %s', (input, reason) => {
    expect(isPostnummer(input)).toBe(false);
    expectInvalid('postnummer', () => parsePostnummer(input as string), reason);
  });
});

describe('bygningsnummer', () => {
  it('accepts 1–9 digits and drops meaningless leading zeros', () => {
    expect(parseBygningsnummer('300123456')).toBe('300123456');
    expect(parseBygningsnummer('080012345')).toBe('80012345');
    expect(parseBygningsnummer('7')).toBe('7');
  });
  it.each([
    ['0', /not be zero/],
    ['000000000', /not be zero/],
    ['1234567890', /1–9 digits/],
    ['12a', /1–9 digits/],
    ['', /1–9 digits/],
    ['-5', /1–9 digits/],
  ])('rejects %s', (input, reason) => {
    expect(isBygningsnummer(input)).toBe(false);
    expectInvalid('bygningsnummer', () => parseBygningsnummer(input), reason);
  });
});

describe('produsentnummer', () => {
  it('accepts ten digits, leading zero kept', () => {
    expect(parseProdusentnummer('0301123456')).toBe('0301123456');
    expect(parseProdusentnummer(' 1806000126 ')).toBe('1806000126');
  });
  it.each([['180600012'], ['18060001260'], ['18060001x6'], ['1806 000126'], ['']])('rejects %s', (input) => {
    expect(isProdusentnummer(input)).toBe(false);
    expectInvalid('produsentnummer', () => parseProdusentnummer(input), /10 digits/);
  });
  it('offers Luhn only as a hint', () => {
    expect(produsentnummerPassesLuhn('1806000129')).toBe(true);
    expect(produsentnummerPassesLuhn('1806000127')).toBe(false);
    expect(isProdusentnummer('1806000127')).toBe(true);
    expect(produsentnummerPassesLuhn('12')).toBe(false);
  });
});

describe('adressekode', () => {
  it('parses text and numbers 1–99999', () => {
    expect(parseAdressekode('1234')).toBe(1234);
    expect(parseAdressekode('00042')).toBe(42);
    expect(parseAdressekode(99_999)).toBe(99_999);
  });
  it.each([
    ['0', /1–99999/],
    [0, /1–99999/],
    ['100000', /1–5 digits/],
    [100_000, /1–99999/],
    [1.5, /1–99999/],
    ['12a', /1–5 digits/],
    [null, /1–5 digits/],
  ])('rejects %s', (input, reason) => {
    expect(isAdressekode(input)).toBe(false);
    expectInvalid('adressekode', () => parseAdressekode(input as string), reason);
  });
});
