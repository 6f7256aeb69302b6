import {
  type Adapter,
  type Address,
  type ApplyOptions,
  type ApplyResult,
  type ArchiveRecord,
  type CallOptions,
  type Capabilities,
  type Case,
  type ChangePage,
  type ChangesOptions,
  ConflictError,
  type GetManyResult,
  type QuarantineEntry,
  RegisterbroError,
  type ScanOptions,
  type ScanPage,
  UnsupportedError,
  UpstreamInvalidError,
  isRegisterbroError,
  hasErrorCode,
  quarantine,
} from '@registerbro/model';
import { runCheck } from '@registerbro/transport';
import { type NoarkClient, type NoarkClientOptions, createNoarkClient } from './client.js';
import type { Arkivmelding, Part as FiksPart } from './fiks/model.js';
import { fromAddress, fromParty } from './mappers/to-party.js';
import { isFrozenJournalstatus, mappetypeOf, toCase, toRecord } from './mappers/to-case.js';
import { datetimeInstant, odataString } from './odata/filter.js';
import {
  type AddPartyOperation,
  type CreateCaseOperation,
  NOARK_OPERATION_TYPES,
  type NoarkOperation,
  type PartyExpectation,
  type RekeyClassOperation,
  type RekeyPartyIdentifierOperation,
  type RemoveClassOperation,
  type UpdatePartyOperation,
} from './operations.js';
import {
  type TgAdresseWire,
  type TgKlasseWire,
  type TgPartWire,
  type TgSaksmappeWire,
  TgJournalpostWireSchema,
  TgSaksmappeWireSchema,
} from './wire/tg.js';

/** Options of {@link createNoarkAdapter}: the client's, plus how the adapter reads and writes. */
export interface NoarkAdapterOptions extends NoarkClientOptions {
  /** Use this client instead of creating one (its options then win). */
  client?: NoarkClient;
  /** Our name as `eksternID.system` / `referanseEksternNoekkel.fagsystem`. @default 'registerbro' */
  fagsystem?: string;
  /**
   * Return screened data (FNR classes and party identifiers of screened cases). Only for callers
   * entitled to it. @default false
   */
  includeScreened?: boolean;
  /** Page size for changes and scan when the caller gives none. @default 100 */
  pageSize?: number;
  /** Create cases through Fiks Arkiv when `fiks` is configured (else through the TG). @default true */
  createViaFiks?: boolean;
}

/** The Noark adapter: the shared contract plus archive-specific reads. */
export interface NoarkAdapter extends Adapter<Case, NoarkOperation> {
  /** The journalposts of a case (by saksnummer or systemID); bad ones are quarantined. */
  getRecords(
    caseKey: string,
    options?: CallOptions,
  ): Promise<{ records: ArchiveRecord[]; quarantined: QuarantineEntry[] } | null>;
  /** The underlying client. */
  readonly client: NoarkClient;
}

const SAKSNUMMER = /^(\d{4})\/(\d+)$/;
const START = 'noark:v1:start';
const CHANGES_ORDER = 'oppdatertDato asc, systemID asc';
const OPEN_FILTER = "avsluttetDato eq null and saksstatus ne 'A' and saksstatus ne 'U'";

/**
 * A position in the changes order. `t` is `oppdatertDato` exactly as the archive wrote it: a
 * re-formatted value (`new Date(t).toISOString()`) loses digits below the millisecond and moves
 * offset timestamps, and the next keyset query then returns the same case again.
 */
interface Position {
  t: string;
  id: string;
}

/** The position of a list entry, when its `oppdatertDato` and `systemID` can be used in a filter. */
function positionOf(raw: unknown): Position | undefined {
  const r = raw as { oppdatertDato?: unknown; systemID?: unknown } | null | undefined;
  if (
    typeof r?.oppdatertDato !== 'string' ||
    typeof r.systemID !== 'string' ||
    datetimeInstant(r.oppdatertDato) === undefined
  )
    return undefined;
  return { t: r.oppdatertDato, id: r.systemID };
}

function formatCursor(p: Position | undefined): string {
  return p ? `noark:v1:${p.t}|${p.id}` : START;
}

function parseCursor(cursor: string | undefined): Position | undefined {
  if (cursor === undefined || cursor === START) return undefined;
  const m = /^noark:v1:([^|]+)\|(.+)$/.exec(cursor);
  if (!m || datetimeInstant(m[1] as string) === undefined) {
    throw new RegisterbroError(
      'cursor_invalid',
      `noark: "${cursor.slice(0, 80)}" is not a cursor this adapter made`,
      {
        system: 'noark',
        hint: 'Start from head() or from undefined (the beginning).',
      },
    );
  }
  return { t: m[1] as string, id: m[2] as string };
}

/** Saksnummer of a raw list entry, for quarantine keys, when it can be read. */
function rawKeyOf(raw: unknown): { key?: string; rawKey?: string } {
  if (typeof raw !== 'object' || raw === null) return {};
  const r = raw as Record<string, unknown>;
  const id = typeof r.systemID === 'string' ? r.systemID : undefined;
  const key =
    typeof r.saksaar === 'number' && typeof r.sakssekvensnummer === 'number'
      ? `${r.saksaar}/${r.sakssekvensnummer}`
      : id;
  return { ...(key ? { key } : {}), ...(id ? { rawKey: id } : {}) };
}

