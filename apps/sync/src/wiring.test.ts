import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type FolkeregisterSimulator,
  createFolkeregisterSimulator,
} from '@registerbro/folkeregister/simulator';
import { hasErrorCode } from '@registerbro/model';
import { generateMunicipality } from '@registerbro/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from './config.js';
import { describeStore, openStore } from './store.js';
import { createAdapters } from './wiring.js';

/** From configuration to live adapters and store: credentials only from the environment. */

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const CLIENT = 'registerbro-test-client';
let sim: FolkeregisterSimulator;

beforeAll(async () => {
  sim = await createFolkeregisterSimulator({
    world: generateMunicipality({ seed: 'wiring', people: 50 }),
    maskinporten: { clients: { [CLIENT]: publicKey.export({ type: 'spki', format: 'pem' }).toString() } },
  });
});
const dirs: string[] = [];
afterAll(async () => {
  await sim?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const base = (folkeregisterAuth: unknown) =>
  parseConfig({
    tenant: '1806',
    dataDir: dirs[dirs.push(mkdtempSync(join(tmpdir(), 'registerbro-wiring-'))) - 1],
    folkeregister: { baseURL: sim.url, auth: folkeregisterAuth },
    matrikkel: { baseURL: 'http://127.0.0.1:9', usernameEnv: 'M_USER', passwordEnv: 'M_PASS' },
    noark: { baseURL: 'http://127.0.0.1:9/api', usernameEnv: 'N_USER', passwordEnv: 'N_PASS' },
  });
const env = { M_USER: 'u', M_PASS: 'p', N_USER: 'u', N_PASS: 'p' };

describe('createAdapters', () => {
  it('gets Folkeregisteret tokens from Maskinporten with the key from the environment', async () => {
    const config = base({
      kind: 'maskinporten',
      tokenEndpoint: sim.tokenEndpoint,
      audience: sim.maskinportenAudience,
      clientId: CLIENT,
      scope: sim.scope,
      keyEnv: 'MP_KEY',
      kid: 'registerbro-test-key',
    });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const adapters = createAdapters(config, { ...env, MP_KEY: pem });
    try {
      const someone = [...sim.world.people.values()][0];
      const person = await adapters.folkeregister.get(someone?.fnr ?? '');
      expect(person?.identifiers.some((i) => i.value === someone?.fnr)).toBe(true);
      expect(sim.requests.some((r) => r.path.endsWith('/maskinporten/token'))).toBe(true);
    } finally {
      await adapters.close();
    }
  });

  it('uses a bearer token from the environment, and names a missing variable by its key', async () => {
    const config = base({ kind: 'token', tokenEnv: 'FREG_TOKEN' });
    const adapters = createAdapters(config, { ...env, FREG_TOKEN: sim.token });
    const someone = [...sim.world.people.values()][1];
    const person = await adapters.folkeregister.get(someone?.fnr ?? '');
    expect(person?.identifiers.some((i) => i.value === someone?.fnr)).toBe(true);
    await adapters.close();
    try {
      createAdapters(config, env);
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(hasErrorCode(error, 'config_invalid')).toBe(true);
      expect((error as Error).message).toBe(
        'config: folkeregister.auth.tokenEnv: environment variable FREG_TOKEN is not set (expected the Folkeregisteret bearer token)',
      );
    }
  });
});

describe('openStore', () => {
  it('opens (and migrates) the SQLite file in the data folder by default', async () => {
    const config = base({ kind: 'token', tokenEnv: 'FREG_TOKEN' });
    const store = await openStore(config, {});
    try {
      expect(store.dialect).toBe('sqlite');
      expect(describeStore(config)).toBe(`SQLite ${join(config.dataDir, 'registerbro.sqlite')}`);
      expect(await store.forTenant('1806').listRuns()).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
