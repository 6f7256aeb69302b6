import { describe, expect, it } from 'vitest';
import {
  addressesEqual,
  canonicalAddress,
  compareField,
  formatAddress,
  namesEqual,
  normalizeName,
  valuesEqual,
} from './compare.js';
import { vegadresse } from './test-fixtures.js';

const eq = (a: string, b: string) => a === b;

describe('compareField — the three-way table', () => {
  it('T = M is in sync and records the base when it is missing or different', () => {
    expect(compareField({ master: 'a', target: 'a', base: undefined, equals: eq })).toEqual({
      outcome: 'in_sync',
      recordBase: true,
    });
    expect(compareField({ master: 'a', target: 'a', base: { value: 'old' }, equals: eq })).toEqual({
      outcome: 'in_sync',
      recordBase: true,
    });
    expect(compareField({ master: 'a', target: 'a', base: { value: 'a' }, equals: eq })).toEqual({
      outcome: 'in_sync',
      recordBase: false,
    });
  });

  it('T = B ≠ M: the master changed → update (not an adoption)', () => {
    expect(compareField({ master: 'new', target: 'old', base: { value: 'old' }, equals: eq })).toEqual({
      outcome: 'update',
      adopted: false,
    });
  });

  it('T ≠ B = M: edited locally → local_edit conflict, never an overwrite', () => {
    expect(compareField({ master: 'm', target: 'local', base: { value: 'm' }, equals: eq })).toEqual({
      outcome: 'conflict',
      kind: 'local_edit',
    });
  });

  it('T ≠ B ≠ M: both changed → both_changed conflict', () => {
    expect(compareField({ master: 'm2', target: 'local', base: { value: 'm1' }, equals: eq })).toEqual({
      outcome: 'conflict',
      kind: 'both_changed',
    });
  });

  it('no B: adopts the master when certain under the default policy, audited as adopted', () => {
    expect(compareField({ master: 'm', target: 't', base: undefined, equals: eq })).toEqual({
      outcome: 'update',
      adopted: true,
    });
    expect(
      compareField({
        master: 'm',
        target: 't',
        base: undefined,
        equals: eq,
        firstSync: 'adopt_master_when_certain',
        certain: true,
      }),
    ).toEqual({ outcome: 'update', adopted: true });
  });

  it('no B: a conflict when the link is uncertain or the policy says conflict', () => {
    expect(compareField({ master: 'm', target: 't', base: undefined, equals: eq, certain: false })).toEqual({
      outcome: 'conflict',
      kind: 'first_sync',
    });
    expect(
      compareField({ master: 'm', target: 't', base: undefined, equals: eq, firstSync: 'conflict' }),
    ).toEqual({
      outcome: 'conflict',
      kind: 'first_sync',
    });
  });

  it('treats null as "no value": adding, removing and a recorded empty base', () => {
    // Master gained a value the target never had, base recorded empty → update.
    expect(
      compareField<string>({ master: 'm', target: null, base: { value: null }, equals: eq }),
    ).toMatchObject({
      outcome: 'update',
    });
    // Target emptied locally while master and base agree → local edit.
    expect(
      compareField<string>({ master: 'm', target: null, base: { value: 'm' }, equals: eq }),
    ).toMatchObject({
      outcome: 'conflict',
      kind: 'local_edit',
    });
    expect(compareField<string>({ master: null, target: null, base: undefined, equals: eq })).toEqual({
      outcome: 'in_sync',
      recordBase: true,
    });
    expect(valuesEqual<string>(null, 'x', eq)).toBe(false);
  });

  it('uses the field equality, so a normalised-equal target is in sync', () => {
    expect(
      compareField({
        master: 'Ola Nordmann',
        target: 'NORDMANN, OLA',
        base: { value: 'Ola Nordmann' },
        equals: namesEqual,
      }),
    ).toEqual({ outcome: 'in_sync', recordBase: false });
  });
});

describe('value equality', () => {
  it('names: case, whitespace, comma order and NFC do not matter; hyphens and letters do', () => {
    expect(namesEqual('  Kari   Nordmann ', 'kari nordmann')).toBe(true);
    expect(namesEqual('Nordmann, Kari', 'Kari Nordmann')).toBe(true);
    expect(namesEqual('Åse Ødegård', 'A\u030Ase \u00D8deg\u00E5rd')).toBe(true);
    expect(namesEqual('Kari Hansen-Berg', 'Kari Hansen Berg')).toBe(false);
    expect(namesEqual('Kari Nordmann', 'Kari Hansen')).toBe(false);
    expect(normalizeName('ÆRE Ø.')).toBe('ære ø');
  });

  it('addresses: compared by the canonical string, ignoring ids, points and poststed spelling', () => {
    const a = vegadresse('Storgata', 1);
    const b = { ...vegadresse('STORGATA', 1, '8514', 'Narvik'), adresseId: '42', validFrom: '2020-01-01' };
    expect(addressesEqual(a, b)).toBe(true);
    expect(addressesEqual(a, vegadresse('Storgata', 2))).toBe(false);
    expect(addressesEqual(a, { ...a, bokstav: 'B' })).toBe(false);
    expect(addressesEqual(a, vegadresse('Storgata', 1, '8515'))).toBe(false);
    // A free-text copy of the same lines equals the vegadresse.
    expect(addressesEqual(a, { kind: 'fritekst', adresselinjer: ['Storgata 1'], postnummer: '8514' })).toBe(
      true,
    );
    // Country: absent and NO are the same; SE is not.
    expect(addressesEqual(a, { ...a, landkode: 'NO' })).toBe(true);
    expect(addressesEqual(a, { ...a, landkode: 'SE' })).toBe(false);
    expect(canonicalAddress(a)).toBe('storgata 1||8514|no');
  });

  it('formats addresses for humans', () => {
    expect(formatAddress({ ...vegadresse('Storgata', 1), bokstav: 'A' })).toBe('Storgata 1A, 8514 NARVIK');
    expect(
      formatAddress({
        kind: 'utenlandsk',
        adresselinjer: ['Kungsgatan 3', '111 43 Stockholm'],
        landkode: 'SE',
      }),
    ).toBe('Kungsgatan 3, 111 43 Stockholm, SE');
    expect(
      formatAddress({ kind: 'matrikkeladresse', matrikkelnummer: '1806-12/3/0/0', postnummer: '8514' }),
    ).toBe('1806-12/3/0/0, 8514');
  });
});
