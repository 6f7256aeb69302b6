import { describe, expect, it } from 'vitest';
import {
  createPersonMatcher,
  formatLikeOriginal,
  indexPersons,
  maskedIds,
  resolvePerson,
  resolveUnit,
} from './identity.js';
import { fnr, person, property, vegadresse } from './test-fixtures.js';

const AT = '2026-11-25';

describe('people', () => {
  const dnr = fnr('1975-03-10', 100, 'dnr');
  const newFnr = fnr('1975-03-10', 300);
  const kari = person({
    fodselsnummer: newFnr,
    givenName: 'Kari',
    familyName: 'Nordmann',
    identifiers: [
      { value: newFnr, kind: 'fnr', synthetic: true, current: true },
      { value: dnr, kind: 'dnr', synthetic: true, current: false },
    ],
  });

  it('follows a replaced D-nummer to the current fnr (re-key), also from a plain list', () => {
    for (const index of [indexPersons([kari]), indexPersons(new Map([[newFnr, kari]]))]) {
      expect(resolvePerson(dnr, index)).toEqual({ status: 'rekey', person: kari, from: dnr, to: newFnr });
      expect(resolvePerson(newFnr, index)).toEqual({ status: 'current', person: kari });
    }
  });

  it('tells an unknown identifier from an invalid one', () => {
    const index = indexPersons([kari]);
    expect(resolvePerson(fnr('1990-05-05'), index)).toEqual({ status: 'unknown' });
    const bad = `${newFnr.slice(0, 10)}${(Number(newFnr[10]) + 1) % 10}`;
    expect(resolvePerson(bad, index)).toEqual({ status: 'invalid' });
    expect(resolvePerson('123', index)).toEqual({ status: 'invalid' });
  });

  it('masks candidate identifiers', () => {
    expect(maskedIds([kari])).toEqual(['***********']);
  });
});

describe('matching a party without identifier', () => {
  const home = vegadresse('Fjellveien', 3);
  const ola1 = person({
    fodselsnummer: fnr('1960-02-02'),
    givenName: 'Ola',
    familyName: 'Nordmann',
    birthDate: '1960-02-02',
    postalAddress: home,
  });
  const ola2 = person({
    fodselsnummer: fnr('1960-02-02', 200),
    givenName: 'Ola',
    familyName: 'Nordmann',
    birthDate: '1960-02-02',
    postalAddress: home,
  });
  const ola3 = person({
    fodselsnummer: fnr('1971-07-07'),
    givenName: 'Ola',
    middleName: 'Johan',
    familyName: 'Nordmann',
    birthDate: '1971-07-07',
    residentialAddress: vegadresse('Sjøgata', 9),
  });
  const hidden = person({
    fodselsnummer: fnr('1985-09-09'),
    givenName: 'Siri',
    familyName: 'Skjult',
    birthDate: '1985-09-09',
    adressebeskyttelse: 'strengtFortrolig',
  });

  it('matches exactly one person on normalised name + birth date + address (postal or residential)', () => {
    const m = createPersonMatcher([ola1, ola3]);
    expect(m.match({ name: 'NORDMANN, OLA', birthDate: '1960-02-02', address: home })).toEqual({
      status: 'matched',
      person: ola1,
    });
    // Given + family name is enough when the archive dropped the middle name.
    expect(
      m.match({ name: 'Ola Nordmann', birthDate: '1971-07-07', address: vegadresse('Sjøgata', 9) }),
    ).toEqual({
      status: 'matched',
      person: ola3,
    });
  });

  it('several full matches are ambiguous', () => {
    const m = createPersonMatcher([ola1, ola2]);
    const r = m.match({ name: 'Ola Nordmann', birthDate: '1960-02-02', address: home });
    expect(r.status).toBe('ambiguous');
    expect(r.status === 'ambiguous' && r.candidates).toHaveLength(2);
  });

  it('a partial match (moved, or no birth date in the archive) is unmatched with candidates', () => {
    const m = createPersonMatcher([ola1, ola3]);
    const moved = m.match({
      name: 'Ola Nordmann',
      birthDate: '1960-02-02',
      address: vegadresse('Gamleveien', 1),
    });
    expect(moved).toEqual({ status: 'unmatched', candidates: [ola1] });
    const noBirth = m.match({ name: 'Ola Nordmann', address: home });
    expect(noBirth).toEqual({ status: 'unmatched', candidates: [ola1] });
  });

  it('a name alone, or an unknown name, gives no candidates', () => {
    const m = createPersonMatcher([ola1, ola3]);
    expect(m.match({ name: 'Ola Nordmann' })).toEqual({ status: 'no_candidates' });
    expect(m.match({ name: 'Per Hansen', birthDate: '1960-02-02', address: home })).toEqual({
      status: 'no_candidates',
    });
  });

  it('never matches a protected person (no address to agree with), only lists them', () => {
    const m = createPersonMatcher([hidden]);
    const r = m.match({
      name: 'Siri Skjult',
      birthDate: '1985-09-09',
      address: vegadresse('Hemmeligveien', 4),
    });
    expect(r).toEqual({ status: 'unmatched', candidates: [hidden] });
  });

  it('names protected namesakes (birth date must agree when both are known) so their address can be shielded', () => {
    const m = createPersonMatcher([hidden, ola1]);
    expect(m.protectedNamesakes({ name: 'Skjult, Siri' })).toEqual([hidden]);
    expect(m.protectedNamesakes({ name: 'Siri Skjult', birthDate: '1985-09-09' })).toEqual([hidden]);
    expect(m.protectedNamesakes({ name: 'Siri Skjult', birthDate: '1990-01-01' })).toEqual([]);
    expect(m.protectedNamesakes({ name: 'Ola Nordmann', address: home })).toEqual([]);
  });
});

