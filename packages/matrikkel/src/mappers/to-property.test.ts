import { PropertySchema, hasErrorCode } from '@registerbro/model';
import { describe, expect, it } from 'vitest';
import type { MatrikkelenhetWire } from '../wire/schemas.js';
import { toMatrikkelnummerKey, toProperty } from './to-property.js';

const mnr = (g: string, b: string) => ({
  kommuneId: { value: '3012642' },
  gardsnummer: g,
  bruksnummer: b,
  festenummer: '0',
  seksjonsnummer: '0',
});

describe('toMatrikkelnummerKey', () => {
  it('writes the full key with the resolved kommunenummer', () => {
    expect(toMatrikkelnummerKey(mnr('12', '3'), '1806', '1')).toBe('1806-12/3/0/0');
  });
  it('refuses an impossible number or an unknown kommune, naming the unit id', () => {
    for (const [m, k] of [
      [mnr('0', '-1'), '1806'],
      [mnr('12', '3'), undefined],
    ] as const) {
      let error: unknown;
      try {
        toMatrikkelnummerKey(m, k, '200000001');
      } catch (e) {
        error = e;
      }
      expect(hasErrorCode(error, 'invalid_identifier')).toBe(true);
      expect((error as Error).message).toContain('200000001');
    }
  });
});

describe('toProperty', () => {
  it('maps type, status, area and sources into a schema-valid Property', () => {
    const enhet = {
      '@_type': 'ns5:Seksjon',
      id: { value: '7' },
      versjon: '4',
      matrikkelnummer: mnr('12', '3'),
      utgatt: 'true',
      historiskOppgittAreal: '812.5',
    } as MatrikkelenhetWire;
    const p = toProperty({
      enhet,
      key: '1806-12/3/0/0',
      kommunenummer: '1806',
      owners: [],
      addresses: [],
      buildings: ['10000001'],
      fetchedAt: '2026-01-01T00:00:00Z',
    });
    expect(p).toMatchObject({
      type: 'seksjon',
      status: 'utgaatt',
      area: 812.5,
      sources: [{ system: 'matrikkel', id: 'matrikkelenhet/7', version: '4' }],
    });
    expect(PropertySchema.safeParse(p).success).toBe(true);
    expect(
      toProperty({
        enhet: { ...enhet, '@_type': 'x:Ukjent' },
        key: '1806-12/3/0/0',
        kommunenummer: '1806',
        owners: [],
        addresses: [],
        buildings: [],
        fetchedAt: 'x',
      }).type,
    ).toBe('annen');
  });
});
