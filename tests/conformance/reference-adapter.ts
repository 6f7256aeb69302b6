import {
  AbortedError,
  type Adapter,
  type ApplyOptions,
  type ApplyResult,
  AuthError,
  type CallOptions,
  type Capabilities,
  type Change,
  type ChangePage,
  type ChangesOptions,
  type CheckResult,
  type GetManyResult,
  HttpError,
  type Operation,
  type Person,
  type QuarantineEntry,
  RateLimitError,
  RegisterbroError,
  type ScanOptions,
  type ScanPage,
  UpstreamInvalidError,
  maskFodselsnummer,
  quarantine,
  toRegisterbroError,
  unsupported,
} from '@registerbro/model';
import type { z } from 'zod';
import {
  BatchWireSchema,
  FeedEntryWireSchema,
  FeedPageWireSchema,
  HeadWireSchema,
  type NoteArchive,
  type PersonWire,
  PersonWireSchema,
  PingWireSchema,
  type ReferenceRegister,
  type RegisterRequest,
  ScanPageWireSchema,
} from './reference-register.js';

/**
 * The reference adapter: a complete, honest implementation of the adapter contract over the
 * in-memory {@link ReferenceRegister}. It shows the three other adapters what the conformance
 * suite expects, and — with `bugs` — breaks in the ways real adapters break, so tests can prove the
 * suite's checks notice.
 */

const SYSTEM = 'reference';

/** The one operation the reference adapter writes: a note on a person's record in the archive. */
export interface RecordNoteOperation extends Operation {
  type: 'record_note';
  target: string;
  payload: { text: string };
}

/** Ways to break the adapter on purpose (only for tests of the conformance checks). */
export type ReferenceBug =
  /** Resuming from a cursor starts one entry too late. */
  | 'skip_on_resume'
  /** Resuming from a cursor repeats the entry the cursor points at. */
  | 'duplicate_on_resume'
  /** The feed ignores `pageSize` and sends everything in one page. */
  | 'ignore_page_size'
  /** Entities lose their source references, so they fail `PersonSchema`. */
  | 'non_schema_entity'
  /** A 401 is swallowed and `get` answers null. */
  | 'null_on_auth'
  /** 429 becomes a generic HttpError without retryAfterMs. */
  | 'rate_limit_without_retry_after'
  /** The signal is never looked at. */
  | 'ignore_abort'
  /** The signal is only looked at once the register has answered. */
  | 'abort_after_response'
  /** `apply` writes every time. */
  | 'no_idempotency'
  /** Each scan page repeats the last entity of the page before. */
  | 'scan_duplicates'
  /** A bad feed record fails the whole page instead of going to quarantine. */
  | 'quarantine_fails_page'
  /** A quarantine entry carries the fødselsnummer in clear as its key. */
  | 'quarantine_unmasked_key'
  /** A bad feed record is dropped without a quarantine entry. */
  | 'quarantine_drops_record'
  /** `capabilities.scan` is false but `scan` quietly yields nothing instead of throwing. */
  | 'silent_unsupported_scan'
  /** An unknown key is reported as found-but-empty in getMany (missing stays empty). */
  | 'get_many_forgets_missing'
  /** A malformed body reads as "not found". */
  | 'malformed_as_null';

export interface ReferenceAdapterOptions {
  register: ReferenceRegister;
  /** The writable target `apply` writes to. */
  archive: NoteArchive;
  /**
   * Largest batch sent in one `batch` request.
   * @default 4
   */
  maxBatchSize?: number;
  /**
   * Declare no operation (`capabilities.apply` empty), as a read-only register's adapter does.
   * @default false
   */
  readOnly?: boolean;
  /**
   * Deliberate defects, for testing the conformance checks.
   * @default []
   */
  bugs?: readonly ReferenceBug[];
}

const CURSOR_PREFIX = 'ref1:';

function encodeCursor(seq: number): string {
  return `${CURSOR_PREFIX}${seq}`;
}

