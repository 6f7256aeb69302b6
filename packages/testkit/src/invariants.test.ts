import { describe, expect, it } from 'vitest';
import { generateMunicipality } from './generate.js';
import { checkWorld } from './invariants.js';

describe('checkWorld', () => {
  it('reports corruption it is meant to catch', () => {
    const world = generateMunicipality({ seed: 'corrupt', people: 600 });
    expect(checkWorld(world)).toEqual([]);

    const person = [...world.people.values()].find((p) => p.residentialAddressId)!;
    const real = person.fnr;
    // A real-looking month (05) in place of the synthetic one.
    person.fnr = `${real.slice(0, 2)}05${real.slice(4)}`;
    person.identifiers[person.identifiers.length - 1]!.value = person.fnr;
    const unit = [...world.properties.values()].find((p) => p.owners.some((o) => o.personId))!;
    unit.owners[0]!.personId = 'p-missing';
    const kase = [...world.cases.values()].find((c) => c.classes.some((k) => k.system === 'GBNR'))!;
    kase.classes.find((k) => k.system === 'GBNR')!.classId = '1806-9999/9999/0/0';
    const protectedPerson = [...world.people.values()].find((p) => p.residentialAddressId && p !== person)!;
    protectedPerson.adressebeskyttelse = 'strengtFortrolig';
    const party = [...world.cases.values()]
      .flatMap((c) => c.parties)
      .find((p) => p.kind === 'person' && p.address)!;
    party.personId = protectedPerson.id;
    party.identifier = protectedPerson.fnr;
    delete party.stale;

    const problems = checkWorld(world, 500).join('\n');
    expect(problems).toMatch(new RegExp(`person ${person.id}: identifier is not synthetic`));
    expect(problems).toMatch(new RegExp(`person ${person.id}: identifier not indexed`));
    expect(problems).toMatch(new RegExp(`property ${unit.id}: owner person missing`));
    expect(problems).toMatch(new RegExp(`case ${kase.saksnummer}: GBNR class names no unit`));
    expect(problems).toMatch(/a protected person's address was copied into the archive/);
  });

  it('caps the number of problems reported', () => {
    const world = generateMunicipality({ seed: 'cap', people: 300 });
    for (const p of world.people.values()) p.fnr = '00000000000';
    expect(checkWorld(world, 7)).toHaveLength(7);
  });
});
