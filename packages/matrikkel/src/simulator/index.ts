/**
 * `@registerbro/matrikkel/simulator` — one real HTTP server answering the Matrikkel SOAP services,
 * Geonorge's adresse-API and Kartverket's eiendom-API from a testkit World, with Basic auth, fault
 * injection, a request log and options to corrupt units for bad-input tests.
 * @packageDocumentation
 */
import {
  type FaultInjector,
  type RequestLogEntry,
  type RequestStats,
  type SimRequest,
  type SimResponse,
  type SimulatorServer,
  type World,
  generateMunicipality,
  startSimulatorServer,
} from '@registerbro/testkit';
import { handleAdresseApi } from './adresse-api.js';
import { type EiendomTeigFixture, handleEiendomApi } from './eiendom-api.js';
import { handleSoap } from './soap.js';
import { type MatrikkelCorruption, MatrikkelView } from './view.js';

export type { MatrikkelCorruption } from './view.js';
export type { EiendomTeigFixture } from './eiendom-api.js';

/** Options of {@link createMatrikkelSimulator}. */
export interface MatrikkelSimulatorOptions {
  /** The world to serve. When absent one is generated from `seed` and `people`. */
  world?: World;
  /** Seed for a generated world. @default 'matrikkel' */
  seed?: number | string;
  /** People in a generated world. @default 500 */
  people?: number;
  /** Kommunenummer of a generated world. @default '1806' */
  kommunenummer?: string;
  /** Basic auth user of the SOAP services. @default 'registerbro' */
  username?: string;
  /** Basic auth password of the SOAP services. @default 'hemmelig' */
  password?: string;
  /**
   * How unauthenticated SOAP calls are answered: 401, or 200 with an HTML login page as the real
   * service has been seen to do (FACTS.md). @default 'status401'
   */
  unauthenticated?: 'status401' | 'html200';
  /** Faults to inject (testkit's createFaultInjector). @default none */
  faults?: FaultInjector;
  /** Units to corrupt, by matrikkelnummer (`kkkk-g/b/f/s`) or internal id. @default none */
  corrupt?: Record<string, MatrikkelCorruption>;
  /** Extra teiger for the eiendom-API (multi-teig units, anleggsprojeksjonsflater, …). @default [] */
  eiendomTeiger?: EiendomTeigFixture[];
  /** Keep every SOAP request and response body in `exchanges` (for schema tests). @default false */
  recordExchanges?: boolean;
}

/** One SOAP exchange, kept when `recordExchanges` is set. */
export interface SoapExchange {
  service: string;
  request: string;
  status: number;
  response: string;
}

/** A running Matrikkel simulator. */
export interface MatrikkelSimulator {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Base of the SOAP services: `{url}/matrikkelapi/wsapi/v1`. */
  soapUrl: string;
  /** Base of the adresse-API: `{url}/adresser/v1`. */
  adresseApiUrl: string;
  /** Base of the eiendom-API: `{url}/eiendom/v1`. */
  eiendomApiUrl: string;
  world: World;
  username: string;
  password: string;
  /** The latest requests, oldest first. */
  requests: RequestLogEntry[];
  stats: RequestStats;
  server: SimulatorServer;
  /** Corrupt (or, with `undefined`, heal) a unit from now on. */
  corrupt(key: string, kind: MatrikkelCorruption | undefined): void;
  /** Delete a unit (by key or id) with a Sletting entry in the endringslogg; false when unknown. */
  deleteUnit(key: string): boolean;
  /** Make the first entry of the next non-empty findEndringer page malformed (an unknown endringstype). */
  corruptNextEndring(): void;
  /**
   * Answer an object (or, with id `*`, every object of the class) without its `xsi:type` from now
   * on, so it fails the adapter's wire schemas; `on = false` heals it.
   */
  breakObject(type: string, id: string, on?: boolean): void;
  /** Bring the endringslogg up to date with the world and answer its length. */
  endringCount(): number;
  /** SOAP exchanges (only while recording). */
  exchanges: SoapExchange[];
  /** Start or stop keeping SOAP exchanges (`recordExchanges` sets the initial state). */
  setRecording(on: boolean): void;
  close(): Promise<void>;
}

