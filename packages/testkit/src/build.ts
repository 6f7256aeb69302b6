/**
 * Internal building blocks shared by the generator and the change functions: registering entities
 * with their indexes, issuing identifiers, allocating streets and house numbers, teig polygons and
 * archive systemIDs. Not exported from the package.
 */
import { individnummerRange, makeSyntheticNumber } from './identifiers.js';
import { hashString, type Random } from './random.js';
import {
  type Locality,
  NAMED_STREETS,
  NARVIK_CENTRE,
  STREET_PREFIXES,
  STREET_QUALIFIERS,
  STREET_SUFFIXES,
} from './names.js';
import type {
  World,
  WorldAddress,
  WorldBuilding,
  WorldCase,
  WorldOwner,
  WorldParty,
  WorldPartyAddress,
  WorldPerson,
  WorldPoint,
  WorldProperty,
  WorldPropertyType,
  WorldStreet,
} from './world.js';

const DAY_MS = 86_400_000;

// Civil-date arithmetic on day numbers (Howard Hinnant's algorithms): the generator handles
// hundreds of thousands of dates, and Date#toISOString was a tenth of its time.
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** ISO date `YYYY-MM-DD` of a time value. */
export function isoDate(ms: number): string {
  const z = Math.floor(ms / DAY_MS) + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** Time value of an ISO date or timestamp. */
export function toMs(iso: string): number {
  if (iso.length !== 10) return Date.parse(iso);
  return daysFromCivil(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10))) * DAY_MS;
}

/** Add days to an ISO date. */
export function addDays(date: string, days: number): string {
  return isoDate(toMs(date) + days * DAY_MS);
}

/** A random ISO date in [from, to] (ISO dates); `from` when the range is empty. */
export function randomDate(random: Random, from: string, to: string): string {
  const a = toMs(from);
  const b = toMs(to);
  if (b <= a) return from;
  return isoDate(a + Math.floor(random.next() * ((b - a) / DAY_MS + 1)) * DAY_MS);
}

/** Known kommune names for the numbers tests use. */
const KOMMUNE_NAMES: Record<string, string> = {
  '1806': 'Narvik',
  '1805': 'Narvik',
  '1854': 'Ballangen',
  '1853': 'Evenes',
  '1852': 'Tjeldsund',
};

/** The name of a kommune number (`Kommune <nr>` when unknown). */
export function kommunenavnFor(kommunenummer: string): string {
  return KOMMUNE_NAMES[kommunenummer] ?? `Kommune ${kommunenummer}`;
}

/** Full matrikkelnummer key `kkkk-g/b/f/s`. */
export function propertyKey(kommunenummer: string, g: number, b: number, f = 0, s = 0): string {
  return flat(`${kommunenummer}-${g}/${b}/${f}/${s}`);
}

/** An empty world with its indexes and counters. */
export function emptyWorld(seed: string, kommunenummer: string, kommunenavn: string, epoch: string): World {
  return {
    seed,
    kommunenummer,
    kommunenavn,
    epoch,
    now: epoch,
    people: new Map(),
    streets: new Map(),
    addresses: new Map(),
    properties: new Map(),
    buildings: new Map(),
    organisations: new Map(),
    holdings: new Map(),
    cases: new Map(),
    index: {
      peopleByIdentifier: new Map(),
      propertiesByKey: new Map(),
      buildingsByNummer: new Map(),
      addressesByStreet: new Map(),
      propertiesByPerson: new Map(),
      propertiesByOrganisation: new Map(),
      residentsByAddress: new Map(),
      casesBySaksnummer: new Map(),
      casesByProperty: new Map(),
      casesByPerson: new Map(),
      caseByRecord: new Map(),
      caseByParty: new Map(),
      holdingByProperty: new Map(),
    },
    changes: [],
    counters: {
      person: 1,
      address: 300_000_001,
      property: 200_000_001,
      building: 400_000_001,
      bygningsnummer: 10_000_001,
      bruksnummer: new Map(),
      caseSequence: new Map(),
      journalSequence: new Map(),
      systemId: 1,
      individnummer: 0,
    },
  };
}

function addToSetIndex<K>(map: Map<K, Set<string>>, key: K, value: string): void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(value);
}

