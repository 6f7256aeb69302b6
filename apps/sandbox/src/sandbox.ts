import { writeFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type FolkeregisterSimulator,
  createFolkeregisterSimulator,
} from '@registerbro/folkeregister/simulator';
import { type MatrikkelSimulator, createMatrikkelSimulator } from '@registerbro/matrikkel/simulator';
import { type NoarkSimulator, createNoarkSimulator } from '@registerbro/noark/simulator';
import {
  type ApplyChangesOptions,
  type FaultInjector,
  createFaultInjector,
  type World,
  type WorldChange,
  type WorldSummary,
  applyChanges,
  generateMunicipality,
  summarizeWorld,
} from '@registerbro/testkit';

/**
 * The sandbox: the Folkeregister, Matrikkel and Noark simulators over ONE shared synthetic
 * municipality from testkit. The simulators read the live world, so a change applied to it (see
 * {@link Sandbox.applyChanges}) shows up in every register at once — as a move does in reality,
 * only faster. Synthetic Tenor-style people only.
 */

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  /** People in the municipality (everything else scales with it). @default 2_000 */
  people?: number;
  /** Same seed, same municipality. @default 'sandbox' */
  seed?: number | string;
  /** @default '1806' (Narvik) */
  kommunenummer?: string;
  /** Use this world instead of generating one (people/seed/kommunenummer are then ignored). */
  world?: World;
  /** Start the control endpoint (`POST /changes`, `GET /state`) on another free port. @default false */
  control?: boolean;
}

/** The environment variables holding the sandbox's credentials (secrets never go in the config file). */
export const SANDBOX_ENV_NAMES = {
  folkeregisterToken: 'REGISTERBRO_FOLKEREGISTER_TOKEN',
  matrikkelUsername: 'REGISTERBRO_MATRIKKEL_USERNAME',
  matrikkelPassword: 'REGISTERBRO_MATRIKKEL_PASSWORD',
  noarkUsername: 'REGISTERBRO_NOARK_USERNAME',
  noarkPassword: 'REGISTERBRO_NOARK_PASSWORD',
} as const;

/** A running sandbox. */
export interface Sandbox {
  world: World;
  folkeregister: FolkeregisterSimulator;
  matrikkel: MatrikkelSimulator;
  noark: NoarkSimulator;
  /** The simulators' fault injectors (inert until a plan is set: latency, 5xx, 429, resets, …). */
  faults: { folkeregister: FaultInjector; matrikkel: FaultInjector; noark: FaultInjector };
  /** The control endpoint's URL when `control` was set. */
  controlURL?: string;
  /** The registerbro configuration (YAML) pointing at the simulators; no secrets in it. */
  configYaml(options?: {
    dataDir?: string;
    store?: 'sqlite' | { postgresUrlEnv: string; schema: string };
  }): string;
  /** The environment variables registerbro needs (the credentials), by name. */
  env: Record<string, string>;
  /** Apply generated changes to the world (all registers see them); returns them. */
  applyChanges(
    options: { count: number } & Pick<ApplyChangesOptions, 'seed' | 'kinds' | 'personIds' | 'propertyIds'>,
  ): WorldChange[];
  summary(): WorldSummary;
  close(): Promise<void>;
}

const yamlString = (s: string) => JSON.stringify(s);