function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const seq = cursor.startsWith(CURSOR_PREFIX) ? Number(cursor.slice(CURSOR_PREFIX.length)) : Number.NaN;
  if (!Number.isInteger(seq) || seq < 0) {
    throw new RegisterbroError('cursor_invalid', `Cursor "${cursor}" was not made by the reference adapter`, {
      system: SYSTEM,
      hint: 'Start from head() or from a cursor this adapter returned.',
    });
  }
  return seq;
}

/** Map one wire person to the canonical Person. Pure. */
export function toPerson(wire: PersonWire, fetchedAt: string): Person {
  const isProtected = wire.protection !== 'ugradert';
  return {
    fodselsnummer: wire.id,
    identifierKind: wire.idType,
    identifiers: [{ value: wire.id, kind: wire.idType, synthetic: true, current: true }],
    givenName: wire.first,
    familyName: wire.last,
    birthDate: wire.born,
    status: wire.status,
    adressebeskyttelse: wire.protection,
    // Belt and braces: even if the register sent one, a protected address is never mapped.
    ...(wire.address && !isProtected
      ? {
          residentialAddress: {
            kind: 'vegadresse' as const,
            adressenavn: wire.address.street,
            husnummer: wire.address.number,
            postnummer: wire.address.zip,
            kommunenummer: wire.municipality,
          },
        }
      : {}),
    kommunenummer: wire.municipality,
    sources: [{ system: SYSTEM, id: wire.id, version: String(wire.version), fetchedAt }],
  };
}

