import {
  StreetAllocator,
  addDays,
  createAddress,
  createBuilding,
  createProperty,
  emptyWorld,
  fullName,
  isoDate,
  issueIdentifier,
  kommunenavnFor,
  nextJournalpostnummer,
  nextSaksnummer,
  nextSystemId,
  partyAddress,
  pointIn,
  randomDate,
  registerCase,
  registerPerson,
  setOwners,
  toMs,
} from './build.js';
import { makeOrgnr } from './identifiers.js';
import {
  BYGGESAK_TITLES,
  EMIGRATION_DESTINATIONS,
  FAMILY_NAMES,
  FEMALE_NAMES,
  FOREIGN_FAMILY_NAMES,
  FOREIGN_GIVEN_NAMES,
  LANDBRUK_TITLES,
  LOCALITIES,
  type Locality,
  MALE_NAMES,
  ORG_PREFIXES,
  ORG_TRADES,
  RECORD_TITLES,
  SOSIAL_TITLES,
} from './names.js';
import { createRandom, type Random } from './random.js';
import type {
  World,
  WorldAddress,
  WorldAdressebeskyttelse,
  WorldCase,
  WorldCaseClass,
  WorldCaseType,
  WorldHolding,
  WorldOrganisation,
  WorldOwner,
  WorldParty,
  WorldPerson,
  WorldPersonIdentifier,
  WorldProperty,
  WorldRecord,
} from './world.js';

/** Options of {@link generateMunicipality}. */
export interface GenerateMunicipalityOptions {
  /** Same seed, same world (deep-equal), on every machine. */
  seed: number | string;
  /** How many people to generate (the other entities scale with it). */
  people: number;
  /** @default '1806' (Narvik) */
  kommunenummer?: string;
  /** @default the name of `kommunenummer` ('Narvik' for 1806, 'Ballangen' for 1854) */
  kommunenavn?: string;
  /** The world's "as of" timestamp; changes come after it. @default '2026-01-01T00:00:00.000Z' */
  epoch?: string;
}

/** Ratios the generator aims at (per person unless said otherwise). Exported for tests and docs. */
export const WORLD_RATIOS = {
  /** Share of adults (20+) dead, among those 40+. */
  deceasedOver40: 0.052,
  /** Share of adults 20–70 emigrated. */
  emigrated20to70: 0.038,
  /** Share of adults whose D-nummer was replaced by an fnr. */
  dnrReplaced: 0.02,
  /** Share of adults still on a D-nummer. */
  dnrCurrent: 0.008,
  /** Share of living residents with address protection. */
  protected: 0.005,
  /** Share of people whose identifier has ceased (opphoert). */
  opphoert: 0.001,
  /** Archive cases per person. */
  casesPerPerson: 0.3,
} as const;

const HOUSEHOLD_SIZES = [1, 2, 3, 4, 5] as const;
const HOUSEHOLD_WEIGHTS = [36, 31, 13, 14, 6] as const;
const LOCALITY_WEIGHTS = LOCALITIES.map((l) => l.weight);

interface Ctx {
  world: World;
  random: Random;
  streets: StreetAllocator;
  epochDate: string;
  /** Organisations by role, for owners and parties. */
  buildersOrgnr: string[];
  companyOrgnr: string[];
  kommuneOrgnr: string;
  orgBase: number;
  orgNames: Set<string>;
  /** Adults (ids) for case parties; transient. */
  adults: string[];
  blocks: Map<string, { addressId: string; left: number }>;
}

/**
 * Generate a consistent synthetic municipality: people in households with homes, units with
 * owners, addresses and buildings, organisations, agricultural holdings and archive cases.
 * Deterministic: the same options give a deep-equal world. About 100 000 people take a few seconds.
 */
