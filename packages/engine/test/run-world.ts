import {
  type Adapter,
  type Address,
  type ArchiveRecord,
  type ApplyResult,
  type Case,
  type ChangePage,
  ConflictError,
  type Owner,
  type Party,
  type Person,
  type PersonNames,
  type Property,
  RegisterbroError,
  type ScanPage,
  collectPages,
  maskFodselsnummer,
  quarantine,
  unsupported,
} from '@registerbro/model';
import {
  type World,
  type WorldAddress,
  type WorldCase,
  type WorldParty,
  type WorldPerson,
  type WorldProperty,
  type WorldRecord,
  personByIdentifier,
  personFullName,
  propertyByKey,
  residentsOf,
} from '@registerbro/testkit';
import { type ArchiveOperation, type TenantStore, addressesEqual, namesEqual } from '../src/index.js';

/**
 * In-memory registers over a testkit world, for the runner's tests. Folkeregisteret and Matrikkelen
 * read the live world (as the simulators do); the archive holds its OWN copy of the world's cases
 * (the target the engine writes) and logs every write with its idempotency key.
 */

const fetchedAt = '2026-11-25T00:00:00.000Z';

export function toAddress(a: WorldAddress): Address {
  const sources = [{ system: 'matrikkel', id: a.id, fetchedAt }];
  if (a.kind === 'vegadresse') {
    return {
      kind: 'vegadresse',
      adresseId: a.id,
      kommunenummer: a.kommunenummer,
      ...(a.adressekode === undefined ? {} : { adressekode: String(a.adressekode) }),
      ...(a.adressenavn === undefined ? {} : { adressenavn: a.adressenavn }),
      ...(a.husnummer === undefined ? {} : { husnummer: a.husnummer }),
      ...(a.bokstav === undefined ? {} : { bokstav: a.bokstav }),
      postnummer: a.postnummer,
      poststed: a.poststed,
      sources,
    };
  }
  return {
    kind: 'matrikkeladresse',
    adresseId: a.id,
    kommunenummer: a.kommunenummer,
    matrikkelnummer: a.matrikkelnummer,
    ...(a.undernummer === undefined ? {} : { undernummer: a.undernummer }),
    postnummer: a.postnummer,
    poststed: a.poststed,
    sources,
  };
}

/** WorldPerson → Person: a protected person carries no address (the model enforces it). */
export function toPerson(world: World, p: WorldPerson): Person {
  const open = p.adressebeskyttelse === 'ugradert';
  const residence = p.residentialAddressId ? world.addresses.get(p.residentialAddressId) : undefined;
  return {
    fodselsnummer: p.fnr,
    identifierKind: p.identifierKind,
    identifiers: p.identifiers.map((i) => ({
      value: i.value,
      kind: i.kind,
      synthetic: true,
      current: i.value === p.fnr,
      validFrom: i.validFrom,
      ...(i.validTo ? { validTo: i.validTo } : {}),
    })),
    givenName: p.givenName,
    ...(p.middleName ? { middleName: p.middleName } : {}),
    familyName: p.familyName,
    birthDate: p.birthDate,
    status: p.status,
    ...(p.deathDate ? { deathDate: p.deathDate } : {}),
    ...(p.emigrationDate ? { emigrationDate: p.emigrationDate } : {}),
    adressebeskyttelse: p.adressebeskyttelse,
    ...(open && residence ? { residentialAddress: toAddress(residence) } : {}),
    ...(open && p.postalAddress
      ? {
          postalAddress: {
            kind: p.postalAddress.kind,
            adresselinjer: [...p.postalAddress.lines],
            ...(p.postalAddress.postnummer ? { postnummer: p.postalAddress.postnummer } : {}),
            ...(p.postalAddress.poststed ? { poststed: p.postalAddress.poststed } : {}),
            ...(p.postalAddress.landkode ? { landkode: p.postalAddress.landkode } : {}),
          },
        }
      : {}),
    kommunenummer: world.kommunenummer,
    sources: [{ system: 'folkeregister', id: p.id, version: String(p.version), fetchedAt }],
  };
}

