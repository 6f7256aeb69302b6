/**
 * `@registerbro/noark/simulator` — a Noark 5 archive on a real HTTP server for tests, the sandbox
 * and benchmarks: the Tjenestegrensesnitt REST API under `/api` and a Fiks Arkiv message endpoint
 * under `/fiks`, over the cases of a testkit World.
 * @packageDocumentation
 */
import {
  type FaultInjector,
  type SimRequest,
  type SimResponse,
  type SimulatorServer,
  type World,
  generateMunicipality,
  specsDir,
  startSimulatorServer,
} from '@registerbro/testkit';
import { createFiksRoutes } from './fiks-routes.js';
import { feil } from './http.js';
import { ArchiveStore, type NoarkCaseCorruption, type NoarkWriteLogEntry } from './store.js';
import { createTgRoutes } from './tg-routes.js';

export type { NoarkCaseCorruption, NoarkWriteLogEntry } from './store.js';
export type { FiksArkivReplyWire } from './fiks-routes.js';

function specsAvailable(): boolean {
  try {
    specsDir();
    return true;
  } catch {
    return false;
  }
}

/** Options of {@link createNoarkSimulator}. */
export interface NoarkSimulatorOptions {
  /** The world whose cases are the archive. Takes precedence over `seed`/`people`. */
  world?: World;
  /** Seed for a new world when `world` is not given. @default 'noark' */
  seed?: number | string;
  /** People in a new world when `world` is not given. @default 200 */
  people?: number;
  /** Faults to inject (latency, 5xx, 429, resets, hostile bodies, …). @default none */
  faults?: FaultInjector;
  /**
   * Accept only these Basic credentials when set (`Authorization: Basic …`); 401 otherwise.
   * @default every request is accepted
   */
  basicAuth?: { username: string; password: string };
  /**
   * Validate each incoming Fiks Arkiv message against its V1 XSD with xmllint.
   * @default true when the shared specs folder is found, else false
   */
  validateFiksXsd?: boolean;
  /** Delay before a Fiks Arkiv reply (after `mottatt`), ms. @default 0 */
  fiksReplyDelayMs?: number;
}

/** A running Noark simulator. */
export interface NoarkSimulator {
  /** Server root, e.g. `http://127.0.0.1:40123`. */
  url: string;
  /** The TG API root to give the client as `baseURL` (`<url>/api`). */
  tgBaseURL: string;
  /** The Fiks Arkiv endpoint for `createHttpFiksArkivTransport` (`<url>/fiks`). */
  fiksBaseURL: string;
  /** The world the archive lives in (mutated by writes). */
  world: World;
  /** Every mutation, with the idempotency key and external key it carried. */
  writeLog: NoarkWriteLogEntry[];
  /** The underlying server (request log, stats, faults). */
  server: SimulatorServer;
  /** Make one record of the next saksmappe list page fail the wire schema (one-shot). */
  corruptNextListRecord(): void;
  /**
   * Serve a case broken on every read (list, scan and get) from now on, or heal it with
   * `undefined`: a bad record among good ones, as a migrated archive may hold.
   */
  corruptCase(systemId: string, kind: NoarkCaseCorruption | undefined): void;
  /**
   * Edit the titles of `count` distinct cases, as an archivist would (each bumps the case's
   * version and oppdatertDato). Returns the systemIDs edited.
   */
  editCases(count: number): string[];
  close(): Promise<void>;
}

/**
 * Start a Noark 5 simulator on 127.0.0.1 (a free port).
 *
 * @example
 * const sim = await createNoarkSimulator({ seed: 1, people: 500 });
 * const adapter = createNoarkAdapter({ baseURL: sim.tgBaseURL });
 */
export async function createNoarkSimulator(options: NoarkSimulatorOptions = {}): Promise<NoarkSimulator> {
  const world =
    options.world ?? generateMunicipality({ seed: options.seed ?? 'noark', people: options.people ?? 200 });
  const store = new ArchiveStore(world);
  const tg = createTgRoutes(store);
  const fiks = createFiksRoutes(store, {
    validateXsd: options.validateFiksXsd ?? specsAvailable(),
    replyDelayMs: options.fiksReplyDelayMs ?? 0,
  });
  const expected = options.basicAuth
    ? `Basic ${Buffer.from(`${options.basicAuth.username}:${options.basicAuth.password}`).toString('base64')}`
    : undefined;

  let editCursor = 0;
  const handler = (req: SimRequest): SimResponse => {
    if (req.path.startsWith('/api')) return tg(req, req.path.slice(4)) ?? feil(404, `Not Found: ${req.path}`);
    if (req.path.startsWith('/fiks')) return fiks(req, req.path.slice(5)) ?? { status: 404, body: '' };
    return feil(404, `Not Found: ${req.path}`);
  };

  const server = await startSimulatorServer({
    name: 'noark',
    handler,
    ...(options.faults ? { faults: options.faults } : {}),
    ...(expected ? { auth: (headers) => headers.authorization === expected } : {}),
    errorBody: (status) => ({
      status,
      headers: { 'content-type': 'application/vnd.noark5+json' },
      body: JSON.stringify({ feil: { kode: status, beskrivelse: `Simulated fault ${status}` } }),
    }),
  });
  return {
    url: server.url,
    tgBaseURL: `${server.url}/api`,
    fiksBaseURL: `${server.url}/fiks`,
    world,
    writeLog: store.writeLog,
    server,
    corruptNextListRecord() {
      store.corruptNextList = true;
    },
    corruptCase(systemId, kind) {
      if (kind === undefined) store.corruptCases.delete(systemId);
      else store.corruptCases.set(systemId, kind);
    },
    editCases(count) {
      const cases = [...world.cases.values()];
      const edited: string[] = [];
      for (let i = 0; i < Math.min(count, cases.length); i++) {
        const kase = cases[(editCursor + i) % cases.length] as (typeof cases)[number];
        const at = store.now();
        kase.title = `${kase.title.replace(/ \(rev\. \d+\)$/, '')} (rev. ${kase.version + 1})`;
        store.touch(kase, at);
        store.log({ at, kind: 'update_case', caseSystemId: kase.systemId, via: 'tg' });
        edited.push(kase.systemId);
      }
      editCursor += edited.length;
      return edited;
    },
    close: () => server.close(),
  };
}
