/**
 * The synthetic municipality's data types. A {@link World} is plain data held once: every entity
 * lives in exactly one `Map` keyed by its stable internal id, and `index` holds secondary lookups
 * (by identifier, by key, by owner, …) that {@link generateMunicipality} and {@link applyChanges}
 * keep in step. The world is the registers' *truth*: protected people have a real residential
 * address here, and it is the adapters' job to hide it. Simulators read the live world, so
 * changes applied after a simulator started are visible through it at once.
 *
 * Conventions: ids are strings (numeric strings for Matrikkelen's internal ids, uuid-like strings
 * for the archive's systemIDs); dates are ISO `YYYY-MM-DD`; timestamps ISO 8601 UTC; coordinates
 * EPSG:25833 (UTM 33N, metres east/north); every entity carries a `version` that starts at 1 and
 * is incremented whenever a change touches it.
 */

/** Person status as Folkeregisteret codes it (normalised). */
export type WorldPersonStatus = 'bosatt' | 'utflyttet' | 'doed' | 'opphoert';

/** Adressebeskyttelse level. Anything but `ugradert` is protected and must never leave the register. */
export type WorldAdressebeskyttelse =
  | 'ugradert'
  | 'fortrolig'
  | 'strengtFortrolig'
  | 'strengtFortroligUtland';

/** One identifier a person has had. A D-nummer replaced by an fnr keeps `validTo`. */
export interface WorldPersonIdentifier {
  /** 11 digits, synthetic (Tenor-style: birth month + 80; D-nummer also day + 40). */
  value: string;
  kind: 'fnr' | 'dnr';
  /** ISO date the identifier was issued. */
  validFrom: string;
  /** ISO date the identifier was replaced (absent for the current one). */
  validTo?: string;
}

/** A postal address that is not a Matrikkelen address (foreign, post box, free text). */
export interface WorldPostalAddress {
  kind: 'postboks' | 'utenlandsk' | 'fritekst';
  /** Address lines, without postnummer/poststed. */
  lines: string[];
  postnummer?: string;
  poststed?: string;
  /** ISO 3166 alpha-2 country code for a foreign address. */
  landkode?: string;
}

/** A person in the population register. */
export interface WorldPerson {
  /** Stable internal id (`p1`, `p2`, …); never changes, unlike `fnr`. */
  id: string;
  /** The current identifier: an fnr, or a D-nummer until one is issued (see `identifierKind`). */
  fnr: string;
  /** Kind of the current identifier. */
  identifierKind: 'fnr' | 'dnr';
  /** Every identifier the person has had, oldest first; the last one is `fnr`. */
  identifiers: WorldPersonIdentifier[];
  givenName: string;
  middleName?: string;
  familyName: string;
  /** ISO date. */
  birthDate: string;
  sex: 'female' | 'male';
  status: WorldPersonStatus;
  /** ISO date, set when `status` is `doed`. */
  deathDate?: string;
  /** ISO date, set when `status` is `utflyttet`. */
  emigrationDate?: string;
  adressebeskyttelse: WorldAdressebeskyttelse;
  /**
   * Id of the person's residential address in `world.addresses`. Protected people HAVE one: the
   * world is the register's truth. Absent for emigrated, dead and opphørt people.
   */
  residentialAddressId?: string;
  /** ISO date the person moved to `residentialAddressId`. */
  movedInDate?: string;
  /** A separate postal address (post box, or abroad for emigrated people). */
  postalAddress?: WorldPostalAddress;
  /** Incremented on every change to the person. @default 1 */
  version: number;
  /** Timestamp of the last change (the world's epoch for untouched people). */
  updatedAt: string;
}

/** A street (adressenavn + adressekode) in the kommune. */
export interface WorldStreet {
  /** Adressekode: the street's code within the kommune. */
  adressekode: number;
  adressenavn: string;
  postnummer: string;
  poststed: string;
}

/** An official address from Matrikkelen. */
export interface WorldAddress {
  /** Matrikkelen's internal address id (numeric string). */
  id: string;
  kind: 'vegadresse' | 'matrikkeladresse';
  kommunenummer: string;
  /** Street code (vegadresse only). */
  adressekode?: number;
  /** Street name (vegadresse only). */
  adressenavn?: string;
  /** House number (vegadresse only). */
  husnummer?: number;
  /** House letter, e.g. `B` (vegadresse only, some). */
  bokstav?: string;
  /** Undernummer for a matrikkeladresse with several addresses on one unit. */
  undernummer?: number;
  postnummer: string;
  poststed: string;
  /** Internal id of the unit the address lies on. */
  propertyId: string;
  /** Full key of that unit, `kkkk-g/b/f/s` (kept in step with the unit). */
  matrikkelnummer: string;
  /** Representation point, EPSG:25833. */
  point: WorldPoint;
  version: number;
  updatedAt: string;
}

