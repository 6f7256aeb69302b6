import { createHash, randomUUID } from 'node:crypto';
import {
  createFaultInjector,
  type FaultInjector,
  generateMunicipality,
  type RequestLogEntry,
  type SimRequest,
  type SimResponse,
  type SimulatorServer,
  startSimulatorServer,
  type World,
  type WorldPerson,
} from '@registerbro/testkit';
import { EventLog, type SimEvent } from './events.js';
import { handleTokenRequest, type MaskinportenSimOptions } from './maskinporten.js';
import { renderPerson } from './render-person.js';

/** Options of {@link createFolkeregisterSimulator}. */
export interface FolkeregisterSimulatorOptions {
  /** The synthetic municipality to serve (read live: changes applied later show up). @default generated from `seed`/`people` */
  world?: World;
  /** Seed for a generated world when `world` is not given. @default 'folkeregister' */
  seed?: number | string;
  /** People in a generated world when `world` is not given. @default 200 */
  people?: number;
  /** The rettighetspakke in the path. @default 'offentlig-med-hjemmel' */
  rettighetspakke?: string;
  /** Bearer tokens accepted (Maskinporten-style opaque tokens with this package's scope). @default one generated token, see `token` */
  tokens?: readonly string[];
  /** Check the bearer token at all. @default true */
  auth?: boolean;
  /**
   * Run a Maskinporten token endpoint at `/maskinporten/token` (JWT grant, RS256) for these
   * clients; its tokens are accepted with the scopes granted. @default undefined (no endpoint)
   */
  maskinporten?: MaskinportenSimOptions;
  /** Fault injection (latency, 5xx, 429, resets, truncated/malformed bodies). @default an inert injector */
  faults?: FaultInjector;
  /** Events per feed page. @default 1000 (as the real register) */
  feedPageSize?: number;
  /** Start the feed with `personErOpprettet` for every person in the world. @default true */
  initialEvents?: boolean;
  /** Extract jobs: identifiers per batch, 404 polls before each batch is ready, concurrent jobs allowed. @default { batchSize: 1000, notReadyPolls: 1, maxJobs: 10 } */
  uttrekk?: { batchSize?: number; notReadyPolls?: number; maxJobs?: number };
  /** `Retry-After` (ms) sent with the simulator's own 429 (too many extract jobs). @default 1000 */
  retryAfterMs?: number;
  /**
   * Make records malformed for bad-input tests: people (by world id or any of their identifiers)
   * whose document fails the wire schema, and feed events (by sequence number) that do.
   * `bulkOmitted` identifiers are left out of a bulk lookup's answer altogether, `bulkUnreadableKey`
   * ones are answered under an unreadable (numeric) `foedselsEllerDNummer`, and `bulkBlank` ones
   * get an entry with neither a person nor a `feilmelding`: incomplete answers, not "no such person".
   * `invalidIdentifier` people (by world id or identifier) carry a current identifier that fails
   * its control digits in their document (eleven digits, one typo).
   * @default {}
   */
  corrupt?: {
    personIds?: readonly string[];
    invalidIdentifier?: readonly string[];
    eventSeqs?: readonly number[];
    bulkOmitted?: readonly string[];
    bulkUnreadableKey?: readonly string[];
    bulkBlank?: readonly string[];
  };
  /** Request log length. @default 10_000 */
  logLimit?: number;
}

