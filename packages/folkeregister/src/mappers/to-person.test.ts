import { hasErrorCode, makeFodselsnummer, PersonSchema } from '@registerbro/model';
import { describe, expect, it } from 'vitest';
import { FolkeregisterpersonWireSchema, type FolkeregisterpersonWire } from '../wire/person.js';
import { pickCurrent, toAdressebeskyttelse, toPerson, toPersonNames } from './to-person.js';

/** A synthetic (Tenor, month + 80) number with valid control digits. */
function synth(birthDate: string, start: number, kind: 'fnr' | 'dnr' = 'fnr'): string {
  for (let i = start; i < start + 50; i++) {
    const value = makeFodselsnummer({ birthDate, individnummer: i, kind, synthetic: true });
    if (value) return value;
  }
  throw new Error('no synthetic number');
}

const FNR = synth('1980-05-17', 123);
const DNR = synth('1980-05-17', 200, 'dnr');
const TS = '2020-01-01T00:00:00Z';

function doc(overrides: Partial<FolkeregisterpersonWire> = {}): FolkeregisterpersonWire {
  return FolkeregisterpersonWireSchema.parse({
    identifikasjonsnummer: [
      {
        foedselsEllerDNummer: FNR,
        identifikatortype: 'foedselsnummer',
        status: 'iBruk',
        erGjeldende: true,
        gyldighetstidspunkt: TS,
      },
    ],
    navn: [
      { fornavn: 'Gammel', etternavn: 'Navn', erGjeldende: false, opphoerstidspunkt: TS },
      { fornavn: 'Kari', mellomnavn: 'Lise', etternavn: 'Nordmann', erGjeldende: true },
    ],
    status: [{ status: 'bosatt', erGjeldende: true }],
    foedsel: [{ foedselsaar: '1980', foedselsdato: '1980-05-17', erGjeldende: true }],
    adressebeskyttelse: [],
    bostedsadresse: [
      {
        adressegradering: 'ugradert',
        erGjeldende: true,
        flyttedato: '2019-03-01',
        adresseIdentifikatorFraMatrikkelen: '12345',
        vegadresse: {
          adressekode: '1100',
          adressenavn: 'Kongens gate',
          adressenummer: { husnummer: '12', husbokstav: 'B' },
          kommunenummer: '1806',
          poststed: { postnummer: '8514', poststedsnavn: 'NARVIK' },
        },
      },
    ],
    ...overrides,
  });
}

