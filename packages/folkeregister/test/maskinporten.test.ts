import { generateKeyPairSync } from 'node:crypto';
import { hasErrorCode } from '@registerbro/model';
import { generateMunicipality } from '@registerbro/testkit';
import { createMaskinportenTokenProvider } from '@registerbro/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFolkeregisterAdapter } from '../src/adapter.js';
import { createFolkeregisterSimulator, type FolkeregisterSimulator } from '../src/simulator/simulator.js';

/** The whole auth path: a real RS256 JWT grant against the simulator's Maskinporten endpoint. */
const registered = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (k: typeof registered.privateKey) => k.export({ type: 'pkcs8', format: 'pem' }).toString();

let sim: FolkeregisterSimulator;
beforeAll(async () => {
  sim = await createFolkeregisterSimulator({
    world: generateMunicipality({ seed: 'folkeregister-maskinporten', people: 20 }),
    maskinporten: { clients: { 'kommune-1806': registered.publicKey } },
  });
});
afterAll(async () => {
  await sim.close();
});

function adapterWith(key: string, scope: string) {
  const tokens = createMaskinportenTokenProvider({
    tokenEndpoint: sim.tokenEndpoint,
    audience: sim.maskinportenAudience,
    clientId: 'kommune-1806',
    scope,
    key: { pkcs8Pem: key, kid: 'k1' },
  });
  return createFolkeregisterAdapter({
    baseURL: sim.url,
    tokenProvider: tokens,
    http: { retries: 0, shared: false },
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('Maskinporten JWT grant against the simulator', () => {
  it('a grant signed with the registered key and the right scope gets a token the API accepts', async () => {
    const adapter = adapterWith(pem(registered.privateKey), sim.scope);
    expect(Number(await adapter.head())).toBeGreaterThan(0);
    expect(sim.requests.some((r) => r.path === '/maskinporten/token' && r.status === 200)).toBe(true);
    await adapter.close?.();
  });

  it('a token for another rettighetspakke is refused with 403', async () => {
    const adapter = adapterWith(pem(registered.privateKey), 'folkeregister:deling/offentligutenhjemmel');
    const error = await rejection(adapter.head());
    expect(hasErrorCode(error, 'auth_failed')).toBe(true);
    expect((error as { status?: number }).status).toBe(403);
    await adapter.close?.();
  });

  it('a grant signed with an unregistered key gets no token', async () => {
    const adapter = adapterWith(pem(stranger.privateKey), sim.scope);
    const error = await rejection(adapter.head());
    expect(hasErrorCode(error, 'auth_failed')).toBe(true);
    expect((error as Error).message).toMatch(/invalid_grant/);
    await adapter.close?.();
  });
});
