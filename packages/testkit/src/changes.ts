import {
  StreetAllocator,
  bbox,
  createProperty,
  issueIdentifier,
  kommunenavnFor,
  propertyKey,
  rectangle,
  registerParty,
  registerPerson,
  setOwners,
  setResidence,
  toMs,
} from './build.js';
import { makeRecord } from './generate.js';
import { FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES } from './names.js';
import { createRandom, type Random } from './random.js';
import type { ChangeKind, World, WorldChange, WorldPerson, WorldProperty } from './world.js';

/** Options of {@link applyChanges}. */
export interface ApplyChangesOptions {
  /** Seed for this batch (combined with the world's seed and change count). @default 'changes' */
  seed?: number | string;
  /** How many changes to make. Fewer are made only when no kind asked for has a candidate left. */
  count: number;
  /** Kinds to pick from. @default every kind except `renumber` */
  kinds?: readonly ChangeKind[];
  /**
   * Pick the people a change is about (moved, renamed, dead, …) only among these internal ids,
   * e.g. the parties of open cases, so that a small batch reaches the archive. @default everyone
   */
  personIds?: readonly string[];
  /**
   * Pick the units a change is about (split, merged, sold) only among these internal ids, e.g. the
   * units in open cases' GBNR classes. @default every unit
   */
  propertyIds?: readonly string[];
  /** Seconds between two changes' timestamps, uniform in `[min, max]`. @default [30, 3600] */
  stepSeconds?: readonly [number, number];
}

/** Every kind {@link applyChanges} picks at random, with its relative weight. */
export const CHANGE_WEIGHTS: Readonly<Record<Exclude<ChangeKind, 'renumber'>, number>> = {
  move: 30,
  death: 8,
  rename: 6,
  emigration: 5,
  dnr_to_fnr: 3,
  protect: 2,
  ownership: 12,
  split: 4,
  merge: 3,
  address_rename: 2,
  birth: 8,
  case_record: 12,
  case_close: 5,
};

interface ChangeCtx {
  world: World;
  random: Random;
  /** Transient id lists for random picks (built lazily, dropped after the call). */
  personIds?: string[];
  propertyIds?: string[];
  caseIds?: string[];
  addressIds?: string[];
  byGardsnummer?: Map<number, string[]>;
  /** People changes may be about (ApplyChangesOptions.personIds). */
  focus?: readonly string[];
  /** Units changes may be about (ApplyChangesOptions.propertyIds). */
  focusProperties?: readonly string[];
}

type Applier = (ctx: ChangeCtx, at: string) => Omit<WorldChange, 'seq' | 'at' | 'kind'> | undefined;

const TRIES = 60;

function pickPerson(ctx: ChangeCtx, ok: (p: WorldPerson) => boolean): WorldPerson | undefined {
  ctx.personIds ??= ctx.focus
    ? ctx.focus.filter((id) => ctx.world.people.has(id))
    : [...ctx.world.people.keys()];
  const ids = ctx.personIds;
  if (ids.length === 0) return undefined;
  for (let i = 0; i < TRIES; i++) {
    const p = ctx.world.people.get(ctx.random.pick(ids));
    if (p && ok(p)) return p;
  }
  // Rare candidates (e.g. D-nummer holders): scan from a random start so the pick stays seeded.
  const start = ctx.random.int(0, ids.length - 1);
  for (let i = 0; i < ids.length; i++) {
    const p = ctx.world.people.get(ids[(start + i) % ids.length]!);
    if (p && ok(p)) return p;
  }
  return undefined;
}

function pickProperty(ctx: ChangeCtx, ok: (p: WorldProperty) => boolean): WorldProperty | undefined {
  ctx.propertyIds ??= ctx.focusProperties
    ? ctx.focusProperties.filter((id) => ctx.world.properties.has(id))
    : [...ctx.world.properties.keys()];
  const ids = ctx.propertyIds;
  if (ids.length === 0) return undefined;
  for (let i = 0; i < TRIES; i++) {
    const p = ctx.world.properties.get(ctx.random.pick(ids));
    if (p && ok(p)) return p;
  }
  return undefined;
}