describe('toPerson', () => {
  it('maps name, birth date, status, identifiers and the residential address', () => {
    const person = toPerson(doc(), { fetchedAt: TS });
    expect(PersonSchema.safeParse(person).success).toBe(true);
    expect(person).toMatchObject({
      fodselsnummer: FNR,
      identifierKind: 'fnr',
      givenName: 'Kari',
      middleName: 'Lise',
      familyName: 'Nordmann',
      birthDate: '1980-05-17',
      status: 'bosatt',
      adressebeskyttelse: 'ugradert',
      kommunenummer: '1806',
      residentialAddress: {
        kind: 'vegadresse',
        adresseId: '12345',
        kommunenummer: '1806',
        adressekode: '1100',
        adressenavn: 'Kongens gate',
        husnummer: 12,
        bokstav: 'B',
        postnummer: '8514',
        poststed: 'NARVIK',
        validFrom: '2019-03-01',
      },
      sources: [{ system: 'folkeregister', id: FNR, fetchedAt: TS }],
    });
    expect(person.identifiers).toEqual([
      { value: FNR, kind: 'fnr', current: true, synthetic: true, validFrom: '2020-01-01' },
    ]);
  });

  it('keeps the D-nummer history when an fnr replaced it', () => {
    const person = toPerson(
      doc({
        identifikasjonsnummer: [
          {
            foedselsEllerDNummer: DNR,
            identifikatortype: 'dNummer',
            status: 'opphoert',
            erGjeldende: false,
            gyldighetstidspunkt: '2015-01-01T00:00:00Z',
            opphoerstidspunkt: '2021-06-01T00:00:00Z',
          },
          {
            foedselsEllerDNummer: FNR,
            identifikatortype: 'foedselsnummer',
            status: 'iBruk',
            erGjeldende: true,
          },
        ],
      }),
    );
    expect(person.fodselsnummer).toBe(FNR);
    expect(person.identifiers).toEqual([
      {
        value: DNR,
        kind: 'dnr',
        current: false,
        synthetic: true,
        validFrom: '2015-01-01',
        validTo: '2021-06-01',
      },
      { value: FNR, kind: 'fnr', current: true, synthetic: true },
    ]);
  });

  it('a D-nummer person without fnr is keyed by the D-nummer', () => {
    const person = toPerson(
      doc({
        identifikasjonsnummer: [
          { foedselsEllerDNummer: DNR, identifikatortype: 'dNummer', status: 'iBruk', erGjeldende: true },
        ],
        status: [{ status: 'aktiv', erGjeldende: true }],
      }),
    );
    expect(person).toMatchObject({
      fodselsnummer: DNR,
      identifierKind: 'dnr',
      status: 'midlertidig',
      statusRaw: 'aktiv',
    });
  });

  it.each([
    ['strengtFortrolig', 'strengtFortrolig'],
    ['fortrolig', 'fortrolig'],
    ['strengtFortroligUtland', 'strengtFortroligUtland'],
    ['klientadresse', 'fortrolig'],
    ['nyttNivaaUkjent', 'strengtFortrolig'],
  ] as const)('a person graded %s carries no address at all (→ %s)', (raw, level) => {
    const person = toPerson(
      doc({
        adressebeskyttelse: [{ graderingsnivaa: raw, erGjeldende: true }],
        postadresse: [
          {
            adressegradering: 'ugradert',
            erGjeldende: true,
            postboksadresse: { postboks: '12', poststed: { postnummer: '8501', poststedsnavn: 'NARVIK' } },
          },
        ],
      }),
    );
    expect(person.adressebeskyttelse).toBe(level);
    expect(person.residentialAddress).toBeUndefined();
    expect(person.postalAddress).toBeUndefined();
    expect(person.kommunenummer).toBeUndefined();
    expect(JSON.stringify(person)).not.toContain('Kongens');
    expect(PersonSchema.safeParse(person).success).toBe(true);
  });

  it('an address graded on its own protects the person even without an adressebeskyttelse element', () => {
    const base = doc();
    const bosted = base.bostedsadresse?.[0];
    if (!bosted) throw new Error('fixture');
    const person = toPerson({
      ...base,
      adressebeskyttelse: undefined,
      bostedsadresse: [{ ...bosted, adressegradering: 'fortrolig' }],
    });
    expect(person.adressebeskyttelse).toBe('fortrolig');
    expect(person.residentialAddress).toBeUndefined();
  });

  it('maps a matrikkeladresse and a post box', () => {
    const person = toPerson(
      doc({
        bostedsadresse: [
          {
            adressegradering: 'ugradert',
            erGjeldende: true,
            matrikkeladresse: {
              matrikkelnummer: { kommunenummer: '1806', gaardsnummer: 12, bruksnummer: 3 },
              undernummer: 2,
              poststed: { postnummer: '8540', poststedsnavn: 'BALLANGEN' },
            },
          },
        ],
        postadresse: [
          {
            adressegradering: 'ugradert',
            erGjeldende: true,
            postboksadresse: {
              postboks: '77',
              postbokseier: 'Kari',
              poststed: { postnummer: '8501', poststedsnavn: 'NARVIK' },
            },
          },
        ],
      }),
    );
    expect(person.residentialAddress).toEqual({
      kind: 'matrikkeladresse',
      kommunenummer: '1806',
      matrikkelnummer: '1806-12/3/0/0',
      undernummer: 2,
      postnummer: '8540',
      poststed: 'BALLANGEN',
    });
    expect(person.postalAddress).toEqual({
      kind: 'postboks',
      adresselinjer: ['Kari', 'Postboks 77'],
      postnummer: '8501',
      poststed: 'NARVIK',
    });
    expect(PersonSchema.safeParse(person).success).toBe(true);
  });

  it('maps an emigrated person with a foreign postal address', () => {
    const person = toPerson(
      doc({
        status: [{ status: 'utflyttet', erGjeldende: true }],
        utflytting: [{ utflyttingsdato: '2022-08-01', tilflyttingsland: 'SWE', erGjeldende: true }],
        bostedsadresse: [],
        postadresseIUtlandet: [
          {
            adressegradering: 'ugradert',
            erGjeldende: true,
            utenlandskAdresseIFrittFormat: {
              adresselinje: ['Storgatan 1'],
              byEllerStedsnavn: 'Kiruna',
              postkode: '98131',
              landkode: 'SWE',
            },
          },
        ],
      }),
    );
    expect(person).toMatchObject({ status: 'utflyttet', emigrationDate: '2022-08-01' });
    expect(person.residentialAddress).toBeUndefined();
    expect(person.postalAddress).toEqual({
      kind: 'utenlandsk',
      adresselinjer: ['Storgatan 1', '98131 Kiruna'],
      landkode: 'SWE',
    });
  });

  it('a deceased person gets status doed and the death date (doedsfall as object or list)', () => {
    for (const doedsfall of [{ doedsdato: '2024-02-03' }, [{ doedsdato: '2024-02-03', erGjeldende: true }]]) {
      const person = toPerson(
        doc({
          status: [{ status: 'doed', erGjeldende: true }],
          doedsfall,
        } as Partial<FolkeregisterpersonWire>),
      );
      expect(person).toMatchObject({ status: 'doed', deathDate: '2024-02-03' });
    }
  });

  it('keeps an unknown status code raw', () => {
    const person = toPerson(doc({ status: [{ status: 'heltNyStatus', erGjeldende: true }] }));
    expect(person.status).toBe('ikkeBosatt');
    expect(person.statusRaw).toBe('heltNyStatus');
    expect(PersonSchema.safeParse(person).success).toBe(true);
  });

  it('rejects an identifier that fails mod-11 with a masked InvalidIdentifierError', () => {
    const bad = `${FNR.slice(0, 10)}${(Number(FNR[10]) + 1) % 10}`;
    let caught: unknown;
    try {
      toPerson(
        doc({
          identifikasjonsnummer: [
            {
              foedselsEllerDNummer: bad,
              identifikatortype: 'foedselsnummer',
              status: 'iBruk',
              erGjeldende: true,
            },
          ],
        }),
      );
    } catch (error) {
      caught = error;
    }
    expect(hasErrorCode(caught, 'invalid_identifier')).toBe(true);
    expect(String((caught as Error).message)).not.toContain(bad);
    expect((caught as { record?: string }).record).toBe('person ***********');
  });

  it('rejects a document without a current name (a part= subset) with UpstreamInvalidError', () => {
    expect(() => toPerson(doc({ navn: [] }))).toThrowError(/no current navn/);
    try {
      toPerson(doc({ navn: [] }));
    } catch (error) {
      expect(hasErrorCode(error, 'upstream_invalid')).toBe(true);
    }
  });

  it('rejects a malformed postnummer instead of passing it on', () => {
    const base = doc();
    const bosted = base.bostedsadresse?.[0];
    if (!bosted?.vegadresse) throw new Error('fixture');
    const broken = { ...bosted, vegadresse: { ...bosted.vegadresse, poststed: { postnummer: '85x4' } } };
    expect(() => toPerson({ ...base, bostedsadresse: [broken] })).toThrowError(/postnummer/);
  });
});

