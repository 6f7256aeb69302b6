import { isSyntheticNumber, passesMod11, passesOrgnrMod11 } from './identifiers.js';
import type { World } from './world.js';

/**
 * Check a world's invariants: every identifier synthetic and valid, every reference resolvable,
 * every index in step with the data, protected addresses never copied into the archive. Returns
 * the problems found (empty when the world is consistent), at most `limit` of them.
 */
export function checkWorld(world: World, limit = 50): string[] {
  const problems: string[] = [];
  const problem = (text: string) => {
    if (problems.length < limit) problems.push(text);
  };
  const { index } = world;

  for (const person of world.people.values()) {
    const last = person.identifiers[person.identifiers.length - 1];
    if (!last || last.value !== person.fnr || last.kind !== person.identifierKind)
      problem(`person ${person.id}: current identifier is not the last of identifiers`);
    for (const identifier of person.identifiers) {
      if (!passesMod11(identifier.value)) problem(`person ${person.id}: identifier fails mod-11`);
      if (!isSyntheticNumber(identifier.value))
        problem(`person ${person.id}: identifier is not synthetic (month+80)`);
      const day = Number(identifier.value.slice(0, 2));
      if (identifier.kind === 'dnr' ? day < 41 || day > 71 : day < 1 || day > 31)
        problem(`person ${person.id}: ${identifier.kind} has day digits ${day}`);
      if (index.peopleByIdentifier.get(identifier.value) !== person.id)
        problem(`person ${person.id}: identifier not indexed to the person`);
    }
    if (person.residentialAddressId) {
      if (!world.addresses.has(person.residentialAddressId))
        problem(`person ${person.id}: residence does not exist`);
      if (!index.residentsByAddress.get(person.residentialAddressId)?.has(person.id))
        problem(`person ${person.id}: residence not indexed`);
    }
    if (
      person.adressebeskyttelse !== 'ugradert' &&
      person.status === 'bosatt' &&
      !person.residentialAddressId
    )
      problem(`person ${person.id}: protected resident without an address in the world`);
    if (person.status === 'doed' && !person.deathDate) problem(`person ${person.id}: dead without deathDate`);
    if (person.status === 'utflyttet' && !person.emigrationDate)
      problem(`person ${person.id}: emigrated without date`);
  }
  for (const [addressId, residents] of index.residentsByAddress) {
    for (const id of residents) {
      if (world.people.get(id)?.residentialAddressId !== addressId)
        problem(`residentsByAddress ${addressId}: ${id} does not live there`);
    }
  }

  for (const org of world.organisations.values()) {
    if (!passesOrgnrMod11(org.orgnr)) problem(`organisation ${org.orgnr}: fails mod-11`);
    if (org.addressId && !world.addresses.has(org.addressId))
      problem(`organisation ${org.orgnr}: address missing`);
  }

  for (const property of world.properties.values()) {
    if (index.propertiesByKey.get(property.key) !== property.id)
      problem(`property ${property.id}: key not indexed`);
    if (!property.key.startsWith(`${property.kommunenummer}-`))
      problem(`property ${property.id}: key/kommune mismatch`);
    const first = property.teig[0];
    const lastPoint = property.teig[property.teig.length - 1];
    if (
      property.teig.length < 4 ||
      !first ||
      !lastPoint ||
      first.x !== lastPoint.x ||
      first.y !== lastPoint.y
    )
      problem(`property ${property.id}: teig is not a closed ring`);
    if (property.status === 'utgaatt') {
      if (!property.successors?.length) problem(`property ${property.id}: utgått without successors`);
      for (const key of property.successors ?? [])
        if (!index.propertiesByKey.has(key)) problem(`property ${property.id}: successor ${key} missing`);
      if (property.owners.length) problem(`property ${property.id}: utgått with owners`);
    }
    let share = 0;
    for (const owner of property.owners) {
      share += owner.share.numerator / owner.share.denominator;
      if (owner.kind === 'person') {
        if (!owner.personId || !world.people.has(owner.personId))
          problem(`property ${property.id}: owner person missing`);
        else if (!index.propertiesByPerson.get(owner.personId)?.has(property.id))
          problem(`property ${property.id}: person owner not indexed`);
      } else if (!owner.orgnr || !world.organisations.has(owner.orgnr)) {
        problem(`property ${property.id}: owner organisation missing`);
      } else if (!index.propertiesByOrganisation.get(owner.orgnr)?.has(property.id)) {
        problem(`property ${property.id}: organisation owner not indexed`);
      }
    }
    if (property.owners.length && Math.abs(share - 1) > 1e-9)
      problem(`property ${property.id}: shares sum to ${share}`);
    for (const id of property.addressIds) {
      const address = world.addresses.get(id);
      if (!address) problem(`property ${property.id}: address ${id} missing`);
      else if (address.propertyId !== property.id || address.matrikkelnummer !== property.key)
        problem(`address ${id}: does not point back at property ${property.id}`);
    }
    for (const id of property.buildingIds) {
      if (!world.buildings.get(id)?.propertyIds.includes(property.id))
        problem(`property ${property.id}: building ${id} missing or not pointing back`);
    }
  }

  for (const address of world.addresses.values()) {
    if (!world.properties.has(address.propertyId)) problem(`address ${address.id}: property missing`);
    if (address.kind === 'vegadresse') {
      const street = address.adressekode === undefined ? undefined : world.streets.get(address.adressekode);
      if (!street || street.adressenavn !== address.adressenavn)
        problem(`address ${address.id}: street mismatch`);
    }
  }
  for (const building of world.buildings.values()) {
    if (index.buildingsByNummer.get(building.bygningsnummer) !== building.id)
      problem(`building ${building.id}: bygningsnummer not indexed`);
    for (const id of building.propertyIds)
      if (!world.properties.has(id)) problem(`building ${building.id}: unit missing`);
    for (const id of building.addressIds)
      if (!world.addresses.has(id)) problem(`building ${building.id}: address missing`);
  }
  for (const holding of world.holdings.values()) {
    if (holding.propertyIds.length === 0) problem(`holding ${holding.id}: no units`);
    for (const id of holding.propertyIds)
      if (!world.properties.has(id)) problem(`holding ${holding.id}: unit missing`);
    if (holding.foretakOrgnr && !world.organisations.has(holding.foretakOrgnr))
      problem(`holding ${holding.id}: foretak missing`);
  }

  // A person protected by a later change still has the address the archive copied before: that
  // is the situation the sync must clean up, not a broken world.
  const protectedLater = new Set(world.changes.filter((c) => c.kind === 'protect').map((c) => c.personId));
  for (const kase of world.cases.values()) {
    if (index.casesBySaksnummer.get(kase.saksnummer) !== kase.systemId)
      problem(`case ${kase.saksnummer}: not indexed`);
    for (const cls of kase.classes) {
      if (cls.system === 'GBNR' && !index.propertiesByKey.has(cls.classId))
        problem(`case ${kase.saksnummer}: GBNR class names no unit`);
      if (cls.system === 'FNR' && !index.peopleByIdentifier.has(cls.classId))
        problem(`case ${kase.saksnummer}: FNR class names no person`);
    }
    const parties = [...kase.parties, ...kase.records.flatMap((r) => r.correspondenceParties)];
    for (const party of parties) {
      if (index.caseByParty.get(party.systemId) !== kase.systemId)
        problem(`case ${kase.saksnummer}: party not indexed`);
      if (party.kind === 'person') {
        const person = party.personId ? world.people.get(party.personId) : undefined;
        if (!person) problem(`case ${kase.saksnummer}: party person missing`);
        else {
          if (party.identifier && index.peopleByIdentifier.get(party.identifier) !== person.id)
            problem(`case ${kase.saksnummer}: party identifier is not the person's`);
          if (
            person.adressebeskyttelse !== 'ugradert' &&
            party.address &&
            !party.stale?.includes('address') &&
            !protectedLater.has(person.id)
          )
            problem(`case ${kase.saksnummer}: a protected person's address was copied into the archive`);
        }
      }
      if (party.kind === 'organisation' && (!party.orgnr || !world.organisations.has(party.orgnr)))
        problem(`case ${kase.saksnummer}: party organisation missing`);
    }
    for (const record of kase.records) {
      if (index.caseByRecord.get(record.systemId) !== kase.systemId)
        problem(`record ${record.systemId}: not indexed`);
    }
  }

  let previous = world.epoch;
  world.changes.forEach((change, i) => {
    if (change.seq !== i + 1) problem(`change ${i}: seq ${change.seq}`);
    if (change.at <= previous) problem(`change ${change.seq}: timestamp does not increase`);
    previous = change.at;
  });
  return problems;
}
