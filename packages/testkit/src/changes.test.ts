import { describe, expect, it } from 'vitest';
import { applyChanges, renumberKommune } from './changes.js';
import { generateMunicipality } from './generate.js';
import { passesMod11 } from './identifiers.js';
import { checkWorld } from './invariants.js';
import { personByIdentifier, propertyByKey, summarizeWorld } from './queries.js';
import type { ChangeKind, World } from './world.js';

const fresh = (people = 3000): World => generateMunicipality({ seed: 'changes-test', people });

function one(world: World, kind: ChangeKind) {
  const [change] = applyChanges(world, { seed: kind, count: 1, kinds: [kind] });
  expect(change?.kind).toBe(kind);
  return change!;
}

describe('applyChanges', () => {
  it('is deterministic for a world and seed, and numbers changes in order', () => {
    const a = fresh(1500);
    const b = fresh(1500);
    const ca = applyChanges(a, { seed: 1, count: 300 });
    const cb = applyChanges(b, { seed: 1, count: 300 });
    expect(cb).toEqual(ca);
    expect(b).toEqual(a);
    expect(ca.map((c) => c.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    const more = applyChanges(a, { seed: 1, count: 10 });
    expect(more[0]!.seq).toBe(301);
    expect(more[0]!.at > ca.at(-1)!.at).toBe(true);
    expect(a.now).toBe(more.at(-1)!.at);
    expect(a.changes).toHaveLength(310);
    // A later batch with the same seed is not a replay of the first one.
    expect(more.map((c) => c.kind)).not.toEqual(ca.slice(0, 10).map((c) => c.kind));
  });

  it('keeps every invariant after many changes of every kind', () => {
    const world = fresh();
    const made = applyChanges(world, { seed: 'many', count: 1500 });
    expect(made).toHaveLength(1500);
    expect(new Set(made.map((c) => c.kind))).toEqual(
      new Set([
        'move',
        'death',
        'rename',
        'emigration',
        'dnr_to_fnr',
        'protect',
        'ownership',
        'split',
        'merge',
        'address_rename',
        'birth',
        'case_record',
        'case_close',
      ]),
    );
    expect(checkWorld(world)).toEqual([]);
  });

  it('move: new residence, version bumped', () => {
    const world = fresh();
    const change = one(world, 'move');
    const person = world.people.get(change.personId!)!;
    expect(person.residentialAddressId).toBe(change.after!.residentialAddressId);
    expect(person.residentialAddressId).not.toBe(change.before!.residentialAddressId);
    expect(person.version).toBe(2);
    expect(person.updatedAt).toBe(change.at);
    expect(world.index.residentsByAddress.get(person.residentialAddressId!)?.has(person.id)).toBe(true);
  });

  it('death and emigration: status, date, no residence', () => {
    const world = fresh();
    const death = one(world, 'death');
    const dead = world.people.get(death.personId!)!;
    expect(dead.status).toBe('doed');
    expect(dead.deathDate).toBe(death.at.slice(0, 10));
    expect(dead.residentialAddressId).toBeUndefined();
    const emigration = one(world, 'emigration');
    const gone = world.people.get(emigration.personId!)!;
    expect(gone.status).toBe('utflyttet');
    expect(gone.postalAddress?.kind).toBe('utenlandsk');
    expect(gone.residentialAddressId).toBeUndefined();
  });

  it('dnr_to_fnr: a new synthetic fnr, the old D-nummer still resolves', () => {
    const world = fresh();
    const change = one(world, 'dnr_to_fnr');
    const person = world.people.get(change.personId!)!;
    expect(change.before!.identifierKind).toBe('dnr');
    expect(person.fnr).toBe(change.after!.fnr);
    expect(person.identifierKind).toBe('fnr');
    expect(passesMod11(person.fnr)).toBe(true);
    expect(personByIdentifier(world, change.before!.fnr!)).toBe(person);
    expect(person.identifiers.at(-2)!.validTo).toBe(change.at.slice(0, 10));
  });

  it('rename and protect', () => {
    const world = fresh();
    const rename = one(world, 'rename');
    expect(world.people.get(rename.personId!)!.familyName).toBe(rename.after!.familyName);
    expect(rename.after!.familyName).not.toBe(rename.before!.familyName);
    const protect = one(world, 'protect');
    const person = world.people.get(protect.personId!)!;
    expect(person.adressebeskyttelse).toBe('fortrolig');
    expect(person.residentialAddressId).toBeDefined();
  });

  it('ownership: new owners, indexes in step', () => {
    const world = fresh();
    const change = one(world, 'ownership');
    const unit = world.properties.get(change.propertyIds![0]!)!;
    expect(unit.owners).toEqual(change.after!.owners);
    for (const old of change.before!.owners!) {
      if (old.personId && !unit.owners.some((o) => o.personId === old.personId))
        expect(world.index.propertiesByPerson.get(old.personId)?.has(unit.id) ?? false).toBe(false);
    }
    for (const owner of unit.owners)
      expect(world.index.propertiesByPerson.get(owner.personId!)?.has(unit.id)).toBe(true);
  });

  it('split: the unit dies with two successors; GBNR classes still name the dead unit', () => {
    const world = fresh();
    const changes = applyChanges(world, { seed: 'split', count: 40, kinds: ['split'] });
    const withCase = changes.find((c) => c.caseIds?.length) ?? changes[0]!;
    const [oldId, ...successorIds] = withCase.propertyIds!;
    const old = world.properties.get(oldId!)!;
    expect(old.status).toBe('utgaatt');
    expect(old.successors).toEqual(withCase.after!.keys);
    expect(successorIds).toHaveLength(2);
    for (const id of successorIds) {
      const s = world.properties.get(id!)!;
      expect(s.status).toBe('levende');
      expect(s.predecessors).toEqual([old.key]);
      expect(s.gardsnummer).toBe(old.gardsnummer);
    }
    expect(old.addressIds).toEqual([]);
    for (const caseId of withCase.caseIds ?? []) {
      const kase = world.cases.get(caseId)!;
      expect(kase.classes.some((c) => c.system === 'GBNR' && c.classId === old.key)).toBe(true);
      expect(propertyByKey(world, old.key)?.status).toBe('utgaatt');
    }
    expect(changes.some((c) => c.caseIds?.length)).toBe(true);
  });

  it('merge: two units die, one new unit with their addresses', () => {
    const world = fresh();
    const before = summarizeWorld(world);
    const change = one(world, 'merge');
    const after = summarizeWorld(world);
    expect(after.properties).toBe(before.properties + 1);
    expect(after.retiredProperties).toBe(before.retiredProperties + 2);
    expect(after.changes).toBe(before.changes + 1);
    const [a, b, merged] = change.propertyIds!.map((id) => world.properties.get(id)!);
    expect(a!.status).toBe('utgaatt');
    expect(b!.status).toBe('utgaatt');
    expect(a!.successors).toEqual([merged!.key]);
    expect(merged!.predecessors).toEqual([a!.key, b!.key]);
    expect(merged!.area).toBe(a!.area + b!.area);
    for (const id of merged!.addressIds) expect(world.addresses.get(id)!.matrikkelnummer).toBe(merged!.key);
  });

  it('address_rename: every address on the street gets the new name', () => {
    const world = fresh();
    const change = one(world, 'address_rename');
    expect(change.addressIds!.length).toBeGreaterThan(0);
    for (const id of change.addressIds!) {
      const address = world.addresses.get(id)!;
      expect(address.adressenavn).toBe(change.after!.adressenavn);
      expect(address.version).toBeGreaterThan(1);
    }
    expect(world.streets.get(change.after!.adressekode!)!.adressenavn).toBe(change.after!.adressenavn);
  });

  it('birth, case_record and case_close', () => {
    const world = fresh();
    const birth = one(world, 'birth');
    const child = world.people.get(birth.personId!)!;
    expect(child.birthDate).toBe(birth.at.slice(0, 10));
    expect(passesMod11(child.fnr)).toBe(true);
    const record = one(world, 'case_record');
    const kase = world.cases.get(record.caseIds![0]!)!;
    expect(kase.records.at(-1)!.systemId).toBe(record.after!.recordSystemId);
    const close = one(world, 'case_close');
    const closed = world.cases.get(close.caseIds![0]!)!;
    expect(closed.open).toBe(false);
    expect(closed.status).toBe('A');
    expect(closed.records.every((r) => ['J', 'E', 'A'].includes(r.journalstatus))).toBe(true);
  });

  it('stops early when a kind has no candidates left', () => {
    const world = generateMunicipality({ seed: 'tiny', people: 0 });
    expect(applyChanges(world, { count: 5, kinds: ['death', 'dnr_to_fnr'] })).toEqual([]);
  });
});

describe('renumberKommune', () => {
  it('renumbers 1854 to 1806; old keys resolve, the archive keeps old GBNR keys', () => {
    const world = generateMunicipality({ seed: 'ballangen', people: 1500, kommunenummer: '1854' });
    const before = [...world.properties.values()].map((p) => p.key);
    const change = renumberKommune(world, '1854', '1806');
    expect(change.kind).toBe('renumber');
    expect(change.propertyIds).toHaveLength(world.properties.size);
    expect(world.kommunenummer).toBe('1806');
    expect(world.kommunenavn).toBe('Narvik');
    for (const p of world.properties.values()) expect(p.key.startsWith('1806-')).toBe(true);
    for (const a of world.addresses.values()) expect(a.matrikkelnummer.startsWith('1806-')).toBe(true);
    for (const key of before) expect(propertyByKey(world, key)?.key).toBe(key.replace('1854-', '1806-'));
    const gbnr = [...world.cases.values()].flatMap((c) => c.classes).filter((c) => c.system === 'GBNR');
    expect(gbnr.length).toBeGreaterThan(0);
    expect(gbnr.every((c) => c.classId.startsWith('1854-'))).toBe(true);
    expect(checkWorld(world)).toEqual([]);
  });
});

describe('applyChanges focus and spacing', () => {
  it('changes only the people asked for, at the spacing asked for', () => {
    const world = generateMunicipality({ seed: 'focus', people: 300 });
    const focus = [...world.people.values()]
      .filter((p) => p.status === 'bosatt')
      .slice(0, 20)
      .map((p) => p.id);
    const start = Date.parse(world.now);
    const made = applyChanges(world, {
      count: 30,
      seed: 'f',
      kinds: ['move', 'rename', 'death'],
      personIds: focus,
      stepSeconds: [1, 5],
    });
    expect(made.length).toBe(30);
    expect(made.every((c) => c.personId !== undefined && focus.includes(c.personId))).toBe(true);
    expect(Date.parse(world.now) - start).toBeLessThanOrEqual(30 * 5 * 1000);
    expect(Date.parse(world.now) - start).toBeGreaterThanOrEqual(30 * 1000);
    const units = [...world.properties.values()]
      .filter(
        (p) => p.status === 'levende' && p.type === 'grunneiendom' && p.area >= 400 && p.owners.length > 0,
      )
      .slice(0, 5)
      .map((p) => p.id);
    const splits = applyChanges(world, { count: 3, seed: 's', kinds: ['split'], propertyIds: units });
    expect(splits.length).toBe(3);
    expect(splits.every((c) => units.includes(c.propertyIds?.[0] ?? ''))).toBe(true);
  });
});
