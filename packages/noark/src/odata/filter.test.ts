import { describe, expect, it } from 'vitest';
import {
  FilterSyntaxError,
  datetimeInstant,
  evaluateFilter,
  odataDateTime,
  odataString,
  parseFilter,
} from './filter.js';

const mappe = {
  systemID: 'b',
  tittel: "Ola's sak",
  saksaar: 2026,
  oppdatertDato: '2026-03-01T10:00:00.000Z',
  saksstatus: { kode: 'B', kodenavn: 'Under behandling' },
  eksternID: [{ system: 'registerbro', eksternID: 'k1' }],
  part: [{ navn: 'Kari' }, { navn: 'Ola' }],
};

describe('OData $filter', () => {
  it('parses precedence: and binds tighter than or', () => {
    const e = parseFilter('a eq 1 or b eq 2 and c eq 3');
    expect(e.kind).toBe('or');
    if (e.kind === 'or') expect(e.right.kind).toBe('and');
  });

  it.each([
    ['saksaar eq 2026', true],
    ['saksaar gt 2026', false],
    ['saksaar ge 2026', true],
    ['oppdatertDato gt 2026-03-01T09:59:59Z', true],
    ['oppdatertDato gt 2026-03-01T10:00:00Z', false],
    ["oppdatertDato eq 2026-03-01T10:00:00Z and systemID gt 'a'", true],
    ["oppdatertDato eq 2026-03-01T10:00:00Z and systemID gt 'b'", false],
    [
      "oppdatertDato gt 2026-03-01T10:00:00Z or (oppdatertDato eq 2026-03-01T10:00:00Z and systemID gt 'a')",
      true,
    ],
    ["tittel eq 'Ola''s sak'", true],
    ["saksstatus eq 'B'", true],
    ["saksstatus/kode eq 'A'", false],
    ["eksternID/eksternID eq 'k1'", true],
    ["eksternID/eksternID eq 'k2'", false],
    ["part/navn eq 'Ola'", true],
    ["not (part/navn eq 'Ola')", false],
    ['avsluttetDato eq null', true],
    ['oppdatertDato lt 2026-03-02', true],
  ])('%s → %s', (filter, expected) => {
    expect(evaluateFilter(parseFilter(filter), mappe)).toBe(expected);
  });

  it.each([
    'saksaar eq',
    'saksaar like 1',
    '(saksaar eq 1',
    "tittel eq 'open",
    'saksaar eq 1 2',
    'eq 1',
    'x eq 2026-13-45T99:00Z',
  ])('rejects %s', (filter) => {
    expect(() => parseFilter(filter)).toThrow(FilterSyntaxError);
  });

  it('does not treat a quoted operator as an operator (a real parser, not string matching)', () => {
    expect(evaluateFilter(parseFilter("tittel eq 'a or b'"), { tittel: 'a or b' })).toBe(true);
    expect(evaluateFilter(parseFilter("tittel eq 'a or b'"), { tittel: 'a' })).toBe(false);
  });

  it('quotes literals', () => {
    expect(odataString("O'Hara")).toBe("'O''Hara'");
    expect(odataDateTime('2026-01-01T00:00:00+01:00')).toBe('2025-12-31T23:00:00.000Z');
    expect(() => odataDateTime('nope')).toThrow(TypeError);
  });

  it('compares datetimes to the nanosecond, across offsets (not to the millisecond)', () => {
    const at = (t: string) => ({ oppdatertDato: t });
    expect(
      evaluateFilter(
        parseFilter('oppdatertDato gt 2026-03-01T10:00:00.1234Z'),
        at('2026-03-01T10:00:00.1235Z'),
      ),
    ).toBe(true);
    expect(
      evaluateFilter(
        parseFilter('oppdatertDato eq 2026-03-01T10:00:00.1234Z'),
        at('2026-03-01T10:00:00.1235Z'),
      ),
    ).toBe(false);
    expect(
      evaluateFilter(
        parseFilter('oppdatertDato eq 2026-03-01T10:00:00.1234Z'),
        at('2026-03-01T11:00:00.12340+01:00'),
      ),
    ).toBe(true);
    expect(
      evaluateFilter(
        parseFilter('oppdatertDato lt 2026-03-01T10:00:00.1234Z'),
        at('2026-03-01T10:00:00.123Z'),
      ),
    ).toBe(true);
  });

  it('datetimeInstant: exact instants, zone-less as UTC, invalid text and fields refused', () => {
    expect(datetimeInstant('1970-01-01T00:00:00.000000001Z')).toBe(1n);
    expect(datetimeInstant('1970-01-01T01:00:00.5+01:00')).toBe(500_000_000n);
    expect(datetimeInstant('2026-03-01T10:00:00.1234')).toBe(datetimeInstant('2026-03-01T10:00:00.1234Z'));
    expect(datetimeInstant('2026-03-01')).toBe(BigInt(Date.parse('2026-03-01T00:00:00Z')) * 1_000_000n);
    for (const bad of ['2026-02-30T10:00:00Z', '2026-03-01T25:00:00Z', '2026-03-01 10:00:00Z', 'x', '']) {
      expect(datetimeInstant(bad)).toBeUndefined();
    }
  });
});