/** A running Folkeregisteret simulator. */
export interface FolkeregisterSimulator {
  /** Scheme, host and port: pass as the client's `baseURL`. */
  url: string;
  /** The rettighetspakke served. */
  rettighetspakke: string;
  /** A token the simulator accepts. */
  token: string;
  /** The Maskinporten scope its tokens must carry (`folkeregister:deling/offentligmedhjemmel`). */
  scope: string;
  /** The token endpoint when `maskinporten` is configured (`<url>/maskinporten/token`). */
  tokenEndpoint: string;
  /** The `aud` its token endpoint accepts (`<url>/`). */
  maskinportenAudience: string;
  world: World;
  faults: FaultInjector;
  /** The underlying server (request log, stats). */
  server: SimulatorServer;
  /** The latest requests, oldest first. */
  readonly requests: RequestLogEntry[];
  /** Mutable: add people, event numbers or bulk-answer faults (identifiers as asked) at any time. */
  corrupt: {
    personIds: Set<string>;
    invalidIdentifier: Set<string>;
    eventSeqs: Set<number>;
    bulkOmitted: Set<string>;
    bulkUnreadableKey: Set<string>;
    bulkBlank: Set<string>;
  };
  /** Take in world changes now; returns how many feed events they added. */
  sync(): number;
  /** The newest sequence number (after a sync). */
  lastSeq(): number;
  /** Append an event naming `fnr` (unknown types, opphør, annullering …); returns its sequence number. */
  addEvent(event: { fnr: string; hendelsetype: string; at?: string }): number;
  /** Corrupt one event of the next non-empty feed page served (one-shot). */
  corruptNextFeedEvent(): void;
  /**
   * Issue another token. With a scope other than the rettighetspakke's
   * (`folkeregister:deling/offentligmedhjemmel` for the default) every call answers 403.
   */
  issueToken(scope?: string): string;
  /** Stop accepting a token (401 from then on). */
  revokeToken(token: string): void;
  /** Accept a token (again). */
  allowToken(token: string): void;
  /** Extract jobs not yet finished. */
  activeJobs(): number;
  close(): Promise<void>;
}

