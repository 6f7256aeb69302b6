import { parseFodselsnummer, parseOrganisasjonsnummer } from '@registerbro/model';
import { describe, expect, it } from 'vitest';
import { generateMunicipality } from './generate.js';
import { isSyntheticNumber, passesMod11 } from './identifiers.js';
import { checkWorld } from './invariants.js';
import {
  caseBySaksnummer,
  personByIdentifier,
  propertyByKey,
  propertyFeature,
  residentsOf,
} from './queries.js';
import type { World } from './world.js';

const world: World = generateMunicipality({ seed: 'narvik-test', people: 8000 });

describe('generateMunicipality', () => {
  it('is deterministic: the same seed gives a deep-equal world', () => {
    const a = generateMunicipality({ seed: 7, people: 1500 });
    const b = generateMunicipality({ seed: '7', people: 1500 });
    expect(b).toEqual(a);
    const c = generateMunicipality({ seed: 8, people: 1500 });
    expect([...c.people.values()][0]!.fnr).not.toBe([...a.people.values()][0]!.fnr);
  });

  it('makes exactly the people asked for, and an empty world for 0', () => {
    expect(world.people.size).toBe(8000);
    const empty = generateMunicipality({ seed: 1, people: 0 });
    expect(empty.people.size).toBe(0);
    expect(empty.cases.size).toBe(0);
    expect(checkWorld(empty)).toEqual([]);
  });

  it('holds every invariant (identifiers, references, indexes)', () => {
    expect(checkWorld(world)).toEqual([]);
  });

  it('uses only synthetic numbers that pass mod-11 (month + 80)', () => {
    for (const person of world.people.values()) {
      for (const identifier of person.identifiers) {
        expect(passesMod11(identifier.value)).toBe(true);
        expect(isSyntheticNumber(identifier.value)).toBe(true);
        // Never a real-looking month 01–12.
        expect(Number(identifier.value.slice(2, 4))).toBeGreaterThan(80);
      }
    }
  });

  it("agrees with the model's parsers on every identifier (kind, birth date, sex, synthetic)", () => {
    for (const person of world.people.values()) {
      for (const identifier of person.identifiers) {
        const parsed = parseFodselsnummer(identifier.value);
        expect(parsed).toMatchObject({
          kind: identifier.kind,
          synthetic: true,
          birthDate: person.birthDate,
          sex: person.sex,
        });
      }
    }
    for (const org of world.organisations.values())
      expect(parseOrganisasjonsnummer(org.orgnr)).toBe(org.orgnr);
  });

  it('has sensible ratios', () => {
    const people = [...world.people.values()];
    const share = (pred: (p: (typeof people)[number]) => boolean) =>
      people.filter(pred).length / people.length;
    expect(world.properties.size / people.length).toBeGreaterThan(0.38);
    expect(world.properties.size / people.length).toBeLessThan(0.55);
    expect(world.cases.size / people.length).toBeCloseTo(0.3, 2);
    expect(share((p) => p.status === 'doed')).toBeGreaterThan(0.01);
    expect(share((p) => p.status === 'doed')).toBeLessThan(0.035);
    expect(share((p) => p.status === 'utflyttet')).toBeGreaterThan(0.01);
    expect(share((p) => p.status === 'utflyttet')).toBeLessThan(0.035);
    expect(share((p) => p.identifiers.length > 1)).toBeGreaterThan(0.005);
    expect(share((p) => p.identifiers.length > 1)).toBeLessThan(0.025);
    expect(share((p) => p.adressebeskyttelse !== 'ugradert')).toBeGreaterThan(0.001);
    expect(share((p) => p.adressebeskyttelse !== 'ugradert')).toBeLessThan(0.012);
    expect(world.holdings.size).toBeGreaterThan(10);
    expect(world.organisations.size).toBeGreaterThan(100);
  });

  it('gives protected people a real address in the world and keeps it out of the archive', () => {
    const protectedPeople = [...world.people.values()].filter((p) => p.adressebeskyttelse !== 'ugradert');
    expect(protectedPeople.length).toBeGreaterThan(0);
    for (const person of protectedPeople) {
      expect(world.addresses.get(person.residentialAddressId!)).toBeDefined();
      expect(residentsOf(world, person.residentialAddressId!)).toContain(person);
    }
    const ids = new Set(protectedPeople.map((p) => p.id));
    for (const kase of world.cases.values()) {
      for (const party of kase.parties) {
        if (party.personId && ids.has(party.personId) && !party.stale?.includes('address'))
          expect(party.address).toBeUndefined();
      }
    }
  });

  it('keeps replaced D-nummer resolvable and some archive parties holding them', () => {
    const replaced = [...world.people.values()].filter((p) => p.identifiers.length > 1);
    expect(replaced.length).toBeGreaterThan(0);
    for (const person of replaced) {
      const [dnr, fnr] = person.identifiers;
      expect(dnr!.kind).toBe('dnr');
      expect(dnr!.validTo).toBe(fnr!.validFrom);
      expect(personByIdentifier(world, dnr!.value)).toBe(person);
      expect(person.fnr).toBe(fnr!.value);
    }
    const parties = [...world.cases.values()].flatMap((c) => c.parties);
    expect(parties.some((p) => p.stale?.includes('identifier'))).toBe(true);
    expect(parties.some((p) => p.stale?.includes('address'))).toBe(true);
    const personParties = parties.filter((p) => p.kind === 'person');
    const without = personParties.filter((p) => !p.identifier).length / personParties.length;
    expect(without).toBeGreaterThan(0.01);
    expect(without).toBeLessThan(0.06);
  });

  it('builds each case type as the archive would', () => {
    const cases = [...world.cases.values()];
    const byggesak = cases.filter((c) => c.caseType === 'byggesak');
    const landbruk = cases.filter((c) => c.caseType === 'landbruk');
    const sosial = cases.filter((c) => c.caseType === 'sosial');
    expect(byggesak.length).toBeGreaterThan(0);
    expect(landbruk.length).toBeGreaterThan(0);
    expect(sosial.length).toBeGreaterThan(0);
    for (const kase of byggesak) {
      const gbnr = kase.classes.find((c) => c.system === 'GBNR')!;
      const unit = propertyByKey(world, gbnr.classId)!;
      const ownerIds = unit.owners.map((o) => o.personId ?? o.orgnr);
      for (const party of kase.parties.filter((p) => p.role !== 'Ansvarlig søker'))
        expect(ownerIds).toContain(party.personId ?? party.orgnr);
    }
    for (const kase of landbruk) {
      for (const cls of kase.classes.filter((c) => c.system === 'GBNR'))
        expect(propertyByKey(world, cls.classId)?.farm).toBe(true);
    }
    for (const kase of sosial) {
      const fnr = kase.classes.find((c) => c.system === 'FNR')!;
      expect(personByIdentifier(world, fnr.classId)?.id).toBe(kase.parties[0]!.personId);
    }
    expect(caseBySaksnummer(world, cases[0]!.saksnummer)).toBe(cases[0]);
    expect(new Set(cases.map((c) => c.systemId)).size).toBe(cases.length);
    expect(cases[0]!.systemId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const records = cases.flatMap((c) => c.records);
    const frozen = records.filter((r) => ['J', 'E', 'A'].includes(r.journalstatus)).length;
    expect(frozen / records.length).toBeGreaterThan(0.5);
    expect(records.some((r) => ['M', 'S', 'F'].includes(r.journalstatus))).toBe(true);
  });

  it('places units, addresses and buildings around Narvik in EPSG:25833', () => {
    for (const p of world.properties.values()) {
      expect(p.point.x).toBeGreaterThan(540_000);
      expect(p.point.x).toBeLessThan(640_000);
      expect(p.point.y).toBeGreaterThan(7_560_000);
      expect(p.point.y).toBeLessThan(7_620_000);
      expect(p.key).toBe(`1806-${p.gardsnummer}/${p.bruksnummer}/0/0`);
    }
    for (const a of world.addresses.values()) expect(Number(a.postnummer)).toBeGreaterThanOrEqual(8500);
    for (const a of world.addresses.values()) expect(Number(a.postnummer)).toBeLessThanOrEqual(8550);
    const unit = [...world.properties.values()][10]!;
    const feature = propertyFeature(world, unit);
    expect(feature.id).toBe(unit.key);
    expect(feature.geometry.coordinates[0]![0]).toEqual(feature.geometry.coordinates[0]!.at(-1));
  });

  it('covers the variety real registers have', () => {
    const addresses = [...world.addresses.values()];
    expect(addresses.some((a) => a.kind === 'matrikkeladresse')).toBe(true);
    expect(addresses.some((a) => a.bokstav)).toBe(true);
    const units = [...world.properties.values()];
    expect(units.some((p) => p.type === 'festegrunn')).toBe(true);
    expect(units.some((p) => p.owners.length === 2 && p.owners[0]!.share.denominator === 2)).toBe(true);
    expect(units.some((p) => p.owners.length === 0)).toBe(false);
    const forms = new Set([...world.organisations.values()].map((o) => o.organisasjonsform));
    for (const form of ['KOMM', 'AS', 'ENK', 'BRL']) expect(forms).toContain(form);
    const people = [...world.people.values()];
    expect(people.some((p) => p.postalAddress?.kind === 'postboks')).toBe(true);
    expect(people.some((p) => p.status === 'utflyttet' && p.postalAddress?.kind === 'utenlandsk')).toBe(true);
    expect(people.some((p) => p.identifierKind === 'dnr')).toBe(true);
    expect(people.some((p) => p.middleName)).toBe(true);
    // Vacant new builds give `move` somewhere to go.
    expect(addresses.some((a) => !world.index.residentsByAddress.has(a.id))).toBe(true);
  });

  it('honours kommunenummer', () => {
    const ballangen = generateMunicipality({ seed: 3, people: 300, kommunenummer: '1854' });
    expect(ballangen.kommunenavn).toBe('Ballangen');
    for (const p of ballangen.properties.values()) expect(p.key.startsWith('1854-')).toBe(true);
    expect(checkWorld(ballangen)).toEqual([]);
  });
});
