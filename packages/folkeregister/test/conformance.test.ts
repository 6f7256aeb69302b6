import { type Person, PersonSchema } from '@registerbro/model';
import { applyChanges, generateMunicipality } from '@registerbro/testkit';
import { describeAdapterConformance } from '@registerbro/testkit/conformance';
import { createFolkeregisterSimulator } from '../src/simulator/simulator.js';
import { PERSON_CHANGE_KINDS, simAdapter, unknownIdentifier } from './support/harness.js';

/** The page size the suite asks for. */
const PAGE_SIZE = 5;

/**
 * The suite runs twice: once with the register paging the feed by 1000 as Skatteetaten does (the
 * adapter cuts each page to `pageSize` at event boundaries), once with the register's own pages
 * as small as the suite's (every register page boundary is then a page boundary too).
 */
for (const feedPageSize of [1000, PAGE_SIZE]) {
  describeAdapterConformance({
    name: `folkeregister (register feed pages of ${feedPageSize})`,
    schema: PersonSchema,
    keyOf: (person: Person) => person.fodselsnummer,
    pageSize: PAGE_SIZE,
    async setup() {
      const world = generateMunicipality({ seed: 'folkeregister-conformance', people: 40 });
      const sim = await createFolkeregisterSimulator({
        world,
        feedPageSize,
        uttrekk: { batchSize: 12 },
      });
      const adapters = [simAdapter(sim)];
      let round = 0;
      return {
        adapter: adapters[0]!,
        createAdapter() {
          const adapter = simAdapter(sim);
          adapters.push(adapter);
          return adapter;
        },
        knownKeys: () => [...world.people.values()].map((p) => p.fnr),
        unknownKey: unknownIdentifier(world),
        async produceChanges(count) {
          applyChanges(world, { count, kinds: PERSON_CHANGE_KINDS, seed: `round-${round++}` });
          return sim.sync();
        },
        inject(fault) {
          switch (fault) {
            case 'unauthorized':
              sim.revokeToken(sim.token);
              break;
            case 'rate_limit':
              sim.faults.set({
                rateLimit: { every: 1, burst: 1, retryAfterMs: 5_000, unit: 'milliseconds' },
              });
              break;
            case 'malformed_body':
              sim.faults.set({ malformedRate: 1 });
              break;
            case 'malformed_record':
              sim.corruptNextFeedEvent();
              break;
            case 'latency':
              sim.faults.set({ latencyMs: 1_500 });
              break;
          }
        },
        clearFaults() {
          sim.allowToken(sim.token);
          sim.faults.clear();
        },
        async teardown() {
          for (const adapter of adapters) await adapter.close?.();
          await sim.close();
        },
      };
    },
  });
}