export function toProperty(world: World, p: WorldProperty): Property {
  return {
    matrikkelnummer: p.key,
    kommunenummer: p.kommunenummer,
    type: p.type,
    status: p.status,
    ...(p.successors ? { successors: [...p.successors] } : {}),
    area: p.area,
    owners: p.owners.flatMap((o): Owner[] => {
      if (o.kind === 'organisation' && o.orgnr) {
        const org = world.organisations.get(o.orgnr);
        return [
          {
            kind: 'organisation' as const,
            identifier: o.orgnr,
            ...(org ? { name: org.name } : {}),
            share: { ...o.share },
          },
        ];
      }
      const person = o.personId ? world.people.get(o.personId) : undefined;
      return person
        ? [
            {
              kind: 'person' as const,
              identifier: person.fnr,
              name: personFullName(person),
              share: { ...o.share },
            },
          ]
        : [];
    }),
    addresses: p.addressIds.flatMap((id) => {
      const a = world.addresses.get(id);
      return a ? [toAddress(a)] : [];
    }),
    buildings: p.buildingIds.flatMap((id) => {
      const b = world.buildings.get(id);
      return b ? [b.bygningsnummer] : [];
    }),
    representationPoint: { crs: 'EPSG:25833', x: p.point.x, y: p.point.y },
    sources: [{ system: 'matrikkel', id: p.id, version: String(p.version), fetchedAt }],
  };
}

function toParty(p: WorldParty): Party {
  return {
    systemId: p.systemId,
    kind: p.kind,
    ...(p.identifier ? { identifier: p.identifier } : {}),
    name: p.name,
    role: p.role,
    ...(p.address
      ? {
          address: {
            kind: 'fritekst',
            adresselinjer: [p.address.adresselinje],
            postnummer: p.address.postnummer,
            poststed: p.address.poststed,
          },
        }
      : {}),
    version: String(p.version),
  };
}

export function toRecord(c: WorldCase, r: WorldRecord): ArchiveRecord {
  return {
    systemId: r.systemId,
    caseSystemId: c.systemId,
    journalpostnummer: r.journalpostnummer,
    title: r.title,
    journalposttype: r.journalposttype,
    journalstatus: r.journalstatus,
    frozen: r.journalstatus === 'J' || r.journalstatus === 'E' || r.journalstatus === 'A',
    correspondenceParties: r.correspondenceParties.map(toParty),
    journalDate: r.journalDate,
    version: String(r.version),
    sources: [{ system: 'noark', id: r.systemId, fetchedAt }],
  };
}

export function toCase(c: WorldCase): Case {
  return {
    systemId: c.systemId,
    saksnummer: c.saksnummer,
    title: c.title,
    status: c.status,
    open: c.open,
    caseType: c.caseType,
    classes: c.classes.map((k) => ({
      system: k.system,
      classId: k.classId,
      systemId: k.systemId,
      ...(k.title ? { title: k.title } : {}),
    })),
    parties: c.parties.map(toParty),
    version: String(c.version),
    sources: [{ system: 'noark', id: c.systemId, fetchedAt }],
  };
}

function pagesOf<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const ADDRESS_KINDS = new Set(['address_rename', 'split', 'merge']);
const PERSON_KINDS = new Set(['move', 'death', 'rename', 'emigration', 'dnr_to_fnr', 'protect', 'birth']);

/** A world-backed Folkeregisteret. */
export interface WorldFolkeregister extends Adapter<Person> {
  calls: { getMany: number; people: number; changesPages: number; scanPages: number; namePages: number };
  /** Everyone's names and identifiers only (offered with the `names` option, like the real adapter). */
  scanNames?(): AsyncIterable<ScanPage<PersonNames>>;
  /** Throw from `changes` after this many pages (a register outage). */
  failChangesAfterPages?: number;
  /** Throw from every `getMany`. */
  failGetMany?: boolean;
  /** Identifiers the register does not answer usably (quarantined in `getMany` and the feed). */
  unanswered?: Set<string>;
}

const notAnswered = (id: string) =>
  quarantine(
    'person',
    new RegisterbroError('not_answered', 'folkeregister: the bulk answer left the person out', {
      system: 'folkeregister',
      retryable: true,
    }),
    { key: maskFodselsnummer(id), rawKey: id },
    'folkeregister',
  );

