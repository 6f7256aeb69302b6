/**
 * `createMatrikkelClient`: the wire protocols of the three interfaces — the Matrikkel SOAP API
 * (matrikkelapi/wsapi/v1), Geonorge's adresse-API and Kartverket's eiendom-API — with auth,
 * retries, typed errors and parsing. No mapping to canonical entities here (see adapter.ts).
 */
import { AuthError, type CallOptions, UpstreamInvalidError } from '@registerbro/model';
import {
  type AuthProvider,
  type HttpClient,
  type HttpClientOptions,
  type HttpResponse,
  SoapFaultError,
  basicAuth,
  buildSoapEnvelope,
  createHttpClient,
  soapHeaders,
} from '@registerbro/transport';
import { MatrikkelFaultError } from './errors.js';
import { parseSoapResponse } from './wire/fast-xml.js';
import {
  type FindEndringerParams,
  type MatrikkelContextOptions,
  type MatrikkelId,
  type MatrikkelenhetIdentInput,
  type MatrikkelenhetSok,
  findAdresserForMatrikkelenheterRequest,
  findForretningerForMatrikkelenheterRequest,
  findByggForMatrikkelenheterRequest,
  findEideMatrikkelenheterForPersonerRequest,
  findEndringerRequest,
  findKommuneIdForIdentRequest,
  findMatrikkelenhetIdsForIdentsRequest,
  findMatrikkelenheterRequest,
  findRepresentasjonspunkterRequest,
  findSisteEndringIdRequest,
  getObjectsRequest,
} from './wire/requests.js';
import { localType } from './wire/schemas.js';
import type { MatrikkelServiceName } from './wire/xml.js';

/** Options of {@link createMatrikkelClient}. */
export interface MatrikkelClientOptions {
  /**
   * Host of the SOAP API; services are at `{baseURL}/matrikkelapi/wsapi/v1/{X}ServiceWS`.
   * @default 'https://matrikkel.no' (test: 'https://prodtest.matrikkel.no')
   */
  baseURL?: string;
  /** Credentials: any AuthProvider (basicAuth today, bearerAuth with Maskinporten when Kartverket opens it). */
  auth?: AuthProvider;
  /** Shorthand for `auth: basicAuth(username, password)`. */
  username?: string;
  password?: string;
  /** The MatrikkelContext sent with every call. @default { locale 'no_NO_B', koordinatsystemKodeId 11, systemVersion '4.18' } */
  context?: MatrikkelContextOptions;
  /** Base of Geonorge's open adresse-API. @default 'https://ws.geonorge.no/adresser/v1' */
  adresseApiURL?: string;
  /** Base of Kartverket's open eiendom-API. @default 'https://api.kartverket.no/eiendom/v1' */
  eiendomApiURL?: string;
  /** HTTP settings passed to transport's createHttpClient (timeouts, retries, rate limit, breaker). @default transport's */
  http?: Omit<HttpClientOptions, 'system' | 'baseURL' | 'auth' | 'mapError'>;
}

/** Parsed response element of a SOAP call (prefixes removed; `item`/`entry` always arrays). */
export type SoapResult = Record<string, unknown>;

/** Query of the adresse-API's `/sok` (see the Swagger in specs). */
export interface AdresseSokQuery {
  sok?: string;
  adressenavn?: string;
  adressekode?: number;
  nummer?: number;
  bokstav?: string;
  kommunenummer?: string;
  gardsnummer?: number;
  bruksnummer?: number;
  festenummer?: number;
  postnummer?: string;
  objtype?: 'Vegadresse' | 'Matrikkeladresse';
  utkoordsys?: number;
  /** ≤ 1000. @default 10 (the API's) */
  treffPerSide?: number;
  /** From 0. @default 0 */
  side?: number;
}

/** Query of the adresse-API's `/punktsok`. */
export interface AdressePunktsokQuery {
  lat: number;
  lon: number;
  radius: number;
  koordsys?: number;
  utkoordsys?: number;
  treffPerSide?: number;
  side?: number;
}