const sameAddress = (a: TgAdresseWire | undefined, b: TgAdresseWire | undefined) =>
  JSON.stringify(normAddress(a)) === JSON.stringify(normAddress(b));

function normAddress(a: TgAdresseWire | undefined) {
  if (!a) return null;
  const lines = [a.adresselinje1, a.adresselinje2, a.adresselinje3].filter(
    (x) => x !== undefined && x !== '',
  );
  if (lines.length === 0 && !a.postnr && !a.poststed) return null;
  return {
    lines,
    postnr: a.postnr ?? '',
    poststed: a.poststed ?? '',
    landkode: a.landkode && a.landkode !== 'NO' ? a.landkode : '',
  };
}

/** The fields of a part or korrespondansepart the writes read and change. */
type PartLike = {
  navn: string;
  postadresse?: TgAdresseWire | undefined;
  personidentifikator?: { foedselsnummer: string }[] | undefined;
  virksomhetsspesifikkeMetadata?: Record<string, unknown> | undefined;
};

type PartySet = UpdatePartyOperation['set'];

/** Read-only fields of a sakspart / korrespondansepart that are not sent back on PUT. */
const PART_STRIP = ['_links', 'systemID', 'oppdatertDato'] as const;
const KP_STRIP = ['_links', 'systemID'] as const;

function stripped(wire: PartLike, strip: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(wire as Record<string, unknown>) };
  for (const k of strip) delete out[k];
  return out;
}

const isDeceased = (wire: PartLike) => wire.virksomhetsspesifikkeMetadata?.personstatus === 'doed';

/** The body to PUT for a party: its current representation with `set` applied. */
function desiredPart(current: PartLike, set: PartySet, strip: readonly string[]): Record<string, unknown> {
  const out = stripped(current, strip);
  if (set.name !== undefined) out.navn = set.name;
  if (set.address === null) delete out.postadresse;
  else if (set.address !== undefined) out.postadresse = fromAddress(set.address);
  if (set.deceased !== undefined) {
    const meta = { ...((out.virksomhetsspesifikkeMetadata as Record<string, unknown> | undefined) ?? {}) };
    if (set.deceased) meta.personstatus = 'doed';
    else delete meta.personstatus;
    if (Object.keys(meta).length) out.virksomhetsspesifikkeMetadata = meta;
    else delete out.virksomhetsspesifikkeMetadata;
  }
  return out;
}

/** True when a party already holds every value `set` asks for. */
function holds(current: PartLike, set: PartySet): boolean {
  if (set.name !== undefined && current.navn !== set.name) return false;
  if (set.address === null && normAddress(current.postadresse) !== null) return false;
  if (set.address && !sameAddress(current.postadresse, fromAddress(set.address))) return false;
  if (set.deceased !== undefined && isDeceased(current) !== set.deceased) return false;
  return true;
}

/**
 * The fields that hold neither the value planned against (`expected`) nor the wanted one: the
 * archive was edited there after the plan. Field names only, never values (they may be personal).
 */
function editedFields(current: PartLike, set: PartySet, expected: PartyExpectation): string[] {
  const out: string[] = [];
  if (expected.name !== undefined) {
    const planned = expected.name ?? '';
    if (current.navn !== planned && !(set.name !== undefined && current.navn === set.name)) out.push('name');
  }
  if (expected.address !== undefined) {
    const key = (a: Address | null) => JSON.stringify(a === null ? null : normAddress(fromAddress(a)));
    const now = JSON.stringify(normAddress(current.postadresse));
    if (now !== key(expected.address) && !(set.address !== undefined && now === key(set.address)))
      out.push('address');
  }
  if (expected.deceased !== undefined) {
    const now = isDeceased(current);
    if (now !== (expected.deceased ?? false) && !(set.deceased !== undefined && now === set.deceased))
      out.push('deceased');
  }
  return out;
}

function classesOf(wire: TgSaksmappeWire): TgKlasseWire[] {
  return [...(wire.klasse ? [wire.klasse] : []), ...(wire.sekundaerklassifikasjon ?? [])];
}

const systemOf = (k: TgKlasseWire) =>
  k.klassifikasjonssystem?.kode ?? k.klassifikasjonssystem?.systemID ?? 'ukjent';

/**
 * Create the Noark 5 adapter: canonical Cases (with parties and classes) from the
 * Tjenestegrensesnitt, changes by `oppdatertDato` (with `systemID` as tiebreak), a scan of open
 * cases, and idempotent writes (compare-and-set with ETag/If-Match; creates keyed by `eksternID`).
 *
 * @example
 * const adapter = createNoarkAdapter({ baseURL: 'https://arkiv.example.no/api', auth: basicAuth(u, p) });
 * for await (const page of adapter.changes(cursor)) { … }
 */