export function createWorldFolkeregister(
  world: World,
  options: {
    pageSize?: number /** Offer `scan()` (an uttrekk of everyone). @default false */;
    scan?: boolean;
    /** Offer `scanNames()` too (the uttrekk with names and identifiers only). @default false */
    names?: boolean;
  } = {},
): WorldFolkeregister {
  const pageSize = options.pageSize ?? 40;
  const outage = () =>
    new RegisterbroError('http_error', 'folkeregister: 503 Service Unavailable', {
      system: 'folkeregister',
      retryable: true,
    });
  const adapter: WorldFolkeregister = {
    system: 'folkeregister',
    capabilities: {
      get: true,
      getMany: true,
      changes: true,
      scan: options.scan ?? false,
      apply: [],
      maxBatchSize: 50,
    },
    calls: { getMany: 0, people: 0, changesPages: 0, scanPages: 0, namePages: 0 },
    async check() {
      return { ok: true, system: 'folkeregister', latencyMs: 0 };
    },
    async get(key) {
      const p = personByIdentifier(world, key);
      return p ? toPerson(world, p) : null;
    },
    async getMany(keys) {
      if (adapter.failGetMany) throw outage();
      adapter.calls.getMany++;
      const entities: Person[] = [];
      const missing: string[] = [];
      const quarantined = [];
      for (const key of keys) {
        if (adapter.unanswered?.has(key)) {
          quarantined.push(notAnswered(key));
          continue;
        }
        const p = personByIdentifier(world, key);
        if (p) entities.push(toPerson(world, p));
        else missing.push(key);
      }
      adapter.calls.people += entities.length;
      return { entities, missing, quarantined };
    },
    async head() {
      return String(world.changes.length);
    },
    async *changes(cursor) {
      const after = cursor === undefined ? 0 : Number(cursor);
      const pending = world.changes.filter((c) => c.seq > after);
      let n = 0;
      for (const chunk of pagesOf(pending, pageSize)) {
        if (adapter.failChangesAfterPages !== undefined && n >= adapter.failChangesAfterPages) throw outage();
        n++;
        adapter.calls.changesPages++;
        const page: ChangePage<Person> = {
          changes: [],
          quarantined: [],
          cursor: String(chunk[chunk.length - 1]!.seq),
        };
        for (const c of chunk) {
          // Folkeregisteret follows Matrikkelen: residents of a renamed/moved address get an event.
          if (ADDRESS_KINDS.has(c.kind)) {
            const residents = new Set<WorldPerson>();
            for (const a of c.addressIds ?? []) for (const r of residentsOf(world, a)) residents.add(r);
            for (const r of residents)
              page.changes.push({
                kind: 'upsert',
                key: r.fnr,
                entity: toPerson(world, r),
                eventId: String(c.seq),
              });
            continue;
          }
          if (!PERSON_KINDS.has(c.kind) || !c.personId) continue;
          const p = world.people.get(c.personId);
          if (!p) continue;
          if (adapter.unanswered?.has(p.fnr)) {
            page.quarantined.push(notAnswered(p.fnr));
            continue;
          }
          const entity = toPerson(world, p);
          if (c.kind === 'dnr_to_fnr' && c.before?.fnr && c.after?.fnr) {
            page.changes.push({
              kind: 'rekey',
              from: c.before.fnr,
              to: [c.after.fnr],
              entities: [entity],
              eventId: String(c.seq),
            });
          } else {
            page.changes.push({ kind: 'upsert', key: p.fnr, entity, eventId: String(c.seq) });
          }
        }
        yield page;
      }
    },
    scan() {
      if (!options.scan) return unsupported('folkeregister', 'scan');
      return (async function* () {
        const everyone = [...world.people.values()].filter((p) => p.status !== 'opphoert');
        for (const chunk of pagesOf(everyone, pageSize)) {
          adapter.calls.scanPages++;
          yield { entities: chunk.map((p) => toPerson(world, p)), quarantined: [] };
        }
      })();
    },
    async apply() {
      return unsupported('folkeregister', 'apply');
    },
  };
  if (options.names) {
    adapter.scanNames = async function* () {
      const everyone = [...world.people.values()].filter((p) => p.status !== 'opphoert');
      for (const chunk of pagesOf(everyone, pageSize)) {
        adapter.calls.namePages++;
        yield {
          entities: chunk.map((p) => {
            const { fodselsnummer, identifiers, givenName, middleName, familyName } = toPerson(world, p);
            return {
              fodselsnummer,
              identifiers,
              givenName,
              familyName,
              ...(middleName ? { middleName } : {}),
            };
          }),
          quarantined: [],
        };
      }
    };
  }
  return adapter;
}

const PROPERTY_KINDS = new Set(['ownership', 'split', 'merge', 'address_rename', 'renumber']);

