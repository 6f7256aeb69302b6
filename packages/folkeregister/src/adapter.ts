import {
  type Adapter,
  type CallOptions,
  type Capabilities,
  type Change,
  type ChangePage,
  type ChangesOptions,
  type CheckResult,
  type GetManyResult,
  InvalidIdentifierError,
  isFodselsnummer,
  maskFodselsnummer,
  type Person,
  type PersonNames,
  type QuarantineEntry,
  quarantine,
  RegisterbroError,
  type ScanOptions,
  type ScanPage,
  TimeoutError,
  toRegisterbroError,
  UpstreamInvalidError,
  unsupported,
} from '@registerbro/model';
import { chunk, mapLimit, runCheck, sleep, throwIfAborted } from '@registerbro/transport';
import {
  BULKOPPSLAG_MAX,
  createFolkeregisterClient,
  type FolkeregisterClient,
  type FolkeregisterClientOptions,
} from './client.js';
import { toPerson, toPersonNames } from './mappers/to-person.js';
import { KNOWN_HENDELSESTYPER, type LagretHendelseWire } from './wire/feed.js';
import type { FolkeregisterpersonWire } from './wire/person.js';

/** Options of {@link createFolkeregisterAdapter}: the client's, plus how hard to drive it. */
export interface FolkeregisterAdapterOptions extends FolkeregisterClientOptions {
  /** Use this client instead of creating one from the options above. @default undefined */
  client?: FolkeregisterClient;
  /** Bulk lookups in flight at once (`getMany`, `scan`, feed pages). @default 4 */
  concurrency?: number;
  /**
   * Extract batches read at once (`scan`, `scanNames`): each is a chain of round trips (poll the
   * batch, then one bulk lookup), so more are kept in flight than `concurrency`. @default 8
   */
  uttrekkConcurrency?: number;
  /** Wait between polls of an extract batch that is not ready (404). @default 2_000 */
  uttrekkPollIntervalMs?: number;
  /** Give up on an extract batch that stays unready this long (TimeoutError). @default 600_000 */
  uttrekkMaxWaitMs?: number;
  /** Clock for `fetchedAt` (tests). @default () => new Date().toISOString() */
  now?: () => string;
  /**
   * The parts of the person document to ask for (`part=`): only what a canonical Person needs,
   * so the register sends no family relations, civil status or citizenship we would not use.
   * `'all'` asks for the whole document.
   * @default PERSON_PARTS
   */
  parts?: readonly string[] | 'all';
}

/** The person document entities {@link toPerson} reads: the adapter asks for these only. */
export const PERSON_PARTS: readonly string[] = [
  'identifikasjonsnummer',
  'navn',
  'status',
  'foedsel',
  'doedsfall',
  'utflytting',
  'adressebeskyttelse',
  'bostedsadresse',
  'postadresse',
  'postadresseIUtlandet',
];

/**
 * The parts {@link FolkeregisterAdapter.scanNames} asks for: the identifiers and the name, so an
 * extract of everyone carries no address, birth, status or protection of anyone.
 */
export const NAME_PARTS: readonly string[] = ['identifikasjonsnummer', 'navn'];

/** The Folkeregisteret adapter: canonical {@link Person}s over the shared contract. */
export interface FolkeregisterAdapter extends Adapter<Person> {
  /** The wire-level client underneath (for event documents, tailored extracts, …). */
  readonly client: FolkeregisterClient;
  /**
   * A complete extract like `scan()`, each person read with `part=identifikasjonsnummer&part=navn`
   * only ({@link NAME_PARTS}): who bears which name, for matching records that carry a name and no
   * fødselsnummer. Data minimisation: a tenth of the bytes of `scan()`, and no one's address.
   */
  scanNames(options?: ScanOptions): AsyncIterable<ScanPage<PersonNames>>;
}

/** How a looked-up person document is read: the parts asked for, and the mapping. */
interface Reading<T> {
  part: readonly string[] | undefined;
  map(wire: FolkeregisterpersonWire, fetchedAt: string): T;
}

const names: Reading<PersonNames> = { part: NAME_PARTS, map: (wire) => toPersonNames(wire) };

const SYSTEM = 'folkeregister';
const ELEVEN_DIGITS = /^\d{11}$/;
const DELETE_EVENTS = new Set(['personErOpphoert', 'personErOpphoertSomDublett']);

