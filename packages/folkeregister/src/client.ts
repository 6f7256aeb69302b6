import {
  HttpError,
  maskFodselsnummer,
  type RegisterbroError,
  UpstreamInvalidError,
} from '@registerbro/model';
import {
  type AuthProvider,
  bearerAuth,
  createHttpClient,
  type HttpClient,
  type HttpClientOptions,
  type HttpResponse,
  parseRetryAfter,
  type TokenProvider,
} from '@registerbro/transport';
import { excerptOf, maskIdentifierLike, wireInvalid } from './wire/common.js';
import { errorBodyOn200, parseFolkeregisterErrorBody, toFolkeregisterError } from './wire/errors.js';
import { parseFeedPage, type ParsedFeedPage } from './wire/feed.js';
import { parseFeedAtom } from './wire/feed-atom.js';
import { type DokumentForHendelseWire, DokumentForHendelseWireSchema } from './wire/hendelse.js';
import {
  type FolkeregisterpersonWire,
  FolkeregisterpersonWireSchema,
  type OppslagWire,
  OppslagWireSchema,
  PersonBulkoppslagResponseWireSchema,
} from './wire/person.js';
import {
  type TilpassetUttrekkJobbRequestWire,
  UttrekkDataResponseWireSchema,
  UttrekkJobbResponseWireSchema,
} from './wire/uttrekk.js';

/** Largest number of identifiers one `personer/bulkoppslag` call takes. */
export const BULKOPPSLAG_MAX = 1000;

/** Maskinporten scopes per rettighetspakke (the token must carry the one for the path used). */
export const FOLKEREGISTER_SCOPES: Readonly<Record<string, string>> = {
  'offentlig-med-hjemmel': 'folkeregister:deling/offentligmedhjemmel',
  'offentlig-uten-hjemmel': 'folkeregister:deling/offentligutenhjemmel',
  'privat-med-hjemmel': 'folkeregister:deling/privatmedhjemmel',
};

/** Options of {@link createFolkeregisterClient}. */
export interface FolkeregisterClientOptions {
  /** Scheme and host of the API. @default 'https://folkeregisteret.api.skatteetaten.no' */
  baseURL?: string;
  /** The rettighetspakke in the path (`/folkeregisteret/{rettighetspakke}/api/v1/`). @default 'offentlig-med-hjemmel' */
  rettighetspakke?: string;
  /** Access tokens (e.g. `createMaskinportenTokenProvider`); sent as `Authorization: Bearer`. @default undefined */
  tokenProvider?: TokenProvider;
  /** Any other credentials; wins over `tokenProvider`. @default undefined */
  auth?: AuthProvider;
  /**
   * Options passed to the transport's HTTP client (timeouts, retries, backoff, rate limit, circuit
   * breaker). `retryAfterUnit` is fixed to milliseconds, as Skatteetaten sends it.
   * @default {}
   */
  http?: Partial<Omit<HttpClientOptions, 'system' | 'baseURL' | 'auth' | 'mapError' | 'retryAfterUnit'>>;
}

/** Per-call options. */
export interface FolkeregisterCallOptions {
  signal?: AbortSignal;
}

/** Options of a person lookup. */
export interface PersonLookupOptions extends FolkeregisterCallOptions {
  /** Only these parts of the document (`part=navn&part=identifikasjonsnummer`). @default the whole document */
  part?: readonly string[];
}

/** A bulk lookup's answer, validated once per response; bad entries are split off, not thrown. */
export interface BulkoppslagResult {
  oppslag: OppslagWire[];
  /** Entries that failed the wire schema (the identifier when readable, raw). */
  invalid: { foedselsEllerDNummer?: string; error: UpstreamInvalidError }[];
}

/** A feed read: either the page, or `notModified` when the ETag still matches (304). */
export type FeedResult =
  | { notModified: true; etag?: string }
  | { notModified: false; page: ParsedFeedPage; etag?: string };

/** Options of a feed read. */
export interface FeedOptions extends FolkeregisterCallOptions {
  /** The ETag of an earlier read of the same `seq`: a 304 comes back when nothing is new. */
  ifNoneMatch?: string;
  /** @default 'json' */
  format?: 'json' | 'atom';
}

/** State of one extract batch. */
export type UttrekkBatch =
  | { state: 'pending' }
  | { state: 'done' }
  | { state: 'batch'; foedselsEllerDNummer: string[]; dokumentidentifikator?: string[] };

