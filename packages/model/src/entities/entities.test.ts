import { describe, expect, it } from 'vitest';
import { makeFodselsnummer } from '../identifiers/fodselsnummer.js';
import { CaseSchema } from './archive.js';
import { OwnerSchema, PropertySchema } from './property.js';
import { PersonSchema } from './person.js';

const fetchedAt = '2026-11-25T12:00:00Z';
const sources = [{ system: 'folkeregister', id: 'p1', fetchedAt }];
const fnr = makeFodselsnummer({ birthDate: '1980-01-15', individnummer: 123, synthetic: true })!;

const basePerson = {
  fodselsnummer: fnr,
  identifierKind: 'fnr' as const,
  identifiers: [{ value: fnr, kind: 'fnr' as const, current: true }],
  givenName: 'Kari',
  familyName: 'Nordmann',
  birthDate: '1980-01-15',
  status: 'bosatt' as const,
  adressebeskyttelse: 'ugradert' as const,
  residentialAddress: {
    kind: 'vegadresse' as const,
    adressenavn: 'Kongens gate',
    husnummer: 1,
    postnummer: '8514',
  },
  sources,
};

describe('PersonSchema', () => {
  it('accepts an ordinary person with an address', () => {
    expect(PersonSchema.parse(basePerson).fodselsnummer).toBe(fnr);
  });

  it('rejects a protected person that carries an address', () => {
    const result = PersonSchema.safeParse({ ...basePerson, adressebeskyttelse: 'strengtFortrolig' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/protected address/);
    const { residentialAddress: _dropped, ...withoutAddress } = basePerson;
    expect(PersonSchema.safeParse({ ...withoutAddress, adressebeskyttelse: 'fortrolig' }).success).toBe(true);
  });

  it('rejects an identifier with a wrong control digit', () => {
    const wrong = fnr.slice(0, 10) + String((Number(fnr[10]) + 1) % 10);
    expect(PersonSchema.safeParse({ ...basePerson, fodselsnummer: wrong }).success).toBe(false);
  });

  it('requires a source reference', () => {
    expect(PersonSchema.safeParse({ ...basePerson, sources: [] }).success).toBe(false);
  });
});

describe('PropertySchema and OwnerSchema', () => {
  it('accepts owners of each kind and rejects an unknown kommune', () => {
    const property = {
      matrikkelnummer: '1806-12/3/0/0',
      kommunenummer: '1806',
      type: 'grunneiendom',
      status: 'levende',
      owners: [
        { kind: 'person', identifier: fnr, share: { numerator: 1, denominator: 2 } },
        { kind: 'organisation', identifier: '974760673', share: { numerator: 1, denominator: 2 } },
      ],
      addresses: [],
      buildings: ['300012345'],
      representationPoint: { crs: 'EPSG:25833', x: 598000, y: 7590000 },
      sources: [{ system: 'matrikkel', id: '123', fetchedAt }],
    };
    expect(PropertySchema.parse(property).owners).toHaveLength(2);
    expect(PropertySchema.safeParse({ ...property, matrikkelnummer: '0000-12/3/0/0' }).success).toBe(false);
    expect(OwnerSchema.safeParse({ kind: 'organisation', identifier: '974760674' }).success).toBe(false);
  });
});

describe('CaseSchema', () => {
  it('accepts a byggesak with a GBNR class and a party', () => {
    const parsed = CaseSchema.parse({
      systemId: 'c1',
      saksnummer: '2024/123',
      title: 'Byggesak 12/3',
      status: 'B',
      open: true,
      caseType: 'byggesak',
      classes: [{ system: 'GBNR', classId: '12/3' }],
      parties: [{ kind: 'person', identifier: fnr, name: 'Kari Nordmann', role: 'Tiltakshaver' }],
      sources: [{ system: 'noark', id: 'c1', fetchedAt }],
    });
    expect(parsed.classes[0]?.system).toBe('GBNR');
    expect(CaseSchema.safeParse({ ...parsed, saksnummer: '2024-123' }).success).toBe(false);
  });
});