/** An EPSG:25833 point (x = east, y = north, metres). */
export interface WorldPoint {
  x: number;
  y: number;
}

/** A fraction, e.g. 1/2. */
export interface WorldShare {
  numerator: number;
  denominator: number;
}

/**
 * An owner (hjemmelshaver) of a unit. Person owners point at `world.people` by internal id, so
 * the identifier a register shows is the person's current one; organisation owners by orgnr.
 */
export interface WorldOwner {
  kind: 'person' | 'organisation';
  /** Set for `person`. */
  personId?: string;
  /** Set for `organisation`. */
  orgnr?: string;
  share: WorldShare;
}

/** Matrikkelenhet type. */
export type WorldPropertyType = 'grunneiendom' | 'festegrunn' | 'seksjon' | 'anleggseiendom' | 'jordsameie';

/** A matrikkelenhet (cadastral unit). */
export interface WorldProperty {
  /** Matrikkelen's internal id (numeric string); stable across renumbering. */
  id: string;
  kommunenummer: string;
  gardsnummer: number;
  bruksnummer: number;
  festenummer: number;
  seksjonsnummer: number;
  /** Full text key `kkkk-g/b/f/s`, e.g. `1806-12/3/0/0`. */
  key: string;
  type: WorldPropertyType;
  status: 'levende' | 'utgaatt';
  /** Keys of the units that replaced this one (split/merge). */
  successors?: string[];
  /** Keys of the units this one came from (split/merge). */
  predecessors?: string[];
  /** Area in square metres. */
  area: number;
  /** True for agricultural units (larger areas, part of a holding). */
  farm: boolean;
  owners: WorldOwner[];
  addressIds: string[];
  buildingIds: string[];
  /** Representation point, EPSG:25833. */
  point: WorldPoint;
  /** The teig: a closed ring (first point repeated last), EPSG:25833, counter-clockwise. */
  teig: WorldPoint[];
  version: number;
  updatedAt: string;
}

/** Building status (simplified Matrikkelen codes). */
export type WorldBuildingStatus =
  | 'rammetillatelse'
  | 'igangsettingstillatelse'
  | 'tattIBruk'
  | 'ferdigattest'
  | 'revet';

/** A building. */
export interface WorldBuilding {
  /** Matrikkelen's internal id (numeric string). */
  id: string;
  /** Bygningsnummer (digits, up to 9). */
  bygningsnummer: string;
  /** NS 3457 bygningstype code, e.g. `111` enebolig. */
  bygningstype: string;
  status: WorldBuildingStatus;
  /** Year built. */
  builtYear: number;
  propertyIds: string[];
  addressIds: string[];
  point: WorldPoint;
  version: number;
  updatedAt: string;
}

/** An organisation (Enhetsregisteret). */
export interface WorldOrganisation {
  /** 9 digits, valid mod-11 (synthetic range). */
  orgnr: string;
  name: string;
  /** Organisasjonsform code: AS, ENK, KOMM, SA, FLI, … */
  organisasjonsform: string;
  addressId?: string;
  version: number;
  updatedAt: string;
}

/** An agricultural holding (landbrukseiendom + driftsenhet). */
export interface WorldHolding {
  id: string;
  /** 10 digits: kommunenummer + 6 digits. */
  produsentnummer: string;
  /** The operating company, when it is not a sole proprietorship without orgnr. */
  foretakOrgnr?: string;
  /** The person who runs it. */
  operatorPersonId?: string;
  /** Farm units, main unit first. */
  propertyIds: string[];
  /** Areas in dekar by kind (`fulldyrka`, `overflatedyrka`, `innmarksbeite`, `skog`). */
  areas: { kind: string; daa: number }[];
  version: number;
  updatedAt: string;
}

/** Archive case type. */
export type WorldCaseType = 'byggesak' | 'landbruk' | 'sosial';