export function generateMunicipality(options: GenerateMunicipalityOptions): World {
  const kommunenummer = options.kommunenummer ?? '1806';
  const epoch = new Date(options.epoch ?? '2026-01-01T00:00:00.000Z').toISOString();
  const seed = String(options.seed);
  const world = emptyWorld(seed, kommunenummer, options.kommunenavn ?? kommunenavnFor(kommunenummer), epoch);
  const random = createRandom(seed);
  const ctx: Ctx = {
    world,
    random,
    streets: new StreetAllocator(world, random.fork('streets')),
    epochDate: epoch.slice(0, 10),
    buildersOrgnr: [],
    companyOrgnr: [],
    kommuneOrgnr: '',
    orgBase: 31_000_000 + random.int(0, 900) * 1000,
    orgNames: new Set(),
    adults: [],
    blocks: new Map(),
  };
  const target = Math.max(0, Math.floor(options.people));

  createOrganisations(ctx, target);
  while (world.people.size < target) createHousehold(ctx, target - world.people.size);
  createVacantBuilds(ctx, Math.round(target * 0.013));
  createCases(ctx, Math.round(target * WORLD_RATIOS.casesPerPerson));
  return world;
}

function newOrganisation(ctx: Ctx, name: string, organisasjonsform: string): WorldOrganisation {
  let orgnr: string | null = null;
  while (!orgnr) orgnr = makeOrgnr(ctx.orgBase++);
  let unique = name;
  for (let i = 2; ctx.orgNames.has(unique); i++)
    unique = `${name.replace(/ (AS|BRL|SA)$/, '')} ${i} ${organisasjonsform}`;
  ctx.orgNames.add(unique);
  const org: WorldOrganisation = {
    orgnr,
    name: unique,
    organisasjonsform,
    version: 1,
    updatedAt: ctx.world.epoch,
  };
  ctx.world.organisations.set(orgnr, org);
  return org;
}

/** A commercial unit with an address and a building, owned by the organisation. */
function giveOrganisationPremises(
  ctx: Ctx,
  org: WorldOrganisation,
  locality: Locality,
  bygningstype: string,
): void {
  const { world, random } = ctx;
  const spot = ctx.streets.allocate(locality);
  const property = createProperty(world, random, {
    gardsnummer: random.int(locality.gnr[0], locality.gnr[1]),
    area: random.int(800, 6000),
    point: spot.point,
    at: world.epoch,
  });
  setOwners(world, property, [
    { kind: 'organisation', orgnr: org.orgnr, share: { numerator: 1, denominator: 1 } },
  ]);
  const address = createAddress(world, property, { kind: 'vegadresse', ...spot, at: world.epoch });
  createBuilding(world, {
    properties: [property],
    addressIds: [address.id],
    bygningstype,
    status: 'tattIBruk',
    builtYear: random.int(1950, 2020),
    point: spot.point,
    at: world.epoch,
  });
  org.addressId = address.id;
}

function createOrganisations(ctx: Ctx, people: number): void {
  const { world, random } = ctx;
  const kommune = newOrganisation(ctx, `${world.kommunenavn.toUpperCase()} KOMMUNE`, 'KOMM');
  ctx.kommuneOrgnr = kommune.orgnr;
  giveOrganisationPremises(ctx, kommune, LOCALITIES[0]!, '611');
  // Municipal land: schools, roads, outfields.
  const municipalUnits = Math.max(1, Math.round(people / 500));
  for (let i = 0; i < municipalUnits; i++) {
    const locality = random.weighted(LOCALITIES, LOCALITY_WEIGHTS);
    const property = createProperty(world, random, {
      gardsnummer: random.int(locality.gnr[0], locality.gnr[1]),
      area: random.int(2000, 80_000),
      point: pointIn(random, locality),
      at: world.epoch,
    });
    setOwners(world, property, [
      { kind: 'organisation', orgnr: kommune.orgnr, share: { numerator: 1, denominator: 1 } },
    ]);
  }
  const companies = Math.max(2, Math.round(people / 40));
  for (let i = 0; i < companies; i++) {
    const trade = random.pick(ORG_TRADES);
    const form = random.weighted(['AS', 'ENK', 'SA', 'FLI'], [80, 10, 5, 5]);
    const org = newOrganisation(
      ctx,
      `${random.pick(ORG_PREFIXES)} ${trade} ${form === 'ENK' ? 'v/ eier' : form}`,
      form,
    );
    if (trade === 'Bygg' || trade === 'Eiendom' || trade === 'Snekkeri') ctx.buildersOrgnr.push(org.orgnr);
    else ctx.companyOrgnr.push(org.orgnr);
    if (random.chance(0.6))
      giveOrganisationPremises(
        ctx,
        org,
        LOCALITIES[random.chance(0.7) ? 0 : 5]!,
        random.pick(['311', '321', '319', '219']),
      );
  }
  if (ctx.buildersOrgnr.length === 0)
    ctx.buildersOrgnr.push(newOrganisation(ctx, 'Ofoten Bygg AS', 'AS').orgnr);
}