export function createNoarkAdapter(options: NoarkAdapterOptions): NoarkAdapter {
  const client = options.client ?? createNoarkClient(options);
  const tg = client.tg;
  const fagsystem = options.fagsystem ?? client.fiks?.system ?? 'registerbro';
  const defaultPageSize = options.pageSize ?? 100;
  const includeScreened = options.includeScreened ?? false;
  const createViaFiks = options.createViaFiks ?? true;

  const capabilities: Capabilities = {
    get: true,
    getMany: true,
    changes: true,
    scan: true,
    apply: NOARK_OPERATION_TYPES,
    maxBatchSize: 1,
  };

  const now = () => new Date().toISOString();
  const mapCase = (wire: TgSaksmappeWire, version?: string) =>
    toCase(wire, { fetchedAt: now(), includeScreened, ...(version ? { version } : {}) });

  /** Parse one list entry into a Case, or a quarantine entry naming it. */
  function entry(raw: unknown): { case: Case } | { quarantined: QuarantineEntry } {
    const keys = rawKeyOf(raw);
    const parsed = TgSaksmappeWireSchema.safeParse(raw);
    if (!parsed.success) {
      const error = new UpstreamInvalidError(
        `noark: saksmappe ${keys.key ?? '(unknown)'} in a list does not match the Noark 5 TG schema`,
        {
          system: 'noark',
          ...(keys.key ? { record: `saksmappe ${keys.key}` } : {}),
          issues: parsed.error.issues.slice(0, 10).map((i) => ({
            path: i.path.map((x) => (typeof x === 'symbol' ? String(x) : x)),
            message: i.message,
            code: i.code,
          })),
          hint: 'Check the saksmappe in the archive; it is quarantined until it is fixed.',
        },
      );
      return { quarantined: quarantine('saksmappe', error, keys, 'noark') };
    }
    try {
      return { case: mapCase(parsed.data) };
    } catch (error) {
      return { quarantined: quarantine('saksmappe', error, keys, 'noark') };
    }
  }

  async function resolveSystemId(key: string, signal?: AbortSignal): Promise<string | null> {
    const m = SAKSNUMMER.exec(key);
    if (!m) return key;
    const page = await tg.listSaksmapper({
      filter: `saksaar eq ${Number(m[1])} and sakssekvensnummer eq ${Number(m[2])}`,
      top: 1,
      ...(signal ? { signal } : {}),
    });
    const first = page.results[0] as { systemID?: unknown } | undefined;
    return typeof first?.systemID === 'string' ? first.systemID : null;
  }

  async function readCase(key: string, signal?: AbortSignal) {
    const id = await resolveSystemId(key, signal);
    if (id === null) return null;
    return tg.getSaksmappe(id, signal);
  }

  async function requireCase(key: string, what: string, signal?: AbortSignal) {
    const got = await readCase(key, signal);
    if (!got) {
      throw new ConflictError(`noark: ${what}: case ${key} does not exist`, {
        code: 'target_missing',
        system: 'noark',
        record: `saksmappe ${key}`,
        hint: 'The case was deleted or its key is wrong; resolve the conflict in Registerbro.',
      });
    }
    return got;
  }

  /** How to read and write one party (a sakspart, or a korrespondansepart on a journalpost). */
  interface PartyAccess {
    /** Names the party for errors: its systemID and the case (never an identifier). */
    record: string;
    id: string;
    read(): Promise<{ wire: PartLike; etag: string | undefined; frozen?: string } | null>;
    write(body: Record<string, unknown>, etag: string): Promise<string | undefined>;
  }

  /** What one operation wants of a party. */
  interface PartyDecision {
    /** The party already holds what the operation wants. */
    holds(wire: PartLike): boolean;
    /** Fields edited in the archive since the plan (neither the expected nor the wanted value). */
    edited(wire: PartLike, etag: string | undefined): string[];
    /** The full body to PUT. */
    body(wire: PartLike): Record<string, unknown>;
  }

  const writeOptions = (o: ApplyOptions) => ({
    idempotencyKey: o.idempotencyKey,
    ...(o.signal ? { signal: o.signal } : {}),
  });

  function sakspart(target: string, partySystemId: string, o: ApplyOptions): PartyAccess {
    return {
      record: `part ${partySystemId} on saksmappe ${target}`,
      id: partySystemId,
      async read() {
        const got = await tg.getPart(partySystemId, o.signal);
        return got && { wire: got.wire, etag: got.etag };
      },
      async write(body, etag) {
        return (await tg.putPart(partySystemId, body, etag, writeOptions(o))).etag;
      },
    };
  }

  function korrespondansepart(
    target: string,
    recordSystemId: string,
    partySystemId: string,
    o: ApplyOptions,
  ): PartyAccess {
    const record = `korrespondansepart ${partySystemId} on journalpost ${recordSystemId} (saksmappe ${target})`;
    return {
      record,
      id: partySystemId,
      async read() {
        const jp = await tg.getJournalpost(recordSystemId, o.signal);
        if (!jp)
          throw new ConflictError(`noark: journalpost ${recordSystemId} does not exist`, {
            code: 'target_missing',
            system: 'noark',
            record,
          });
        if (!jp.wire.korrespondansepart?.some((k) => k.systemID === partySystemId)) return null;
        const got = await tg.getKorrespondansepart(partySystemId, o.signal);
        if (!got) return null;
        const kode = jp.wire.journalstatus.kode;
        return { wire: got.wire, etag: got.etag, ...(isFrozenJournalstatus(kode) ? { frozen: kode } : {}) };
      },
      async write(body, etag) {
        return (await tg.putKorrespondansepart(partySystemId, body, etag, writeOptions(o))).etag;
      },
    };
  }

  /**
   * Compare-and-set on one party: done when it already holds the wanted values; refused
   * (`local_edit`) when a field was edited in the archive after the plan; else written with
   * If-Match. A 409/412 on the write means someone wrote in between: read again and decide once
   * more, so a concurrent local edit is still refused and a concurrent identical write is done.
   */
  async function compareAndSet(
    access: PartyAccess,
    decision: PartyDecision,
    target: string,
  ): Promise<ApplyResult> {
    const { record, id } = access;
    let mismatch: unknown;
    for (let attempt = 0; attempt < 2; attempt++) {
      const got = await access.read();
      if (!got) {
        throw new ConflictError(`noark: ${record} does not exist`, {
          code: 'target_missing',
          system: 'noark',
          record,
          ...(mismatch ? { cause: mismatch } : {}),
        });
      }
      if (decision.holds(got.wire))
        return { status: 'already_applied', ref: { id, ...(got.etag ? { version: got.etag } : {}) } };
      if (got.frozen) {
        // Noark 5: a journalført, ekspedert or arkivert journalpost is not edited.
        throw new ConflictError(`noark: ${record} cannot be changed: journalstatus ${got.frozen} is final`, {
          code: 'frozen',
          system: 'noark',
          record,
          ...(mismatch ? { cause: mismatch } : {}),
          hint: 'A finalised journalpost keeps its correspondence parties as they were; leave it or register a new one.',
        });
      }
      const edited = decision.edited(got.wire, got.etag);
      if (edited.length > 0) {
        throw new ConflictError(
          `noark: ${record} was edited in the archive after the change was planned (${edited.join(', ')} differ from the planned values); nothing was written`,
          {
            code: 'local_edit',
            system: 'noark',
            record,
            ...(mismatch ? { cause: mismatch } : {}),
            details: { caseKey: target, partySystemId: id, fields: edited },
            hint: 'Someone changed the party in the archive; compare it with the master and resolve the conflict in Registerbro.',
          },
        );
      }
      if (!got.etag) {
        throw new ConflictError(`noark: ${record} came without an ETag, so it cannot be changed safely`, {
          code: 'etag_missing',
          system: 'noark',
          record,
          hint: 'The archive must send ETag on single objects (Noark 5 TG kapittel 6).',
        });
      }
      try {
        const etag = await access.write(decision.body(got.wire), got.etag);
        return { status: 'applied', ref: { id, ...(etag ? { version: etag } : {}) } };
      } catch (error) {
        if (!hasErrorCode(error, 'etag_mismatch')) throw error;
        mismatch = error;
      }
    }
    throw new ConflictError(`noark: ${record} changed twice while we updated it; nothing was written`, {
      code: 'etag_mismatch',
      system: 'noark',
      record,
      cause: mismatch,
      hint: 'The party is being edited right now; apply again later.',
    });
  }

  /** The decision of an update: `set` wanted, `expected` (or `expectedVersion`) planned against. */
  function updateDecision(
    set: PartySet,
    expected: PartyExpectation | undefined,
    expectedVersion: string | undefined,
    strip: readonly string[],
  ): PartyDecision {
    return {
      holds: (wire) => holds(wire, set),
      edited: (wire, etag) => {
        if (expected) return editedFields(wire, set, expected);
        // Without values to compare, a changed version is all we can tell: refuse rather than overwrite.
        return expectedVersion !== undefined && etag !== undefined && etag !== expectedVersion
          ? ['version']
          : [];
      },
      body: (wire) => desiredPart(wire, set, strip),
    };
  }

  async function rekeyIdentifier(op: RekeyPartyIdentifierOperation, o: ApplyOptions): Promise<ApplyResult> {
    const access = op.recordSystemId
      ? korrespondansepart(op.target, op.recordSystemId, op.partySystemId, o)
      : sakspart(op.target, op.partySystemId, o);
    const ids = (wire: PartLike) => (wire.personidentifikator ?? []).map((p) => p.foedselsnummer);
    return compareAndSet(
      access,
      {
        holds: (wire) => ids(wire).includes(op.to) && !ids(wire).includes(op.from),
        edited: (wire) => (ids(wire).includes(op.from) ? [] : ['identifier']),
        body: (wire) => {
          const out = stripped(wire, op.recordSystemId ? KP_STRIP : PART_STRIP);
          // The TG's personidentifikator carries fnr and D-nummer alike in `foedselsnummer` here.
          out.personidentifikator = (wire.personidentifikator ?? []).map((p) =>
            p.foedselsnummer === op.from ? { ...p, foedselsnummer: op.to } : p,
          );
          return out;
        },
      },
      op.target,
    );
  }

  function matchesParty(p: TgPartWire, party: AddPartyOperation['party']): boolean {
    const id = p.personidentifikator?.[0]?.foedselsnummer ?? p.organisasjonsnummer;
    if (party.identifier) return id === party.identifier;
    return !id && p.navn === party.name && p.partRolle.kode === (party.role ?? 'Part');
  }

  async function addParty(
    caseWire: TgSaksmappeWire,
    party: AddPartyOperation['party'],
    o: ApplyOptions,
  ): Promise<ApplyResult> {
    const existing = (caseWire.part ?? []).find((p) => matchesParty(p, party));
    if (existing) return { status: 'already_applied', ref: { id: existing.systemID } };
    const created = await tg.newPart(
      caseWire.systemID,
      party.kind === 'organisation' ? 'organisation' : 'person',
      fromParty(party),
      {
        idempotencyKey: o.idempotencyKey,
        ...(o.signal ? { signal: o.signal } : {}),
      },
    );
    return {
      status: 'applied',
      ref: { id: created.wire.systemID, ...(created.etag ? { version: created.etag } : {}) },
    };
  }

  /**
   * Remove a class from a case (DELETE on the klasse, If-Match the ETag read). Absent → done. With
   * `keep`, the case must hold that class besides the one removed, so a merge never leaves the case
   * without its property.
   */
  async function removeClass(op: RemoveClassOperation, o: ApplyOptions): Promise<ApplyResult> {
    const record = `klasse ${op.system} ${op.classId} on saksmappe ${op.target}`;
    const find = async () => {
      const got = await requireCase(op.target, 'remove_class', o.signal);
      const classes = classesOf(got.wire);
      const matches = classes.filter((k) => systemOf(k) === op.system && k.klasseID === op.classId);
      const chosen = matches.find((k) => k.systemID === op.classSystemId) ?? matches[0];
      return { classes, chosen };
    };
    let mismatch: unknown;
    for (let attempt = 0; attempt < 2; attempt++) {
      const { classes, chosen } = await find();
      if (!chosen) return { status: 'already_applied' };
      if (
        op.keep !== undefined &&
        !classes.some((k) => k !== chosen && systemOf(k) === op.system && k.klasseID === op.keep)
      ) {
        throw new ConflictError(
          `noark: ${record} is not removed: the case does not hold the class ${op.keep} it should keep`,
          {
            code: 'kept_class_missing',
            system: 'noark',
            record,
            details: { caseKey: op.target, classId: op.classId, keep: op.keep },
            hint: 'Someone changed the classes of the case; compare them with Matrikkelen and resolve the conflict.',
          },
        );
      }
      const klasse = await tg.getKlasse(chosen.systemID, o.signal);
      if (!klasse) continue;
      if (!klasse.etag)
        throw new ConflictError(`noark: ${record} came without an ETag`, {
          code: 'etag_missing',
          system: 'noark',
          record,
        });
      try {
        if (await tg.deleteKlasse(chosen.systemID, klasse.etag, writeOptions(o)))
          return { status: 'applied', ref: { id: chosen.systemID } };
      } catch (error) {
        if (!hasErrorCode(error, 'etag_mismatch')) throw error;
        mismatch = error;
      }
    }
    // Gone in between (an earlier attempt, or someone else): done. Still there: refuse.
    if (!(await find()).chosen) return { status: 'already_applied' };
    throw new ConflictError(`noark: ${record} changed while we removed it; nothing was removed`, {
      code: 'etag_mismatch',
      system: 'noark',
      record,
      ...(mismatch ? { cause: mismatch } : {}),
    });
  }

  async function rekeyClass(op: RekeyClassOperation, o: ApplyOptions): Promise<ApplyResult> {
    const record = `klasse ${op.system} ${op.from} on saksmappe ${op.target}`;
    const got = await requireCase(op.target, 'rekey_class', o.signal);
    const classes = classesOf(got.wire);
    const from = classes.find((k) => systemOf(k) === op.system && k.klasseID === op.from);
    const to = classes.find((k) => systemOf(k) === op.system && k.klasseID === op.to);
    if (!from) {
      if (to) return { status: 'already_applied', ref: { id: to.systemID } };
      throw new ConflictError(`noark: ${record} does not exist`, {
        code: 'target_missing',
        system: 'noark',
        record,
        hint: 'Someone changed the class; compare with Matrikkelen and resolve the conflict.',
      });
    }
    const klasse = await tg.getKlasse(from.systemID, o.signal);
    if (!klasse?.etag)
      throw new ConflictError(`noark: ${record} came without an ETag`, {
        code: 'etag_missing',
        system: 'noark',
        record,
      });
    const { _links: _l, ...body } = klasse.wire;
    try {
      const put = await tg.putKlasse(
        from.systemID,
        { ...body, klasseID: op.to, tittel: op.title ?? op.to },
        klasse.etag,
        {
          idempotencyKey: o.idempotencyKey,
          ...(o.signal ? { signal: o.signal } : {}),
        },
      );
      return { status: 'applied', ref: { id: from.systemID, ...(put.etag ? { version: put.etag } : {}) } };
    } catch (error) {
      if (!hasErrorCode(error, 'etag_mismatch')) throw error;
      const again = await requireCase(op.target, 'rekey_class', o.signal);
      const ks = classesOf(again.wire);
      if (
        !ks.some((k) => systemOf(k) === op.system && k.klasseID === op.from) &&
        ks.some((k) => systemOf(k) === op.system && k.klasseID === op.to)
      ) {
        return { status: 'already_applied', ref: { id: from.systemID } };
      }
      throw new ConflictError(`noark: ${record} changed while we re-keyed it; nothing was written`, {
        code: 'etag_mismatch',
        system: 'noark',
        record,
        cause: error,
      });
    }
  }

  async function findByExternalKey(key: string, signal?: AbortSignal) {
    const page = await tg.listSaksmapper({
      filter: `eksternID/eksternID eq ${odataString(key)} and eksternID/system eq ${odataString(fagsystem)}`,
      top: 2,
      ...(signal ? { signal } : {}),
    });
    const first = page.results[0];
    if (first === undefined) return null;
    const parsed = TgSaksmappeWireSchema.safeParse(first);
    if (!parsed.success) {
      throw new UpstreamInvalidError(`noark: the case with eksternID ${key} does not match the TG schema`, {
        system: 'noark',
        record: `eksternID ${key}`,
      });
    }
    return parsed.data;
  }

  const noteKey = (key: string) => `${key}/notat`;

  async function noteExists(caseId: string, key: string, signal?: AbortSignal): Promise<string | undefined> {
    const list = await tg.listJournalposter(caseId, signal);
    for (const raw of list.results) {
      const jp = TgJournalpostWireSchema.safeParse(raw);
      if (jp.success && jp.data.eksternID?.some((e) => e.eksternID === noteKey(key))) return jp.data.systemID;
    }
    return undefined;
  }

  /** Add what an earlier, interrupted TG create left out (parties, the note). */
  async function completeCase(
    caseWire: TgSaksmappeWire,
    op: CreateCaseOperation,
    o: ApplyOptions,
  ): Promise<string[]> {
    const done: string[] = [];
    for (const party of op.case.parties) {
      const r = await addParty(caseWire, party, o);
      if (r.status === 'applied') done.push(`party ${party.name}`);
    }
    if (!(await noteExists(caseWire.systemID, op.target, o.signal))) {
      await tg.createJournalpost(
        caseWire.systemID,
        {
          tittel: op.note.title,
          journalposttype: { kode: op.note.journalposttype ?? 'X' },
          journalstatus: { kode: 'F' },
          eksternID: [{ system: fagsystem, eksternID: noteKey(op.target) }],
        },
        { idempotencyKey: o.idempotencyKey, ...(o.signal ? { signal: o.signal } : {}) },
      );
      done.push('note');
    }
    return done;
  }

  async function createCase(op: CreateCaseOperation, o: ApplyOptions): Promise<ApplyResult> {
    const record = `case with eksternID ${op.target}`;
    const existing = await findByExternalKey(op.target, o.signal);
    if (existing) {
      const added = await completeCase(existing, op, o);
      return added.length === 0
        ? { status: 'already_applied', ref: { id: existing.systemID } }
        : {
            status: 'applied',
            ref: { id: existing.systemID },
            detail: `completed an earlier partial create: ${added.join(', ')}`,
          };
    }
    if (client.fiks && createViaFiks) {
      // One arkivmelding holds the case and its note: the archive creates both or neither.
      const ext = { fagsystem, noekkel: op.target };
      const melding: Arkivmelding = {
        system: fagsystem,
        antallFiler: 0,
        mappe: {
          type: 'saksmappe',
          tittel: op.case.title,
          part: op.case.parties.map(toFiksPart),
          ...(op.case.screened
            ? { skjerming: { tilgangsrestriksjon: { kode: 'UO' }, skjermingshjemmel: 'Offl. § 13' } }
            : {}),
          klassifikasjon: op.case.classes.map((c) => ({
            klassifikasjonssystemID: c.system,
            klasseID: c.classId,
            ...(c.title ? { tittel: c.title } : {}),
          })),
          referanseEksternNoekkel: ext,
          mappetype: { kode: mappetypeOf(op.case.caseType) },
        },
        registrering: {
          type: 'journalpost',
          referanseForelderMappe: { referanseEksternNoekkel: ext },
          part: [],
          dokumentbeskrivelse: [],
          tittel: op.note.title,
          korrespondansepart: [],
          referanseEksternNoekkel: { fagsystem, noekkel: noteKey(op.target) },
          journalposttype: { kode: op.note.journalposttype ?? 'X' },
          journalstatus: { kode: 'F' },
        },
      };
      const kv = await client.fiks.opprett(melding, {
        idempotencyKey: o.idempotencyKey,
        record,
        ...(o.signal ? { signal: o.signal } : {}),
      });
      const m = kv.mappe;
      const r = kv.registrering;
      if (!m || 'feilet' in m) {
        throw new RegisterbroError(
          'create_failed',
          `noark: the archive did not create ${record}: ${m && 'feilet' in m ? m.feilet.feilmelding : 'no mappe in the receipt'}; nothing was created`,
          {
            system: 'noark',
            record,
          },
        );
      }
      if (!r || 'feilet' in r) {
        throw new RegisterbroError(
          'partially_applied',
          `noark: ${record} was created (${m.systemID}) but its note was not; apply again to complete it`,
          {
            system: 'noark',
            record,
            retryable: true,
            details: { caseSystemId: m.systemID, applied: ['case'], missing: ['note'] },
          },
        );
      }
      const both =
        m.opprettetEllerEksisterende === 'Eksisterende' && r.opprettetEllerEksisterende === 'Eksisterende';
      return { status: both ? 'already_applied' : 'applied', ref: { id: m.systemID } };
    }
    const [first, ...rest] = op.case.classes;
    const klasse = (c: { system: string; classId: string; title?: string }) => ({
      klasseID: c.classId,
      tittel: c.title ?? c.classId,
      klassifikasjonssystem: { kode: c.system },
    });
    const created = await tg.createSaksmappe(
      {
        tittel: op.case.title,
        mappetype: { kode: mappetypeOf(op.case.caseType) },
        eksternID: [{ system: fagsystem, eksternID: op.target }],
        ...(first ? { klasse: klasse(first) } : {}),
        ...(rest.length ? { sekundaerklassifikasjon: rest.map(klasse) } : {}),
      },
      { idempotencyKey: o.idempotencyKey, ...(o.signal ? { signal: o.signal } : {}) },
    );
    try {
      await completeCase(created.wire, op, o);
    } catch (error) {
      throw new RegisterbroError(
        'partially_applied',
        `noark: ${record} was created (${created.wire.systemID}) but not completed; apply again to finish it`,
        {
          system: 'noark',
          record,
          retryable: true,
          cause: error,
          details: { caseSystemId: created.wire.systemID, applied: ['case'] },
        },
      );
    }
    return {
      status: 'applied',
      ref: { id: created.wire.systemID, ...(created.etag ? { version: created.etag } : {}) },
    };
  }

  async function* pagesOfChanges(
    cursor: string | undefined,
    o: ChangesOptions,
  ): AsyncIterable<ChangePage<Case>> {
    let pos = parseCursor(cursor);
    const top = o.pageSize ?? defaultPageSize;
    for (;;) {
      // Keyset paging from the last position, not the `next` link's $skip: a case updated while we
      // page moves to the end of the order, and a skip-based next page would then skip another.
      const filter = pos
        ? `oppdatertDato gt ${pos.t} or (oppdatertDato eq ${pos.t} and systemID gt ${odataString(pos.id)})`
        : undefined;
      const page = await tg.listSaksmapper({
        ...(filter ? { filter } : {}),
        orderby: CHANGES_ORDER,
        top,
        ...(o.signal ? { signal: o.signal } : {}),
      });
      if (page.results.length === 0) return;
      const out: ChangePage<Case> = { changes: [], quarantined: [], cursor: '' };
      const before = pos;
      for (const raw of page.results) {
        const e = entry(raw);
        if ('case' in e) {
          out.changes.push({
            kind: 'upsert',
            key: e.case.saksnummer,
            entity: e.case,
            ...(e.case.updatedAt ? { at: e.case.updatedAt } : {}),
            eventId: `${e.case.systemId}@${e.case.updatedAt ?? ''}`,
          });
        } else out.quarantined.push(e.quarantined);
        pos = positionOf(raw) ?? pos;
      }
      if (pos === before && page.next) {
        // A full page none of whose entries has a usable oppdatertDato: the next query would return
        // the same page again. Stop with the cursor where it was instead of looping.
        const keys = page.results.map((r) => rawKeyOf(r).key ?? '(unknown)').slice(0, 5);
        throw new UpstreamInvalidError(
          `noark: no saksmappe in a changes page has a usable oppdatertDato (${keys.join(', ')}); the feed cannot move past them`,
          {
            system: 'noark',
            record: `saksmappe ${keys[0] ?? '(unknown)'}`,
            hint: 'Fix oppdatertDato on these cases in the archive, or read them with a larger page size.',
          },
        );
      }
      out.cursor = formatCursor(pos);
      yield out;
      if (!page.next) return;
    }
  }

  async function* pagesOfScan(o: ScanOptions): AsyncIterable<ScanPage<Case>> {
    let after = o.cursor;
    const top = o.pageSize ?? defaultPageSize;
    for (;;) {
      const filter = after ? `systemID gt ${odataString(after)} and ${OPEN_FILTER}` : OPEN_FILTER;
      const page = await tg.listSaksmapper({
        filter,
        orderby: 'systemID asc',
        top,
        ...(o.signal ? { signal: o.signal } : {}),
      });
      if (page.results.length === 0) return;
      const out: ScanPage<Case> = { entities: [], quarantined: [] };
      for (const raw of page.results) {
        const e = entry(raw);
        if ('case' in e) out.entities.push(e.case);
        else out.quarantined.push(e.quarantined);
        const id = (raw as { systemID?: unknown }).systemID;
        if (typeof id === 'string') after = id;
      }
      if (after) out.cursor = after;
      yield out;
      if (!page.next) return;
    }
  }

  const adapter: NoarkAdapter = {
    system: 'noark',
    capabilities,
    client,

    check(o = {}) {
      return runCheck('noark', async () => {
        await tg.root(o.signal);
        return 'Noark 5 Tjenestegrensesnitt';
      });
    },

    async get(key, o = {}) {
      const got = await readCase(key, o.signal);
      return got ? mapCase(got.wire, got.etag) : null;
    },

    async getMany(keys, o = {}) {
      const result: GetManyResult<Case> = { entities: [], missing: [], quarantined: [] };
      for (const key of keys) {
        // A broken response fails the call; a case that cannot be mapped is quarantined.
        const got = await readCase(key, o.signal);
        if (!got) {
          result.missing.push(key);
          continue;
        }
        try {
          result.entities.push(mapCase(got.wire, got.etag));
        } catch (error) {
          result.quarantined.push(
            quarantine('saksmappe', error, { key, rawKey: got.wire.systemID }, 'noark'),
          );
        }
      }
      return result;
    },

    changes(cursor, o = {}) {
      return pagesOfChanges(cursor, o);
    },

    async head(o = {}) {
      const page = await tg.listSaksmapper({
        orderby: 'oppdatertDato desc, systemID desc',
        top: 1,
        ...(o.signal ? { signal: o.signal } : {}),
      });
      return formatCursor(positionOf(page.results[0]));
    },

    scan(o = {}) {
      return pagesOfScan(o);
    },

    async getRecords(caseKey, o = {}) {
      const id = await resolveSystemId(caseKey, o.signal);
      if (id === null) return null;
      const list = await tg.listJournalposter(id, o.signal);
      const records: ArchiveRecord[] = [];
      const quarantined: QuarantineEntry[] = [];
      for (const raw of list.results) {
        const keys = rawKeyOf(raw);
        const parsed = TgJournalpostWireSchema.safeParse(raw);
        try {
          if (!parsed.success)
            throw new UpstreamInvalidError(
              `noark: a journalpost of saksmappe ${caseKey} does not match the TG schema`,
              { system: 'noark', record: `saksmappe ${caseKey}` },
            );
          records.push(toRecord(parsed.data, { fetchedAt: now(), caseSystemId: id, includeScreened }));
        } catch (error) {
          quarantined.push(quarantine('journalpost', error, keys, 'noark'));
        }
      }
      return { records, quarantined };
    },

    async apply(op, o) {
      if (!(NOARK_OPERATION_TYPES as readonly string[]).includes(op.type)) {
        throw new UnsupportedError(`noark does not support operation ${String(op.type)}`, {
          system: 'noark',
        });
      }
      try {
        return await applyOne(op, o);
      } catch (error) {
        throw unreadableIsRetryable(error);
      }
    },

    async close() {
      if (!options.client) client.close();
    },
  };

  /** One operation, by type (see {@link NoarkAdapter.apply}). */
  async function applyOne(op: Parameters<NoarkAdapter['apply']>[0], o: ApplyOptions): Promise<ApplyResult> {
    switch (op.type) {
      case 'update_party':
        return compareAndSet(
          sakspart(op.target, op.partySystemId, o),
          updateDecision(op.set, op.expected, op.expectedVersion, PART_STRIP),
          op.target,
        );
      case 'remove_party_address':
        // No expectation: whatever address is there goes (see RemovePartyAddressOperation).
        return compareAndSet(
          sakspart(op.target, op.partySystemId, o),
          updateDecision({ address: null }, undefined, undefined, PART_STRIP),
          op.target,
        );
      case 'rekey_party_identifier':
        return rekeyIdentifier(op, o);
      case 'remove_class':
        return removeClass(op, o);
      case 'add_party': {
        const got = await requireCase(op.target, 'add_party', o.signal);
        return addParty(got.wire, op.party, o);
      }
      case 'rekey_class':
        return rekeyClass(op, o);
      case 'create_case':
        return createCase(op, o);
      case 'update_correspondence_party':
        return compareAndSet(
          korrespondansepart(op.target, op.recordSystemId, op.partySystemId, o),
          updateDecision(op.set, op.expected, op.expectedVersion, KP_STRIP),
          op.target,
        );
    }
  }
  return adapter;
}