/** A class on a case. */
export interface WorldCaseClass {
  /** `GBNR` (classId = full matrikkelnummer key), `FNR` (classId = fnr), `ARKNOKKEL`. */
  system: 'GBNR' | 'FNR' | 'ARKNOKKEL';
  classId: string;
  /** The archive's systemID of the class. */
  systemId: string;
  title?: string;
}

/** The archive's own copy of a party's address (may be stale on purpose). */
export interface WorldPartyAddress {
  adresselinje: string;
  postnummer: string;
  poststed: string;
}

/**
 * A party (sakspart or korrespondansepart). The archive holds its OWN copy of name, identifier and
 * address, as a real archive does: mostly current, some stale on purpose. `personId`/`orgnr` is
 * the ground truth link for tests; the archive itself does not know it.
 */
export interface WorldParty {
  /** The archive's systemID. */
  systemId: string;
  kind: 'person' | 'organisation' | 'unknown';
  /** Ground truth: the person this party is (not visible to the archive). */
  personId?: string;
  /** Ground truth: the organisation this party is. */
  orgnr?: string;
  /**
   * The identifier the archive holds (fnr/D-nummer or orgnr). About 3 % of person parties have
   * none; a few hold a replaced D-nummer (`stale` includes `identifier`).
   */
  identifier?: string;
  /** The name as the archive holds it. */
  name: string;
  address?: WorldPartyAddress;
  /** Role code: `Tiltakshaver`, `Hjemmelshaver`, `Søker`, `Part`, `Avsender`, `Mottaker`, … */
  role: string;
  /** Which copied fields are out of date on purpose (ground truth for tests). */
  stale?: ('address' | 'identifier' | 'name')[];
  version: number;
}

/** A journalpost. */
export interface WorldRecord {
  /** The archive's systemID. */
  systemId: string;
  /** `YYYY/N`. */
  journalpostnummer: string;
  title: string;
  /** I (inngående), U (utgående), N (notat), X (notat uten oppfølging). */
  journalposttype: 'I' | 'U' | 'N' | 'X';
  /**
   * Noark 5 journalstatus code: M midlertidig, S registrert av saksbehandler, F ferdigstilt,
   * J journalført, E ekspedert, A arkivert. J/E/A are frozen.
   */
  journalstatus: 'M' | 'S' | 'F' | 'J' | 'E' | 'A';
  /** ISO date. */
  journalDate: string;
  correspondenceParties: WorldParty[];
  version: number;
  updatedAt: string;
}

/** A saksmappe. */
export interface WorldCase {
  /** The archive's systemID (uuid-like, deterministic). */
  systemId: string;
  /** `YYYY/N`. */
  saksnummer: string;
  title: string;
  caseType: WorldCaseType;
  /** Noark 5 saksstatus code: R opprettet, B under behandling, F ferdig, A avsluttet. */
  status: 'R' | 'B' | 'F' | 'A';
  /** False once `status` is `A`. */
  open: boolean;
  /** ISO date the case was opened. */
  createdDate: string;
  classes: WorldCaseClass[];
  parties: WorldParty[];
  records: WorldRecord[];
  version: number;
  updatedAt: string;
}

/** Kinds of change {@link applyChanges} can make. */
export type ChangeKind =
  /** A person gets a new residential address. */
  | 'move'
  /** A person dies (status `doed`, deathDate). */
  | 'death'
  /** A person changes family name. */
  | 'rename'
  /** A person emigrates (status `utflyttet`, foreign postal address, no residential address). */
  | 'emigration'
  /** A person's D-nummer is replaced by an fnr (the old one stays resolvable). */
  | 'dnr_to_fnr'
  /** A person becomes `fortrolig` (address protection). */
  | 'protect'
  /** A unit's owners change. */
  | 'ownership'
  /** A unit becomes `utgaatt` with two successors; GBNR classes still point at the dead unit. */
  | 'split'
  /** Two units of one gardsnummer merge into a new one; both become `utgaatt`. */
  | 'merge'
  /** A street is renamed: every address with that adressekode. */
  | 'address_rename'
  /** The whole kommune is renumbered ({@link renumberKommune}); never picked at random. */
  | 'renumber'
  /** A person is born into the kommune (new identifier, a parent's address). */
  | 'birth'
  /** A new journalpost on an open case. */
  | 'case_record'
  /** An open case is closed (status `A`). */
  | 'case_close';

