import { type World, createFaultInjector, generateMunicipality } from '@registerbro/testkit';
import { type MatrikkelAdapter, type MatrikkelAdapterOptions, createMatrikkelAdapter } from '../src/index.js';
import {
  type MatrikkelSimulator,
  type MatrikkelSimulatorOptions,
  createMatrikkelSimulator,
} from '../src/simulator/index.js';

/** A small synthetic municipality (generation is deterministic for a seed). */
export function smallWorld(
  seed: number | string = 'matrikkel-test',
  people = 200,
  kommunenummer = '1806',
): World {
  return generateMunicipality({ seed, people, kommunenummer });
}

/** Simulator + adapter against it, with the breaker and shared HTTP state off so tests stay independent. */
export async function startPair(
  simOptions: MatrikkelSimulatorOptions = {},
  adapterOptions: Partial<MatrikkelAdapterOptions> = {},
): Promise<{
  sim: MatrikkelSimulator;
  adapter: MatrikkelAdapter;
  faults: ReturnType<typeof createFaultInjector>;
  close(): Promise<void>;
}> {
  const faults = createFaultInjector();
  const sim = await createMatrikkelSimulator({ world: smallWorld(), faults, ...simOptions });
  const adapter = createMatrikkelAdapter({
    baseURL: sim.url,
    username: sim.username,
    password: sim.password,
    kommunenummer: sim.world.kommunenummer,
    http: {
      circuitBreaker: false,
      shared: false,
      retries: 1,
      backoff: { baseMs: 1, maxMs: 5 },
      maxRetryAfterMs: 1_000,
    },
    ...adapterOptions,
  });
  return {
    sim,
    adapter,
    faults,
    async close() {
      await adapter.close?.();
      await sim.close();
    },
  };
}