const adult = (p: WorldPerson, at: string) => toMs(at) - toMs(p.birthDate) > 18 * 365.25 * 86_400_000;
const living = (p: WorldPerson) => p.status === 'bosatt';

function touchPerson(p: WorldPerson, at: string) {
  p.version++;
  p.updatedAt = at;
}

function touchProperty(p: WorldProperty, at: string) {
  p.version++;
  p.updatedAt = at;
}

const appliers: Record<Exclude<ChangeKind, 'renumber'>, Applier> = {
  move(ctx, at) {
    const person = pickPerson(ctx, living);
    if (!person) return undefined;
    ctx.addressIds ??= [...ctx.world.addresses.keys()];
    let target: string | undefined;
    for (let i = 0; i < TRIES && !target; i++) {
      const id = ctx.random.pick(ctx.addressIds);
      if (id !== person.residentialAddressId && ctx.world.addresses.has(id)) target = id;
    }
    if (!target) return undefined;
    const before = person.residentialAddressId;
    setResidence(ctx.world, person, target);
    person.movedInDate = at.slice(0, 10);
    touchPerson(person, at);
    return {
      personId: person.id,
      addressIds: [target],
      before: before ? { residentialAddressId: before } : {},
      after: { residentialAddressId: target, date: person.movedInDate },
    };
  },
  death(ctx, at) {
    const person = pickPerson(ctx, (p) => living(p) && adult(p, at));
    if (!person) return undefined;
    const before = {
      status: person.status,
      ...(person.residentialAddressId ? { residentialAddressId: person.residentialAddressId } : {}),
    };
    person.status = 'doed';
    person.deathDate = at.slice(0, 10);
    setResidence(ctx.world, person, undefined);
    touchPerson(person, at);
    return { personId: person.id, before, after: { status: 'doed', date: person.deathDate } };
  },
  rename(ctx, at) {
    const person = pickPerson(ctx, (p) => living(p) && adult(p, at));
    if (!person) return undefined;
    const before = person.familyName;
    let name = before;
    while (name === before) name = ctx.random.pick(FAMILY_NAMES);
    person.familyName = name;
    touchPerson(person, at);
    return {
      personId: person.id,
      before: { familyName: before },
      after: { familyName: name, date: at.slice(0, 10) },
    };
  },
  emigration(ctx, at) {
    const person = pickPerson(ctx, (p) => living(p) && adult(p, at) && p.adressebeskyttelse === 'ugradert');
    if (!person) return undefined;
    const before = {
      status: person.status,
      ...(person.residentialAddressId ? { residentialAddressId: person.residentialAddressId } : {}),
    };
    person.status = 'utflyttet';
    person.emigrationDate = at.slice(0, 10);
    person.postalAddress = {
      kind: 'utenlandsk',
      lines: [`${ctx.random.int(1, 99)} Storgatan`, '981 31 Kiruna'],
      landkode: 'SE',
    };
    setResidence(ctx.world, person, undefined);
    touchPerson(person, at);
    return { personId: person.id, before, after: { status: 'utflyttet', date: person.emigrationDate } };
  },
  dnr_to_fnr(ctx, at) {
    const person = pickPerson(ctx, (p) => p.identifierKind === 'dnr' && p.status !== 'opphoert');
    if (!person) return undefined;
    const date = at.slice(0, 10);
    const old = person.fnr;
    const fnr = issueIdentifier(ctx.world, ctx.random, person.birthDate, person.sex, 'fnr');
    const current = person.identifiers[person.identifiers.length - 1]!;
    current.validTo = date;
    person.identifiers.push({ value: fnr, kind: 'fnr', validFrom: date });
    person.fnr = fnr;
    person.identifierKind = 'fnr';
    ctx.world.index.peopleByIdentifier.set(fnr, person.id);
    touchPerson(person, at);
    return {
      personId: person.id,
      before: { fnr: old, identifierKind: 'dnr' },
      after: { fnr, identifierKind: 'fnr', date },
    };
  },
  protect(ctx, at) {
    const person = pickPerson(
      ctx,
      (p) => living(p) && p.adressebeskyttelse === 'ugradert' && !!p.residentialAddressId,
    );
    if (!person) return undefined;
    person.adressebeskyttelse = 'fortrolig';
    touchPerson(person, at);
    return {
      personId: person.id,
      before: { adressebeskyttelse: 'ugradert' },
      after: { adressebeskyttelse: 'fortrolig', date: at.slice(0, 10) },
    };
  },
  ownership(ctx, at) {
    const property = pickProperty(
      ctx,
      (p) => p.status === 'levende' && p.owners.some((o) => o.kind === 'person'),
    );
    if (!property) return undefined;
    const buyer = pickPerson(
      ctx,
      (p) => living(p) && adult(p, at) && !property.owners.some((o) => o.personId === p.id),
    );
    if (!buyer) return undefined;
    const before = property.owners.map((o) => ({ ...o, share: { ...o.share } }));
    const coBuyer = ctx.random.chance(0.4)
      ? pickPerson(
          ctx,
          (p) =>
            living(p) &&
            adult(p, at) &&
            p.id !== buyer.id &&
            !property.owners.some((o) => o.personId === p.id),
        )
      : undefined;
    const buyers = coBuyer ? [buyer, coBuyer] : [buyer];
    setOwners(
      ctx.world,
      property,
      buyers.map((p) => ({
        kind: 'person',
        personId: p.id,
        share: { numerator: 1, denominator: buyers.length },
      })),
    );
    touchProperty(property, at);
    return {
      propertyIds: [property.id],
      before: { owners: before },
      after: { owners: property.owners.map((o) => ({ ...o, share: { ...o.share } })), date: at.slice(0, 10) },
    };
  },
  split(ctx, at) {
    const old = pickProperty(
      ctx,
      (p) => p.status === 'levende' && p.type === 'grunneiendom' && p.area >= 400 && p.owners.length > 0,
    );
    if (!old) return undefined;
    const { world } = ctx;
    const [minX, minY, maxX, maxY] = bbox(old.teig);
    const midX = Math.round((minX + maxX) / 2);
    const halves = [rectangle(minX, minY, midX, maxY), rectangle(midX, minY, maxX, maxY)];
    const successors = halves.map((teig, i) => {
      const [a, b, c, d] = bbox(teig);
      const unit = createProperty(world, ctx.random, {
        gardsnummer: old.gardsnummer,
        area: old.area / 2,
        farm: old.farm,
        point: { x: Math.round((a + c) / 2), y: Math.round((b + d) / 2) },
        at,
      });
      unit.teig = teig;
      unit.predecessors = [old.key];
      setOwners(
        world,
        unit,
        old.owners.map((o) => ({ ...o, share: { ...o.share } })),
      );
      // The first successor keeps the addresses and buildings.
      if (i === 0) moveContents(world, old, unit, at);
      return unit;
    });
    retire(
      world,
      old,
      successors.map((s) => s.key),
      at,
    );
    const caseIds = [...(world.index.casesByProperty.get(old.id) ?? [])];
    return {
      propertyIds: [old.id, ...successors.map((s) => s.id)],
      addressIds: [...successors[0]!.addressIds],
      ...(caseIds.length ? { caseIds } : {}),
      before: { keys: [old.key] },
      after: { keys: successors.map((s) => s.key), date: at.slice(0, 10) },
    };
  },
  merge(ctx, at) {
    const { world } = ctx;
    if (!ctx.byGardsnummer) {
      ctx.byGardsnummer = new Map();
      for (const p of world.properties.values()) {
        const list = ctx.byGardsnummer.get(p.gardsnummer);
        if (list) list.push(p.id);
        else ctx.byGardsnummer.set(p.gardsnummer, [p.id]);
      }
    }
    const mergeable = (p: WorldProperty | undefined): p is WorldProperty =>
      !!p && p.status === 'levende' && p.type === 'grunneiendom' && p.owners.length > 0 && !p.farm;
    const ownerKey = (p: WorldProperty) =>
      p.owners
        .map((o) => o.personId ?? o.orgnr)
        .sort()
        .join(',');
    let pair: [WorldProperty, WorldProperty] | undefined;
    for (let i = 0; i < 5 && !pair; i++) {
      const a = pickProperty(ctx, mergeable);
      if (!a) return undefined;
      const neighbours = (ctx.byGardsnummer.get(a.gardsnummer) ?? [])
        .map((id) => world.properties.get(id))
        .filter((b): b is WorldProperty => mergeable(b) && b.id !== a.id);
      if (neighbours.length === 0) continue;
      // A real sammenslåing needs the same owners: prefer such a neighbour, else the owners of
      // `a` buy one first (recorded in the change's before/after owners).
      const b = neighbours.find((n) => ownerKey(n) === ownerKey(a)) ?? ctx.random.pick(neighbours);
      pair = [a, b];
    }
    if (!pair) return undefined;
    const [a, b] = pair;
    const ownersBefore = b.owners.map((o) => ({ ...o, share: { ...o.share } }));
    const ba = bbox(a.teig);
    const bb = bbox(b.teig);
    const teig = rectangle(
      Math.min(ba[0], bb[0]),
      Math.min(ba[1], bb[1]),
      Math.max(ba[2], bb[2]),
      Math.max(ba[3], bb[3]),
    );
    const merged = createProperty(world, ctx.random, {
      gardsnummer: a.gardsnummer,
      area: a.area + b.area,
      farm: a.farm || b.farm,
      point: a.point,
      at,
    });
    merged.teig = teig;
    merged.predecessors = [a.key, b.key];
    setOwners(
      world,
      merged,
      a.owners.map((o) => ({ ...o, share: { ...o.share } })),
    );
    moveContents(world, a, merged, at);
    moveContents(world, b, merged, at);
    retire(world, a, [merged.key], at);
    retire(world, b, [merged.key], at);
    const caseIds = [
      ...new Set([
        ...(world.index.casesByProperty.get(a.id) ?? []),
        ...(world.index.casesByProperty.get(b.id) ?? []),
      ]),
    ];
    return {
      propertyIds: [a.id, b.id, merged.id],
      addressIds: [...merged.addressIds],
      ...(caseIds.length ? { caseIds } : {}),
      before: { keys: [a.key, b.key], owners: ownersBefore },
      after: {
        keys: [merged.key],
        owners: merged.owners.map((o) => ({ ...o, share: { ...o.share } })),
        date: at.slice(0, 10),
      },
    };
  },
  address_rename(ctx, at) {
    const { world } = ctx;
    const codes = [...world.streets.keys()];
    if (codes.length === 0) return undefined;
    const street = world.streets.get(ctx.random.pick(codes))!;
    const allocator = new StreetAllocator(world, ctx.random);
    const before = street.adressenavn;
    const name = allocator.newStreetName();
    street.adressenavn = name;
    const addressIds = [...(world.index.addressesByStreet.get(street.adressekode) ?? [])];
    for (const id of addressIds) {
      const address = world.addresses.get(id);
      if (!address) continue;
      address.adressenavn = name;
      address.version++;
      address.updatedAt = at;
    }
    return {
      addressIds,
      before: { adressenavn: before, adressekode: street.adressekode },
      after: { adressenavn: name, adressekode: street.adressekode, date: at.slice(0, 10) },
    };
  },
  birth(ctx, at) {
    const parent = pickPerson(
      ctx,
      (p) =>
        living(p) &&
        p.sex === 'female' &&
        !!p.residentialAddressId &&
        adult(p, at) &&
        toMs(at) - toMs(p.birthDate) < 45 * 365.25 * 86_400_000,
    );
    if (!parent?.residentialAddressId) return undefined;
    const { world, random } = ctx;
    const birthDate = at.slice(0, 10);
    const sex = random.chance(0.5) ? 'female' : 'male';
    const fnr = issueIdentifier(world, random, birthDate, sex, 'fnr');
    const child: WorldPerson = {
      id: `p${world.counters.person++}`,
      fnr,
      identifierKind: 'fnr',
      identifiers: [{ value: fnr, kind: 'fnr', validFrom: birthDate }],
      givenName: random.pick(sex === 'female' ? FEMALE_NAMES : MALE_NAMES),
      familyName: parent.familyName,
      birthDate,
      sex,
      status: 'bosatt',
      // A child of a protected parent lives at the same secret address: protect it too.
      adressebeskyttelse: parent.adressebeskyttelse,
      residentialAddressId: parent.residentialAddressId,
      movedInDate: birthDate,
      version: 1,
      updatedAt: at,
    };
    registerPerson(world, child);
    ctx.personIds?.push(child.id);
    return {
      personId: child.id,
      addressIds: [parent.residentialAddressId],
      after: { fnr, status: 'bosatt', date: birthDate },
    };
  },
  case_record(ctx, at) {
    const kase = pickCase(ctx, (c) => c.open);
    if (!kase) return undefined;
    const date = at.slice(0, 10);
    const record = makeRecord(ctx, kase, date, { last: true, at });
    kase.records.push(record);
    ctx.world.index.caseByRecord.set(record.systemId, kase.systemId);
    for (const party of record.correspondenceParties) registerParty(ctx.world, kase, party);
    kase.version++;
    kase.updatedAt = at;
    return { caseIds: [kase.systemId], after: { recordSystemId: record.systemId, date } };
  },
  case_close(ctx, at) {
    const kase = pickCase(ctx, (c) => c.open);
    if (!kase) return undefined;
    const before = kase.status;
    kase.status = 'A';
    kase.open = false;
    for (const record of kase.records) {
      if (record.journalstatus === 'M' || record.journalstatus === 'S' || record.journalstatus === 'F') {
        record.journalstatus = 'J';
        record.version++;
        record.updatedAt = at;
      }
    }
    kase.version++;
    kase.updatedAt = at;
    return {
      caseIds: [kase.systemId],
      before: { status: before },
      after: { status: 'A', date: at.slice(0, 10) },
    };
  },
};