function adultAge(random: Random): number {
  // Skewed towards working age with a tail to 100.
  return 20 + Math.floor(80 * random.next() ** 1.35);
}

function birthDateFor(ctx: Ctx, age: number): string {
  const epochMs = toMs(ctx.epochDate);
  const days = Math.floor((age + ctx.random.next()) * 365.25);
  const date = isoDate(epochMs - days * 86_400_000 - 86_400_000);
  return date < '1901-01-01' ? '1901-01-01' : date;
}

function createPerson(
  ctx: Ctx,
  o: { age: number; sex: 'female' | 'male'; familyName: string; adult: boolean; addressId?: string },
): WorldPerson {
  const { world, random } = ctx;
  const birthDate = birthDateFor(ctx, o.age);
  const id = `p${world.counters.person++}`;
  const roll = random.next();
  const dnrReplaced = o.adult && roll < WORLD_RATIOS.dnrReplaced;
  const dnrCurrent = o.adult && !dnrReplaced && roll < WORLD_RATIOS.dnrReplaced + WORLD_RATIOS.dnrCurrent;
  const foreign = dnrReplaced || dnrCurrent;
  const givenName = foreign
    ? random.pick(FOREIGN_GIVEN_NAMES[o.sex])
    : random.pick(o.sex === 'female' ? FEMALE_NAMES : MALE_NAMES);
  const familyName = foreign ? random.pick(FOREIGN_FAMILY_NAMES) : o.familyName;
  const identifiers: WorldPersonIdentifier[] = [];
  if (foreign) {
    const issued = randomDate(random, addDays(birthDate, 18 * 366), addDays(ctx.epochDate, -400));
    const dnr = issueIdentifier(world, random, birthDate, o.sex, 'dnr');
    identifiers.push({ value: dnr, kind: 'dnr', validFrom: issued });
    if (dnrReplaced) {
      const replaced = randomDate(random, addDays(issued, 180), addDays(ctx.epochDate, -30));
      identifiers[0]!.validTo = replaced;
      // Register the D-nummer first so the fnr cannot collide with it.
      world.index.peopleByIdentifier.set(dnr, id);
      identifiers.push({
        value: issueIdentifier(world, random, birthDate, o.sex, 'fnr'),
        kind: 'fnr',
        validFrom: replaced,
      });
    }
  } else {
    identifiers.push({
      value: issueIdentifier(world, random, birthDate, o.sex, 'fnr'),
      kind: 'fnr',
      validFrom: birthDate,
    });
  }
  const current = identifiers[identifiers.length - 1]!;
  const person: WorldPerson = {
    id,
    fnr: current.value,
    identifierKind: current.kind,
    identifiers,
    givenName,
    familyName,
    birthDate,
    sex: o.sex,
    status: 'bosatt',
    adressebeskyttelse: 'ugradert',
    version: 1,
    updatedAt: world.epoch,
  };
  if (!foreign && random.chance(0.18)) person.middleName = random.pick(FAMILY_NAMES);
  if (o.addressId) {
    person.residentialAddressId = o.addressId;
    person.movedInDate = randomDate(
      random,
      birthDate > '2000-01-01' ? birthDate : '2000-01-01',
      addDays(ctx.epochDate, -1),
    );
  }
  // Life events, in order of precedence.
  const statusRoll = random.next();
  if (statusRoll < WORLD_RATIOS.opphoert) {
    person.status = 'opphoert';
    delete person.residentialAddressId;
    delete person.movedInDate;
  } else if (o.age >= 40 && random.chance(WORLD_RATIOS.deceasedOver40)) {
    person.status = 'doed';
    person.deathDate = randomDate(random, '2019-01-01', addDays(ctx.epochDate, -1));
    delete person.residentialAddressId;
    delete person.movedInDate;
  } else if (o.adult && o.age <= 70 && random.chance(WORLD_RATIOS.emigrated20to70)) {
    person.status = 'utflyttet';
    const adultFrom = addDays(birthDate, 18 * 366);
    person.emigrationDate = randomDate(
      random,
      adultFrom > '2015-01-01' ? adultFrom : '2015-01-01',
      addDays(ctx.epochDate, -1),
    );
    const dest = random.pick(EMIGRATION_DESTINATIONS);
    person.postalAddress = {
      kind: 'utenlandsk',
      lines: [`${random.int(1, 200)} ${random.pick(STREETS_ABROAD)}`, dest.city],
      landkode: dest.landkode,
    };
    delete person.residentialAddressId;
    delete person.movedInDate;
  } else if (person.residentialAddressId && random.chance(WORLD_RATIOS.protected)) {
    person.adressebeskyttelse = random.weighted<WorldAdressebeskyttelse>(
      ['fortrolig', 'strengtFortrolig', 'strengtFortroligUtland'],
      [70, 25, 5],
    );
  } else if (person.residentialAddressId && o.adult && random.chance(0.01)) {
    person.postalAddress = {
      kind: 'postboks',
      lines: [`Postboks ${random.int(1, 999)}`],
      postnummer: '8501',
      poststed: 'NARVIK',
    };
  }
  registerPerson(world, person);
  if (o.adult && person.status === 'bosatt') ctx.adults.push(id);
  return person;
}