interface Job {
  id: string;
  batches: string[][];
  polls: Map<number, number>;
  finished: boolean;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const json = (status: number, body: unknown, headers: Record<string, string> = {}): SimResponse => ({
  status,
  headers: { ...JSON_TYPE, ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

/** `{ kode, melding }` — the gateway's shape (400, 500). */
const kodeMelding = (status: number, kode: string, melding: string) => json(status, { kode, melding });
/** `FolkeregisterFeilmelding` — 401/403. */
const feilmelding = (status: number, feilkode: string, text: string) =>
  json(status, {
    alvorlighetsgrad: 'FEIL',
    feilkode,
    feilmelding: text,
    httpStatus: status,
    tilleggsinformasjon: {},
  });
/** `ErrorMessageForExternalUsers` — 404 and the like. */
const externalError = (status: number, code: string, message: string) =>
  json(status, { code, feilreferanse: randomUUID(), httpStatus: status, message });

function docId(kind: string, seq: number): string {
  return createHash('md5').update(`${kind}:${seq}`).digest('hex');
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Start a Folkeregisteret simulator: a real HTTP server on 127.0.0.1 (free port) speaking the v1
 * REST API of one rettighetspakke — `personer/{id}`, `personer/bulkoppslag`, `hendelser/feed`
 * (JSON and Atom, ETag/304), `hendelser/siste/sekvensnummer`, `hendelser/{id}`, `uttrekk/komplett`,
 * `uttrekk/tilpasset` and `uttrekk/{jobbid}/batch/{n}` — with the register's status codes, the
 * three error body shapes, a bearer-token check and fault injection, fed from a testkit World.
 *
 * @example
 * const sim = await createFolkeregisterSimulator({ seed: 1, people: 100 });
 * const adapter = createFolkeregisterAdapter({ baseURL: sim.url, auth: { headers: async () => ({ authorization: `Bearer ${sim.token}` }) } });
 */
export async function createFolkeregisterSimulator(
  options: FolkeregisterSimulatorOptions = {},
): Promise<FolkeregisterSimulator> {
  const world =
    options.world ??
    generateMunicipality({ seed: options.seed ?? 'folkeregister', people: options.people ?? 200 });
  const rettighetspakke = options.rettighetspakke ?? 'offentlig-med-hjemmel';
  const prefix = `/folkeregisteret/${rettighetspakke}/api/v1/`;
  const pageSize = Math.max(1, options.feedPageSize ?? 1000);
  const batchSize = Math.max(1, options.uttrekk?.batchSize ?? 1000);
  const notReadyPolls = Math.max(0, options.uttrekk?.notReadyPolls ?? 1);
  const maxJobs = Math.max(1, options.uttrekk?.maxJobs ?? 10);
  const retryAfterMs = options.retryAfterMs ?? 1000;
  const faults = options.faults ?? createFaultInjector();
  const log = new EventLog(world, options.initialEvents ?? true);
  const scope = `folkeregister:deling/${rettighetspakke.replaceAll('-', '')}`;
  // Token → the scopes it was issued for (Maskinporten puts them in the token) and its expiry.
  const tokens = new Map<string, { scopes: string[]; expiresAt?: number }>(
    (options.tokens ?? [`freg-sim-${randomUUID()}`]).map((t) => [t, { scopes: [scope] }]),
  );
  const token = [...tokens.keys()][0] ?? `freg-sim-${randomUUID()}`;
  tokens.set(token, { scopes: [scope] });
  const corrupt = {
    personIds: new Set(options.corrupt?.personIds ?? []),
    invalidIdentifier: new Set(options.corrupt?.invalidIdentifier ?? []),
    eventSeqs: new Set(options.corrupt?.eventSeqs ?? []),
    bulkOmitted: new Set(options.corrupt?.bulkOmitted ?? []),
    bulkUnreadableKey: new Set(options.corrupt?.bulkUnreadableKey ?? []),
    bulkBlank: new Set(options.corrupt?.bulkBlank ?? []),
  };
  let corruptNextPage = false;
  const jobs = new Map<string, Job>();
  // Rendered documents by person id, version and part= selection: a bulk answer is assembled
  // from cached JSON. The document holds the residential address too, which changes on its own
  // (a renamed street bumps the address, not the person): its version is part of the stamp.
  const cache = new Map<string, { version: string; json: Map<string, string> }>();
  const stampOf = (person: WorldPerson): string => {
    const address = person.residentialAddressId
      ? world.addresses.get(person.residentialAddressId)
      : undefined;
    return `${person.version}:${address?.version ?? 0}`;
  };

  const findPerson = (id: string): WorldPerson | undefined => {
    const personId = world.index.peopleByIdentifier.get(id);
    return personId ? world.people.get(personId) : undefined;
  };
  const isCorrupt = (person: WorldPerson) =>
    corrupt.personIds.size > 0 &&
    (corrupt.personIds.has(person.id) || person.identifiers.some((i) => corrupt.personIds.has(i.value)));
  /** `part=` asks for a subset of the document's entities (the register's data minimisation). */
  const select = (doc: Record<string, unknown>, parts: readonly string[]): Record<string, unknown> => {
    if (parts.length === 0) return doc;
    const out: Record<string, unknown> = {};
    for (const part of parts) if (doc[part] !== undefined) out[part] = doc[part];
    return out;
  };
  const mistyped = (person: WorldPerson) =>
    corrupt.invalidIdentifier.size > 0 &&
    (corrupt.invalidIdentifier.has(person.id) ||
      person.identifiers.some((i) => corrupt.invalidIdentifier.has(i.value)));
  const personJson = (person: WorldPerson, parts: readonly string[] = []): string => {
    if (isCorrupt(person)) return JSON.stringify(select(renderPerson(person, world, true), parts));
    if (mistyped(person)) {
      const doc = renderPerson(person, world);
      for (const id of doc.identifikasjonsnummer as {
        foedselsEllerDNummer: string;
        erGjeldende: boolean;
      }[]) {
        // The last control digit moved by one: the number fails mod-11.
        if (id.erGjeldende)
          id.foedselsEllerDNummer = `${id.foedselsEllerDNummer.slice(0, 10)}${(Number(id.foedselsEllerDNummer.slice(-1)) + 1) % 10}`;
      }
      return JSON.stringify(select(doc, parts));
    }
    const key = parts.join(',');
    const stamp = stampOf(person);
    let hit = cache.get(person.id);
    if (!hit || hit.version !== stamp) {
      hit = { version: stamp, json: new Map() };
      cache.set(person.id, hit);
    }
    let text = hit.json.get(key);
    if (text === undefined) {
      text = JSON.stringify(select(renderPerson(person, world), parts));
      hit.json.set(key, text);
    }
    return text;
  };

  function renderEvent(event: SimEvent, broken: boolean): Record<string, unknown> {
    return {
      sekvensnummer: event.seq,
      hendelse: {
        folkeregisteridentifikator: event.fnr,
        hendelsetype: broken ? 17 : event.hendelsetype,
        hendelsesdokument: docId('h', event.seq),
        persondokument: docId('p', event.seq),
        ajourholdstidspunkt: event.at,
      },
    };
  }

  function feedAtom(events: SimEvent[], seq: number, base: string): string {
    const entries = events
      .map(
        (e) =>
          `<entry xmlns:ns2="folkeregisteret:tilgjengeliggjoering:hendelse:v1"><title>Hendelse</title>` +
          `<id>tag:skatteetaten.no,2017-10-10:folkeregisteret:tilgjengeliggjoering:hendelse:v1:${e.seq}</id>` +
          `<updated>${e.at}</updated><content><ns2:lagretHendelse><ns2:sekvensnummer>${e.seq}</ns2:sekvensnummer>` +
          `<ns2:hendelse><ns2:folkeregisteridentifikator>${escapeXml(e.fnr)}</ns2:folkeregisteridentifikator>` +
          `<ns2:hendelsetype>${escapeXml(e.hendelsetype)}</ns2:hendelsetype>` +
          `<ns2:hendelsesdokument>${docId('h', e.seq)}</ns2:hendelsesdokument>` +
          `<ns2:persondokument>${docId('p', e.seq)}</ns2:persondokument>` +
          `<ns2:ajourholdstidspunkt>${e.at}</ns2:ajourholdstidspunkt></ns2:hendelse></ns2:lagretHendelse></content></entry>`,
      )
      .join('');
    return (
      `<?xml version='1.0' encoding='UTF-8'?><feed xmlns="http://www.w3.org/2005/Atom"><id>${base}hendelser/feed</id>` +
      `<title>Offentlig hendelsesliste</title><author><name>Skatteetaten</name></author>` +
      `<link rel="self" type="application/atom+xml" href="${base}hendelser/feed?seq=${seq}"/>` +
      `<updated>${world.now}</updated>${entries}</feed>`
    );
  }

  function handleFeed(request: SimRequest): SimResponse {
    const seqText = request.query.get('seq');
    if (seqText === null || !/^\d+$/.test(seqText)) {
      return kodeMelding(400, 'FREG-400', 'Ugyldig parameter: seq må være et heltall');
    }
    log.sync();
    const seq = Number(seqText);
    const events = log.slice(seq, pageSize);
    const last = events.at(-1)?.seq;
    // A page changes only while it is not full; the tag names what it holds.
    const etag = `W/"feed-${seq}-${last ?? 'none'}-${events.length}-${log.lastSeq}"`;
    const tag = events.length === pageSize ? `W/"feed-${seq}-${last}"` : etag;
    if (request.headers['if-none-match'] === tag) return { status: 304, headers: { etag: tag } };
    const atom = String(request.headers.accept ?? '').includes('atom+xml');
    if (atom) {
      return {
        status: 200,
        headers: { 'content-type': 'application/atom+xml', etag: tag },
        body: feedAtom(events, seq, `http://127.0.0.1${prefix}`),
      };
    }
    let oneShot = corruptNextPage && events.length > 0;
    if (oneShot) corruptNextPage = false;
    const rendered = events.map((event) => {
      const broken = oneShot || corrupt.eventSeqs.has(event.seq);
      oneShot = false;
      return renderEvent(event, broken);
    });
    return json(200, rendered, { etag: tag });
  }

  function handleBulk(request: SimRequest): SimResponse {
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      return kodeMelding(400, 'FREG-400', 'Ugyldig forespørsel: kroppen er ikke JSON');
    }
    const ids = (body as { foedselsEllerDNummer?: unknown })?.foedselsEllerDNummer;
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) {
      return kodeMelding(400, 'FREG-400', 'Ugyldig forespørsel: foedselsEllerDNummer mangler');
    }
    if (ids.length > 1000) return kodeMelding(400, 'FREG-400', 'Maks 1000 identifikatorer per bulkoppslag');
    const selection = request.query.getAll('part');
    const parts: string[] = [];
    for (const id of ids as string[]) {
      if (corrupt.bulkOmitted.has(id)) continue;
      const person = findPerson(id);
      const key = corrupt.bulkUnreadableKey.has(id) ? '4711' : JSON.stringify(id);
      if (corrupt.bulkBlank.has(id)) parts.push(`{"foedselsEllerDNummer":${key}}`);
      else if (person)
        parts.push(`{"foedselsEllerDNummer":${key},"folkeregisterperson":${personJson(person, selection)}}`);
      else parts.push(`{"foedselsEllerDNummer":${key},"feilmelding":{"feilmelding":"Fant ikke person"}}`);
    }
    return { status: 200, headers: JSON_TYPE, body: `{"oppslag":[${parts.join(',')}]}` };
  }

  function newJob(people: WorldPerson[]): SimResponse {
    const active = [...jobs.values()].filter((j) => !j.finished).length;
    if (active >= maxJobs) return { status: 429, headers: { 'retry-after': String(retryAfterMs) }, body: '' };
    const ids = people.map((p) => p.fnr);
    const batches: string[][] = [];
    for (let i = 0; i < ids.length; i += batchSize) batches.push(ids.slice(i, i + batchSize));
    const job: Job = { id: randomUUID(), batches, polls: new Map(), finished: false };
    jobs.set(job.id, job);
    return json(200, { jobbId: job.id });
  }

  function handleTilpasset(request: SimRequest): SimResponse {
    let body: { personstatustyper?: unknown; kommunenummer?: { bostedskommunenummer?: string } };
    try {
      body = JSON.parse(request.body);
    } catch {
      return kodeMelding(400, 'FREG-400', 'Ugyldig forespørsel');
    }
    if (!Array.isArray(body?.personstatustyper) || body.personstatustyper.length === 0) {
      return kodeMelding(400, 'FREG-400', 'personstatustyper mangler');
    }
    const statuses = new Set(body.personstatustyper as string[]);
    const kommune = body.kommunenummer?.bostedskommunenummer;
    const people = [...world.people.values()].filter((p) => {
      const statusOk =
        statuses.has(p.status) ||
        (p.identifierKind === 'dnr' && statuses.has(p.status === 'opphoert' ? 'inaktiv' : 'aktiv'));
      if (!statusOk) return false;
      if (!kommune) return true;
      const address = p.residentialAddressId ? world.addresses.get(p.residentialAddressId) : undefined;
      return address?.kommunenummer === kommune;
    });
    return newJob(people);
  }

  function handleBatch(jobbId: string, batchText: string): SimResponse {
    const job = jobs.get(jobbId);
    if (!job || !/^\d+$/.test(batchText)) return json(410, { feilmelding: 'Jobb eller batch finnes ikke' });
    const n = Number(batchText);
    if (n >= job.batches.length) {
      job.finished = true;
      return json(200, {});
    }
    const polls = job.polls.get(n) ?? 0;
    job.polls.set(n, polls + 1);
    if (polls < notReadyPolls) return json(404, {});
    return json(200, { foedselsEllerDNummer: job.batches[n] });
  }

  const TOKEN_PATH = '/maskinporten/token';
  let origin = '';
  const audiences = () => options.maskinporten?.audience ?? [`${origin}/`];

  async function handler(request: SimRequest): Promise<SimResponse> {
    // https://docs.digdir.no/docs/Maskinporten/maskinporten_protocol_token
    if (request.path === TOKEN_PATH && options.maskinporten) {
      return handleTokenRequest(request, options.maskinporten, audiences(), (issued) => {
        tokens.set(issued.token, { scopes: issued.scopes, expiresAt: issued.expiresAt });
      });
    }
    if (!request.path.startsWith(prefix)) {
      return externalError(404, 'FREG-404', 'Ukjent ressurs eller rettighetspakke');
    }
    const rest = request.path.slice(prefix.length);
    const method = request.method;
    const accept = String(request.headers.accept ?? '*/*');
    if (!/json|\*\/\*|atom\+xml|^$/.test(accept)) {
      return kodeMelding(406, 'FREG-406', 'Formatet i Accept støttes ikke');
    }
    // https://skatteetaten.github.io/folkeregisteret-api-dokumentasjon/oppslag/
    if (method === 'POST' && rest === 'personer/bulkoppslag') return handleBulk(request);
    if (method === 'GET' && rest.startsWith('personer/')) {
      const id = decodeURIComponent(rest.slice('personer/'.length));
      if (!/^\d{11}$/.test(id)) return kodeMelding(400, 'FREG-400', 'Ugyldig personidentifikator');
      const person = findPerson(id);
      if (!person) return externalError(404, 'FREG-404', 'Ukjent person');
      return { status: 200, headers: JSON_TYPE, body: personJson(person, request.query.getAll('part')) };
    }
    // https://skatteetaten.github.io/folkeregisteret-api-dokumentasjon/hendelsesliste/
    if (method === 'GET' && rest === 'hendelser/feed') return handleFeed(request);
    if (method === 'GET' && rest === 'hendelser/siste/sekvensnummer') {
      log.sync();
      return json(200, log.lastSeq);
    }
    if (method === 'GET' && rest.startsWith('hendelser/')) {
      const id = rest.slice('hendelser/'.length);
      const event = log.events.find((e) => docId('h', e.seq) === id);
      if (!event) return externalError(404, 'FREG-404', 'Ukjent dokumentid');
      return json(200, {
        dokumentidentifikator: id,
        skjemaversjon: '1.0',
        hendelse: {
          folkeregisteridentifikator: event.fnr,
          hendelsestype: event.hendelsetype,
          ajourholdstidspunkt: event.at,
        },
      });
    }
    // https://skatteetaten.github.io/folkeregisteret-api-dokumentasjon/uttrekk/
    if (method === 'GET' && rest === 'uttrekk/komplett') return newJob([...world.people.values()]);
    if (method === 'POST' && rest === 'uttrekk/tilpasset') return handleTilpasset(request);
    const batch = /^uttrekk\/([^/]+)\/batch\/([^/]+)$/.exec(rest);
    if (method === 'GET' && batch) return handleBatch(decodeURIComponent(batch[1] ?? ''), batch[2] ?? '');
    return externalError(404, 'FREG-404', 'Ukjent ressurs');
  }

  const checkAuth = options.auth ?? true;
  const server = await startSimulatorServer({
    name: 'folkeregister',
    handler,
    faults,
    logLimit: options.logLimit,
    auth: checkAuth
      ? (headers, request) => {
          // The token endpoint is how a client gets a token: it cannot demand one.
          if (request.path === TOKEN_PATH) return true;
          const header = headers.authorization;
          const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
          if (!match)
            return {
              ...feilmelding(401, 'FREG-401', 'Mangler gyldig access token'),
              headers: { ...JSON_TYPE, 'www-authenticate': 'Bearer' },
            };
          const granted = tokens.get(match[1] as string);
          if (granted === undefined || (granted.expiresAt !== undefined && granted.expiresAt <= Date.now())) {
            return {
              ...feilmelding(401, 'FREG-401', 'Ugyldig eller utløpt access token'),
              headers: { ...JSON_TYPE, 'www-authenticate': 'Bearer error="invalid_token"' },
            };
          }
          if (!granted.scopes.includes(scope)) {
            return feilmelding(
              403,
              'FREG-403',
              `Tokenet mangler scope ${scope} for rettighetspakken ${rettighetspakke}`,
            );
          }
          return true;
        }
      : undefined,
    errorBody: (status) =>
      status === 401 || status === 403
        ? feilmelding(status, `FREG-${status}`, 'Ingen tilgang')
        : status === 404
          ? externalError(status, 'FREG-404', 'Ikke funnet')
          : kodeMelding(status, 'FREG-001', 'Feil i tjenesten. Vennligst prøv igjen seinere.'),
  });

  origin = server.url;

  return {
    url: server.url,
    tokenEndpoint: `${server.url}${TOKEN_PATH}`,
    maskinportenAudience: `${server.url}/`,
    rettighetspakke,
    token,
    scope,
    world,
    faults,
    server,
    get requests() {
      return server.requests;
    },
    corrupt,
    sync: () => log.sync(),
    lastSeq: () => {
      log.sync();
      return log.lastSeq;
    },
    addEvent(event) {
      log.sync();
      return log.push({
        fnr: event.fnr,
        hendelsetype: event.hendelsetype,
        at: event.at ?? new Date().toISOString(),
      }).seq;
    },
    corruptNextFeedEvent() {
      corruptNextPage = true;
    },
    issueToken(withScope = scope) {
      const t = `freg-sim-${randomUUID()}`;
      tokens.set(t, { scopes: [withScope] });
      return t;
    },
    revokeToken(t) {
      tokens.delete(t);
    },
    allowToken(t) {
      tokens.set(t, { scopes: [scope] });
    },
    activeJobs: () => [...jobs.values()].filter((j) => !j.finished).length,
    close: () => server.close(),
  };
}