function pickCase(ctx: ChangeCtx, ok: (c: NonNullable<ReturnType<World['cases']['get']>>) => boolean) {
  ctx.caseIds ??= [...ctx.world.cases.keys()];
  if (ctx.caseIds.length === 0) return undefined;
  for (let i = 0; i < TRIES; i++) {
    const c = ctx.world.cases.get(ctx.random.pick(ctx.caseIds));
    if (c && ok(c)) return c;
  }
  return undefined;
}

/** Move addresses and buildings from one unit to another. */
function moveContents(world: World, from: WorldProperty, to: WorldProperty, at: string): void {
  for (const id of from.addressIds) {
    const address = world.addresses.get(id);
    if (!address) continue;
    address.propertyId = to.id;
    address.matrikkelnummer = to.key;
    address.version++;
    address.updatedAt = at;
    to.addressIds.push(id);
  }
  for (const id of from.buildingIds) {
    const building = world.buildings.get(id);
    if (!building) continue;
    building.propertyIds = building.propertyIds.map((p) => (p === from.id ? to.id : p));
    building.version++;
    building.updatedAt = at;
    to.buildingIds.push(id);
  }
  from.addressIds = [];
  from.buildingIds = [];
  const holdingId = world.index.holdingByProperty.get(from.id);
  const holding = holdingId ? world.holdings.get(holdingId) : undefined;
  if (holding) {
    holding.propertyIds = [...new Set(holding.propertyIds.map((p) => (p === from.id ? to.id : p)))];
    holding.version++;
    holding.updatedAt = at;
    world.index.holdingByProperty.set(to.id, holding.id);
    world.index.holdingByProperty.delete(from.id);
  }
}