describe('toPersonNames', () => {
  it('reads the current name and every identifier of a part=identifikasjonsnummer,navn document, nothing else', () => {
    const { identifikasjonsnummer, navn } = doc();
    const names = toPersonNames({ identifikasjonsnummer, navn });
    expect(names).toEqual({
      fodselsnummer: FNR,
      identifiers: [{ value: FNR, kind: 'fnr', current: true, synthetic: true, validFrom: '2020-01-01' }],
      givenName: 'Kari',
      middleName: 'Lise',
      familyName: 'Nordmann',
    });
    // A whole document gives the same names: the rest of it is not read.
    expect(toPersonNames(doc())).toEqual(names);
  });

  it('checks identifiers and names as toPerson does (masked, typed errors)', () => {
    const bad = `${FNR.slice(0, 10)}${(Number(FNR[10]) + 1) % 10}`;
    const wrongDigit = doc({
      identifikasjonsnummer: [
        {
          foedselsEllerDNummer: bad,
          identifikatortype: 'foedselsnummer',
          status: 'iBruk',
          erGjeldende: true,
        },
      ],
    });
    let caught: unknown;
    try {
      toPersonNames(wrongDigit);
    } catch (error) {
      caught = error;
    }
    expect(hasErrorCode(caught, 'invalid_identifier')).toBe(true);
    expect(String((caught as Error).message)).not.toContain(bad);
    expect(() => toPersonNames(doc({ navn: [] }))).toThrowError(/no current navn/);
  });
});

describe('pickCurrent', () => {
  it('prefers erGjeldende, falls back to the first element that has not ceased', () => {
    expect(pickCurrent([{ erGjeldende: false }, { erGjeldende: true, v: 2 }])).toEqual({
      erGjeldende: true,
      v: 2,
    });
    expect(pickCurrent([{ erGjeldende: false }])).toBeUndefined();
    expect(pickCurrent([{ opphoerstidspunkt: TS }, { v: 3 }])).toEqual({ v: 3 });
    expect(pickCurrent(undefined)).toBeUndefined();
  });
});

describe('toAdressebeskyttelse', () => {
  it('treats anything unknown as strictly confidential', () => {
    expect(toAdressebeskyttelse(undefined)).toBe('ugradert');
    expect(toAdressebeskyttelse('ugradert')).toBe('ugradert');
    expect(toAdressebeskyttelse('STRENGT_FORTROLIG')).toBe('strengtFortrolig');
  });
});