const SOAP_PATH = /^\/matrikkelapi\/wsapi\/v1\/([A-Za-z]+)ServiceWS\/?$/;

/** Start a Matrikkel simulator on 127.0.0.1 (a free port). */
export async function createMatrikkelSimulator(
  options: MatrikkelSimulatorOptions = {},
): Promise<MatrikkelSimulator> {
  const world =
    options.world ??
    generateMunicipality({
      seed: options.seed ?? 'matrikkel',
      people: options.people ?? 500,
      kommunenummer: options.kommunenummer ?? '1806',
    });
  const username = options.username ?? 'registerbro';
  const password = options.password ?? 'hemmelig';
  const expected = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const corrupt = new Map<string, MatrikkelCorruption>(Object.entries(options.corrupt ?? {}));
  const view = new MatrikkelView(world);
  const teiger = options.eiendomTeiger ?? [];
  const exchanges: SoapExchange[] = [];
  const broken = new Set<string>();
  const sideOptions = { corrupt, corruptNextEndring: false, broken };
  let recording = options.recordExchanges ?? false;

  const handler = (req: SimRequest): SimResponse => {
    const soap = SOAP_PATH.exec(req.path);
    if (soap) {
      if (req.method !== 'POST') return { status: 405, headers: { allow: 'POST' }, body: '' };
      if (req.headers.authorization !== expected) {
        return options.unauthenticated === 'html200'
          ? {
              status: 200,
              headers: { 'content-type': 'text/html;charset=UTF-8' },
              body: '<!DOCTYPE html><html><head><title>Matrikkel - logg inn</title></head><body>Logg inn</body></html>',
            }
          : { status: 401, headers: { 'www-authenticate': 'Basic realm="matrikkel"' }, body: '' };
      }
      const answer = handleSoap(view, soap[1] ?? '', req.body, sideOptions);
      if (recording) {
        exchanges.push({
          service: soap[1] ?? '',
          request: req.body,
          status: answer.status,
          response: answer.body,
        });
      }
      return {
        status: answer.status,
        headers: { 'content-type': 'text/xml;charset=UTF-8' },
        body: answer.body,
      };
    }
    if (req.path.startsWith('/adresser/v1/')) return handleAdresseApi(world, req);
    if (req.path.startsWith('/eiendom/v1/')) return handleEiendomApi(world, req, teiger);
    return { status: 404, headers: { 'content-type': 'text/plain' }, body: `No such path: ${req.path}` };
  };

  const server = await startSimulatorServer({ name: 'matrikkel', handler, faults: options.faults });
  return {
    url: server.url,
    soapUrl: `${server.url}/matrikkelapi/wsapi/v1`,
    adresseApiUrl: `${server.url}/adresser/v1`,
    eiendomApiUrl: `${server.url}/eiendom/v1`,
    world,
    username,
    password,
    requests: server.requests,
    stats: server.stats,
    server,
    corrupt(key, kind) {
      if (kind === undefined) corrupt.delete(key);
      else corrupt.set(key, kind);
    },
    deleteUnit(key) {
      const id = world.index.propertiesByKey.get(key) ?? key;
      return view.deleteUnit(id, new Date(Date.parse(world.now) + 1000).toISOString());
    },
    corruptNextEndring() {
      sideOptions.corruptNextEndring = true;
    },
    breakObject(type, id, on = true) {
      if (on) broken.add(`${type}:${id}`);
      else broken.delete(`${type}:${id}`);
    },
    endringCount() {
      view.sync();
      return view.endringer.length;
    },
    exchanges,
    setRecording(on) {
      recording = on;
    },
    close: () => server.close(),
  };
}