/** Mark a unit utgått with its successors; it keeps no owners. */
function retire(world: World, unit: WorldProperty, successors: string[], at: string): void {
  unit.status = 'utgaatt';
  unit.successors = successors;
  setOwners(world, unit, []);
  unit.version++;
  unit.updatedAt = at;
}

/**
 * Apply random changes to a live world: mutates it, bumps the touched entities' versions, appends
 * to `world.changes` and returns the new entries. Deterministic for the same world and seed.
 * Timestamps increase from `world.now` by 30 s – 1 h each (`stepSeconds`).
 */
export function applyChanges(world: World, options: ApplyChangesOptions): WorldChange[] {
  const seed = `${world.seed}/${String(options.seed ?? 'changes')}/${world.changes.length}`;
  const random = createRandom(seed);
  const kinds = (options.kinds ?? (Object.keys(CHANGE_WEIGHTS) as (keyof typeof CHANGE_WEIGHTS)[])).filter(
    (k): k is keyof typeof CHANGE_WEIGHTS => k !== 'renumber',
  );
  const ctx: ChangeCtx = {
    world,
    random,
    ...(options.personIds ? { focus: options.personIds } : {}),
    ...(options.propertyIds ? { focusProperties: options.propertyIds } : {}),
  };
  const [minStep, maxStep] = options.stepSeconds ?? [30, 3600];
  const made: WorldChange[] = [];
  // A kind that fails several times in a row has no candidates left (e.g. no D-nummer holders).
  const failures = new Map<ChangeKind, number>();
  const exhausted = new Set<ChangeKind>();
  while (made.length < options.count && exhausted.size < kinds.length) {
    const open = kinds.filter((k) => !exhausted.has(k));
    const kind = random.weighted(
      open,
      open.map((k) => CHANGE_WEIGHTS[k]),
    );
    const at = new Date(toMs(world.now) + random.int(minStep, maxStep) * 1000).toISOString();
    const effect = appliers[kind](ctx, at);
    if (!effect) {
      const failed = (failures.get(kind) ?? 0) + 1;
      failures.set(kind, failed);
      if (failed >= 3) exhausted.add(kind);
      continue;
    }
    failures.delete(kind);
    const change: WorldChange = { seq: world.changes.length + 1, at, kind, ...effect };
    world.changes.push(change);
    world.now = at;
    made.push(change);
  }
  return made;
}

