import { PropertySchema, type Property } from '@registerbro/model';
import { applyChanges } from '@registerbro/testkit';
import { describeAdapterConformance } from '@registerbro/testkit/conformance';
import { createMatrikkelAdapter } from '../src/index.js';
import { startPair } from './harness.js';

describeAdapterConformance<Property>({
  name: 'matrikkel',
  schema: PropertySchema,
  keyOf: (p) => p.matrikkelnummer,
  pageSize: 5,
  async setup() {
    const pair = await startPair();
    const { sim, faults } = pair;
    let seed = 0;
    return {
      adapter: pair.adapter,
      createAdapter: () =>
        createMatrikkelAdapter({
          baseURL: sim.url,
          username: sim.username,
          password: sim.password,
          kommunenummer: sim.world.kommunenummer,
          http: { circuitBreaker: false, shared: false, retries: 1, backoff: { baseMs: 1, maxMs: 5 } },
        }),
      knownKeys: () =>
        [...sim.world.properties.values()].filter((p) => p.status === 'levende').map((p) => p.key),
      unknownKey: `${sim.world.kommunenummer}-99999/9999/0/0`,
      async produceChanges(count) {
        // Ownership changes: one endringslogg entry (an Oppdatering of the unit) each, one upsert each.
        const before = sim.endringCount();
        applyChanges(sim.world, { seed: `conformance-${seed++}`, count, kinds: ['ownership'] });
        return sim.endringCount() - before;
      },
      inject(fault) {
        if (fault === 'unauthorized') faults.next(1_000, { kind: 'status', status: 401 });
        else if (fault === 'rate_limit')
          faults.set({ rateLimit: { every: 1, burst: 1, retryAfterMs: 120_000 } });
        else if (fault === 'malformed_body') faults.set({ malformedRate: 1 });
        else if (fault === 'latency') faults.set({ latencyMs: 2_000 });
        else if (fault === 'malformed_record') sim.corruptNextEndring();
      },
      clearFaults() {
        faults.clear();
      },
      teardown: () => pair.close(),
    };
  },
});
