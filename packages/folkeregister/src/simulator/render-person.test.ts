import { PersonSchema } from '@registerbro/model';
import { applyChanges, generateMunicipality } from '@registerbro/testkit';
import { describe, expect, it } from 'vitest';
import { toPerson } from '../mappers/to-person.js';
import { FolkeregisterpersonWireSchema } from '../wire/person.js';
import { renderPerson } from './render-person.js';

describe('renderPerson → toPerson round trip over a generated municipality', () => {
  const world = generateMunicipality({ seed: 'folkeregister-roundtrip', people: 400 });
  applyChanges(world, {
    count: 150,
    kinds: ['move', 'rename', 'death', 'emigration', 'dnr_to_fnr', 'protect'],
  });

  it('every person maps back to what the world says, protected addresses hidden', () => {
    let withAddress = 0;
    let hidden = 0;
    for (const wp of world.people.values()) {
      const wire = FolkeregisterpersonWireSchema.parse(renderPerson(wp, world));
      const person = toPerson(wire, { fetchedAt: world.now });
      expect(PersonSchema.safeParse(person).success, wp.id).toBe(true);
      expect(person.fodselsnummer).toBe(wp.fnr);
      expect(person.identifierKind).toBe(wp.identifierKind);
      expect(person.identifiers.map((i) => [i.value, i.kind, i.current])).toEqual(
        wp.identifiers.map((i) => [i.value, i.kind, i.validTo === undefined]),
      );
      expect([person.givenName, person.middleName, person.familyName]).toEqual([
        wp.givenName,
        wp.middleName,
        wp.familyName,
      ]);
      expect(person.birthDate).toBe(wp.birthDate);
      expect(person.status).toBe(wp.status);
      expect(person.deathDate).toBe(wp.deathDate);
      if (wp.status === 'utflyttet') expect(person.emigrationDate).toBe(wp.emigrationDate);
      const expectedLevel =
        wp.adressebeskyttelse === 'strengtFortroligUtland' ? 'strengtFortrolig' : wp.adressebeskyttelse;
      expect(person.adressebeskyttelse).toBe(expectedLevel);
      const address = wp.residentialAddressId ? world.addresses.get(wp.residentialAddressId) : undefined;
      if (wp.adressebeskyttelse !== 'ugradert') {
        if (address) hidden++;
        expect(person.residentialAddress).toBeUndefined();
        expect(person.postalAddress).toBeUndefined();
        continue;
      }
      if (!address) {
        expect(person.residentialAddress).toBeUndefined();
        continue;
      }
      withAddress++;
      expect(person.residentialAddress).toMatchObject({
        kind: address.kind,
        adresseId: address.id,
        kommunenummer: address.kommunenummer,
        postnummer: address.postnummer,
        poststed: address.poststed,
        ...(address.kind === 'vegadresse'
          ? {
              adressenavn: address.adressenavn,
              husnummer: address.husnummer,
              adressekode: String(address.adressekode),
            }
          : { matrikkelnummer: address.matrikkelnummer.replace(/\/\d+$/, '/0') }),
      });
      if (address.bokstav) expect(person.residentialAddress?.bokstav).toBe(address.bokstav);
      if (wp.postalAddress) {
        expect(person.postalAddress?.kind).toBe(wp.postalAddress.kind);
        if (wp.postalAddress.postnummer)
          expect(person.postalAddress?.postnummer).toBe(wp.postalAddress.postnummer);
      }
    }
    expect(withAddress).toBeGreaterThan(100);
    expect(hidden).toBeGreaterThan(0);
  });

  it('a corrupt rendering fails the wire schema', () => {
    const wp = world.people.values().next().value;
    if (!wp) throw new Error('fixture');
    expect(FolkeregisterpersonWireSchema.safeParse(renderPerson(wp, world, true)).success).toBe(false);
  });
});