/** The wire-level client of Folkeregisteret's REST API (v1, rettighetspakke in the path). */
export interface FolkeregisterClient {
  /** `GET personer/{id}`: the validated person document, or `null` when unknown (404). */
  getPerson(id: string, options?: PersonLookupOptions): Promise<FolkeregisterpersonWire | null>;
  /** `POST personer/bulkoppslag`: up to {@link BULKOPPSLAG_MAX} identifiers. */
  bulkoppslag(ids: readonly string[], options?: PersonLookupOptions): Promise<BulkoppslagResult>;
  /** `GET hendelser/feed?seq=N`: up to 1000 events from `seq` (inclusive). */
  feed(seq: number, options?: FeedOptions): Promise<FeedResult>;
  /** `GET hendelser/siste/sekvensnummer`. */
  sisteSekvensnummer(options?: FolkeregisterCallOptions): Promise<number>;
  /** `GET hendelser/{id}`: an event document, or `null` when unknown. */
  getHendelse(id: string, options?: FolkeregisterCallOptions): Promise<DokumentForHendelseWire | null>;
  /** `GET uttrekk/komplett`: order a complete extract; resolves to the jobbId. */
  bestillKomplettUttrekk(options?: FolkeregisterCallOptions & { feedsekvensnr?: number }): Promise<string>;
  /** `POST uttrekk/tilpasset`: order a tailored extract; resolves to the jobbId. */
  bestillTilpassetUttrekk(
    request: TilpassetUttrekkJobbRequestWire,
    options?: FolkeregisterCallOptions,
  ): Promise<string>;
  /** `GET uttrekk/{jobbid}/batch/{n}`: 404 → pending, `{}` → done, else the batch's identifiers. */
  hentUttrekkBatch(jobbId: string, batch: number, options?: FolkeregisterCallOptions): Promise<UttrekkBatch>;
  /** The path prefix in use, `folkeregisteret/{rettighetspakke}/api/v1`. */
  readonly basePath: string;
  close(): void;
}

const JSON_ACCEPT = { accept: 'application/json' };

/**
 * Create the wire-level Folkeregisteret client over the transport's resilient HTTP client: typed
 * errors for all three error body shapes, `Retry-After` read as milliseconds, one token refresh on
 * 401, and every response validated against its wire schema once.
 *
 * @example
 * const client = createFolkeregisterClient({ tokenProvider: maskinporten });
 * const person = await client.getPerson('***********');
 */