/**
 * Renumber the kommune, as when 1854 Ballangen became part of 1806 Narvik: every unit and address
 * with kommunenummer `from` gets `to` (new keys; the old keys stay resolvable through
 * `index.propertiesByKey`), produsentnummer keep their old prefix (as they do in reality), and the
 * archive's GBNR classes keep the OLD keys — that is what the sync must cope with. Appends one
 * `renumber` change listing every unit touched.
 */
export function renumberKommune(
  world: World,
  from: string,
  to: string,
  options: { kommunenavn?: string } = {},
): WorldChange {
  const at = new Date(toMs(world.now) + 1000).toISOString();
  const propertyIds: string[] = [];
  for (const property of world.properties.values()) {
    if (property.kommunenummer !== from) continue;
    property.kommunenummer = to;
    property.key = propertyKey(
      to,
      property.gardsnummer,
      property.bruksnummer,
      property.festenummer,
      property.seksjonsnummer,
    );
    if (property.successors)
      property.successors = property.successors.map((k) => k.replace(`${from}-`, `${to}-`));
    if (property.predecessors)
      property.predecessors = property.predecessors.map((k) => k.replace(`${from}-`, `${to}-`));
    world.index.propertiesByKey.set(property.key, property.id);
    property.version++;
    property.updatedAt = at;
    propertyIds.push(property.id);
  }
  for (const address of world.addresses.values()) {
    if (address.kommunenummer !== from) continue;
    address.kommunenummer = to;
    const unit = world.properties.get(address.propertyId);
    if (unit) address.matrikkelnummer = unit.key;
    address.version++;
    address.updatedAt = at;
  }
  if (world.kommunenummer === from) {
    world.kommunenummer = to;
    world.kommunenavn = options.kommunenavn ?? kommunenavnFor(to);
  }
  const change: WorldChange = {
    seq: world.changes.length + 1,
    at,
    kind: 'renumber',
    propertyIds,
    before: { kommunenummer: from },
    after: { kommunenummer: to, date: at.slice(0, 10) },
  };
  world.changes.push(change);
  world.now = at;
  return change;
}