/** Values before or after a change (only the fields the change touched). */
export interface WorldChangeDetail {
  fnr?: string;
  identifierKind?: 'fnr' | 'dnr';
  familyName?: string;
  status?: string;
  adressebeskyttelse?: WorldAdressebeskyttelse;
  residentialAddressId?: string;
  /** Unit keys (split/merge/renumber). */
  keys?: string[];
  owners?: WorldOwner[];
  adressenavn?: string;
  adressekode?: number;
  kommunenummer?: string;
  /** Date the change took effect in the register (ISO date). */
  date?: string;
  recordSystemId?: string;
}

/** One entry in the world's change log. */
export interface WorldChange {
  /** 1, 2, 3, … across the world's life. */
  seq: number;
  /** ISO timestamp, strictly increasing after the world's epoch. */
  at: string;
  kind: ChangeKind;
  /** The person changed (person kinds). */
  personId?: string;
  /** Every unit touched: for split the old unit then its successors; for merge the two old units then the new one. */
  propertyIds?: string[];
  /** Every address touched (move: the new address; address_rename: all addresses on the street). */
  addressIds?: string[];
  /** Cases touched (case kinds; split/merge: the cases whose GBNR class now names a dead unit). */
  caseIds?: string[];
  /** Organisations touched. */
  orgnrs?: string[];
  before?: WorldChangeDetail;
  after?: WorldChangeDetail;
}

/** Secondary lookups, maintained by the generator and the change functions. */
export interface WorldIndexes {
  /** Every identifier ever issued (including replaced D-nummer) → person id. */
  peopleByIdentifier: Map<string, string>;
  /** Every unit key ever used (including utgåtte and pre-renumbering keys) → property id. */
  propertiesByKey: Map<string, string>;
  /** Bygningsnummer → building id. */
  buildingsByNummer: Map<string, string>;
  /** Adressekode → address ids on that street. */
  addressesByStreet: Map<number, string[]>;
  /** Person id → ids of the units they own a share of. */
  propertiesByPerson: Map<string, Set<string>>;
  /** Orgnr → ids of the units the organisation owns a share of. */
  propertiesByOrganisation: Map<string, Set<string>>;
  /** Address id → ids of the people registered as living there. */
  residentsByAddress: Map<string, Set<string>>;
  /** Saksnummer → case systemId. */
  casesBySaksnummer: Map<string, string>;
  /** Property id → systemIds of cases with a GBNR class naming it (under any of its keys). */
  casesByProperty: Map<string, Set<string>>;
  /** Person id → systemIds of cases where they are a party (ground truth). */
  casesByPerson: Map<string, Set<string>>;
  /** Journalpost systemId → case systemId. */
  caseByRecord: Map<string, string>;
  /** Party systemId (case or record party) → case systemId. */
  caseByParty: Map<string, string>;
  /** Property id → holding id (farm units). */
  holdingByProperty: Map<string, string>;
}

/** A whole synthetic municipality. */
export interface World {
  /** The seed as given (numbers are turned into strings). */
  seed: string;
  kommunenummer: string;
  kommunenavn: string;
  /** ISO timestamp the world is "as of" before any change (`2026-01-01T00:00:00.000Z`). */
  epoch: string;
  /** Timestamp of the latest change (the epoch before any). */
  now: string;
  people: Map<string, WorldPerson>;
  streets: Map<number, WorldStreet>;
  addresses: Map<string, WorldAddress>;
  properties: Map<string, WorldProperty>;
  buildings: Map<string, WorldBuilding>;
  organisations: Map<string, WorldOrganisation>;
  holdings: Map<string, WorldHolding>;
  cases: Map<string, WorldCase>;
  index: WorldIndexes;
  /** The change log, `seq` 1, 2, … in order. */
  changes: WorldChange[];
  /** Counters for ids handed out after generation (kept in the world so changes stay deterministic). */
  counters: WorldCounters;
}

/** Next free numbers for new ids. */
export interface WorldCounters {
  person: number;
  address: number;
  property: number;
  building: number;
  bygningsnummer: number;
  /** Next bruksnummer per gardsnummer. */
  bruksnummer: Map<number, number>;
  caseSequence: Map<number, number>;
  journalSequence: Map<number, number>;
  /** Next archive systemID serial. */
  systemId: number;
  /** Reserved; identifiers are drawn at random within the birth year's individnummer range. */
  individnummer: number;
}