/** Start the three simulators over one generated municipality on free ports of 127.0.0.1. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const world =
    options.world ??
    generateMunicipality({
      seed: options.seed ?? 'sandbox',
      people: options.people ?? 2_000,
      ...(options.kommunenummer ? { kommunenummer: options.kommunenummer } : {}),
    });
  const credentials = {
    token: `sandbox-freg-${world.seed}`,
    matrikkelUser: 'registerbro',
    matrikkelPassword: `sandbox-matrikkel-${world.seed}`,
    noarkUser: 'registerbro',
    noarkPassword: `sandbox-noark-${world.seed}`,
  };
  const started: { close(): Promise<void> }[] = [];
  const faults = {
    folkeregister: createFaultInjector({}, 'sandbox-folkeregister'),
    matrikkel: createFaultInjector({}, 'sandbox-matrikkel'),
    noark: createFaultInjector({}, 'sandbox-noark'),
  };
  try {
    const folkeregister = await createFolkeregisterSimulator({
      world,
      tokens: [credentials.token],
      faults: faults.folkeregister,
    });
    started.push(folkeregister);
    const matrikkel = await createMatrikkelSimulator({
      world,
      username: credentials.matrikkelUser,
      password: credentials.matrikkelPassword,
      faults: faults.matrikkel,
    });
    started.push(matrikkel);
    const noark = await createNoarkSimulator({
      world,
      basicAuth: { username: credentials.noarkUser, password: credentials.noarkPassword },
      // The sandbox serves load: validating every arkivmelding with xmllint belongs to noark's tests.
      validateFiksXsd: false,
      faults: faults.noark,
    });
    started.push(noark);

    const env: Record<string, string> = {
      [SANDBOX_ENV_NAMES.folkeregisterToken]: credentials.token,
      [SANDBOX_ENV_NAMES.matrikkelUsername]: credentials.matrikkelUser,
      [SANDBOX_ENV_NAMES.matrikkelPassword]: credentials.matrikkelPassword,
      [SANDBOX_ENV_NAMES.noarkUsername]: credentials.noarkUser,
      [SANDBOX_ENV_NAMES.noarkPassword]: credentials.noarkPassword,
    };

    const sandbox: Sandbox = {
      world,
      faults,
      folkeregister,
      matrikkel,
      noark,
      env,
      configYaml(o = {}) {
        const store = o.store ?? 'sqlite';
        const lines = [
          '# registerbro configuration for the sandbox simulators (written by registerbro-sandbox).',
          '# Credentials come from the environment variables named by the …Env keys.',
          `tenant: ${yamlString(world.kommunenummer)}`,
          `dataDir: ${yamlString(o.dataDir ?? './data')}`,
          ...(store === 'sqlite'
            ? ['store:', '  kind: sqlite']
            : [
                'store:',
                '  kind: postgres',
                `  urlEnv: ${store.postgresUrlEnv}`,
                `  schema: ${store.schema}`,
              ]),
          'folkeregister:',
          `  baseURL: ${yamlString(folkeregister.url)}`,
          `  rettighetspakke: ${yamlString(folkeregister.rettighetspakke)}`,
          '  auth:',
          '    kind: token',
          `    tokenEnv: ${SANDBOX_ENV_NAMES.folkeregisterToken}`,
          'matrikkel:',
          `  baseURL: ${yamlString(matrikkel.url)}`,
          `  usernameEnv: ${SANDBOX_ENV_NAMES.matrikkelUsername}`,
          `  passwordEnv: ${SANDBOX_ENV_NAMES.matrikkelPassword}`,
          `  adresseApiURL: ${yamlString(matrikkel.adresseApiUrl)}`,
          `  eiendomApiURL: ${yamlString(matrikkel.eiendomApiUrl)}`,
          'noark:',
          `  baseURL: ${yamlString(noark.tgBaseURL)}`,
          `  fiksURL: ${yamlString(noark.fiksBaseURL)}`,
          `  usernameEnv: ${SANDBOX_ENV_NAMES.noarkUsername}`,
          `  passwordEnv: ${SANDBOX_ENV_NAMES.noarkPassword}`,
          '',
        ];
        return lines.join('\n');
      },
      applyChanges(o) {
        const made = applyChanges(world, {
          count: o.count,
          ...(o.seed !== undefined ? { seed: o.seed } : {}),
          ...(o.kinds ? { kinds: o.kinds } : {}),
          ...(o.personIds ? { personIds: o.personIds } : {}),
          ...(o.propertyIds ? { propertyIds: o.propertyIds } : {}),
        });
        // Folkeregisteret numbers its events when it takes the changes in; do it now so the feed
        // is complete before anyone reads it.
        folkeregister.sync();
        matrikkel.endringCount();
        return made;
      },
      summary: () => summarizeWorld(world),
      async close() {
        for (const s of started.reverse()) await s.close().catch(() => {});
      },
    };

    if (options.control) {
      const control = await startControlServer(sandbox);
      started.push(control);
      sandbox.controlURL = control.url;
    }
    return sandbox;
  } catch (error) {
    for (const s of started.reverse()) await s.close().catch(() => {});
    throw error;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Counts of changes by kind. */
export function countKinds(changes: readonly WorldChange[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of changes) out[c.kind] = (out[c.kind] ?? 0) + 1;
  return out;
}

/**
 * A small control endpoint for a sandbox running in its own process: `POST /changes`
 * (`{ count, seed? }`) applies generated changes; `GET /state` answers the world summary.
 */
async function startControlServer(sandbox: Sandbox): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    void (async () => {
      try {
        if (req.method === 'GET' && req.url === '/state') return reply(200, sandbox.summary());
        if (req.method === 'POST' && req.url === '/changes') {
          const body = JSON.parse((await readBody(req)) || '{}') as { count?: unknown; seed?: unknown };
          const count = typeof body.count === 'number' && body.count > 0 ? Math.floor(body.count) : 0;
          if (count === 0) return reply(400, { error: 'expected { "count": <positive number> }' });
          const made = sandbox.applyChanges({
            count,
            ...(typeof body.seed === 'string' || typeof body.seed === 'number' ? { seed: body.seed } : {}),
          });
          return reply(200, { applied: made.length, kinds: countKinds(made) });
        }
        return reply(404, { error: 'not found' });
      } catch (error) {
        return reply(500, { error: (error as Error).message });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Write the sandbox's registerbro config to `file` and its credentials as `export` lines to `envFile`. */
export function writeSandboxConfig(
  sandbox: Sandbox,
  file: string,
  envFile?: string,
  options?: Parameters<Sandbox['configYaml']>[0],
): void {
  writeFileSync(file, sandbox.configYaml(options));
  if (envFile) {
    writeFileSync(
      envFile,
      `${Object.entries(sandbox.env)
        .map(([k, v]) => `export ${k}=${v}`)
        .join('\n')}\n`,
      { mode: 0o600 },
    );
  }
}
