import { type RegisterbroError, type SystemName, UnsupportedError, toRegisterbroError } from './errors.js';

/**
 * The adapter contract: one shape for every register.
 *
 * Keys are strings in each system's canonical text form (fødselsnummer, `kkkk-g/b/f/s`
 * matrikkelnummer, `YYYY/N` saksnummer, …). Cursors are opaque strings the adapter makes and the
 * engine stores; an adapter must accept any cursor it has produced, also after a restart.
 */

/** A record the adapter could not use, with the reason. It goes to the engine's quarantine. */
export interface QuarantineEntry {
  /** The record's key when known (masked by the adapter for fnr: use `maskFodselsnummer`). */
  key?: string;
  /** The raw key, unmasked, for the engine's own storage and re-fetch (never logged). */
  rawKey?: string;
  /** Which kind of record (`person`, `event`, `matrikkelenhet`, `saksmappe`, …). */
  recordType: string;
  /** The error; its `code` and message say what was wrong and what to do. */
  error: RegisterbroError;
}

/** An entity appeared or changed: `entity` is its current, complete canonical form. */
export interface UpsertChange<E> {
  kind: 'upsert';
  key: string;
  entity: E;
  /** When the change happened in the register, if it says. */
  at?: string;
  /** Human reason, e.g. `Folkeregisteret: flytting 2026-10-01`. Never holds an unmasked fnr. */
  reason?: string;
  /** The register's own id of the event (sequence number, change id). */
  eventId?: string;
}

/** The register says the entity is gone (opphørt, utgått, slettet). Only from complete evidence. */
export interface DeleteChange {
  kind: 'delete';
  key: string;
  at?: string;
  reason?: string;
  eventId?: string;
}

/**
 * The entity got a new key: a D-nummer replaced by an fnr, a matrikkelenhet split/merged or
 * renumbered (1854 → 1806). `to` may list several keys for a split.
 */
export interface RekeyChange<E> {
  kind: 'rekey';
  from: string;
  to: string[];
  /** The current entities under the new keys, when the adapter has them. */
  entities?: E[];
  at?: string;
  reason?: string;
  eventId?: string;
}

export type Change<E> = UpsertChange<E> | DeleteChange | RekeyChange<E>;

/**
 * One page of changes. `cursor` is the position after this page: everything before it is either in
 * `changes` or in `quarantined`, so storing it after handling the page never skips an event.
 */
export interface ChangePage<E> {
  changes: Change<E>[];
  quarantined: QuarantineEntry[];
  cursor: string;
}

/**
 * One page of a full scan. A scan that ends without throwing is complete, and only a complete scan
 * is evidence that a record missing from it is gone.
 */
export interface ScanPage<E> {
  entities: E[];
  quarantined: QuarantineEntry[];
  /** Position to resume an interrupted scan from, when the register allows it. */
  cursor?: string;
}

export interface GetManyResult<E> {
  entities: E[];
  /** Keys the register does not know. */
  missing: string[];
  quarantined: QuarantineEntry[];
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface ChangesOptions extends CallOptions {
  /** Largest page to ask for, where the register lets us choose. */
  pageSize?: number;
}

export interface ScanOptions extends CallOptions {
  pageSize?: number;
  /** Resume from a scan page cursor. */
  cursor?: string;
}

export interface ApplyOptions extends CallOptions {
  /**
   * Deterministic key derived from the operation's content. Applying the same operation twice
   * with the same key changes the target once.
   */
  idempotencyKey: string;
}

/** What happened when an operation was applied. */
export interface ApplyResult {
  /**
   * `applied`: this call made the change. `already_applied`: the target already held the wanted
   * state (an earlier attempt, or someone else, made it) — nothing was written.
   */
  status: 'applied' | 'already_applied';
  /** The written record (id, new version). */
  ref?: { id: string; version?: string };
  detail?: string;
}

/** Health of the connection to the register. */
export interface CheckResult {
  ok: boolean;
  system: SystemName;
  latencyMs: number;
  /** Endpoint or API version the adapter talked to. */
  detail?: string;
  error?: RegisterbroError;
}

/** What an adapter can do. Calls it cannot make throw `UnsupportedError`. */
export interface Capabilities {
  get: boolean;
  getMany: boolean;
  changes: boolean;
  scan: boolean;
  /** Operation types `apply` accepts; empty for read-only registers. */
  apply: readonly string[];
  /** Largest batch `getMany` sends in one request. */
  maxBatchSize?: number;
}

/** An operation for a writable system. Each adapter narrows `type` and `payload`. */
export interface Operation {
  type: string;
  /** The target record's key in the system. */
  target: string;
}

/**
 * The shape every adapter implements. `E` is its canonical entity, `Op` the operations it accepts.
 */
export interface Adapter<E, Op extends Operation = Operation> {
  readonly system: SystemName;
  readonly capabilities: Capabilities;
  check(options?: CallOptions): Promise<CheckResult>;
  /** The entity, or `null` when the register does not know the key (404). */
  get(key: string, options?: CallOptions): Promise<E | null>;
  getMany(keys: readonly string[], options?: CallOptions): Promise<GetManyResult<E>>;
  /**
   * Pages of changes after `cursor` (from the beginning when undefined) until caught up. An empty
   * register yields no page.
   */
  changes(cursor: string | undefined, options?: ChangesOptions): AsyncIterable<ChangePage<E>>;
  /** The cursor of the newest change now, to start following the feed after a full scan. */
  head(options?: CallOptions): Promise<string>;
  scan(options?: ScanOptions): AsyncIterable<ScanPage<E>>;
  apply(operation: Op, options: ApplyOptions): Promise<ApplyResult>;
  /** Release sockets and timers. */
  close?(): Promise<void>;
}

/** Throw the contract's typed error for a call the adapter does not support. */
export function unsupported(system: SystemName, call: string): never {
  throw new UnsupportedError(`${system} does not support ${call}`, {
    system,
    hint: 'Check the adapter capabilities before calling.',
  });
}

/** Build a quarantine entry from anything thrown while handling one record. */
export function quarantine(
  recordType: string,
  error: unknown,
  keys: { key?: string; rawKey?: string } = {},
  system?: SystemName,
): QuarantineEntry {
  return { recordType, error: toRegisterbroError(error, system), ...keys };
}

/** Collect an async iterable of pages into an array (tests and small registers only). */
export async function collectPages<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}