/** How an abort of this adapter's work is reported ("folkeregister: the operation was aborted"). */
const ABORT = { system: SYSTEM } as const;

/** What a lookup of one identifier found. */
type Resolved<T = Person> = { person: T } | { missing: true } | { error: RegisterbroError };

function cursorError(cursor: string): RegisterbroError {
  return new RegisterbroError(
    'cursor_invalid',
    `folkeregister: cursor "${cursor.slice(0, 40)}" is not one this adapter made`,
    {
      system: SYSTEM,
      hint: 'Feed cursors are sequence numbers; scan cursors are "<jobbId>:<batch>". Start over without a cursor.',
    },
  );
}

/** How many times an extract order is placed when it fails with a passing fault. */
const ORDER_ATTEMPTS = 4;
/** First wait before an extract order is placed again (doubles each time). */
const ORDER_BACKOFF_MS = 200;

function personNotFound(id: string, seq: number): UpstreamInvalidError {
  return new UpstreamInvalidError(
    `Folkeregisteret: event ${seq} names a person the register no longer finds`,
    {
      system: SYSTEM,
      code: 'person_not_found',
      record: `hendelse ${seq} (person ${maskFodselsnummer(id)})`,
      retryable: true,
      hint: 'The event is quarantined; re-fetch the person later (an annulled registration or a merge may explain it).',
    },
  );
}

/** The bulk answer holds no entry for `id` (left out, or under an identifier that could not be read). */
function notAnswered(id: string, unreadable: number): UpstreamInvalidError {
  const why = unreadable > 0 ? ` (${unreadable} entries of the answer had an unreadable identifier)` : '';
  return new UpstreamInvalidError(`Folkeregisteret: the bulk lookup did not answer for this person${why}`, {
    system: SYSTEM,
    code: 'not_answered',
    record: `person ${maskFodselsnummer(id)}`,
    retryable: true,
    hint: 'The person is quarantined, not treated as unknown to the register; look the person up again later.',
  });
}

/** The bulk answer names `id` but carries neither a person nor a feilmelding. */
function blankAnswer(id: string): UpstreamInvalidError {
  return new UpstreamInvalidError(
    'Folkeregisteret: the bulk lookup answered with neither a person nor a feilmelding',
    {
      system: SYSTEM,
      record: `person ${maskFodselsnummer(id)}`,
      retryable: true,
      hint: 'The person is quarantined, not treated as unknown to the register; look the person up again later.',
    },
  );
}

/** A caller's key that is not 11 digits. Only its mask reaches the error: the raw key stays in `rawKey`. */
function invalidKey(key: string): InvalidIdentifierError {
  return new InvalidIdentifierError('fodselsnummer', maskFodselsnummer(key), 'must be 11 digits', {
    system: SYSTEM,
    record: `person ${maskFodselsnummer(key)}`,
    hint: 'Pass a fødselsnummer or D-nummer of 11 digits, without spaces or dashes.',
  });
}

/** First wait before polling an extract batch that is not ready again (it then doubles). */
const FIRST_POLL_MS = 100;

/**
 * Create the Folkeregisteret adapter (read-only: `capabilities.apply` is empty).
 *
 * - `get` → `GET personer/{id}`; `getMany` → `POST personer/bulkoppslag` in chunks of 1000, at
 *   most `concurrency` at a time.
 * - `changes(cursor)` reads `hendelser/feed` from the sequence number after `cursor`, and resolves
 *   every event to the person's current document with one bulk lookup per page: corrections and
 *   annulments are therefore already applied. A D-nummer replaced by an fnr becomes a `rekey`; a
 *   person the register reports `opphoert` a `delete`. Bad events and documents are quarantined;
 *   the page's cursor covers only events that were handled or quarantined.
 * - `head()` → `hendelser/siste/sekvensnummer`; `scan()` → a complete `uttrekk` job, `uttrekkConcurrency`
 *   batches ahead, yielded in order.
 * - Only the register's explicit feilmelding makes a person `missing` (or an opphør event a
 *   `delete`); an identifier a bulk answer leaves out, names unreadably or answers blank is
 *   quarantined (`not_answered` / `upstream_invalid`), so incomplete evidence never deletes.
 *
 * @example
 * const adapter = createFolkeregisterAdapter({ tokenProvider: maskinporten });
 * for await (const page of adapter.changes(cursor)) { await handle(page); cursor = page.cursor; }
 */