describe('matrikkelenheter', () => {
  const living = property({ matrikkelnummer: '1806-12/3/0/0' });
  const merged = property({ matrikkelnummer: '1806-20/1/0/0' });
  const props = new Map([
    [living.matrikkelnummer, living],
    [merged.matrikkelnummer, merged],
    [
      '1806-20/2/0/0',
      property({ matrikkelnummer: '1806-20/2/0/0', status: 'utgaatt', successors: ['1806-20/1/0/0'] }),
    ],
    [
      '1806-30/1/0/0',
      property({
        matrikkelnummer: '1806-30/1/0/0',
        status: 'utgaatt',
        successors: ['1806-30/5/0/0', '1806-30/4/0/0'],
      }),
    ],
    ['1806-40/1/0/0', property({ matrikkelnummer: '1806-40/1/0/0', status: 'utgaatt', successors: [] })],
    [
      '1806-50/1/0/0',
      property({ matrikkelnummer: '1806-50/1/0/0', status: 'utgaatt', successors: ['1806-50/2/0/0'] }),
    ],
    [
      '1806-50/2/0/0',
      property({ matrikkelnummer: '1806-50/2/0/0', status: 'utgaatt', successors: ['1806-50/1/0/0'] }),
    ],
    ['1806-7/7/0/0', property({ matrikkelnummer: '1806-7/7/0/0' })],
  ]);
  const lookup = {
    properties: props,
    at: AT,
    missing: new Set(['1806-99/9/0/0']),
    defaultKommunenummer: '1806',
  };

  it('a living unit resolves to itself, in any text form', () => {
    expect(resolveUnit('1806-12/3', lookup)).toMatchObject({ status: 'living', key: '1806-12/3/0/0' });
    expect(resolveUnit('12/3', lookup)).toMatchObject({ status: 'living', key: '1806-12/3/0/0' });
  });

  it('an utgått unit with one successor (merge) re-keys', () => {
    expect(resolveUnit('1806-20/2', lookup)).toMatchObject({
      status: 'rekey',
      from: '1806-20/2/0/0',
      to: '1806-20/1/0/0',
      steps: [{ kind: 'successor', from: '1806-20/2/0/0', to: '1806-20/1/0/0' }],
    });
  });

  it('a split lists the candidates', () => {
    expect(resolveUnit('1806-30/1', lookup)).toMatchObject({
      status: 'split',
      candidates: ['1806-30/4/0/0', '1806-30/5/0/0'],
    });
  });

  it('the 1854 → 1806 renumbering re-keys when the renumbered unit is known', () => {
    expect(resolveUnit('1854-7/7', lookup)).toMatchObject({
      status: 'rekey',
      from: '1854-7/7/0/0',
      to: '1806-7/7/0/0',
      steps: [{ kind: 'renumber' }],
    });
    expect(resolveUnit('1854-8/8', lookup)).toMatchObject({ status: 'not_loaded', key: '1806-8/8/0/0' });
  });

  it('gone, unknown, not loaded, cycles and invalid ids are told apart', () => {
    expect(resolveUnit('1806-40/1', lookup)).toMatchObject({ status: 'gone', at: '1806-40/1/0/0' });
    expect(resolveUnit('1806-50/1', lookup)).toMatchObject({ status: 'gone' });
    expect(resolveUnit('1806-99/9', lookup)).toMatchObject({ status: 'unknown', key: '1806-99/9/0/0' });
    expect(resolveUnit('1806-98/9', lookup)).toMatchObject({ status: 'not_loaded' });
    expect(resolveUnit('tolv/tre', lookup)).toMatchObject({ status: 'invalid' });
    expect(resolveUnit('12/3', { properties: props, at: AT })).toMatchObject({ status: 'invalid' });
  });

  it('a kommune split between several new kommuner is ambiguous unless one candidate is known living', () => {
    expect(resolveUnit('1507-1/1', { properties: new Map(), at: AT })).toMatchObject({
      status: 'ambiguous_kommune',
      kommuner: ['1508', '1580'],
    });
    const only = new Map([['1580-1/1/0/0', property({ matrikkelnummer: '1580-1/1/0/0' })]]);
    expect(resolveUnit('1507-1/1', { properties: only, at: AT })).toMatchObject({
      status: 'rekey',
      to: '1580-1/1/0/0',
    });
  });

  it('writes the new class id in the archive’s style', () => {
    expect(formatLikeOriginal('1854-7/7', '1806-7/7/0/0')).toBe('1806-7/7');
    expect(formatLikeOriginal('1854-7/7/0/0', '1806-7/7/0/0')).toBe('1806-7/7/0/0');
    expect(formatLikeOriginal('20/2', '1806-20/1/0/0', '1806')).toBe('20/1');
    expect(formatLikeOriginal('7/7', '1806-7/7/0/0', '1875')).toBe('1806-7/7');
  });
});
