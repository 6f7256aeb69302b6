import { AddressSchema, hasErrorCode } from '@registerbro/model';
import { describe, expect, it } from 'vitest';
import { fromAdresseApi } from './from-adresse-api.js';
import { toAddress } from './to-address.js';
import { toPoint } from './to-point.js';

const veg = {
  '@_type': 'a:Veg',
  id: { value: '300001001' },
  kommuneId: { value: '3012642' },
  adressekode: '1001',
  adressenavn: 'Kongens gate',
};
const vegadresse = {
  '@_type': 'a:Vegadresse',
  id: { value: '5' },
  vegId: { value: '300001001' },
  nummer: '12',
  bokstav: 'B',
  representasjonspunkt: {
    koordinatsystemKodeId: { value: '11' },
    position: { x: '597208.1', y: '7588704.2' },
  },
};
const context = {
  kommunenummerOf: (id: string) => (id === '3012642' ? '1806' : undefined),
  unitKey: '1806-7/1/0/0',
  unitKommunenummer: '1806',
  fetchedAt: '2026-01-01T00:00:00Z',
};

describe('toAddress', () => {
  it('maps a vegadresse with its street and kommune', () => {
    const a = toAddress(vegadresse, { ...context, veg });
    expect(a).toMatchObject({
      kind: 'vegadresse',
      kommunenummer: '1806',
      adressekode: '1001',
      adressenavn: 'Kongens gate',
      husnummer: 12,
      bokstav: 'B',
    });
    expect(a.representationPoint).toEqual({ crs: 'EPSG:25833', x: 597208.1, y: 7588704.2 });
    expect(AddressSchema.safeParse(a).success).toBe(true);
  });
  it('maps a matrikkeladresse to the unit it names', () => {
    expect(
      toAddress({ '@_type': 'a:Matrikkeladresse', id: { value: '6' }, undernummer: '2' }, context),
    ).toMatchObject({
      kind: 'matrikkeladresse',
      matrikkelnummer: '1806-7/1/0/0',
      undernummer: 2,
    });
  });
  it('refuses a vegadresse whose street has no kommune, naming address and unit', () => {
    const { kommuneId: _dropped, ...noKommune } = veg;
    let error: unknown;
    try {
      toAddress(vegadresse, { ...context, veg: noKommune });
    } catch (e) {
      error = e;
    }
    expect(hasErrorCode(error, 'address_without_kommune')).toBe(true);
    expect((error as Error).message).toMatch(/vegadresse 5 on matrikkelenhet 1806-7\/1\/0\/0/);
  });
});

describe('toPoint and fromAdresseApi', () => {
  it('maps koordinatsystemKodeId 11 to EPSG:25833 and drops systems the model does not carry', () => {
    expect(toPoint({ koordinatsystemKodeId: { value: '10' }, position: { x: '1', y: '2' } })?.crs).toBe(
      'EPSG:25832',
    );
    expect(toPoint({ koordinatsystemKodeId: { value: '9' }, position: { x: '1', y: '2' } })).toBeUndefined();
  });
  it('maps an adresse-API address (lat = north for UTM)', () => {
    const a = fromAdresseApi({
      objtype: 'Vegadresse',
      kommunenummer: '1806',
      adressenavn: 'Kongens gate',
      nummer: 1,
      adressekode: 1001,
      gardsnummer: 7,
      bruksnummer: 1,
      festenummer: 0,
      postnummer: '8514',
      poststed: 'NARVIK',
      adressetekst: 'Kongens gate 1',
      representasjonspunkt: { epsg: 'EPSG:25833', lat: 7588704, lon: 597208 },
    });
    expect(a).toMatchObject({
      matrikkelnummer: '1806-7/1/0/0',
      representationPoint: { crs: 'EPSG:25833', x: 597208, y: 7588704 },
    });
    expect(AddressSchema.safeParse(a).success).toBe(true);
  });
});