/** One page of adresse-API results. */
export interface AdresseApiPage {
  metadata: {
    totaltAntallTreff?: number;
    side?: number;
    treffPerSide?: number;
    viserFra?: number;
    viserTil?: number;
  };
  adresser: Record<string, unknown>[];
}

/** The client. */
export interface MatrikkelClient {
  /** Call one SOAP operation; answers the `{operation}Response` element. Faults throw {@link MatrikkelFaultError}. */
  call(
    service: MatrikkelServiceName,
    operation: string,
    payloadXml: string,
    options?: CallOptions & { record?: string },
  ): Promise<SoapResult>;
  /** StoreService.getObjects in ONE request (batch before calling). Items as parsed, with `@_type`. */
  getObjects(
    ids: readonly MatrikkelId[],
    options?: CallOptions & { record?: string },
  ): Promise<Record<string, unknown>[]>;
  findMatrikkelenheter(sok: MatrikkelenhetSok, options?: CallOptions): Promise<string[]>;
  /** Ident (`kkkk-g/b/f/s`) → MatrikkelenhetId, for the idents the register knows. */
  findMatrikkelenhetIdsForIdents(
    idents: readonly MatrikkelenhetIdentInput[],
    options?: CallOptions,
  ): Promise<Map<string, string>>;
  findAdresserForMatrikkelenheter(
    ids: readonly string[],
    options?: CallOptions,
  ): Promise<Map<string, string[]>>;
  findByggForMatrikkelenheter(ids: readonly string[], options?: CallOptions): Promise<Map<string, string[]>>;
  /** Unit id → ids of the forretninger (splits, merges, …) that touched it. */
  findForretningerForMatrikkelenheter(
    ids: readonly string[],
    options?: CallOptions,
  ): Promise<Map<string, string[]>>;
  findRepresentasjonspunkter(
    ids: readonly string[],
    options?: CallOptions,
  ): Promise<Map<string, Record<string, unknown>[]>>;
  findEideMatrikkelenheterForPersoner(
    personIds: readonly string[],
    options?: CallOptions,
  ): Promise<Map<string, string[]>>;
  /** KommuneId of a kommunenummer, or undefined when the register does not know it. */
  findKommuneIdForIdent(kommunenummer: string, options?: CallOptions): Promise<string | undefined>;
  findSisteEndringId(options?: CallOptions): Promise<string>;
  findEndringer(params: FindEndringerParams, options?: CallOptions): Promise<SoapResult>;
  /** Geonorge adresse-API `/sok`. */
  sokAdresser(query: AdresseSokQuery, options?: CallOptions): Promise<AdresseApiPage>;
  /**
   * Every page of an adresse-API `/sok`, `side` 0, 1, … with `treffPerSide` (≤ 1000, @default 1000)
   * until the hits are exhausted or the API's cap of 10 000 results is reached.
   */
  sokAdresserPages(
    query: Omit<AdresseSokQuery, 'side'>,
    options?: CallOptions,
  ): AsyncIterable<AdresseApiPage>;
  /** Geonorge adresse-API `/punktsok`. */
  punktsokAdresser(query: AdressePunktsokQuery, options?: CallOptions): Promise<AdresseApiPage>;
  /** Eiendom-API `/geokoding` (GeoJSON FeatureCollection). */
  geokoding(
    query: Record<string, string | number | boolean | undefined>,
    options?: CallOptions,
  ): Promise<Record<string, unknown>>;
  /** Eiendom-API `/punkt`. */
  punkt(
    query: Record<string, string | number | boolean | undefined>,
    options?: CallOptions,
  ): Promise<Record<string, unknown>>;
  close(): void;
}

const isArray = (name: string) => name === 'item' || name === 'entry';

