import { createHash, randomUUID } from 'node:crypto';
import { ConflictError, type RegisterbroError, TimeoutError, UpstreamInvalidError } from '@registerbro/model';
import {
  type AuthProvider,
  type HttpClientOptions,
  type HttpResponse,
  createHttpClient,
  sleep,
} from '@registerbro/transport';
import type { z } from 'zod';
import { FIKS_ARKIV_CODECS } from './fiks/codec.js';
import {
  FIKS_ARKIV_ACK_TYPES,
  FIKS_ARKIV_ERROR_TYPES,
  FIKS_ARKIV_REPLIES,
  FiksArkivMessageTypes as T,
} from './fiks/message-types.js';
import type {
  Arkivmelding,
  ArkivmeldingKvittering,
  ArkivmeldingOppdatering,
  Feilmelding,
  JournalpostResultat,
  ReferanseTilMappe,
  ReferanseTilRegistrering,
  SaksmappeResultat,
  Sok,
  SokeresultatNoekler,
  SokeresultatUtvidet,
} from './fiks/model.js';
import { type FiksArkivReply, type FiksArkivTransport, fiksReplyError } from './fiks/transport.js';
import {
  NOARK5_MEDIA_TYPE,
  TgErrorWireSchema,
  type TgJournalpostWire,
  TgJournalpostWireSchema,
  type TgKlasseWire,
  TgKlasseWireSchema,
  type TgKorrespondansepartWire,
  TgKorrespondansepartWireSchema,
  TgListWireSchema,
  type TgPartWire,
  TgPartWireSchema,
  type TgSaksmappeWire,
  TgSaksmappeWireSchema,
} from './wire/tg.js';

/** Options of the Fiks Arkiv side of {@link createNoarkClient}. */
export interface NoarkFiksOptions {
  /** How messages travel: a Fiks IO client wrapped in the interface, or the simulator's HTTP transport. */
  transport: FiksArkivTransport;
  /** Our name in `<system>` and as `fagsystem` of external keys. @default 'registerbro' */
  system?: string;
  /** How long to wait for the final reply. @default 60_000 */
  replyTimeoutMs?: number;
  /** How often to look for replies. @default 25 */
  pollIntervalMs?: number;
  /**
   * Called with every payload sent and received (`direction`, message type, XML) before it is
   * used; throw to refuse it. Tests validate with xmllint here.
   */
  inspect?: (xml: string, messageType: string, direction: 'out' | 'in') => void | Promise<void>;
}

/** Options of {@link createNoarkClient}. */
export interface NoarkClientOptions {
  /** The Tjenestegrensesnitt API root, e.g. `https://arkiv.example.no/api` (the simulator's `tgBaseURL`). */
  baseURL: string;
  /** Credentials for the TG API. @default none */
  auth?: AuthProvider;
  /** Passed to the HTTP client: timeouts, retries, rate limit, circuit breaker. */
  http?: Partial<Omit<HttpClientOptions, 'baseURL' | 'system' | 'auth' | 'mapError'>>;
  /** Fiks Arkiv messaging; without it `client.fiks` is undefined. */
  fiks?: NoarkFiksOptions;
}

/** A TG object with the ETag it was read with. */
export interface Versioned<W> {
  wire: W;
  etag: string | undefined;
}

/** One page of a TG list. `results` are unparsed so one bad entry can be quarantined. */
export interface TgListPage {
  count: number;
  results: unknown[];
  /** The `next` link, when there are more results. */
  next?: string;
}

/** Query of a saksmappe list. */
export interface SaksmappeQuery {
  /** OData `$filter` (build literals with `odataString`/`odataDateTime`). */
  filter?: string;
  /** OData `$orderby`, e.g. `oppdatertDato asc, systemID asc`. */
  orderby?: string;
  /** Page size. @default 100 */
  top?: number;
  skip?: number;
  signal?: AbortSignal;
}