const STREETS_ABROAD = [
  'Main Street',
  'Storgatan',
  'Calle Mayor',
  'Hauptstraße',
  'ulica Długa',
  'Vestergade',
] as const;

function newHome(
  ctx: Ctx,
  locality: Locality,
  farm: boolean,
): { property: WorldProperty; address: WorldAddress } {
  const { world, random } = ctx;
  const spot = ctx.streets.allocate(locality);
  const property = createProperty(world, random, {
    gardsnummer: random.int(locality.gnr[0], locality.gnr[1]),
    area: farm ? random.int(20_000, 400_000) : random.int(450, 1600),
    farm,
    point: spot.point,
    at: world.epoch,
  });
  const address =
    locality.rural && random.chance(farm ? 0.4 : 0.08)
      ? createAddress(world, property, {
          kind: 'matrikkeladresse',
          locality,
          point: spot.point,
          at: world.epoch,
        })
      : createAddress(world, property, { kind: 'vegadresse', ...spot, at: world.epoch });
  const type = farm ? '111' : random.weighted(['111', '112', '121', '131'], [78, 8, 10, 4]);
  createBuilding(world, {
    properties: [property],
    addressIds: [address.id],
    bygningstype: type,
    status: random.chance(0.7) ? 'tattIBruk' : 'ferdigattest',
    builtYear: random.int(1920, 2023),
    point: spot.point,
    at: world.epoch,
  });
  if (farm) {
    createBuilding(world, {
      properties: [property],
      addressIds: [],
      bygningstype: random.pick(['241', '249', '248']),
      status: 'tattIBruk',
      builtYear: random.int(1920, 2015),
      point: { x: spot.point.x + 30, y: spot.point.y + 20 },
      at: world.epoch,
    });
  }
  return { property, address };
}