function obj(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function items(value: unknown, name = 'item'): Record<string, unknown>[] {
  const list = obj(value)[name];
  return Array.isArray(list) ? (list as Record<string, unknown>[]) : [];
}

function idValue(value: unknown): string {
  const v = obj(value).value;
  return typeof v === 'string' ? v : '';
}

/** Read a SOAP fault's ServiceException detail into a {@link MatrikkelFaultError}. */
function toMatrikkelFault(fault: SoapFaultError, operation: string, record?: string): MatrikkelFaultError {
  const detail = obj(fault.detail);
  const ex = obj(detail.ServiceException ?? Object.values(detail).find((v) => typeof v === 'object'));
  return new MatrikkelFaultError(fault, {
    category: typeof ex.category === 'string' ? ex.category : '',
    subtype: localType(typeof ex['@_type'] === 'string' ? ex['@_type'] : '') || 'ServiceFaultInfo',
    idsNotFound: items(ex.idsNotFound).map(idValue),
    operation,
    record,
  });
}

function looksLikeXml(response: HttpResponse): boolean {
  const type = response.headers['content-type'] ?? '';
  if (/html/i.test(type)) return false;
  const start = response.body.trimStart().slice(0, 200);
  return start.startsWith('<') && !/^<!doctype html|^<html/i.test(start);
}

/** Create a client of the Matrikkel SOAP API, the adresse-API and the eiendom-API. */
export function createMatrikkelClient(options: MatrikkelClientOptions = {}): MatrikkelClient {
  const auth =
    options.auth ??
    (options.username !== undefined ? basicAuth(options.username, options.password ?? '') : undefined);
  const ctx = options.context ?? {};
  const soapHttp: HttpClient = createHttpClient({
    ...options.http,
    system: 'matrikkel',
    baseURL: options.baseURL ?? 'https://matrikkel.no',
    auth,
    mapError: (response, request) => {
      // A SOAP Fault arrives as HTTP 500: read it so it is not retried unless it is a system error.
      if (!response.body.includes('Fault')) return undefined;
      try {
        parseSoapResponse(response.body, { isArray, record: request.record });
      } catch (error) {
        if (error instanceof SoapFaultError)
          return toMatrikkelFault(error, request.path.split('/').pop() ?? '', request.record);
      }
      return undefined;
    },
  });
  const restOptions = { ...options.http, circuitBreaker: options.http?.circuitBreaker };
  const adresseHttp = createHttpClient({
    ...restOptions,
    system: 'matrikkel-adresse-api',
    baseURL: options.adresseApiURL ?? 'https://ws.geonorge.no/adresser/v1',
  });
  const eiendomHttp = createHttpClient({
    ...restOptions,
    system: 'matrikkel-eiendom-api',
    baseURL: options.eiendomApiURL ?? 'https://api.kartverket.no/eiendom/v1',
  });

  async function call(
    service: MatrikkelServiceName,
    operation: string,
    payloadXml: string,
    callOptions: CallOptions & { record?: string } = {},
  ): Promise<SoapResult> {
    const response = await soapHttp.request({
      method: 'POST',
      path: `/matrikkelapi/wsapi/v1/${service}ServiceWS`,
      headers: { ...soapHeaders('1.1', ''), 'content-type': 'text/xml;charset=UTF-8' },
      body: buildSoapEnvelope(payloadXml),
      // Every operation this client sends is a read, so retrying is safe.
      idempotent: true,
      signal: callOptions.signal,
      record: callOptions.record,
    });
    if (!looksLikeXml(response)) {
      // FACTS.md: unauthenticated calls have been answered 200 with an HTML login page.
      throw new AuthError(
        `matrikkel: ${service}ServiceWS answered ${response.status} with a non-XML body (a login page): the credentials were not accepted`,
        {
          system: 'matrikkel',
          status: response.status,
          record: callOptions.record,
          hint: 'Check the Matrikkel user name and password (or token) and that the user has access to the API.',
        },
      );
    }
    let envelope: ReturnType<typeof parseSoapResponse>;
    try {
      envelope = parseSoapResponse(response.body, { isArray, record: callOptions.record });
    } catch (error) {
      if (error instanceof SoapFaultError) throw toMatrikkelFault(error, operation, callOptions.record);
      throw error;
    }
    const result = envelope.body[`${operation}Response`];
    if (result === undefined) {
      throw new UpstreamInvalidError(
        `matrikkel: ${operation} answered without a ${operation}Response element`,
        {
          system: 'matrikkel',
          record: callOptions.record,
          excerpt: response.body.slice(0, 200),
          hint: 'Check the service URL and the systemVersion in the MatrikkelContext.',
        },
      );
    }
    return obj(result);
  }

  function entryMap(
    result: SoapResult,
    map: (value: unknown) => unknown[] = (v) => items(v).map(idValue),
  ): Map<string, never[]> {
    const out = new Map<string, never[]>();
    for (const entry of items(result.return, 'entry'))
      out.set(idValue(entry.key), map(entry.value) as never[]);
    return out;
  }

  async function rest(
    http: HttpClient,
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    signal?: AbortSignal,
  ) {
    const response = await http.request({ method: 'GET', path, query, signal });
    return response.json<Record<string, unknown>>();
  }

  return {
    call,
    async getObjects(ids, callOptions) {
      // https://prodtest.matrikkel.no/matrikkelapi/wsapi/v1/dokumentasjon (StoreService.getObjects)
      const result = await call('Store', 'getObjects', getObjectsRequest(ids, ctx), callOptions);
      return items(result.return);
    },
    async findMatrikkelenheter(sok, callOptions) {
      // MatrikkelenhetServiceWS.findMatrikkelenheter (MatrikkelenhetServiceWS_schema1.xsd)
      const result = await call(
        'Matrikkelenhet',
        'findMatrikkelenheter',
        findMatrikkelenheterRequest(sok, ctx),
        callOptions,
      );
      return items(result.return).map(idValue);
    },
    async findMatrikkelenhetIdsForIdents(idents, callOptions) {
      // MatrikkelenhetServiceWS.findMatrikkelenhetIdsForIdents
      const result = await call(
        'Matrikkelenhet',
        'findMatrikkelenhetIdsForIdents',
        findMatrikkelenhetIdsForIdentsRequest(idents, ctx),
        callOptions,
      );
      const out = new Map<string, string>();
      for (const entry of items(result.return, 'entry')) {
        const key = obj(entry.key);
        const knr = obj(key.kommuneIdent).kommunenummer;
        const ident = `${String(knr)}-${String(key.gardsnummer ?? 0)}/${String(key.bruksnummer ?? 0)}/${String(key.festenummer ?? 0)}/${String(key.seksjonsnummer ?? 0)}`;
        out.set(ident, idValue(entry.value));
      }
      return out;
    },
    async findAdresserForMatrikkelenheter(ids, callOptions) {
      // AdresseServiceWS.findAdresserForMatrikkelenheter
      return entryMap(
        await call(
          'Adresse',
          'findAdresserForMatrikkelenheter',
          findAdresserForMatrikkelenheterRequest(ids, ctx),
          callOptions,
        ),
      );
    },
    async findByggForMatrikkelenheter(ids, callOptions) {
      // BygningServiceWS.findByggForMatrikkelenheter
      return entryMap(
        await call(
          'Bygning',
          'findByggForMatrikkelenheter',
          findByggForMatrikkelenheterRequest(ids, ctx),
          callOptions,
        ),
      );
    },
    async findForretningerForMatrikkelenheter(ids, callOptions) {
      // ForretningServiceWS.findForretningerForMatrikkelenheter (MatrikkelenhetIdTilForretningIdsMap)
      return entryMap(
        await call(
          'Forretning',
          'findForretningerForMatrikkelenheter',
          findForretningerForMatrikkelenheterRequest(ids, ctx),
          callOptions,
        ),
      );
    },
    async findRepresentasjonspunkter(ids, callOptions) {
      // MatrikkelenhetServiceWS.findRepresentasjonspunkterForMatrikkelenheter
      const result = await call(
        'Matrikkelenhet',
        'findRepresentasjonspunkterForMatrikkelenheter',
        findRepresentasjonspunkterRequest(ids, ctx),
        callOptions,
      );
      return entryMap(result, (v) => items(v)) as Map<string, Record<string, unknown>[]>;
    },
    async findEideMatrikkelenheterForPersoner(personIds, callOptions) {
      // MatrikkelenhetServiceWS.findEideMatrikkelenheterForPersoner
      return entryMap(
        await call(
          'Matrikkelenhet',
          'findEideMatrikkelenheterForPersoner',
          findEideMatrikkelenheterForPersonerRequest(personIds, ctx),
          callOptions,
        ),
      );
    },
    async findKommuneIdForIdent(kommunenummer, callOptions) {
      // KommuneServiceWS.findKommuneIdForIdent
      try {
        const result = await call(
          'Kommune',
          'findKommuneIdForIdent',
          findKommuneIdForIdentRequest(kommunenummer, ctx),
          callOptions,
        );
        return idValue(result.return) || undefined;
      } catch (error) {
        if (error instanceof MatrikkelFaultError && error.notFound) return undefined;
        throw error;
      }
    },
    async findSisteEndringId(callOptions) {
      // EndringsloggServiceWS.findSisteEndringId
      const result = await call(
        'Endringslogg',
        'findSisteEndringId',
        findSisteEndringIdRequest(ctx),
        callOptions,
      );
      return idValue(result.return) || '0';
    },
    async findEndringer(params, callOptions) {
      // EndringsloggServiceWS.findEndringer
      const result = await call(
        'Endringslogg',
        'findEndringer',
        findEndringerRequest(params, ctx),
        callOptions,
      );
      return obj(result.return);
    },
    async sokAdresser(query, callOptions) {
      // https://ws.geonorge.no/adresser/v1/#/default/get_sok (specs/matrikkel/schema/adresse-api-v1.2.0.swagger2.json)
      const body = await rest(adresseHttp, '/sok', { ...query }, callOptions?.signal);
      return {
        metadata: obj(body.metadata),
        adresser: Array.isArray(body.adresser) ? (body.adresser as Record<string, unknown>[]) : [],
      };
    },
    async *sokAdresserPages(query, callOptions) {
      const treffPerSide = Math.min(query.treffPerSide ?? 1000, 1000);
      for (let side = 0; (side + 1) * treffPerSide <= 10_000; side++) {
        const page = await this.sokAdresser({ ...query, treffPerSide, side }, callOptions);
        yield page;
        const total = page.metadata.totaltAntallTreff ?? 0;
        if (page.adresser.length < treffPerSide || (side + 1) * treffPerSide >= total) return;
      }
    },
    async punktsokAdresser(query, callOptions) {
      // https://ws.geonorge.no/adresser/v1/#/default/get_punktsok
      const body = await rest(adresseHttp, '/punktsok', { ...query }, callOptions?.signal);
      return {
        metadata: obj(body.metadata),
        adresser: Array.isArray(body.adresser) ? (body.adresser as Record<string, unknown>[]) : [],
      };
    },
    async geokoding(query, callOptions) {
      // https://api.kartverket.no/eiendom/v1/geokoding (Kartverket's eiendom-API)
      return rest(eiendomHttp, '/geokoding', query, callOptions?.signal);
    },
    async punkt(query, callOptions) {
      // https://api.kartverket.no/eiendom/v1/punkt
      return rest(eiendomHttp, '/punkt', query, callOptions?.signal);
    },
    close() {
      soapHttp.close();
      adresseHttp.close();
      eiendomHttp.close();
    },
  };
}
