import type { Party } from '@registerbro/model';
import { makeFodselsnummer } from '@registerbro/model';
import { describe, expect, it } from 'vitest';
import { fromAddress, fromParty, toAddress, toParty } from './to-party.js';

/** A synthetic (Tenor-style, month + 80) fødselsnummer with valid check digits. */
const SYNTH = (() => {
  for (let n = 100; n < 500; n++) {
    const v = makeFodselsnummer({ birthDate: '1976-09-01', individnummer: n, synthetic: true });
    if (v) return v;
  }
  throw new Error('no synthetic fnr');
})();
const fetchedAt = '2026-05-01T00:00:00.000Z';

describe('party mappers', () => {
  it('round-trips a party through the archive shape', () => {
    const party: Party = {
      kind: 'person',
      identifier: SYNTH,
      name: 'Kari Nordmann',
      role: 'Hjemmelshaver',
      address: { kind: 'fritekst', adresselinjer: ['Storgata 1'], postnummer: '8514', poststed: 'NARVIK' },
      deceased: true,
    };
    const wire = { systemID: 'p1', ...fromParty(party) };
    const back = toParty(wire, { fetchedAt, record: 'saksmappe 2026/1' });
    const { systemId: _s, sources: _src, ...rest } = back;
    expect(rest).toEqual(party);
  });

  it('writes a vegadresse as one address line', () => {
    expect(
      fromAddress({
        kind: 'vegadresse',
        adressenavn: 'Kongens gate',
        husnummer: 12,
        bokstav: 'B',
        postnummer: '8514',
        poststed: 'NARVIK',
      }),
    ).toEqual({
      adresselinje1: 'Kongens gate 12B',
      postnr: '8514',
      poststed: 'NARVIK',
    });
  });

  it('writes a matrikkeladresse as its matrikkelnummer, so it reads back as the same address', () => {
    const address = {
      kind: 'matrikkeladresse' as const,
      kommunenummer: '1806',
      matrikkelnummer: '1806-97/1/0/0',
      undernummer: 2,
      postnummer: '8540',
      poststed: 'BALLANGEN',
    };
    expect(fromAddress(address)).toEqual({
      adresselinje1: '1806-97/1/0/0-2',
      postnr: '8540',
      poststed: 'BALLANGEN',
    });
    // The engine compares addresses by its canonical form: the archive's copy must give the same.
    expect(toAddress(fromAddress(address))).toEqual({
      kind: 'fritekst',
      adresselinjer: ['1806-97/1/0/0-2'],
      postnummer: '8540',
      poststed: 'BALLANGEN',
    });
  });

  it('reads a foreign address and drops an empty one', () => {
    expect(toAddress({ adresselinje1: 'Drottninggatan 3', poststed: 'STOCKHOLM', landkode: 'SE' })).toEqual({
      kind: 'utenlandsk',
      adresselinjer: ['Drottninggatan 3'],
      poststed: 'STOCKHOLM',
      landkode: 'SE',
    });
    expect(toAddress({ adresselinje1: '' })).toBeUndefined();
  });

  it('reads an organisation party by its orgnr and rejects a bad one', () => {
    const org = toParty(
      { systemID: 'p2', partRolle: { kode: 'Foretak' }, navn: 'Gård AS', organisasjonsnummer: '923609016' },
      { fetchedAt, record: 'r' },
    );
    expect(org).toMatchObject({ kind: 'organisation', identifier: '923609016' });
    expect(() =>
      toParty(
        { systemID: 'p3', partRolle: { kode: 'Foretak' }, navn: 'X', organisasjonsnummer: '923609017' },
        { fetchedAt, record: 'r' },
      ),
    ).toThrow(/organisasjonsnummer/);
  });
});