function removeFromSetIndex<K>(map: Map<K, Set<string>>, key: K, value: string): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}

/**
 * Issue an unused synthetic identifier for a birth date and sex (the 9th digit is even for women,
 * odd for men, as in real numbers).
 */
export function issueIdentifier(
  world: World,
  random: Random,
  birthDate: string,
  sex: 'female' | 'male',
  kind: 'fnr' | 'dnr',
): string {
  const ranges = individnummerRange(Number(birthDate.slice(0, 4)));
  const parity = sex === 'female' ? 0 : 1;
  // Start at a random point of the range and walk: collisions are rare, so this is short.
  for (const range of [ranges[Math.floor(random.next() * ranges.length)]!, ...ranges]) {
    const [lo, hi] = range;
    const span = hi - lo + 1;
    const start = Math.floor(random.next() * span);
    for (let i = 0; i < span; i++) {
      const individ = lo + ((start + i) % span);
      if (individ % 2 !== parity) continue;
      const value = makeSyntheticNumber(birthDate, individ, kind);
      if (value && !world.index.peopleByIdentifier.has(value)) return value;
    }
  }
  throw new Error(`no free synthetic ${kind} left for birth date ${birthDate}`);
}

/** Register a new person (and their identifiers and residence) in the world. */
export function registerPerson(world: World, person: WorldPerson): void {
  world.people.set(person.id, person);
  for (const identifier of person.identifiers)
    world.index.peopleByIdentifier.set(identifier.value, person.id);
  if (person.residentialAddressId)
    addToSetIndex(world.index.residentsByAddress, person.residentialAddressId, person.id);
}

/** Move a person's residence (or clear it), keeping `residentsByAddress` in step. */
export function setResidence(world: World, person: WorldPerson, addressId: string | undefined): void {
  if (person.residentialAddressId)
    removeFromSetIndex(world.index.residentsByAddress, person.residentialAddressId, person.id);
  if (addressId) {
    person.residentialAddressId = addressId;
    addToSetIndex(world.index.residentsByAddress, addressId, person.id);
  } else {
    delete person.residentialAddressId;
    delete person.movedInDate;
  }
}

/** Replace a unit's owners, keeping the owner indexes in step. */
export function setOwners(world: World, property: WorldProperty, owners: WorldOwner[]): void {
  for (const owner of property.owners) {
    if (owner.personId) removeFromSetIndex(world.index.propertiesByPerson, owner.personId, property.id);
    if (owner.orgnr) removeFromSetIndex(world.index.propertiesByOrganisation, owner.orgnr, property.id);
  }
  property.owners = owners;
  for (const owner of owners) {
    if (owner.personId) addToSetIndex(world.index.propertiesByPerson, owner.personId, property.id);
    if (owner.orgnr) addToSetIndex(world.index.propertiesByOrganisation, owner.orgnr, property.id);
  }
}

/** Next free bruksnummer under a gardsnummer. */
export function nextBruksnummer(world: World, gardsnummer: number): number {
  const next = world.counters.bruksnummer.get(gardsnummer) ?? 1;
  world.counters.bruksnummer.set(gardsnummer, next + 1);
  return next;
}

// Whole metres: small integers stay unboxed in V8 objects (doubles would each be a heap number).
const roundMetre = (n: number) => Math.round(n);

/** A rectangular teig of about `area` m² centred on a point: a closed counter-clockwise ring. */
export function rectangleTeig(centre: WorldPoint, area: number, aspect: number): WorldPoint[] {
  const w = Math.sqrt(area * aspect);
  const h = area / w;
  return rectangle(centre.x - w / 2, centre.y - h / 2, centre.x + w / 2, centre.y + h / 2);
}

/** A closed counter-clockwise rectangle ring. */
export function rectangle(minX: number, minY: number, maxX: number, maxY: number): WorldPoint[] {
  const a = { x: roundMetre(minX), y: roundMetre(minY) };
  return [
    a,
    { x: roundMetre(maxX), y: roundMetre(minY) },
    { x: roundMetre(maxX), y: roundMetre(maxY) },
    { x: roundMetre(minX), y: roundMetre(maxY) },
    { ...a },
  ];
}