/** An address in a block of flats owned by a housing cooperative (borettslag). */
function blockAddress(ctx: Ctx, locality: Locality): string {
  const { world, random } = ctx;
  const block = ctx.blocks.get(locality.name);
  if (block && block.left > 0) {
    block.left--;
    return block.addressId;
  }
  const org = newOrganisation(
    ctx,
    `${random.pick(ORG_PREFIXES)}${random.pick(['tunet', 'gløtt', 'høgda', 'parken', 'lia'])} Borettslag`,
    'BRL',
  );
  const spot = ctx.streets.allocate(locality);
  const property = createProperty(world, random, {
    gardsnummer: random.int(locality.gnr[0], locality.gnr[1]),
    area: random.int(2000, 8000),
    point: spot.point,
    at: world.epoch,
  });
  setOwners(world, property, [
    { kind: 'organisation', orgnr: org.orgnr, share: { numerator: 1, denominator: 1 } },
  ]);
  const address = createAddress(world, property, { kind: 'vegadresse', ...spot, at: world.epoch });
  org.addressId = address.id;
  createBuilding(world, {
    properties: [property],
    addressIds: [address.id],
    bygningstype: random.pick(['141', '142', '143']),
    status: 'tattIBruk',
    builtYear: random.int(1955, 2022),
    point: spot.point,
    at: world.epoch,
  });
  ctx.blocks.set(locality.name, { addressId: address.id, left: random.int(3, 11) });
  return address.id;
}

function createHousehold(ctx: Ctx, remaining: number): void {
  const { world, random } = ctx;
  const size = Math.min(remaining, random.weighted(HOUSEHOLD_SIZES, HOUSEHOLD_WEIGHTS));
  const locality = random.weighted(LOCALITIES, LOCALITY_WEIGHTS);
  const farm = locality.rural && size >= 2 && random.chance(0.1);
  const inBlock = !farm && !locality.rural && random.chance(0.18);
  let home: { property: WorldProperty; address: WorldAddress } | undefined;
  let addressId: string;
  if (inBlock) addressId = blockAddress(ctx, locality);
  else {
    home = newHome(ctx, locality, farm);
    addressId = home.address.id;
  }

  const familyName = random.pick(FAMILY_NAMES);
  const members: WorldPerson[] = [];
  const couple = size >= 3 || (size === 2 && random.chance(0.7));
  const firstAge =
    size === 1 ? adultAge(random) : 22 + Math.floor(random.next() ** 1.2 * (size > 2 ? 30 : 70));
  const firstSex = random.chance(0.5) ? 'female' : 'male';
  members.push(createPerson(ctx, { age: firstAge, sex: firstSex, familyName, adult: true, addressId }));
  if (couple) {
    const partnerAge = Math.max(20, firstAge + random.int(-5, 5));
    const partnerSex = random.chance(0.95) ? (firstSex === 'female' ? 'male' : 'female') : firstSex;
    members.push(
      createPerson(ctx, {
        age: partnerAge,
        sex: partnerSex,
        familyName: random.chance(0.6) ? familyName : random.pick(FAMILY_NAMES),
        adult: true,
        addressId,
      }),
    );
  }
  while (members.length < size) {
    const maxChildAge = Math.max(0, Math.min(19, firstAge - 20));
    members.push(
      createPerson(ctx, {
        age: random.int(0, maxChildAge),
        sex: random.chance(0.5) ? 'female' : 'male',
        familyName,
        adult: false,
        addressId,
      }),
    );
  }

  if (!home) return;
  const owners = members.slice(0, couple ? 2 : 1);
  setOwners(
    world,
    home.property,
    owners.map((p) => ({
      kind: 'person',
      personId: p.id,
      share: { numerator: 1, denominator: owners.length },
    })),
  );
  if (farm) createHolding(ctx, locality, home.property, members[0]!);
  // Holiday homes (hytter) in the countryside.
  if (random.chance(0.06)) {
    const rural = random.pick(LOCALITIES.filter((l) => l.rural));
    const spot = ctx.streets.allocate(rural);
    const cabin = createProperty(world, random, {
      gardsnummer: random.int(rural.gnr[0], rural.gnr[1]),
      area: random.int(600, 2500),
      type: random.chance(0.15) ? 'festegrunn' : 'grunneiendom',
      point: spot.point,
      at: world.epoch,
    });
    setOwners(world, cabin, [
      { kind: 'person', personId: members[0]!.id, share: { numerator: 1, denominator: 1 } },
    ]);
    const address = createAddress(world, cabin, { kind: 'vegadresse', ...spot, at: world.epoch });
    createBuilding(world, {
      properties: [cabin],
      addressIds: [address.id],
      bygningstype: '161',
      status: 'tattIBruk',
      builtYear: random.int(1950, 2023),
      point: spot.point,
      at: world.epoch,
    });
  }
}