export function createWorldMatrikkel(world: World, options: { pageSize?: number } = {}): Adapter<Property> {
  const pageSize = options.pageSize ?? 40;
  const find = (key: string): WorldProperty | undefined => {
    const p = propertyByKey(world, key);
    // A key from before a renumbering no longer names the unit in Matrikkelen.
    return p && p.key === key ? p : undefined;
  };
  return {
    system: 'matrikkel',
    capabilities: { get: true, getMany: true, changes: true, scan: true, apply: [], maxBatchSize: 100 },
    async check() {
      return { ok: true, system: 'matrikkel', latencyMs: 0 };
    },
    async get(key) {
      const p = find(key);
      return p ? toProperty(world, p) : null;
    },
    async getMany(keys) {
      const entities: Property[] = [];
      const missing: string[] = [];
      for (const key of keys) {
        const p = find(key);
        if (p) entities.push(toProperty(world, p));
        else missing.push(key);
      }
      return { entities, missing, quarantined: [] };
    },
    async head() {
      return String(world.changes.length);
    },
    async *changes(cursor) {
      const after = cursor === undefined ? 0 : Number(cursor);
      const pending = world.changes.filter((c) => c.seq > after);
      for (const chunk of pagesOf(pending, pageSize)) {
        const page: ChangePage<Property> = {
          changes: [],
          quarantined: [],
          cursor: String(chunk[chunk.length - 1]!.seq),
        };
        for (const c of chunk) {
          if (!PROPERTY_KINDS.has(c.kind)) continue;
          let ids = c.propertyIds ?? [];
          if (c.kind === 'address_rename') {
            ids = [
              ...new Set(
                (c.addressIds ?? [])
                  .map((a) => world.addresses.get(a)?.propertyId)
                  .filter((x): x is string => !!x),
              ),
            ];
          }
          for (const id of ids) {
            const p = world.properties.get(id);
            if (!p) continue;
            if (c.kind === 'renumber' && c.before?.kommunenummer) {
              const from = `${c.before.kommunenummer}${p.key.slice(4)}`;
              page.changes.push({
                kind: 'rekey',
                from,
                to: [p.key],
                entities: [toProperty(world, p)],
                eventId: String(c.seq),
              });
            } else {
              page.changes.push({
                kind: 'upsert',
                key: p.key,
                entity: toProperty(world, p),
                eventId: String(c.seq),
              });
            }
          }
        }
        yield page;
      }
    },
    async *scan() {
      for (const chunk of pagesOf([...world.properties.values()], pageSize)) {
        yield { entities: chunk.map((p) => toProperty(world, p)), quarantined: [] };
      }
    },
    async apply() {
      return unsupported('matrikkel', 'apply');
    },
  };
}

/** One write the archive made. */
export interface ArchiveWrite {
  key: string;
  type: string;
  target: string;
}

/** A writable in-memory archive. */
export interface WorldArchive extends Adapter<Case, ArchiveOperation> {
  /** The archive's state (its own copy). */
  readonly cases: Map<string, Case>;
  /** Every write, in order, with its idempotency key. */
  readonly writes: ArchiveWrite[];
  /** Throw from `scan` after this many pages. */
  failScanAfterPages?: number;
  /** After this many writes, the next write happens and then the "process dies" (`onCrash`, then a throw). */
  crashAfterWrites?: number;
  onCrash?: () => void;
  /** The journalposts of each case (the archive's own copy). */
  readonly records: Map<string, ArchiveRecord[]>;
  /** The records reader the engine takes (`EngineOptions.records`). */
  getRecords(caseKey: string): Promise<{ records: ArchiveRecord[]; quarantined: never[] } | null>;
  /** A local edit by an archive user. */
  edit(caseId: string, partySystemId: string, fields: Partial<Pick<Party, 'name' | 'address'>>): void;
}