/** Bounding box of a ring. */
export function bbox(ring: readonly WorldPoint[]): [number, number, number, number] {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const p of ring) {
    if (p.x < minX) minX = p.x;
    if (p.y < minY) minY = p.y;
    if (p.x > maxX) maxX = p.x;
    if (p.y > maxY) maxY = p.y;
  }
  return [minX, minY, maxX, maxY];
}

/** Shoelace area of a closed ring, m². */
export function ringArea(ring: readonly WorldPoint[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) sum += ring[i]!.x * ring[i + 1]!.y - ring[i + 1]!.x * ring[i]!.y;
  return Math.abs(sum) / 2;
}

/** A random point within a locality's radius. */
export function pointIn(random: Random, locality: Locality): WorldPoint {
  const angle = random.next() * 2 * Math.PI;
  const dist = Math.sqrt(random.next()) * locality.radius;
  return {
    x: roundMetre(NARVIK_CENTRE.x + locality.dx + Math.cos(angle) * dist),
    y: roundMetre(NARVIK_CENTRE.y + locality.dy + Math.sin(angle) * dist),
  };
}

/** Create and register a unit. */
export function createProperty(
  world: World,
  random: Random,
  o: {
    gardsnummer: number;
    area: number;
    type?: WorldPropertyType;
    farm?: boolean;
    point: WorldPoint;
    at: string;
  },
): WorldProperty {
  const bruksnummer = nextBruksnummer(world, o.gardsnummer);
  const id = String(world.counters.property++);
  const area = Math.round(o.area);
  const property: WorldProperty = {
    id,
    kommunenummer: world.kommunenummer,
    gardsnummer: o.gardsnummer,
    bruksnummer,
    festenummer: 0,
    seksjonsnummer: 0,
    key: propertyKey(world.kommunenummer, o.gardsnummer, bruksnummer),
    type: o.type ?? 'grunneiendom',
    status: 'levende',
    area,
    farm: o.farm ?? false,
    owners: [],
    addressIds: [],
    buildingIds: [],
    point: o.point,
    teig: rectangleTeig(o.point, area, 0.6 + random.next()),
    version: 1,
    updatedAt: o.at,
  };
  world.properties.set(id, property);
  world.index.propertiesByKey.set(property.key, id);
  return property;
}

/** Create and register a building on units. */
export function createBuilding(
  world: World,
  o: {
    properties: WorldProperty[];
    addressIds: string[];
    bygningstype: string;
    status: WorldBuilding['status'];
    builtYear: number;
    point: WorldPoint;
    at: string;
  },
): WorldBuilding {
  const id = String(world.counters.building++);
  const building: WorldBuilding = {
    id,
    bygningsnummer: String(world.counters.bygningsnummer++),
    bygningstype: o.bygningstype,
    status: o.status,
    builtYear: o.builtYear,
    propertyIds: o.properties.map((p) => p.id),
    addressIds: [...o.addressIds],
    point: o.point,
    version: 1,
    updatedAt: o.at,
  };
  world.buildings.set(id, building);
  world.index.buildingsByNummer.set(building.bygningsnummer, id);
  for (const p of o.properties) p.buildingIds.push(id);
  return building;
}

/** Street/house-number allocation per locality, so addresses run along streets. */
export class StreetAllocator {
  private readonly current = new Map<
    string,
    {
      street: WorldStreet;
      next: number;
      max: number;
      x: number;
      y: number;
      dx: number;
      dy: number;
      lastHus: number;
      letter: number;
    }
  >();
  private readonly usedNames = new Set<string>();
  private namedIndex = 0;

  constructor(
    private readonly world: World,
    private readonly random: Random,
  ) {
    for (const s of world.streets.values()) this.usedNames.add(s.adressenavn);
  }

  /** An unused street name. */
  newStreetName(): string {
    while (this.namedIndex < NAMED_STREETS.length) {
      const name = NAMED_STREETS[this.namedIndex++]!;
      if (!this.usedNames.has(name)) {
        this.usedNames.add(name);
        return name;
      }
    }
    for (let attempt = 0; attempt < 200; attempt++) {
      const qualifier = attempt < 40 ? '' : this.random.pick(STREET_QUALIFIERS);
      const name = `${qualifier}${this.random.pick(STREET_PREFIXES)}${this.random.pick(STREET_SUFFIXES)}`;
      if (!this.usedNames.has(name)) {
        this.usedNames.add(name);
        return name;
      }
    }
    const name = `${this.random.pick(STREET_PREFIXES)}${this.random.pick(STREET_SUFFIXES)} ${this.usedNames.size}`;
    this.usedNames.add(name);
    return name;
  }