function createHolding(ctx: Ctx, locality: Locality, main: WorldProperty, operator: WorldPerson): void {
  const { world, random } = ctx;
  const propertyIds = [main.id];
  const extra = random.int(0, 2);
  for (let i = 0; i < extra; i++) {
    // Outfields and forest on the same gardsnummer, without an address.
    const unit = createProperty(world, random, {
      gardsnummer: main.gardsnummer,
      area: random.int(50_000, 900_000),
      farm: true,
      point: pointIn(random, locality),
      at: world.epoch,
    });
    setOwners(
      world,
      unit,
      main.owners.map((o) => ({ ...o, share: { ...o.share } })),
    );
    propertyIds.push(unit.id);
  }
  let foretakOrgnr: string | undefined;
  if (random.chance(0.55)) {
    const org = newOrganisation(
      ctx,
      `${fullName(operator)} ${random.pick(['Gårdsbruk', 'Landbruk', 'Gård'])}`,
      'ENK',
    );
    org.addressId = main.addressIds[0];
    foretakOrgnr = org.orgnr;
  }
  const n = world.holdings.size + 1;
  const holding: WorldHolding = {
    id: `h${n}`,
    produsentnummer: `${world.kommunenummer}${String(n).padStart(6, '0')}`,
    ...(foretakOrgnr ? { foretakOrgnr } : {}),
    operatorPersonId: operator.id,
    propertyIds,
    areas: [
      { kind: 'fulldyrka', daa: random.int(20, 600) },
      { kind: 'innmarksbeite', daa: random.int(0, 200) },
      { kind: 'skog', daa: random.int(0, 3000) },
    ],
    version: 1,
    updatedAt: world.epoch,
  };
  world.holdings.set(holding.id, holding);
  for (const id of propertyIds) world.index.holdingByProperty.set(id, holding.id);
}

/** New builds with an address but nobody living there yet: targets for `move`. */
function createVacantBuilds(ctx: Ctx, count: number): void {
  const { world, random } = ctx;
  for (let i = 0; i < count; i++) {
    const locality = random.weighted(LOCALITIES, LOCALITY_WEIGHTS);
    const spot = ctx.streets.allocate(locality);
    const property = createProperty(world, random, {
      gardsnummer: random.int(locality.gnr[0], locality.gnr[1]),
      area: random.int(500, 1200),
      point: spot.point,
      at: world.epoch,
    });
    setOwners(world, property, [
      {
        kind: 'organisation',
        orgnr: random.pick(ctx.buildersOrgnr),
        share: { numerator: 1, denominator: 1 },
      },
    ]);
    const address = createAddress(world, property, { kind: 'vegadresse', ...spot, at: world.epoch });
    createBuilding(world, {
      properties: [property],
      addressIds: [address.id],
      bygningstype: random.pick(['111', '121']),
      status: random.pick(['rammetillatelse', 'igangsettingstillatelse', 'ferdigattest'] as const),
      builtYear: 2025,
      point: spot.point,
      at: world.epoch,
    });
  }
}