export function createWorldArchive(world: World, options: { pageSize?: number } = {}): WorldArchive {
  const cases = new Map<string, Case>();
  const records = new Map<string, ArchiveRecord[]>();
  for (const c of [...world.cases.values()].sort((a, b) => (a.systemId < b.systemId ? -1 : 1))) {
    cases.set(c.systemId, toCase(c));
    records.set(
      c.systemId,
      c.records.map((r) => toRecord(c, r)),
    );
  }
  const bySaksnummer = (key: string) => [...cases.values()].find((c) => c.saksnummer === key);
  const lookup = (key: string) => cases.get(key) ?? bySaksnummer(key);
  const keys = new Set<string>();
  const bump = (v: string | undefined) => String(Number(v ?? '0') + 1);
  const conflict = (message: string) => new ConflictError(message, { system: 'noark', code: 'conflict' });

  const findParty = (op: {
    location: { container: string; containerId: string; partySystemId?: string | undefined; index: number };
  }) => {
    let parties: Party[] | undefined;
    if (op.location.container === 'journalpost') {
      const record = [...records.values()].flat().find((r) => r.systemId === op.location.containerId);
      if (!record) throw conflict('journalpost gone');
      // Noark forbids edits once a journalpost is journalført/ekspedert/arkivert.
      if (record.frozen) {
        throw new ConflictError(`journalpost ${record.journalpostnummer ?? record.systemId} is finalised`, {
          system: 'noark',
          code: 'frozen',
        });
      }
      parties = record.correspondenceParties;
    } else {
      parties = cases.get(op.location.containerId)?.parties;
      if (!parties) throw conflict('saksmappe gone');
    }
    const party = op.location.partySystemId
      ? parties.find((p) => p.systemId === op.location.partySystemId)
      : parties[op.location.index];
    if (!party) throw conflict('part gone');
    return { party };
  };

  const archive: WorldArchive = {
    system: 'noark',
    capabilities: {
      get: true,
      getMany: true,
      changes: false,
      scan: true,
      apply: [
        'party.update',
        'party.remove_address',
        'party.rekey_identifier',
        'party.add',
        'class.rekey',
        'class.remove',
      ],
      maxBatchSize: 25,
    },
    cases,
    records,
    writes: [],
    async getRecords(caseKey) {
      const c = lookup(caseKey);
      if (!c) return null;
      return { records: structuredClone(records.get(c.systemId) ?? []), quarantined: [] };
    },
    edit(caseId, partySystemId, fields) {
      const party = cases.get(caseId)?.parties.find((p) => p.systemId === partySystemId);
      if (!party) throw new Error('no such party');
      Object.assign(party, fields);
      party.version = bump(party.version);
    },
    async check() {
      return { ok: true, system: 'noark', latencyMs: 0 };
    },
    async get(key) {
      const c = lookup(key);
      return c ? structuredClone(c) : null;
    },
    async getMany(list) {
      const entities: Case[] = [];
      const missing: string[] = [];
      for (const key of list) {
        const c = lookup(key);
        if (c) entities.push(structuredClone(c));
        else missing.push(key);
      }
      return { entities, missing, quarantined: [] };
    },
    changes() {
      return unsupported('noark', 'changes');
    },
    async head() {
      return unsupported('noark', 'head');
    },
    async *scan(o = {}) {
      let n = 0;
      for (const chunk of pagesOf([...cases.values()], o.pageSize ?? options.pageSize ?? 30)) {
        if (archive.failScanAfterPages !== undefined && n >= archive.failScanAfterPages) {
          throw new RegisterbroError('http_error', 'noark: 502 Bad Gateway', {
            system: 'noark',
            retryable: true,
          });
        }
        n++;
        yield {
          entities: chunk.map((c) => structuredClone(c)),
          quarantined: [],
          cursor: chunk[chunk.length - 1]!.systemId,
        };
      }
    },
    async apply(op, { idempotencyKey }): Promise<ApplyResult> {
      if (keys.has(idempotencyKey)) return { status: 'already_applied', detail: 'key seen' };
      const write = (): ApplyResult => {
        keys.add(idempotencyKey);
        archive.writes.push({ key: idempotencyKey, type: op.type, target: op.target });
        if (archive.crashAfterWrites !== undefined && archive.writes.length > archive.crashAfterWrites) {
          archive.crashAfterWrites = undefined;
          archive.onCrash?.();
          throw new Error('simulated crash: the process died right after the write');
        }
        return { status: 'applied' };
      };
      switch (op.type) {
        case 'party.update': {
          const { party } = findParty(op);
          const current = {
            name: party.name,
            address: party.address ?? null,
            deceased: party.deceased === true,
          };
          const holds = (field: string, value: unknown): boolean =>
            field === 'name'
              ? namesEqual(current.name, value as string)
              : field === 'address'
                ? current.address !== null && addressesEqual(current.address, value as Address)
                : current.deceased === value;
          const fields = Object.entries(op.set).filter(([, v]) => v !== undefined);
          if (fields.every(([f, v]) => holds(f, v))) return { status: 'already_applied' };
          for (const [f] of fields) {
            const expected = (op.expected as Record<string, unknown>)[f];
            if (expected === undefined) continue;
            const same =
              expected === null
                ? f === 'deceased'
                  ? current.deceased === false
                  : (current as Record<string, unknown>)[f] === null
                : holds(f, expected);
            if (!same)
              throw conflict(`part ${party.systemId}: ${f} changed since it was read (ETag mismatch)`);
          }
          if (op.set.name !== undefined) party.name = op.set.name;
          if (op.set.address !== undefined) party.address = op.set.address;
          if (op.set.deceased !== undefined) party.deceased = op.set.deceased;
          party.version = bump(party.version);
          return write();
        }
        case 'party.remove_address': {
          const { party } = findParty(op);
          if (party.address === undefined) return { status: 'already_applied' };
          delete party.address;
          party.version = bump(party.version);
          return write();
        }
        case 'party.rekey_identifier': {
          const { party } = findParty(op);
          if (party.identifier === op.to) return { status: 'already_applied' };
          if (party.identifier !== op.from) throw conflict('identifier changed since it was read');
          party.identifier = op.to;
          party.version = bump(party.version);
          return write();
        }
        case 'party.add': {
          const c = cases.get(op.caseSystemId);
          if (!c) throw conflict('saksmappe gone');
          const exists = c.parties.some((p) =>
            op.party.identifier
              ? p.identifier === op.party.identifier
              : namesEqual(p.name, op.party.name) && p.role === op.party.role,
          );
          if (exists) return { status: 'already_applied' };
          c.parties.push({
            systemId: `added-${idempotencyKey.slice(0, 12)}`,
            kind: op.party.kind,
            ...(op.party.identifier ? { identifier: op.party.identifier } : {}),
            name: op.party.name,
            role: op.party.role,
            ...(op.party.address ? { address: op.party.address } : {}),
            ...(op.party.deceased ? { deceased: true } : {}),
            version: '1',
          });
          return write();
        }
        case 'class.rekey': {
          const c = cases.get(op.caseSystemId);
          const klass = c?.classes.find((k) =>
            op.classSystemId ? k.systemId === op.classSystemId : k.classId === op.from,
          );
          if (!klass) throw conflict('class gone');
          if (klass.classId === op.to) return { status: 'already_applied' };
          if (klass.classId !== op.from) throw conflict('class changed since it was read');
          klass.classId = op.to;
          return write();
        }
        case 'class.remove': {
          const c = cases.get(op.caseSystemId);
          if (!c) throw conflict('saksmappe gone');
          const i = c.classes.findIndex((k) =>
            op.classSystemId ? k.systemId === op.classSystemId : k.classId === op.classId,
          );
          if (i < 0) return { status: 'already_applied' };
          c.classes.splice(i, 1);
          return write();
        }
        default:
          return unsupported('noark', op.type);
      }
    },
  };
  return archive;
}

