import { addressLine, fullName } from './build.js';
import type {
  World,
  WorldAddress,
  WorldCase,
  WorldOwner,
  WorldPerson,
  WorldPoint,
  WorldProperty,
} from './world.js';

/**
 * Read helpers over a {@link World} for simulators and tests. They only look things up; they never
 * change the world.
 */

/** The person holding an identifier now or earlier (a replaced D-nummer still resolves). */
export function personByIdentifier(world: World, identifier: string): WorldPerson | undefined {
  const id = world.index.peopleByIdentifier.get(identifier);
  return id ? world.people.get(id) : undefined;
}

/** The unit with a key `kkkk-g/b/f/s`, including utgåtte units and keys from before a renumbering. */
export function propertyByKey(world: World, key: string): WorldProperty | undefined {
  const id = world.index.propertiesByKey.get(key);
  return id ? world.properties.get(id) : undefined;
}

/** The case with a saksnummer `YYYY/N`. */
export function caseBySaksnummer(world: World, saksnummer: string): WorldCase | undefined {
  const id = world.index.casesBySaksnummer.get(saksnummer);
  return id ? world.cases.get(id) : undefined;
}

/** The identifier a register shows for an owner now: the person's current number or the orgnr. */
export function ownerIdentifier(world: World, owner: WorldOwner): string | undefined {
  if (owner.kind === 'organisation') return owner.orgnr;
  return owner.personId ? world.people.get(owner.personId)?.fnr : undefined;
}

/** The name a register shows for an owner. */
export function ownerName(world: World, owner: WorldOwner): string | undefined {
  if (owner.kind === 'organisation')
    return owner.orgnr ? world.organisations.get(owner.orgnr)?.name : undefined;
  const person = owner.personId ? world.people.get(owner.personId) : undefined;
  return person ? fullName(person) : undefined;
}

/** Full display name of a person. */
export function personFullName(person: Pick<WorldPerson, 'givenName' | 'middleName' | 'familyName'>): string {
  return fullName(person);
}

/** One-line address text: `Kongens gate 12B` for a vegadresse, `12/3` for a matrikkeladresse. */
export function addressText(world: World, address: WorldAddress): string {
  return addressLine(world, address);
}

/** People registered as living at an address (ground truth, protected people included). */
export function residentsOf(world: World, addressId: string): WorldPerson[] {
  const ids = world.index.residentsByAddress.get(addressId);
  const out: WorldPerson[] = [];
  for (const id of ids ?? []) {
    const p = world.people.get(id);
    if (p) out.push(p);
  }
  return out;
}

/** A map feature (GeoJSON-shaped, EPSG:25833) for a unit's teig; derived, not stored. */
export interface WorldFeature {
  id: string;
  layer: 'teig';
  crs: 'EPSG:25833';
  geometry: { type: 'Polygon'; coordinates: number[][][] };
  properties: Record<string, string | number | boolean | null>;
}

/** The teig of a unit as a map feature (id = the unit key). */
export function propertyFeature(world: World, property: WorldProperty): WorldFeature {
  return {
    id: property.key,
    layer: 'teig',
    crs: 'EPSG:25833',
    geometry: { type: 'Polygon', coordinates: [property.teig.map((p: WorldPoint) => [p.x, p.y])] },
    properties: {
      matrikkelnummer: property.key,
      kommunenummer: property.kommunenummer,
      gardsnummer: property.gardsnummer,
      bruksnummer: property.bruksnummer,
      festenummer: property.festenummer,
      seksjonsnummer: property.seksjonsnummer,
      status: property.status,
      areal: property.area,
      teigId: property.id,
      kommunenavn: world.kommunenavn,
    },
  };
}

/** Counts over a world, for logs, the sandbox and benchmarks. */
export interface WorldSummary {
  kommunenummer: string;
  people: number;
  /** People by status (`bosatt`, `doed`, `utflyttet`, `opphoert`). */
  byStatus: Record<string, number>;
  /** People with any address protection. */
  protected: number;
  /** People whose D-nummer was replaced by an fnr. */
  dnrReplaced: number;
  /** People still on a D-nummer. */
  dnrCurrent: number;
  addresses: number;
  streets: number;
  properties: number;
  /** Units with status `utgaatt`. */
  retiredProperties: number;
  buildings: number;
  organisations: number;
  holdings: number;
  cases: number;
  openCases: number;
  records: number;
  changes: number;
}

/** Count what a world holds (one pass over each map). */
export function summarizeWorld(world: World): WorldSummary {
  const byStatus: Record<string, number> = {};
  let protectedCount = 0;
  let dnrReplaced = 0;
  let dnrCurrent = 0;
  for (const p of world.people.values()) {
    byStatus[p.status] = (byStatus[p.status] ?? 0) + 1;
    if (p.adressebeskyttelse !== 'ugradert') protectedCount++;
    if (p.identifierKind === 'dnr') dnrCurrent++;
    else if (p.identifiers.some((i) => i.kind === 'dnr')) dnrReplaced++;
  }
  let retired = 0;
  for (const p of world.properties.values()) if (p.status === 'utgaatt') retired++;
  let open = 0;
  let records = 0;
  for (const c of world.cases.values()) {
    if (c.open) open++;
    records += c.records.length;
  }
  return {
    kommunenummer: world.kommunenummer,
    people: world.people.size,
    byStatus,
    protected: protectedCount,
    dnrReplaced,
    dnrCurrent,
    addresses: world.addresses.size,
    streets: world.streets.size,
    properties: world.properties.size,
    retiredProperties: retired,
    buildings: world.buildings.size,
    organisations: world.organisations.size,
    holdings: world.holdings.size,
    cases: world.cases.size,
    openCases: open,
    records,
    changes: world.changes.length,
  };
}