interface WriteOptions {
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/** The Noark 5 Tjenestegrensesnitt side of the client. */
export interface NoarkTgClient {
  /** GET the API root (`check`). */
  root(signal?: AbortSignal): Promise<Record<string, unknown>>;
  listSaksmapper(query: SaksmappeQuery): Promise<TgListPage>;
  /** Follow a `next` link. */
  next(href: string, signal?: AbortSignal): Promise<TgListPage>;
  getSaksmappe(systemId: string, signal?: AbortSignal): Promise<Versioned<TgSaksmappeWire> | null>;
  createSaksmappe(body: Record<string, unknown>, options?: WriteOptions): Promise<Versioned<TgSaksmappeWire>>;
  getPart(systemId: string, signal?: AbortSignal): Promise<Versioned<TgPartWire> | null>;
  putPart(
    systemId: string,
    body: Record<string, unknown>,
    etag: string,
    options?: WriteOptions,
  ): Promise<Versioned<TgPartWire>>;
  newPart(
    caseSystemId: string,
    kind: 'person' | 'organisation',
    body: Record<string, unknown>,
    options?: WriteOptions,
  ): Promise<Versioned<TgPartWire>>;
  getKlasse(systemId: string, signal?: AbortSignal): Promise<Versioned<TgKlasseWire> | null>;
  putKlasse(
    systemId: string,
    body: Record<string, unknown>,
    etag: string,
    options?: WriteOptions,
  ): Promise<Versioned<TgKlasseWire>>;
  /**
   * DELETE a klasse (`If-Match` required): true when deleted, false when it was not there (404),
   * e.g. because an earlier attempt already removed it.
   */
  deleteKlasse(systemId: string, etag: string, options?: WriteOptions): Promise<boolean>;
  listJournalposter(caseSystemId: string, signal?: AbortSignal): Promise<TgListPage>;
  getJournalpost(systemId: string, signal?: AbortSignal): Promise<Versioned<TgJournalpostWire> | null>;
  createJournalpost(
    caseSystemId: string,
    body: Record<string, unknown>,
    options?: WriteOptions,
  ): Promise<Versioned<TgJournalpostWire>>;
  getKorrespondansepart(
    systemId: string,
    signal?: AbortSignal,
  ): Promise<Versioned<TgKorrespondansepartWire> | null>;
  putKorrespondansepart(
    systemId: string,
    body: Record<string, unknown>,
    etag: string,
    options?: WriteOptions,
  ): Promise<Versioned<TgKorrespondansepartWire>>;
}

/** Options of one Fiks Arkiv request. */
export interface FiksRequestOptions {
  /** Derives a stable `klientMeldingId`, so a retried message is dropped as a duplicate. */
  idempotencyKey?: string;
  /** What the message concerns, for errors. */
  record?: string;
  signal?: AbortSignal;
}

/** The Fiks Arkiv side of the client. */
export interface NoarkFiksClient {
  /** Our `system`/`fagsystem` name. */
  readonly system: string;
  /** arkivmelding.opprett → its kvittering. */
  opprett(melding: Arkivmelding, options?: FiksRequestOptions): Promise<ArkivmeldingKvittering>;
  /** arkivmelding.oppdater → resolves on its kvittering. */
  oppdater(melding: ArkivmeldingOppdatering, options?: FiksRequestOptions): Promise<void>;
  /** mappe.hent → the saksmappe, or null (ikkefunnet). */
  hentMappe(ref: ReferanseTilMappe, options?: FiksRequestOptions): Promise<SaksmappeResultat | null>;
  /** registrering.hent → the journalpost, or null (ikkefunnet). */
  hentRegistrering(
    ref: ReferanseTilRegistrering,
    options?: FiksRequestOptions,
  ): Promise<JournalpostResultat | null>;
  /** sok → utvidet or noekler result, as asked. */
  sok(sok: Sok, options?: FiksRequestOptions): Promise<SokeresultatUtvidet | SokeresultatNoekler>;
}

/** The client for both Noark interfaces. */
export interface NoarkClient {
  tg: NoarkTgClient;
  /** Present when `fiks` options were given. */
  fiks: NoarkFiksClient | undefined;
  close(): void;
}

/** A stable UUID from an idempotency key (SHA-256, formatted as a version-5-style UUID). */
export function klientMeldingIdFor(idempotencyKey: string): string {
  const h = createHash('sha256').update(`registerbro:fiks:${idempotencyKey}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((Number.parseInt(h.slice(16, 17), 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Create a client for the Noark 5 Tjenestegrensesnitt (REST) and, with `fiks`, KS Fiks Arkiv V1.
 *
 * @example
 * const client = createNoarkClient({ baseURL: 'https://arkiv.example.no/api', auth: basicAuth(u, p) });
 * const page = await client.tg.listSaksmapper({ filter: "saksaar eq 2026", top: 50 });
 */
export function createNoarkClient(options: NoarkClientOptions): NoarkClient {
  const http = createHttpClient({
    system: 'noark',
    ...options.http,
    baseURL: options.baseURL,
    ...(options.auth ? { auth: options.auth } : {}),
    headers: { accept: NOARK5_MEDIA_TYPE, ...options.http?.headers },
    mapError: (response, request): RegisterbroError | undefined => {
      const body = TgErrorWireSchema.safeParse(safeJson(response.body));
      const detail = body.success ? `: ${body.data.feil.beskrivelse}` : '';
      if (response.status === 409 || response.status === 412) {
        return new ConflictError(
          `noark: ${request.record ?? request.path} changed underneath us (HTTP ${response.status})${detail}`,
          {
            code: 'etag_mismatch',
            system: 'noark',
            ...(request.record ? { record: request.record } : {}),
            hint: 'Read the object again and re-apply the change if it still holds.',
            details: { status: response.status },
          },
        );
      }
      return undefined;
    },
  });

  function read<S extends z.ZodType>(res: HttpResponse, schema: S, record: string): z.infer<S> {
    const type = res.headers['content-type'] ?? '';
    if (!type.includes(NOARK5_MEDIA_TYPE) && !type.includes('application/json')) {
      throw new UpstreamInvalidError(
        `noark: ${record} came as "${type || 'no media type'}", not ${NOARK5_MEDIA_TYPE}`,
        {
          code: 'unsupported_media_type',
          system: 'noark',
          record,
          excerpt: res.body.slice(0, 200),
          hint: 'Point baseURL at the Tjenestegrensesnitt API root (it answers application/vnd.noark5+json).',
        },
      );
    }
    const parsed = schema.safeParse(res.json());
    if (!parsed.success) {
      throw new UpstreamInvalidError(`noark: ${record} does not match the Noark 5 TG schema`, {
        system: 'noark',
        record,
        issues: parsed.error.issues.map((i) => ({
          path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
          message: i.message,
        })),
        excerpt: res.body.slice(0, 200),
      });
    }
    return parsed.data;
  }

  const versioned = <S extends z.ZodType>(
    res: HttpResponse,
    schema: S,
    record: string,
  ): Versioned<z.infer<S>> => ({
    wire: read(res, schema, record),
    etag: res.headers.etag,
  });

  async function getOne<S extends z.ZodType>(path: string, schema: S, record: string, signal?: AbortSignal) {
    const res = await http.request({
      method: 'GET',
      path,
      okStatuses: [404],
      record,
      ...(signal ? { signal } : {}),
    });
    if (res.status === 404) return null;
    return versioned(res, schema, record);
  }

  async function write<S extends z.ZodType>(
    method: 'PUT' | 'POST',
    path: string,
    body: Record<string, unknown>,
    schema: S,
    record: string,
    o: WriteOptions & { etag?: string } = {},
  ) {
    const res = await http.request({
      method,
      path,
      body: JSON.stringify(body),
      headers: {
        'content-type': NOARK5_MEDIA_TYPE,
        ...(o.etag ? { 'if-match': o.etag } : {}),
        // Real archives ignore it; the simulator logs it so tests can count duplicates.
        ...(o.idempotencyKey ? { 'x-idempotency-key': o.idempotencyKey } : {}),
      },
      // A PUT with If-Match is safe to retry (a second one fails the precondition); POSTs are not.
      idempotent: method === 'PUT',
      record,
      ...(o.signal ? { signal: o.signal } : {}),
    });
    return versioned(res, schema, record);
  }

  function page(res: HttpResponse, record: string): TgListPage {
    const list = read(res, TgListWireSchema, record);
    const next = list._links?.next?.href;
    return { count: list.count, results: list.results ?? [], ...(next ? { next } : {}) };
  }

  const tg: NoarkTgClient = {
    // https://github.com/arkivverket/noark5-tjenestegrensesnitt-standard — kapittel 6 "Konsepter og prinsipper", rotnivå
    async root(signal) {
      const res = await http.request({
        method: 'GET',
        path: '/',
        ...(signal ? { signal } : {}),
        record: 'API root',
      });
      return read(res, TgListWireSchema.pick({ _links: true }).loose(), 'API root') as Record<
        string,
        unknown
      >;
    },
    // … kapittel 7 sakarkiv/saksmappe, with OData $filter/$orderby/$top/$skip (kapittel 6 "Søk og filtrering")
    async listSaksmapper(q) {
      const res = await http.request({
        method: 'GET',
        path: '/sakarkiv/saksmappe/',
        query: { $filter: q.filter, $orderby: q.orderby, $top: q.top ?? 100, $skip: q.skip },
        record: 'saksmappe list',
        ...(q.signal ? { signal: q.signal } : {}),
      });
      return page(res, 'saksmappe list');
    },
    async next(href, signal) {
      const res = await http.request({
        method: 'GET',
        path: href,
        record: 'saksmappe list (next)',
        ...(signal ? { signal } : {}),
      });
      return page(res, 'saksmappe list (next)');
    },
    // … sakarkiv/saksmappe/{systemID}
    getSaksmappe: (id, signal) =>
      getOne(
        `/sakarkiv/saksmappe/${encodeURIComponent(id)}/`,
        TgSaksmappeWireSchema,
        `saksmappe ${id}`,
        signal,
      ),
    // … sakarkiv/ny-saksmappe (POST a new saksmappe)
    createSaksmappe: (body, o) =>
      write('POST', '/sakarkiv/ny-saksmappe/', body, TgSaksmappeWireSchema, 'new saksmappe', o),
    // … arkivstruktur/part (PartPerson/PartEnhet)
    getPart: (id, signal) =>
      getOne(`/arkivstruktur/part/${encodeURIComponent(id)}/`, TgPartWireSchema, `part ${id}`, signal),
    putPart: (id, body, etag, o) =>
      write('PUT', `/arkivstruktur/part/${encodeURIComponent(id)}/`, body, TgPartWireSchema, `part ${id}`, {
        ...o,
        etag,
      }),
    // … sakarkiv/saksmappe/{id}/ny-partperson | ny-partenhet
    newPart: (caseId, kind, body, o) =>
      write(
        'POST',
        `/sakarkiv/saksmappe/${encodeURIComponent(caseId)}/ny-part${kind === 'organisation' ? 'enhet' : 'person'}/`,
        body,
        TgPartWireSchema,
        `new part on saksmappe ${caseId}`,
        o,
      ),
    // … arkivstruktur/klasse
    getKlasse: (id, signal) =>
      getOne(`/arkivstruktur/klasse/${encodeURIComponent(id)}/`, TgKlasseWireSchema, `klasse ${id}`, signal),
    putKlasse: (id, body, etag, o) =>
      write(
        'PUT',
        `/arkivstruktur/klasse/${encodeURIComponent(id)}/`,
        body,
        TgKlasseWireSchema,
        `klasse ${id}`,
        { ...o, etag },
      ),
    // … arkivstruktur/klasse/{systemID} — kapittel 6 "Slette objekter": DELETE on the self link, 204
    async deleteKlasse(id, etag, o = {}) {
      const res = await http.request({
        method: 'DELETE',
        path: `/arkivstruktur/klasse/${encodeURIComponent(id)}/`,
        headers: {
          'if-match': etag,
          ...(o.idempotencyKey ? { 'x-idempotency-key': o.idempotencyKey } : {}),
        },
        okStatuses: [404],
        record: `klasse ${id}`,
        ...(o.signal ? { signal: o.signal } : {}),
      });
      return res.status !== 404;
    },
    // … sakarkiv/saksmappe/{id}/registrering
    async listJournalposter(caseId, signal) {
      const res = await http.request({
        method: 'GET',
        path: `/sakarkiv/saksmappe/${encodeURIComponent(caseId)}/registrering/`,
        record: `journalposter of saksmappe ${caseId}`,
        ...(signal ? { signal } : {}),
      });
      return page(res, `journalposter of saksmappe ${caseId}`);
    },
    // … sakarkiv/journalpost/{systemID}
    getJournalpost: (id, signal) =>
      getOne(
        `/sakarkiv/journalpost/${encodeURIComponent(id)}/`,
        TgJournalpostWireSchema,
        `journalpost ${id}`,
        signal,
      ),
    // … sakarkiv/saksmappe/{id}/ny-journalpost
    createJournalpost: (caseId, body, o) =>
      write(
        'POST',
        `/sakarkiv/saksmappe/${encodeURIComponent(caseId)}/ny-journalpost/`,
        body,
        TgJournalpostWireSchema,
        `new journalpost on saksmappe ${caseId}`,
        o,
      ),
    // … arkivstruktur/korrespondansepart
    getKorrespondansepart: (id, signal) =>
      getOne(
        `/arkivstruktur/korrespondansepart/${encodeURIComponent(id)}/`,
        TgKorrespondansepartWireSchema,
        `korrespondansepart ${id}`,
        signal,
      ),
    putKorrespondansepart: (id, body, etag, o) =>
      write(
        'PUT',
        `/arkivstruktur/korrespondansepart/${encodeURIComponent(id)}/`,
        body,
        TgKorrespondansepartWireSchema,
        `korrespondansepart ${id}`,
        {
          ...o,
          etag,
        },
      ),
  };

  const fiks = options.fiks ? createFiksClient(options.fiks) : undefined;
  return {
    tg,
    fiks,
    close() {
      http.close();
      void options.fiks?.transport.close?.();
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

type Codecs = Record<string, { encode(b: unknown): string; decode(x: string, r?: string): unknown }>;

function createFiksClient(o: NoarkFiksOptions): NoarkFiksClient {
  const system = o.system ?? 'registerbro';
  const timeoutMs = o.replyTimeoutMs ?? 60_000;
  const interval = o.pollIntervalMs ?? 25;
  const codecs = FIKS_ARKIV_CODECS as unknown as Codecs;

  async function request(
    type: string,
    body: unknown,
    ro: FiksRequestOptions,
  ): Promise<{ type: string; body: unknown }> {
    const record = ro.record ?? type;
    const codec = codecs[type];
    if (!codec) throw new TypeError(`no codec for ${type}`);
    const payload = codec.encode(body);
    await o.inspect?.(payload, type, 'out');
    const klientMeldingId = ro.idempotencyKey ? klientMeldingIdFor(ro.idempotencyKey) : randomUUID();
    const { meldingId } = await o.transport.send(
      {
        meldingstype: type,
        klientMeldingId,
        payload,
        ...(ro.idempotencyKey ? { idempotencyKey: ro.idempotencyKey } : {}),
      },
      ro.signal ? { signal: ro.signal } : {},
    );
    const allowed = FIKS_ARKIV_REPLIES[type] ?? [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const replies: FiksArkivReply[] = await o.transport.replies(
        meldingId,
        ro.signal ? { signal: ro.signal } : {},
      );
      for (const r of replies) {
        if (!(allowed as readonly string[]).includes(r.meldingstype)) {
          throw new UpstreamInvalidError(
            `Fiks Arkiv: ${r.meldingstype} is not a reply to ${type} (${record})`,
            {
              code: 'unexpected_reply',
              system: 'noark',
              record,
              hint: 'The archive answered with a message type meldingstyper.json does not allow for this request.',
            },
          );
        }
      }
      const final = replies.find((r) => !FIKS_ARKIV_ACK_TYPES.has(r.meldingstype));
      if (final) {
        if (final.payload !== undefined) await o.inspect?.(final.payload, final.meldingstype, 'in');
        if (FIKS_ARKIV_ERROR_TYPES.has(final.meldingstype)) {
          const f = codecs[final.meldingstype]?.decode(final.payload ?? '', record) as Feilmelding;
          throw fiksReplyError(final.meldingstype, f.feilmelding, record);
        }
        const replyCodec = codecs[final.meldingstype];
        const decoded =
          replyCodec && final.payload !== undefined ? replyCodec.decode(final.payload, record) : undefined;
        return { type: final.meldingstype, body: decoded };
      }
      if (Date.now() > deadline) {
        throw new TimeoutError(`Fiks Arkiv: no reply to ${type} (${record}) within ${timeoutMs} ms`, {
          system: 'noark',
          record,
          timeoutMs,
          hint: 'Send it again with the same idempotency key; the archive drops the duplicate if the first arrived.',
        });
      }
      await sleep(interval, {
        signal: ro.signal,
        system: 'noark',
        message: 'Fiks Arkiv: waiting for a reply was aborted',
      });
    }
  }

  const notFoundAsNull = async <R>(p: Promise<R>): Promise<R | null> => {
    try {
      return await p;
    } catch (error) {
      if ((error as RegisterbroError).code === 'not_found') return null;
      throw error;
    }
  };

  return {
    system,
    async opprett(melding, ro = {}) {
      const r = await request(T.arkivmeldingOpprett, melding, { record: 'arkivmelding', ...ro });
      return r.body as ArkivmeldingKvittering;
    },
    async oppdater(melding, ro = {}) {
      await request(T.arkivmeldingOppdater, melding, { record: 'arkivmelding oppdatering', ...ro });
    },
    hentMappe: (ref, ro = {}) =>
      notFoundAsNull(
        request(T.mappeHent, { system, referanseTilMappe: ref, inkluder: ['part', 'klasse'] }, ro).then(
          (r) => (r.body as { saksmappe?: SaksmappeResultat }).saksmappe ?? null,
        ),
      ),
    hentRegistrering: (ref, ro = {}) =>
      notFoundAsNull(
        request(
          T.registreringHent,
          { system, referanseTilRegistrering: ref, inkluder: ['korrespondansepart'] },
          ro,
        ).then((r) => (r.body as { journalpost?: JournalpostResultat }).journalpost ?? null),
      ),
    async sok(sok, ro = {}) {
      const r = await request(T.sok, sok, ro);
      return r.body as SokeresultatUtvidet | SokeresultatNoekler;
    },
  };
}