/** The archive's copy of a person as a party, as of `date` (stale on purpose now and then). */
export function personParty(
  ctx: { world: World; random: Random },
  person: WorldPerson,
  role: string,
  date: string,
): WorldParty {
  const { world, random } = ctx;
  const party: WorldParty = {
    systemId: nextSystemId(world),
    kind: 'person',
    personId: person.id,
    name: fullName(person),
    role,
    version: 1,
  };
  const stale: NonNullable<WorldParty['stale']> = [];
  // The identifier the person had on that date: a replaced D-nummer when the case is older.
  const heldThen =
    person.identifiers.find((i) => i.validFrom <= date && (!i.validTo || i.validTo > date)) ??
    person.identifiers[person.identifiers.length - 1]!;
  if (!random.chance(0.03)) {
    party.identifier = heldThen.value;
    if (heldThen.value !== person.fnr) stale.push('identifier');
  }
  if (random.chance(0.01)) {
    party.name = `${person.givenName} ${random.pick(FAMILY_NAMES)}`;
    if (party.name !== fullName(person)) stale.push('name');
  }
  // Never copy a protected person's address into the archive.
  if (person.adressebeskyttelse === 'ugradert') {
    const home = person.residentialAddressId ? world.addresses.get(person.residentialAddressId) : undefined;
    if (home && !random.chance(0.08)) party.address = partyAddress(world, home);
    else if (home || person.status === 'utflyttet' || random.chance(0.5)) {
      // An old address: some other address in the kommune.
      const other = world.addresses.get(
        String(300_000_001 + Math.floor(random.next() * (world.counters.address - 300_000_001))),
      );
      if (other && other.id !== person.residentialAddressId) {
        party.address = partyAddress(world, other);
        stale.push('address');
      }
    }
  }
  if (stale.length) party.stale = stale;
  return party;
}

/** The archive's copy of an organisation as a party. */
export function organisationParty(world: World, org: WorldOrganisation, role: string): WorldParty {
  const party: WorldParty = {
    systemId: nextSystemId(world),
    kind: 'organisation',
    orgnr: org.orgnr,
    identifier: org.orgnr,
    name: org.name,
    role,
    version: 1,
  };
  const address = org.addressId ? world.addresses.get(org.addressId) : undefined;
  if (address) party.address = partyAddress(world, address);
  return party;
}

function ownerParty(ctx: Ctx, owner: WorldOwner, role: string, date: string): WorldParty | undefined {
  if (owner.personId) {
    const person = ctx.world.people.get(owner.personId);
    return person ? personParty(ctx, person, role, date) : undefined;
  }
  const org = owner.orgnr ? ctx.world.organisations.get(owner.orgnr) : undefined;
  return org ? organisationParty(ctx.world, org, role) : undefined;
}

/** A record on a case; correspondence parties are copies of the case's parties. */
export function makeRecord(
  ctx: { world: World; random: Random },
  kase: Pick<WorldCase, 'parties' | 'open'>,
  date: string,
  o: { last: boolean; at: string },
): WorldRecord {
  const { world, random } = ctx;
  const type = random.weighted(['I', 'U', 'N', 'X'] as const, [45, 40, 10, 5]);
  const journalstatus = !kase.open
    ? random.weighted(['A', 'J', 'E'] as const, [60, 30, 10])
    : o.last && random.chance(0.35)
      ? random.pick(['M', 'S', 'F'] as const)
      : random.weighted(['J', 'E'] as const, [60, 40]);
  const correspondenceParties: WorldParty[] = [];
  const first = kase.parties[0];
  if ((type === 'I' || type === 'U') && first) {
    correspondenceParties.push({
      ...first,
      ...(first.address ? { address: { ...first.address } } : {}),
      ...(first.stale ? { stale: [...first.stale] } : {}),
      systemId: nextSystemId(world),
      role: type === 'I' ? 'Avsender' : 'Mottaker',
    });
  }
  return {
    systemId: nextSystemId(world),
    journalpostnummer: nextJournalpostnummer(world, Number(date.slice(0, 4))),
    title: random.pick(RECORD_TITLES[type]),
    journalposttype: type,
    journalstatus,
    journalDate: date,
    correspondenceParties,
    version: 1,
    updatedAt: o.at,
  };
}