export function createFolkeregisterAdapter(options: FolkeregisterAdapterOptions = {}): FolkeregisterAdapter {
  const client = options.client ?? createFolkeregisterClient(options);
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const extractConcurrency = Math.max(1, options.uttrekkConcurrency ?? 8);
  const pollMs = options.uttrekkPollIntervalMs ?? 2_000;
  const maxWaitMs = options.uttrekkMaxWaitMs ?? 600_000;
  const now = options.now ?? (() => new Date().toISOString());
  const part = options.parts === 'all' ? undefined : (options.parts ?? PERSON_PARTS);
  const persons: Reading<Person> = { part, map: (wire, fetchedAt) => toPerson(wire, { fetchedAt }) };
  // ETag of the last empty feed read, so polling a caught-up feed costs a 304.
  let caughtUp: { seq: number; etag: string } | undefined;

  const capabilities: Capabilities = {
    get: true,
    getMany: true,
    changes: true,
    scan: true,
    apply: [],
    maxBatchSize: BULKOPPSLAG_MAX,
  };

  /**
   * Look up identifiers (any number) with bounded concurrency; one zod parse per response. Every
   * identifier asked for ends in the map: `missing` only on the register's explicit feilmelding,
   * an error when the answer has no usable entry for it.
   */
  async function resolveMany<T>(
    ids: readonly string[],
    signal: AbortSignal | undefined,
    read: Reading<T>,
  ): Promise<Map<string, Resolved<T>>> {
    const resolved = new Map<string, Resolved<T>>();
    const fetchedAt = now();
    await mapLimit(
      chunk(ids, BULKOPPSLAG_MAX),
      concurrency,
      async (batch) => {
        const result = await client.bulkoppslag(batch, { signal, ...(read.part ? { part: read.part } : {}) });
        // Only answers for what this call asked count: an entry naming another identifier proves
        // nothing about that one (and must not stand in for another batch's answer).
        const answers = new Map<string, Resolved<T>>();
        for (const entry of result.oppslag) {
          const id = entry.foedselsEllerDNummer;
          if (entry.folkeregisterperson) {
            try {
              answers.set(id, { person: read.map(entry.folkeregisterperson, fetchedAt) });
            } catch (error) {
              answers.set(id, { error: toRegisterbroError(error, SYSTEM) });
            }
          } else if (entry.feilmelding) {
            // "For utgåtte identifikatorer eller identifikatorer som ikke finnes" the register sends feilmelding.
            answers.set(id, { missing: true });
          } else {
            answers.set(id, { error: blankAnswer(id) });
          }
        }
        let unreadable = 0;
        for (const bad of result.invalid) {
          if (bad.foedselsEllerDNummer) answers.set(bad.foedselsEllerDNummer, { error: bad.error });
          else unreadable++;
        }
        // An identifier the answer does not name (left out, or behind an unreadable key) says nothing
        // about the person: it must not read as "no such person", or a scan or an opphør would delete.
        for (const id of batch) resolved.set(id, answers.get(id) ?? { error: notAnswered(id, unreadable) });
      },
      { ...ABORT, signal },
    );
    return resolved;
  }

  function quarantinePerson(id: string, error: RegisterbroError): QuarantineEntry {
    return quarantine('person', error, { key: maskFodselsnummer(id), rawKey: id }, SYSTEM);
  }

  function getMany(keys: readonly string[], callOptions: CallOptions = {}): Promise<GetManyResult<Person>> {
    return lookup(keys, callOptions, persons);
  }

  /** getMany with a reading of the document (the whole Person, or names only). */
  async function lookup<T>(
    keys: readonly string[],
    callOptions: CallOptions,
    read: Reading<T>,
  ): Promise<GetManyResult<T>> {
    throwIfAborted(callOptions.signal, ABORT);
    const quarantined: QuarantineEntry[] = [];
    const wanted: string[] = [];
    const seen = new Set<string>();
    for (const key of keys) {
      if (seen.has(key)) continue;
      seen.add(key);
      if (!ELEVEN_DIGITS.test(key)) {
        quarantined.push(quarantinePerson(key, invalidKey(key)));
        continue;
      }
      wanted.push(key);
    }
    const resolved = await resolveMany(wanted, callOptions.signal, read);
    const entities: T[] = [];
    const missing: string[] = [];
    for (const key of wanted) {
      const r = resolved.get(key) ?? { error: notAnswered(key, 0) };
      if ('missing' in r) missing.push(key);
      else if ('error' in r) quarantined.push(quarantinePerson(key, r.error));
      else entities.push(r.person);
    }
    return { entities, missing, quarantined };
  }

  /** Turn one validated event into a change, or a quarantine entry. */
  function eventChange(
    event: LagretHendelseWire,
    resolved: Map<string, Resolved>,
  ): Change<Person> | QuarantineEntry {
    const seq = event.sekvensnummer;
    const { folkeregisteridentifikator: id, hendelsetype } = event.hendelse;
    const known = KNOWN_HENDELSESTYPER.has(hendelsetype);
    const base = {
      eventId: String(seq),
      reason: `Folkeregisteret: ${hendelsetype}${known ? '' : ' (ukjent hendelsestype, behandlet som endring)'}`,
      ...(event.hendelse.ajourholdstidspunkt ? { at: event.hendelse.ajourholdstidspunkt } : {}),
    };
    const r = resolved.get(id) ?? { error: notAnswered(id, 0) };
    if ('missing' in r) {
      // The register confirms the person is gone only when the event says so and the lookup agrees.
      if (DELETE_EVENTS.has(hendelsetype)) return { kind: 'delete', key: id, ...base };
      return quarantine('event', personNotFound(id, seq), { key: maskFodselsnummer(id), rawKey: id }, SYSTEM);
    }
    if ('error' in r) return quarantinePerson(id, r.error);
    const person = r.person;
    if (person.status === 'opphoert') return { kind: 'delete', key: person.fodselsnummer, ...base };
    if (id !== person.fodselsnummer) {
      // The register resolved the event's number to a person now known under another one: a
      // replaced D-nummer, or a duplicate merged into the person that continues.
      return { kind: 'rekey', from: id, to: [person.fodselsnummer], entities: [person], ...base };
    }
    if (hendelsetype === 'endringIIdentifikasjonsnummer') {
      // The event names the new number: the replaced one is the latest identifier no longer in use.
      const replaced = person.identifiers.filter((i) => !i.current);
      const latest = replaced.at(-1);
      if (latest)
        return { kind: 'rekey', from: latest.value, to: [person.fodselsnummer], entities: [person], ...base };
    }
    return { kind: 'upsert', key: person.fodselsnummer, entity: person, ...base };
  }

  async function* changes(
    cursor: string | undefined,
    callOptions: ChangesOptions = {},
  ): AsyncGenerator<ChangePage<Person>> {
    const signal = callOptions.signal;
    let seq: number;
    if (cursor === undefined || cursor === '') seq = 0;
    else if (/^\d+$/.test(cursor)) seq = Number(cursor) + 1;
    else throw cursorError(cursor);

    const fetchPage = (from: number) => {
      const ifNoneMatch = caughtUp && caughtUp.seq === from ? caughtUp.etag : undefined;
      return client.feed(from, { signal, ...(ifNoneMatch ? { ifNoneMatch } : {}) });
    };
    let prefetched: ReturnType<typeof fetchPage> | undefined;
    for (;;) {
      throwIfAborted(signal, ABORT);
      const result = await (prefetched ?? fetchPage(seq));
      prefetched = undefined;
      if (result.notModified) return;
      const { page } = result;
      if (page.lastSekvensnummer === undefined) {
        caughtUp = result.etag ? { seq, etag: result.etag } : undefined;
        return;
      }
      if (page.lastSekvensnummer < seq) {
        throw new UpstreamInvalidError(
          `Folkeregisteret: feed page for seq=${seq} ends at ${page.lastSekvensnummer}`,
          {
            system: SYSTEM,
            hint: 'The feed went backwards; the cursor is not moved. Report it to Skatteetaten.',
          },
        );
      }

      // Every event of the page ends as exactly one item, a change or a quarantine entry, at its seq.
      const items: { seq: number; change?: Change<Person>; quarantined?: QuarantineEntry }[] = [];
      for (const bad of page.invalid) {
        const id = bad.folkeregisteridentifikator;
        const keys = id
          ? { key: maskFodselsnummer(id), rawKey: id }
          : { key: `hendelse ${bad.sekvensnummer}` };
        items.push({ seq: bad.sekvensnummer, quarantined: quarantine('event', bad.error, keys, SYSTEM) });
      }
      const usable: LagretHendelseWire[] = [];
      const ids = new Set<string>();
      for (const event of page.events) {
        const id = event.hendelse.folkeregisteridentifikator;
        if (!isFodselsnummer(id)) {
          const error = new InvalidIdentifierError(
            'fodselsnummer',
            maskFodselsnummer(id),
            'fails its check digits or date',
            {
              system: SYSTEM,
              record: `hendelse ${event.sekvensnummer} (${maskFodselsnummer(id)})`,
              hint: 'Folkeregisteret named an invalid identifier in the feed; the event is quarantined, the feed goes on.',
            },
          );
          const keys = { key: maskFodselsnummer(id), rawKey: id };
          items.push({ seq: event.sekvensnummer, quarantined: quarantine('event', error, keys, SYSTEM) });
          continue;
        }
        usable.push(event);
        ids.add(id);
      }

      // Fetch the next feed page while this one is resolved: one page ahead at most, so memory stays flat.
      prefetched = fetchPage(page.lastSekvensnummer + 1);
      // A consumer that stops early never awaits it; its failure must not become an unhandled rejection.
      prefetched.catch(() => {});
      const resolved = await resolveMany([...ids], signal, persons);
      for (const event of usable) {
        const outcome = eventChange(event, resolved);
        if ('recordType' in outcome) items.push({ seq: event.sekvensnummer, quarantined: outcome });
        else items.push({ seq: event.sekvensnummer, change: outcome });
      }
      if (page.invalid.length > 0 || usable.length < page.events.length) items.sort((a, b) => a.seq - b.seq);

      // Any event boundary is a valid cursor, so a smaller pageSize is honoured by cutting the page.
      const size = callOptions.pageSize && callOptions.pageSize > 0 ? callOptions.pageSize : items.length;
      for (let from = 0; from < items.length; from += size) {
        const part = items.slice(from, from + size);
        const last = from + size >= items.length;
        const out: ChangePage<Person> = { changes: [], quarantined: [], cursor: '' };
        for (const item of part) {
          if (item.change) out.changes.push(item.change);
          else if (item.quarantined) out.quarantined.push(item.quarantined);
        }
        out.cursor = String(last ? page.lastSekvensnummer : (part.at(-1)?.seq ?? page.lastSekvensnummer));
        yield out;
      }
      seq = page.lastSekvensnummer + 1;
    }
  }

  /**
   * One extract batch's identifiers, or `undefined` past the last batch. The register answers 404
   * until a batch is ready: polls start at {@link FIRST_POLL_MS} and double up to `pollMs`, so a
   * batch that is ready at once costs no two-second nap.
   */
  async function awaitBatch(
    jobbId: string,
    batch: number,
    signal?: AbortSignal,
  ): Promise<string[] | undefined> {
    let waitedMs = 0;
    let waitMs = Math.min(FIRST_POLL_MS, pollMs);
    for (;;) {
      throwIfAborted(signal, ABORT);
      const result = await client.hentUttrekkBatch(jobbId, batch, { signal });
      if (result.state === 'done') return undefined;
      if (result.state !== 'pending') return result.foedselsEllerDNummer;
      if (waitedMs >= maxWaitMs) {
        throw new TimeoutError(`folkeregister: extract batch ${batch} was not ready after ${waitedMs} ms`, {
          system: SYSTEM,
          timeoutMs: maxWaitMs,
          hint: `Resume the scan later with cursor "${jobbId}:${batch}".`,
        });
      }
      await sleep(waitMs, { ...ABORT, signal });
      waitedMs += waitMs;
      waitMs = Math.min(pollMs, waitMs * 2);
    }
  }

  /**
   * Order a complete extract. An order is not idempotent (every call makes a job), so the transport
   * does not retry it; one that failed with a 5xx, a timeout or a dropped connection is placed
   * again here, {@link ORDER_ATTEMPTS} times at most: at worst that leaves an abandoned job, which
   * expires, where giving up would fail a whole full sync over one passing fault. A 429 (ten jobs
   * already running) and an open circuit are not retried.
   */
  async function orderExtract(signal: AbortSignal | undefined): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      throwIfAborted(signal, ABORT);
      try {
        return await client.bestillKomplettUttrekk({ signal });
      } catch (error) {
        const e = toRegisterbroError(error, SYSTEM);
        const passing =
          e.retryable && e.code !== 'rate_limited' && e.code !== 'circuit_open' && e.code !== 'aborted';
        if (!passing || attempt >= ORDER_ATTEMPTS || signal?.aborted) throw error;
        await sleep(ORDER_BACKOFF_MS * 2 ** (attempt - 1), { ...ABORT, signal });
      }
    }
  }

  function scan(callOptions: ScanOptions = {}): AsyncGenerator<ScanPage<Person>> {
    return extract(callOptions, persons);
  }

  /** A complete extract (`uttrekk`), every person in it looked up with `read`. */
  async function* extract<T>(callOptions: ScanOptions, read: Reading<T>): AsyncGenerator<ScanPage<T>> {
    let jobbId: string;
    let batch: number;
    if (callOptions.cursor) {
      const match = /^(.+):(\d+)$/.exec(callOptions.cursor);
      if (!match) throw cursorError(callOptions.cursor);
      jobbId = match[1] as string;
      batch = Number(match[2]);
    } else {
      jobbId = await orderExtract(callOptions.signal);
      batch = 0;
    }
    // Batches are fetched `uttrekkConcurrency` ahead (their waits and lookups overlap), yielded in order.
    // Leaving the loop early (a consumer's break, an error) aborts what is still in flight.
    const local = new AbortController();
    const signal = callOptions.signal ? AbortSignal.any([callOptions.signal, local.signal]) : local.signal;
    const fetchBatch = async (n: number): Promise<ScanPage<T> | undefined> => {
      const ids = await awaitBatch(jobbId, n, signal);
      if (ids === undefined) return undefined;
      // Identifiers in an extract that the register explicitly no longer finds have gone since; a
      // scan skips them. Ones the lookup did not answer are quarantined, so the scan never reads as
      // complete evidence for them.
      const { entities, quarantined } = await lookup(ids, { signal }, read);
      return { entities, quarantined, cursor: `${jobbId}:${n + 1}` };
    };
    const ahead: Promise<ScanPage<T> | undefined>[] = [];
    let next = batch;
    const refill = () => {
      while (ahead.length < extractConcurrency) {
        const pending = fetchBatch(next++);
        // Awaited in order below; a failure of a batch not reached yet must not go unhandled.
        pending.catch(() => {});
        ahead.push(pending);
      }
    };
    try {
      for (;;) {
        throwIfAborted(callOptions.signal, ABORT);
        refill();
        const page = await (ahead.shift() as Promise<ScanPage<T> | undefined>);
        if (page === undefined) return;
        yield page;
      }
    } finally {
      local.abort();
    }
  }

  return {
    system: SYSTEM,
    capabilities,
    client,

    check(callOptions = {}): Promise<CheckResult> {
      return runCheck(
        SYSTEM,
        async () => {
          const seq = await client.sisteSekvensnummer({ signal: callOptions.signal });
          return `${client.basePath} (siste sekvensnummer ${seq})`;
        },
        { failureDetail: client.basePath },
      );
    },

    async get(key, callOptions = {}) {
      throwIfAborted(callOptions.signal, ABORT);
      if (!ELEVEN_DIGITS.test(key)) {
        throw invalidKey(key);
      }
      const wire = await client.getPerson(key, { signal: callOptions.signal, ...(part ? { part } : {}) });
      if (!wire) return null;
      return toPerson(wire, { fetchedAt: now() });
    },

    getMany,
    changes,

    async head(callOptions = {}) {
      throwIfAborted(callOptions.signal, ABORT);
      return String(await client.sisteSekvensnummer({ signal: callOptions.signal }));
    },

    scan,
    scanNames: (callOptions: ScanOptions = {}) => extract(callOptions, names),

    async apply() {
      return unsupported(SYSTEM, 'apply (Folkeregisteret is read-only)');
    },

    async close() {
      if (!options.client) client.close();
    },
  };
}
