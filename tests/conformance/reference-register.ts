import { z } from 'zod';
import type { World, WorldPerson } from '@registerbro/testkit';
import type { ConformanceFault } from '@registerbro/testkit/conformance';
import { nextSyntheticFodselsnummer } from './synthetic.js';

/**
 * An in-memory population register standing in for a simulator: it answers requests with a
 * status, headers and a JSON text body (its "wire format"), keeps a numbered change log, pages
 * its feed and scan, and has a fault hook. The reference adapter talks to it only through
 * {@link ReferenceRegister.handle}, exactly as an adapter talks to an HTTP simulator.
 */

/** One person as the register stores and sends it. */
export const PersonWireSchema = z.object({
  id: z.string().regex(/^\d{11}$/),
  idType: z.enum(['fnr', 'dnr']),
  first: z.string().min(1),
  last: z.string().min(1),
  born: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  status: z.enum(['bosatt', 'utflyttet', 'doed', 'opphoert']),
  protection: z.enum(['ugradert', 'fortrolig', 'strengtFortrolig', 'strengtFortroligUtland']),
  /** Present only for unprotected people: the register never sends a protected address out. */
  address: z
    .object({ street: z.string(), number: z.number().int().positive(), zip: z.string().regex(/^\d{4}$/) })
    .optional(),
  municipality: z.string().regex(/^\d{4}$/),
  version: z.number().int().positive(),
});
export type PersonWire = z.infer<typeof PersonWireSchema>;

/** One entry of the change feed. */
export const FeedEntryWireSchema = z.discriminatedUnion('type', [
  z.object({
    seq: z.number().int().positive(),
    type: z.literal('upsert'),
    id: z.string(),
    at: z.string(),
    record: PersonWireSchema,
  }),
  z.object({
    seq: z.number().int().positive(),
    type: z.literal('delete'),
    id: z.string().regex(/^\d{11}$/),
    at: z.string(),
  }),
]);
export type FeedEntryWire = z.infer<typeof FeedEntryWireSchema>;

/** A feed page: entries are validated one by one, so one bad entry does not sink the page. */
export const FeedPageWireSchema = z.object({
  entries: z.array(z.unknown()),
  next: z.number().int().nonnegative(),
});
export const ScanPageWireSchema = z.object({
  records: z.array(PersonWireSchema),
  next: z.string().optional(),
});
export const BatchWireSchema = z.object({ found: z.array(PersonWireSchema), missing: z.array(z.string()) });
export const PingWireSchema = z.object({ status: z.literal('up'), version: z.string() });
export const HeadWireSchema = z.object({ seq: z.number().int().nonnegative() });

export type RegisterRequest =
  | { op: 'ping' }
  | { op: 'get'; id: string }
  | { op: 'batch'; ids: readonly string[] }
  | { op: 'head' }
  | { op: 'feed'; after: number; limit: number }
  | { op: 'scan'; after?: string; limit: number };

export interface RegisterResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const STREETS = ['Kongens gate', 'Dronningens gate', 'Havnegata', 'Fjellveien', 'Skoleveien'];
const GIVEN = ['Ada', 'Bjørn', 'Cecilie', 'Dag', 'Eli', 'Frode', 'Gro', 'Hallvard', 'Ingrid', 'Jon'];
const FAMILY = ['Testesen', 'Prøvestad', 'Eksempelsen', 'Fiktivdal', 'Oppdiktnes'];

/** The register plus its fault hook. */
export class ReferenceRegister {
  readonly people = new Map<string, PersonWire>();
  readonly log: FeedEntryWire[] = [];
  private readonly faults = new Set<ConformanceFault>();
  /** Requests held by the `latency` fault, released by clearFaults() or close(). */
  private readonly held = new Set<() => void>();
  private counter = 0;
  private nextIndividnummer = 100;

  /**
   * Seed from a testkit world (its people, as the population register holds them), or — without
   * one — from `people` synthetic people made here.
   */
  constructor(options: { world?: World; people?: number } = {}) {
    if (options.world) {
      for (const person of options.world.people.values())
        this.people.set(person.fnr, fromWorld(options.world, person));
    } else {
      for (let i = 0; i < (options.people ?? 12); i++) this.addPerson(i);
    }
  }

  /** A well-formed synthetic number this register does not hold. */
  unknownKey(): string {
    for (let n = 400; ; n++) {
      const { value, individnummer } = nextSyntheticFodselsnummer('1949-02-03', n);
      if (!this.people.has(value)) return value;
      n = individnummer;
    }
  }

  private addPerson(i: number): PersonWire {
    const born = `19${50 + (i % 45)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`;
    const kind = i % 11 === 5 ? 'dnr' : 'fnr';
    const { value, individnummer } = nextSyntheticFodselsnummer(born, this.nextIndividnummer, kind);
    this.nextIndividnummer = (individnummer + 1) % 500;
    const protection = i % 6 === 3 ? 'fortrolig' : 'ugradert';
    const person: PersonWire = {
      id: value,
      idType: kind,
      first: GIVEN[i % GIVEN.length]!,
      last: FAMILY[i % FAMILY.length]!,
      born,
      status: 'bosatt',
      protection,
      ...(protection === 'ugradert'
        ? { address: { street: STREETS[i % STREETS.length]!, number: (i % 40) + 1, zip: '8514' } }
        : {}),
      municipality: '1806',
      version: 1,
    };
    this.people.set(person.id, person);
    return person;
  }

  /** Keys the register holds now. */
  keys(): string[] {
    return [...this.people.keys()].sort();
  }