/**
 * An answer the archive sent during a write that could not be read (not JSON, not the TG shape: a
 * proxy's garbage, a cut-off body) says nothing about the operation itself: it is retried, bounded
 * by the outbox, instead of failing the write for good — a write given up for good is not planned
 * again until a full sync. A retry is safe: every write re-reads and compares first, and a create
 * is looked up by its external key.
 */
export function unreadableIsRetryable(error: unknown): unknown {
  if (!isRegisterbroError(error) || error.retryable || error.code !== 'upstream_invalid') return error;
  return new UpstreamInvalidError(error.message, {
    system: 'noark',
    ...(error.record ? { record: error.record } : {}),
    retryable: true,
    cause: error,
    hint: 'The archive answered with a body that could not be read; the write is tried again before it is given up.',
  });
}

function toFiksPart(p: AddPartyOperation['party']): FiksPart {
  const address = p.address ? fromAddress(p.address) : undefined;
  const lines = address
    ? [address.adresselinje1, address.adresselinje2, address.adresselinje3].filter((x): x is string => !!x)
    : [];
  return {
    partNavn: p.name,
    partRolle: { kode: p.role ?? 'Part' },
    ...(p.identifier?.length === 11 ? { personID: { landkode: 'NO', identifikator: p.identifier } } : {}),
    ...(p.identifier?.length === 9 ? { organisasjonID: { identifikator: p.identifier } } : {}),
    postadresse: lines,
    ...(address?.postnr ? { postnummer: address.postnr } : {}),
    ...(address?.poststed ? { poststed: address.poststed } : {}),
  };
}
