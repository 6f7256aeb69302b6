import { makeFodselsnummer } from '@registerbro/model';
import type { TokenProvider } from '@registerbro/transport';
import type { ChangeKind, World } from '@registerbro/testkit';
import { createFolkeregisterAdapter, type FolkeregisterAdapterOptions } from '../../src/adapter.js';
import type { FolkeregisterSimulator } from '../../src/simulator/simulator.js';

/** The person changes the simulator turns into feed events (one each). */
export const PERSON_CHANGE_KINDS: ChangeKind[] = [
  'move',
  'rename',
  'death',
  'emigration',
  'dnr_to_fnr',
  'protect',
];

/** A token provider that hands out the simulator's token (as Maskinporten would hand out a fresh one). */
export function simTokens(
  sim: FolkeregisterSimulator,
): TokenProvider & { issued: number; invalidated: number } {
  const provider = {
    issued: 0,
    invalidated: 0,
    async getToken() {
      provider.issued++;
      return sim.token;
    },
    invalidate() {
      provider.invalidated++;
    },
  };
  return provider;
}

/** An adapter against the simulator with fast, test-friendly transport settings. */
export function simAdapter(sim: FolkeregisterSimulator, extra: Partial<FolkeregisterAdapterOptions> = {}) {
  return createFolkeregisterAdapter({
    baseURL: sim.url,
    tokenProvider: simTokens(sim),
    uttrekkPollIntervalMs: 5,
    http: {
      retries: 1,
      backoff: { baseMs: 5, maxMs: 20 },
      maxRetryAfterMs: 1000,
      circuitBreaker: false,
      shared: false,
      timeoutMs: 10_000,
    },
    ...extra,
  });
}

/** A well-formed synthetic identifier the world does not hold. */
export function unknownIdentifier(world: World): string {
  for (let i = 0; i < 999; i++) {
    const value = makeFodselsnummer({ birthDate: '1955-03-09', individnummer: i, synthetic: true });
    if (value && !world.index.peopleByIdentifier.has(value)) return value;
  }
  throw new Error('no free identifier');
}