  /** Mark a name as taken (after a rename). */
  reserve(name: string): void {
    this.usedNames.add(name);
  }

  private openStreet(locality: Locality) {
    const postnummer = this.random.pick(locality.postnummer);
    const adressekode = 1000 + this.world.streets.size + 1;
    const street: WorldStreet = {
      adressekode,
      adressenavn: this.newStreetName(),
      postnummer,
      poststed: locality.poststed,
    };
    this.world.streets.set(adressekode, street);
    this.world.index.addressesByStreet.set(adressekode, []);
    const start = pointIn(this.random, locality);
    const angle = this.random.next() * 2 * Math.PI;
    const slot = {
      street,
      next: 1,
      max: locality.rural ? this.random.int(8, 40) : this.random.int(20, 140),
      x: start.x,
      y: start.y,
      dx: Math.cos(angle),
      dy: Math.sin(angle),
      lastHus: 0,
      letter: 0,
    };
    this.current.set(locality.name, slot);
    return slot;
  }

  /** The next (street, husnummer, bokstav, point) in a locality. */
  allocate(locality: Locality): {
    street: WorldStreet;
    husnummer: number;
    bokstav?: string;
    point: WorldPoint;
  } {
    let slot = this.current.get(locality.name);
    if (slot && slot.lastHus > 0 && slot.letter < 3 && this.random.chance(0.05)) {
      slot.letter++;
      const along = slot.lastHus * 14 + slot.letter * 4;
      const side = slot.lastHus % 2 ? 12 : -12;
      return {
        street: slot.street,
        husnummer: slot.lastHus,
        bokstav: String.fromCharCode(65 + slot.letter),
        point: {
          x: roundMetre(slot.x + slot.dx * along - slot.dy * side),
          y: roundMetre(slot.y + slot.dy * along + slot.dx * side),
        },
      };
    }
    if (!slot || slot.next > slot.max) slot = this.openStreet(locality);
    const husnummer = slot.next++;
    slot.lastHus = husnummer;
    slot.letter = 0;
    const along = husnummer * 14;
    const side = husnummer % 2 ? 12 : -12;
    return {
      street: slot.street,
      husnummer,
      point: {
        x: roundMetre(slot.x + slot.dx * along - slot.dy * side),
        y: roundMetre(slot.y + slot.dy * along + slot.dx * side),
      },
    };
  }
}

/** Create and register an address on a unit. */
export function createAddress(
  world: World,
  property: WorldProperty,
  o:
    | {
        kind: 'vegadresse';
        street: WorldStreet;
        husnummer: number;
        bokstav?: string;
        point: WorldPoint;
        at: string;
      }
    | { kind: 'matrikkeladresse'; locality: Locality; point: WorldPoint; at: string },
): WorldAddress {
  const id = String(world.counters.address++);
  const base = {
    id,
    kommunenummer: world.kommunenummer,
    propertyId: property.id,
    matrikkelnummer: property.key,
    point: o.point,
    version: 1,
    updatedAt: o.at,
  };
  let address: WorldAddress;
  if (o.kind === 'vegadresse') {
    address = {
      ...base,
      kind: 'vegadresse',
      adressekode: o.street.adressekode,
      adressenavn: o.street.adressenavn,
      husnummer: o.husnummer,
      ...(o.bokstav ? { bokstav: o.bokstav } : {}),
      postnummer: o.street.postnummer,
      poststed: o.street.poststed,
    };
    world.index.addressesByStreet.get(o.street.adressekode)?.push(id);
  } else {
    address = {
      ...base,
      kind: 'matrikkeladresse',
      postnummer: o.locality.postnummer[0]!,
      poststed: o.locality.poststed,
    };
    if (property.addressIds.length > 0) address.undernummer = property.addressIds.length + 1;
  }
  world.addresses.set(id, address);
  property.addressIds.push(id);
  return address;
}