export function createFolkeregisterClient(options: FolkeregisterClientOptions = {}): FolkeregisterClient {
  const rettighetspakke = options.rettighetspakke ?? 'offentlig-med-hjemmel';
  const basePath = `folkeregisteret/${rettighetspakke}/api/v1`;
  const auth = options.auth ?? (options.tokenProvider ? bearerAuth(options.tokenProvider) : undefined);
  const http: HttpClient = createHttpClient({
    ...options.http,
    system: 'folkeregister',
    baseURL: options.baseURL ?? 'https://folkeregisteret.api.skatteetaten.no',
    retryAfterUnit: 'milliseconds',
    auth,
    mapError: (response, request): RegisterbroError =>
      toFolkeregisterError({
        status: response.status,
        method: request.method,
        url: response.url,
        body: response.body,
        retryAfterMs: parseRetryAfter(response.headers['retry-after'], 'milliseconds'),
        record: request.record,
      }),
  });

  /**
   * The parsed JSON body. Transport's error for a malformed body quotes the URL and the body, in
   * which an identifier of any shape may stand (the model masks only 11 digits in a row): it is
   * rebuilt masked, without the cause that holds the parser's quote of the body.
   */
  function parseJson(response: HttpResponse, record?: string): unknown {
    try {
      return response.json();
    } catch (error) {
      if (!(error instanceof UpstreamInvalidError)) throw error;
      throw new UpstreamInvalidError(maskIdentifierLike(error.message), {
        system: 'folkeregister',
        code: error.code,
        record: record ?? error.record,
        excerpt: excerptOf(response.body),
        retryable: error.retryable,
        hint: error.hint,
      });
    }
  }

  /** JSON body of a 200, refusing an error body disguised as success. */
  function jsonOf(response: HttpResponse, what: string, record?: string): unknown {
    const body = parseJson(response, record);
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
      const err = parseFolkeregisterErrorBody(body);
      if (err) throw errorBodyOn200(err, what, record);
    }
    return body;
  }

  return {
    basePath,

    async getPerson(id, callOptions = {}) {
      const record = `person ${maskFodselsnummer(id)}`;
      // https://skatteetaten.github.io/folkeregisteret-api-dokumentasjon/oppslag/ (GET /v1/personer/{personidentifikator})
      const response = await http.request({
        method: 'GET',
        path: `${basePath}/personer/${encodeURIComponent(id)}`,
        query: callOptions.part ? { part: callOptions.part } : undefined,
        headers: JSON_ACCEPT,
        okStatuses: [404],
        signal: callOptions.signal,
        record,
      });
      if (response.status === 404) return null;
      const body = jsonOf(response, 'a person lookup', record);
      const parsed = FolkeregisterpersonWireSchema.safeParse(body);
      if (!parsed.success)
        throw wireInvalid('the person document', parsed.error, {
          record,
          excerpt: excerptOf(response.body),
        });
      return parsed.data;
    },

    async bulkoppslag(ids, callOptions = {}) {
      if (ids.length > BULKOPPSLAG_MAX) {
        throw new RangeError(`bulkoppslag takes at most ${BULKOPPSLAG_MAX} identifiers, got ${ids.length}`);
      }
      const record = `bulkoppslag of ${ids.length}`;
      // https://skatteetaten.github.io/folkeregisteret-api-dokumentasjon/oppslag/ (POST /v1/personer/bulkoppslag)
      const response = await http.request({
        method: 'POST',
        path: `${basePath}/personer/bulkoppslag`,
        query: callOptions.part ? { part: callOptions.part } : undefined,
        headers: JSON_ACCEPT,
        body: { foedselsEllerDNummer: ids },
        // A lookup changes nothing, so retrying it is safe.
        idempotent: true,
        signal: callOptions.signal,
        record,
      });
      const body = jsonOf(response, 'a bulk lookup', record);
      const fast = PersonBulkoppslagResponseWireSchema.safeParse(body);
      if (fast.success) return { oppslag: fast.data.oppslag, invalid: [] };
      const list = (body as { oppslag?: unknown } | null)?.oppslag;
      if (!Array.isArray(list)) {
        throw wireInvalid('the bulk lookup response', fast.error, {
          record,
          excerpt: excerptOf(response.body),
        });
      }
      // Slow path: find the bad entries so the good ones still count.
      const result: BulkoppslagResult = { oppslag: [], invalid: [] };
      for (const entry of list) {
        const one = OppslagWireSchema.safeParse(entry);
        if (one.success) {
          result.oppslag.push(one.data);
          continue;
        }
        const raw = (entry as { foedselsEllerDNummer?: unknown } | null)?.foedselsEllerDNummer;
        const rawId = typeof raw === 'string' ? raw : undefined;
        result.invalid.push({
          foedselsEllerDNummer: rawId,
          error: wireInvalid('the person document', one.error, {
            record: rawId ? `person ${maskFodselsnummer(rawId)}` : 'person (unreadable identifier)',
            excerpt: excerptOf(entry),
          }),
        });
      }
      return result;
    },

    async feed(seq, callOptions = {}) {
      const format = callOptions.format ?? 'json';
      const headers: Record<string, string> = {
        accept: format === 'atom' ? 'application/atom+xml' : 'application/json',
      };
      if (callOptions.ifNoneMatch) headers['if-none-match'] = callOptions.ifNoneMatch;
      // https://skatteetaten.github.io/folkeregisteret-api-dokumentasjon/hendelsesliste/ (GET /v1/hendelser/feed?seq=N)
      const response = await http.request({
        method: 'GET',
        path: `${basePath}/hendelser/feed`,
        query: { seq },
        headers,
        okStatuses: [304],
        signal: callOptions.signal,
        record: `hendelser/feed?seq=${seq}`,
      });
      const etag = response.headers.etag;
      if (response.status === 304) return { notModified: true, etag };
      const page =
        format === 'atom'
          ? parseFeedAtom(response.body, seq)
          : parseFeedPage(jsonOf(response, 'the event feed', `hendelser/feed?seq=${seq}`), seq);
      return { notModified: false, page, etag };
    },

    async sisteSekvensnummer(callOptions = {}) {
      // https://skatteetaten.github.io/folkeregisteret-api-dokumentasjon/hendelsesliste/ (GET /v1/hendelser/siste/sekvensnummer)
      const response = await http.request({
        method: 'GET',
        path: `${basePath}/hendelser/siste/sekvensnummer`,
        headers: JSON_ACCEPT,
        signal: callOptions.signal,
      });
      const body = jsonOf(response, 'siste/sekvensnummer');
      const value =
        typeof body === 'object' && body !== null
          ? (body as { sekvensnummer?: unknown }).sekvensnummer
          : body;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
        throw new UpstreamInvalidError('Folkeregisteret: siste/sekvensnummer is not a non-negative integer', {
          system: 'folkeregister',
          excerpt: excerptOf(response.body),
          hint: 'Retry later; the cursor is not moved.',
        });
      }
      return value;
    },

    async getHendelse(id, callOptions = {}) {
      // https://skatteetaten.github.io/folkeregisteret-api-dokumentasjon/hendelsesliste/ (GET /v1/hendelser/{hendelsesidentifikator})
      const response = await http.request({
        method: 'GET',
        path: `${basePath}/hendelser/${encodeURIComponent(id)}`,
        headers: JSON_ACCEPT,
        okStatuses: [404],
        signal: callOptions.signal,
        record: `hendelse ${id}`,
      });
      if (response.status === 404) return null;
      const body = jsonOf(response, 'an event document', `hendelse ${id}`);
      const parsed = DokumentForHendelseWireSchema.safeParse(body);
      if (!parsed.success) {
        throw wireInvalid('the event document', parsed.error, {
          record: `hendelse ${id}`,
          excerpt: excerptOf(response.body),
        });
      }
      return parsed.data;
    },

    async bestillKomplettUttrekk(callOptions = {}) {
      // https://skatteetaten.github.io/folkeregisteret-api-dokumentasjon/uttrekk/ (GET /v1/uttrekk/komplett)
      const response = await http.request({
        method: 'GET',
        path: `${basePath}/uttrekk/komplett`,
        query:
          callOptions.feedsekvensnr === undefined ? undefined : { feedsekvensnr: callOptions.feedsekvensnr },
        headers: JSON_ACCEPT,
        // Each call orders a new job (max 10 at a time), so it must not be repeated blindly.
        idempotent: false,
        signal: callOptions.signal,
      });
      return jobbIdOf(response);
    },

    async bestillTilpassetUttrekk(request, callOptions = {}) {
      // https://skatteetaten.github.io/folkeregisteret-api-dokumentasjon/uttrekk/ (POST /v1/uttrekk/tilpasset)
      const response = await http.request({
        method: 'POST',
        path: `${basePath}/uttrekk/tilpasset`,
        headers: JSON_ACCEPT,
        body: request,
        signal: callOptions.signal,
      });
      return jobbIdOf(response);
    },

    async hentUttrekkBatch(jobbId, batch, callOptions = {}) {
      // https://skatteetaten.github.io/folkeregisteret-api-dokumentasjon/uttrekk/ (GET /v1/uttrekk/{jobbid}/batch/{batchnr})
      const response = await http.request({
        method: 'GET',
        path: `${basePath}/uttrekk/${encodeURIComponent(jobbId)}/batch/${batch}`,
        headers: JSON_ACCEPT,
        okStatuses: [404],
        signal: callOptions.signal,
        record: `uttrekk batch ${batch}`,
      });
      if (response.status === 404) return { state: 'pending' };
      const body = parseJson(response, `uttrekk batch ${batch}`);
      const parsed = UttrekkDataResponseWireSchema.safeParse(body);
      if (!parsed.success) {
        throw wireInvalid(`extract batch ${batch}`, parsed.error, {
          record: `uttrekk batch ${batch}`,
          excerpt: excerptOf(response.body),
        });
      }
      if (parsed.data.feilmelding) {
        throw new HttpError(`Folkeregisteret: extract batch ${batch} failed: ${parsed.data.feilmelding}`, {
          system: 'folkeregister',
          status: response.status,
          method: 'GET',
          url: response.url,
          code: 'uttrekk_failed',
          hint: 'Order a new extract.',
        });
      }
      const ids = parsed.data.foedselsEllerDNummer;
      const docs = parsed.data.dokumentidentifikator;
      if ((!ids || ids.length === 0) && (!docs || docs.length === 0)) return { state: 'done' };
      return {
        state: 'batch',
        foedselsEllerDNummer: ids ?? [],
        ...(docs ? { dokumentidentifikator: docs } : {}),
      };
    },

    close() {
      http.close();
    },
  };

  function jobbIdOf(response: HttpResponse): string {
    const body = parseJson(response);
    const parsed = UttrekkJobbResponseWireSchema.safeParse(body);
    if (!parsed.success || !parsed.data.jobbId) {
      const reason = parsed.success ? (parsed.data.feilmelding ?? 'no jobbId') : 'wire schema';
      throw new UpstreamInvalidError(`Folkeregisteret: the extract order was not accepted (${reason})`, {
        system: 'folkeregister',
        excerpt: excerptOf(response.body),
        hint: 'Check the request; at most 10 extract jobs may run at once.',
      });
    }
    return parsed.data.jobbId;
  }
}