/** Create the reference adapter over an in-memory register and archive. */
export function createReferenceAdapter(
  options: ReferenceAdapterOptions,
): Adapter<Person, RecordNoteOperation> {
  const { register, archive } = options;
  const bugs = new Set(options.bugs ?? []);
  const maxBatchSize = options.maxBatchSize ?? 4;
  const capabilities: Capabilities = {
    get: true,
    getMany: true,
    changes: true,
    scan: !bugs.has('silent_unsupported_scan'),
    apply: options.readOnly ? [] : ['record_note'],
    maxBatchSize,
  };

  function throwIfAborted(signal: AbortSignal | undefined): void {
    if (signal?.aborted && !bugs.has('ignore_abort')) {
      throw new AbortedError('The reference register call was aborted', { system: SYSTEM });
    }
  }

  /** Send a request; resolves the response or rejects with the contract's typed errors. */
  async function send(request: RegisterRequest, signal: AbortSignal | undefined, record?: string) {
    throwIfAborted(signal);
    const pending = register.handle(request);
    const response =
      signal && !bugs.has('ignore_abort') && !bugs.has('abort_after_response')
        ? await new Promise<Awaited<typeof pending>>((resolve, reject) => {
            const onAbort = () =>
              reject(new AbortedError('The reference register call was aborted', { system: SYSTEM }));
            signal.addEventListener('abort', onAbort, { once: true });
            pending.then(
              (value) => {
                signal.removeEventListener('abort', onAbort);
                resolve(value);
              },
              (error: unknown) => {
                signal.removeEventListener('abort', onAbort);
                reject(error);
              },
            );
          })
        : await pending;
    if (bugs.has('abort_after_response')) throwIfAborted(signal);
    const url = `memory://reference/${request.op}`;
    if (response.status === 401 || response.status === 403) {
      throw new AuthError(`The reference register refused our credentials (${response.status})`, {
        system: SYSTEM,
        status: response.status,
        record,
        hint: 'Check the configured credentials.',
      });
    }
    if (response.status === 429) {
      const seconds = Number(response.headers['retry-after']);
      if (bugs.has('rate_limit_without_retry_after')) {
        throw new HttpError('Too many requests', { system: SYSTEM, status: 429, method: 'POST', url });
      }
      throw new RateLimitError('The reference register asks us to slow down (429)', {
        system: SYSTEM,
        retryAfterMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000,
        record,
      });
    }
    return { ...response, url };
  }

  function parse<S extends z.ZodType>(schema: S, body: string, what: string, record?: string): z.infer<S> {
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (error) {
      throw new UpstreamInvalidError(`The reference register sent ${what} that is not JSON`, {
        system: SYSTEM,
        record,
        excerpt: body,
        cause: error,
        hint: 'Retry later; report it if it persists.',
      });
    }
    const result = schema.safeParse(value);
    if (!result.success) {
      throw new UpstreamInvalidError(`The reference register sent ${what} that fails its wire schema`, {
        system: SYSTEM,
        record,
        issues: result.error.issues.map((issue) => ({
          path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
          message: issue.message,
          code: issue.code,
        })),
        hint: 'The record is quarantined; fix it in the register or report the format change.',
      });
    }
    return result.data;
  }

  function expectOk(response: { status: number; url: string }, record?: string): void {
    if (response.status >= 200 && response.status < 300) return;
    throw new HttpError(`The reference register answered ${response.status}`, {
      system: SYSTEM,
      status: response.status,
      method: 'POST',
      url: response.url,
      record,
    });
  }

  function map(wire: PersonWire): Person {
    const person = toPerson(wire, new Date().toISOString());
    if (bugs.has('non_schema_entity')) return { ...person, sources: [] };
    return person;
  }

  async function get(key: string, callOptions: CallOptions = {}): Promise<Person | null> {
    const record = maskFodselsnummer(key);
    let response: Awaited<ReturnType<typeof send>>;
    try {
      response = await send({ op: 'get', id: key }, callOptions.signal, record);
    } catch (error) {
      if (bugs.has('null_on_auth') && error instanceof AuthError) return null;
      throw error;
    }
    if (response.status === 404) return null;
    expectOk(response, record);
    try {
      return map(parse(PersonWireSchema, response.body, 'a person', record));
    } catch (error) {
      if (bugs.has('malformed_as_null')) return null;
      throw error;
    }
  }

  async function getMany(
    keys: readonly string[],
    callOptions: CallOptions = {},
  ): Promise<GetManyResult<Person>> {
    const result: GetManyResult<Person> = { entities: [], missing: [], quarantined: [] };
    for (let start = 0; start < keys.length; start += maxBatchSize) {
      const batch = keys.slice(start, start + maxBatchSize);
      const response = await send({ op: 'batch', ids: batch }, callOptions.signal);
      expectOk(response);
      const body = parse(BatchWireSchema, response.body, 'a batch');
      result.entities.push(...body.found.map(map));
      if (!bugs.has('get_many_forgets_missing')) result.missing.push(...body.missing);
    }
    return result;
  }

  async function head(callOptions: CallOptions = {}): Promise<string> {
    const response = await send({ op: 'head' }, callOptions.signal);
    expectOk(response);
    return encodeCursor(parse(HeadWireSchema, response.body, 'the head').seq);
  }

  async function* changes(
    cursor: string | undefined,
    callOptions: ChangesOptions = {},
  ): AsyncIterable<ChangePage<Person>> {
    let after = decodeCursor(cursor);
    if (cursor !== undefined && bugs.has('skip_on_resume')) after += 1;
    if (cursor !== undefined && bugs.has('duplicate_on_resume') && after > 0) after -= 1;
    const limit = bugs.has('ignore_page_size') ? 10_000 : (callOptions.pageSize ?? 100);
    for (;;) {
      const response = await send({ op: 'feed', after, limit }, callOptions.signal);
      expectOk(response);
      const page = parse(FeedPageWireSchema, response.body, 'a feed page');
      if (page.entries.length === 0) return;
      const out: Change<Person>[] = [];
      const quarantined: QuarantineEntry[] = [];
      for (const raw of page.entries) {
        const parsed = FeedEntryWireSchema.safeParse(raw);
        if (parsed.success) {
          const entry = parsed.data;
          const eventId = String(entry.seq);
          out.push(
            entry.type === 'upsert'
              ? {
                  kind: 'upsert',
                  key: entry.id,
                  entity: map(entry.record),
                  at: entry.at,
                  eventId,
                  reason: 'reference: endring',
                }
              : { kind: 'delete', key: entry.id, at: entry.at, eventId, reason: 'reference: opphørt' },
          );
          continue;
        }
        const seq = (raw as { seq?: unknown } | null)?.seq;
        const error = new UpstreamInvalidError(`Feed entry ${String(seq)} fails the wire schema`, {
          system: SYSTEM,
          record: `feed entry ${String(seq)}`,
          issues: parsed.error.issues.map((issue) => ({
            path: issue.path.map(String),
            message: issue.message,
          })),
          hint: 'The entry is quarantined; re-fetch the person once the register is fixed.',
        });
        if (bugs.has('quarantine_fails_page')) throw error;
        if (bugs.has('quarantine_drops_record')) continue;
        const rawId = (raw as { id?: unknown } | null)?.id;
        const keys =
          typeof rawId === 'string' && /^\d{11}$/.test(rawId)
            ? { key: bugs.has('quarantine_unmasked_key') ? rawId : maskFodselsnummer(rawId), rawKey: rawId }
            : {};
        quarantined.push(quarantine('feed_entry', error, keys, SYSTEM));
      }
      // The register's `next` is the last entry's seq, bad entries included: storing it skips nothing.
      after = page.next;
      yield { changes: out, quarantined, cursor: encodeCursor(after) };
    }
  }

  async function* scan(scanOptions: ScanOptions = {}): AsyncIterable<ScanPage<Person>> {
    if (bugs.has('silent_unsupported_scan')) return;
    let after = scanOptions.cursor;
    let carry: Person | undefined;
    for (;;) {
      const response = await send(
        { op: 'scan', limit: scanOptions.pageSize ?? 100, ...(after === undefined ? {} : { after }) },
        scanOptions.signal,
      );
      expectOk(response);
      const page = parse(ScanPageWireSchema, response.body, 'a scan page');
      const entities = page.records.map(map);
      if (bugs.has('scan_duplicates') && carry) entities.unshift(carry);
      carry = entities.at(-1);
      if (page.next === undefined) {
        yield { entities, quarantined: [] };
        return;
      }
      after = page.next;
      yield { entities, quarantined: [], cursor: after };
    }
  }

  async function apply(operation: RecordNoteOperation, applyOptions: ApplyOptions): Promise<ApplyResult> {
    throwIfAborted(applyOptions.signal);
    if (!capabilities.apply.includes(operation.type)) unsupported(SYSTEM, `apply(${operation.type})`);
    const existing = bugs.has('no_idempotency')
      ? undefined
      : archive.find(operation.target, applyOptions.idempotencyKey);
    if (existing) return { status: 'already_applied', detail: 'a note with this idempotency key exists' };
    const version = archive.add(operation.target, applyOptions.idempotencyKey, operation.payload.text);
    return { status: 'applied', ref: { id: maskFodselsnummer(operation.target), version: String(version) } };
  }

  return {
    system: SYSTEM,
    capabilities,
    async check(callOptions: CallOptions = {}): Promise<CheckResult> {
      const started = performance.now();
      try {
        const response = await send({ op: 'ping' }, callOptions.signal);
        expectOk(response);
        const ping = parse(PingWireSchema, response.body, 'a ping answer');
        return { ok: true, system: SYSTEM, latencyMs: performance.now() - started, detail: ping.version };
      } catch (error) {
        return {
          ok: false,
          system: SYSTEM,
          latencyMs: performance.now() - started,
          error: toRegisterbroError(error, SYSTEM),
        };
      }
    },
    get,
    getMany,
    changes,
    head,
    // With the `silent_unsupported_scan` bug, scan is undeclared yet quietly yields nothing.
    scan,
    apply,
    async close() {
      // Nothing to release in memory; the register's timers belong to the harness.
    },
  };
}