  private record(entry: Omit<FeedEntryWire, 'seq' | 'at'> & { record?: PersonWire }): void {
    const seq = this.log.length + 1;
    const at = new Date(Date.UTC(2026, 0, 1) + seq * 60_000).toISOString();
    this.log.push({ ...entry, seq, at } as FeedEntryWire);
  }

  /** Make `count` changes: moves, renames, births and (every ninth) an opphør that removes the person. */
  change(count: number): number {
    for (let n = 0; n < count; n++) {
      const i = this.counter++;
      const keys = this.keys();
      const id = keys[i % keys.length]!;
      const current = this.people.get(id)!;
      if (i % 9 === 8 && keys.length > 4) {
        this.people.delete(id);
        this.record({ type: 'delete', id });
        continue;
      }
      let next: PersonWire;
      if (i % 3 === 2) next = this.addPerson(100 + i);
      else if (i % 3 === 0 && current.address) {
        next = {
          ...current,
          address: { ...current.address, number: current.address.number + 1 },
          version: current.version + 1,
        };
      } else
        next = {
          ...current,
          last: `${current.last}-${FAMILY[i % FAMILY.length]}`,
          version: current.version + 1,
        };
      this.people.set(next.id, next);
      this.record({ type: 'upsert', id: next.id, record: structuredClone(next) });
    }
    return count;
  }

  inject(fault: ConformanceFault): void {
    this.faults.add(fault);
  }

  clearFaults(): void {
    this.faults.clear();
    this.release();
  }

  /** Release held requests. */
  close(): void {
    this.release();
  }

  private release(): void {
    for (const resolve of this.held) resolve();
    this.held.clear();
  }

  /** Answer one request, faults first. */
  async handle(request: RegisterRequest): Promise<RegisterResponse> {
    if (this.faults.has('latency')) {
      // Held until the fault is cleared (or the register closes), like a server that never answers.
      await new Promise<void>((resolve) => this.held.add(resolve));
    }
    if (this.faults.has('unauthorized')) return json(401, { error: 'invalid_token' });
    if (this.faults.has('rate_limit')) return json(429, { error: 'slow down' }, { 'retry-after': '2' });
    const response = this.answer(request);
    if (this.faults.has('malformed_body'))
      return { ...response, body: response.body.slice(0, Math.floor(response.body.length / 2)) };
    return response;
  }

  private answer(request: RegisterRequest): RegisterResponse {
    switch (request.op) {
      case 'ping':
        return json(200, { status: 'up', version: 'reference-1' });
      case 'get': {
        const person = this.people.get(request.id);
        return person ? json(200, person) : json(404, { error: 'not found' });
      }
      case 'batch': {
        const found: PersonWire[] = [];
        const missing: string[] = [];
        for (const id of request.ids) {
          const person = this.people.get(id);
          if (person) found.push(person);
          else missing.push(id);
        }
        return json(200, { found, missing });
      }
      case 'head':
        return json(200, { seq: this.log.length });
      case 'feed': {
        const entries: unknown[] = this.log
          .filter((e) => e.seq > request.after)
          .slice(0, request.limit)
          .map((e) => structuredClone(e));
        const last = entries.at(-1) as FeedEntryWire | undefined;
        if (this.faults.has('malformed_record') && entries.length > 0) {
          // One-shot: the first entry of this page arrives broken (unknown type, a record that is
          // not a person); its id stays readable so the adapter can name it in quarantine.
          this.faults.delete('malformed_record');
          entries[0] = { ...(entries[0] as object), type: 'endret?', record: { broken: true } };
        }
        return json(200, { entries, next: last?.seq ?? request.after });
      }
      case 'scan': {
        const after = request.after;
        const keys = this.keys().filter((key) => after === undefined || key > after);
        const page = keys.slice(0, request.limit);
        const more = keys.length > page.length;
        return json(200, {
          records: page.map((key) => this.people.get(key)!),
          ...(more ? { next: page.at(-1) } : {}),
        });
      }
    }
  }
}

/** The register's wire form of a world person; a protected address never leaves the register. */
function fromWorld(world: World, person: WorldPerson): PersonWire {
  const home =
    person.residentialAddressId === undefined ? undefined : world.addresses.get(person.residentialAddressId);
  const address =
    person.adressebeskyttelse === 'ugradert' &&
    home?.adressenavn !== undefined &&
    home.husnummer !== undefined
      ? { street: home.adressenavn, number: home.husnummer, zip: home.postnummer }
      : undefined;
  return {
    id: person.fnr,
    idType: person.identifierKind,
    first: person.givenName,
    last: person.familyName,
    born: person.birthDate,
    status: person.status,
    protection: person.adressebeskyttelse,
    ...(address ? { address } : {}),
    municipality: world.kommunenummer,
    version: person.version,
  };
}

function json(status: number, value: unknown, headers: Record<string, string> = {}): RegisterResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

/** A tiny writable target (think: an archive) that remembers which idempotency keys it has seen. */
export class NoteArchive {
  private readonly notes = new Map<string, { idempotencyKey: string; text: string }[]>();
  /** How many writes each target received, read by the harness's `verify()`. */
  readonly writes = new Map<string, number>();

  find(target: string, idempotencyKey: string): { idempotencyKey: string; text: string } | undefined {
    return this.notes.get(target)?.find((note) => note.idempotencyKey === idempotencyKey);
  }

  add(target: string, idempotencyKey: string, text: string): number {
    const list = this.notes.get(target) ?? [];
    list.push({ idempotencyKey, text });
    this.notes.set(target, list);
    this.writes.set(target, (this.writes.get(target) ?? 0) + 1);
    return list.length;
  }
}