function createCases(ctx: Ctx, count: number): void {
  const { world, random } = ctx;
  if (count === 0) return;
  // Transient id lists for random picks; dropped when generation ends.
  const ownedProperties: string[] = [];
  for (const p of world.properties.values()) if (p.owners.length > 0 && !p.farm) ownedProperties.push(p.id);
  const holdings = [...world.holdings.keys()];
  const adults = ctx.adults;
  for (let i = 0; i < count; i++) {
    const caseType = random.weighted<WorldCaseType>(
      ['byggesak', 'landbruk', 'sosial'],
      [55, holdings.length ? 10 : 0, adults.length ? 35 : 0],
    );
    const year = caseType === 'sosial' ? random.int(2018, 2025) : random.int(2012, 2025);
    const createdDate = randomDate(
      random,
      `${year}-01-01`,
      year === 2025 ? addDays(ctx.epochDate, -20) : `${year}-12-20`,
    );
    const open = year >= 2024 ? random.chance(0.6) : random.chance(0.04);
    const classes: WorldCaseClass[] = [];
    const parties: WorldParty[] = [];
    let title: string;
    if (caseType === 'byggesak' && ownedProperties.length) {
      const property = world.properties.get(random.pick(ownedProperties))!;
      title = `${random.pick(BYGGESAK_TITLES)} - ${property.gardsnummer}/${property.bruksnummer}`;
      classes.push({
        system: 'GBNR',
        classId: property.key,
        systemId: nextSystemId(world),
        title: `${property.gardsnummer}/${property.bruksnummer}`,
      });
      classes.push({ system: 'ARKNOKKEL', classId: 'L42', systemId: nextSystemId(world) });
      property.owners.forEach((owner, n) => {
        const party = ownerParty(ctx, owner, n === 0 ? 'Tiltakshaver' : 'Hjemmelshaver', createdDate);
        if (party) parties.push(party);
      });
      if (random.chance(0.5)) {
        const builder = world.organisations.get(random.pick(ctx.buildersOrgnr));
        if (builder) parties.push(organisationParty(world, builder, 'Ansvarlig søker'));
      }
    } else if (caseType === 'landbruk' && holdings.length) {
      const holding = world.holdings.get(random.pick(holdings))!;
      const main = world.properties.get(holding.propertyIds[0]!)!;
      title = `${random.pick(LANDBRUK_TITLES)} - ${main.gardsnummer}/${main.bruksnummer}`;
      for (const id of holding.propertyIds.slice(0, random.int(1, holding.propertyIds.length))) {
        const p = world.properties.get(id)!;
        classes.push({
          system: 'GBNR',
          classId: p.key,
          systemId: nextSystemId(world),
          title: `${p.gardsnummer}/${p.bruksnummer}`,
        });
      }
      classes.push({ system: 'ARKNOKKEL', classId: 'V60', systemId: nextSystemId(world) });
      const operator = holding.operatorPersonId ? world.people.get(holding.operatorPersonId) : undefined;
      if (operator) parties.push(personParty(ctx, operator, 'Søker', createdDate));
      const foretak = holding.foretakOrgnr ? world.organisations.get(holding.foretakOrgnr) : undefined;
      if (foretak) parties.push(organisationParty(world, foretak, 'Foretak'));
    } else {
      if (adults.length === 0) continue;
      const person = world.people.get(random.pick(adults))!;
      const party = personParty(ctx, person, 'Part', createdDate);
      parties.push(party);
      title = random.pick(SOSIAL_TITLES);
      // The FNR class holds the identifier the archive knew (could be a replaced D-nummer).
      classes.push({ system: 'FNR', classId: party.identifier ?? person.fnr, systemId: nextSystemId(world) });
      classes.push({ system: 'ARKNOKKEL', classId: 'F00', systemId: nextSystemId(world) });
    }
    const kase: WorldCase = {
      systemId: nextSystemId(world),
      saksnummer: nextSaksnummer(world, year),
      title,
      caseType: classes[0]?.system === 'FNR' ? 'sosial' : caseType,
      status: open ? (random.chance(0.9) ? 'B' : 'R') : random.chance(0.95) ? 'A' : 'F',
      open,
      createdDate,
      classes,
      parties,
      records: [],
      version: 1,
      updatedAt: world.epoch,
    };
    const recordCount = random.int(1, 6);
    let date = createdDate;
    for (let r = 0; r < recordCount; r++) {
      kase.records.push(makeRecord(ctx, kase, date, { last: r === recordCount - 1, at: world.epoch }));
      const nextDate = addDays(date, random.int(1, 60));
      date = nextDate < ctx.epochDate ? nextDate : date;
    }
    registerCase(world, kase);
  }
}