/** Writes per idempotency key (a duplicate write shows as a count above 1). */
export function writesPerKey(writes: readonly ArchiveWrite[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const w of writes) counts.set(w.key, (counts.get(w.key) ?? 0) + 1);
  return counts;
}

/** A store whose every call fails once `die()` was called: a process killed mid-run. */
export function crashableStore(store: TenantStore): { store: TenantStore; die(): void } {
  let dead = false;
  const proxy = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (dead) return Promise.reject(new Error('the process is gone'));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: proxy, die: () => (dead = true) };
}

/** Every text the engine stored for people to read: audit, runs, conflicts, quarantine, outbox errors. */
export async function storedTexts(store: TenantStore): Promise<string[]> {
  const texts: string[] = [];
  for (const a of await store.listAudit({ limit: 100_000 })) {
    texts.push(a.entity, a.reason ?? '', JSON.stringify(a.before ?? null), JSON.stringify(a.after ?? null));
  }
  for (const r of await store.listRuns({ limit: 1000 })) texts.push(r.message ?? '');
  for (const c of await store.listConflicts({ limit: 100_000 })) {
    texts.push(
      c.reason,
      c.entityKey,
      JSON.stringify(c.master),
      JSON.stringify(c.target),
      JSON.stringify(c.base),
    );
  }
  for (const q of await store.listQuarantine({ limit: 100_000 }))
    texts.push(q.reason, q.recordKey ?? '', q.excerpt ?? '');
  for (const o of await store.listOutbox({ limit: 100_000 })) texts.push(o.error ?? '');
  return texts;
}

export { collectPages };