const HEX = '0123456789abcdef';

/** murmur3's 32-bit finaliser: a cheap, well-mixed integer hash. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const seedHashes = new WeakMap<World, number>();

/** A deterministic uuid-like archive systemID (`xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx`). */
export function nextSystemId(world: World): string {
  let seedHash = seedHashes.get(world);
  if (seedHash === undefined) {
    seedHash = hashString(world.seed);
    seedHashes.set(world, seedHash);
  }
  const n = world.counters.systemId++;
  const codes: number[] = new Array(36);
  let pos = 0;
  for (let k = 0; k < 4; k++) {
    let word = fmix32((seedHash ^ Math.imul(n, 0x9e3779b1)) + Math.imul(k + 1, 0x7f4a7c15));
    for (let nib = 0; nib < 8; nib++) {
      if (pos === 8 || pos === 13 || pos === 18 || pos === 23) codes[pos++] = 45;
      let digit = word & 15;
      word >>>= 4;
      if (pos === 14) digit = 4;
      else if (pos === 19) digit = 8 | (digit & 3);
      codes[pos++] = HEX.charCodeAt(digit);
    }
  }
  // fromCharCode gives a flat string: template concatenation would keep a rope of parts alive.
  return String.fromCharCode(...codes);
}

/**
 * Flatten a concatenated string. V8 keeps `a + b` as a rope of its parts; reading it as a number
 * flattens it in place and the GC then drops the rope, which matters for 100 000s of names/keys.
 */
export function flat(text: string): string {
  Number(text);
  return text;
}

/** One-line street address for the archive's copy: `Kongens gate 12B` or `12/3`. */
export function addressLine(world: World, address: WorldAddress): string {
  if (address.kind === 'vegadresse')
    return flat(`${address.adressenavn} ${address.husnummer}${address.bokstav ?? ''}`);
  const property = world.properties.get(address.propertyId);
  return property ? `${property.gardsnummer}/${property.bruksnummer}` : address.matrikkelnummer;
}

/** The archive's copy of an address. */
export function partyAddress(world: World, address: WorldAddress): WorldPartyAddress {
  return {
    adresselinje: addressLine(world, address),
    postnummer: address.postnummer,
    poststed: address.poststed,
  };
}

/** Full display name. */
export function fullName(p: Pick<WorldPerson, 'givenName' | 'middleName' | 'familyName'>): string {
  return flat(
    p.middleName ? `${p.givenName} ${p.middleName} ${p.familyName}` : `${p.givenName} ${p.familyName}`,
  );
}

/** Register a case with its indexes (parties, records, GBNR classes). */
export function registerCase(world: World, kase: WorldCase): void {
  world.cases.set(kase.systemId, kase);
  world.index.casesBySaksnummer.set(kase.saksnummer, kase.systemId);
  for (const cls of kase.classes) {
    if (cls.system !== 'GBNR') continue;
    const propertyId = world.index.propertiesByKey.get(cls.classId);
    if (propertyId) addToSetIndex(world.index.casesByProperty, propertyId, kase.systemId);
  }
  for (const party of kase.parties) registerParty(world, kase, party);
  for (const record of kase.records) {
    world.index.caseByRecord.set(record.systemId, kase.systemId);
    for (const party of record.correspondenceParties) registerParty(world, kase, party);
  }
}

/** Index one party of a case. */
export function registerParty(world: World, kase: WorldCase, party: WorldParty): void {
  world.index.caseByParty.set(party.systemId, kase.systemId);
  if (party.personId) addToSetIndex(world.index.casesByPerson, party.personId, kase.systemId);
}

/** Next saksnummer for a year. */
export function nextSaksnummer(world: World, year: number): string {
  const n = world.counters.caseSequence.get(year) ?? 1;
  world.counters.caseSequence.set(year, n + 1);
  return `${year}/${n}`;
}

/** Next journalpostnummer for a year. */
export function nextJournalpostnummer(world: World, year: number): string {
  const n = world.counters.journalSequence.get(year) ?? 1;
  world.counters.journalSequence.set(year, n + 1);
  return `${year}/${n}`;
}
