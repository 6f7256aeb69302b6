import { CaseSchema, type Case } from '@registerbro/model';
import { applyChanges, createFaultInjector } from '@registerbro/testkit';
import { describeAdapterConformance } from '@registerbro/testkit/conformance';
import { createNoarkAdapter, type NoarkAdapterOptions } from '../src/adapter.js';
import type { NoarkOperation } from '../src/operations.js';
import { createNoarkSimulator } from '../src/simulator/index.js';

let run = 0;

describeAdapterConformance<Case, NoarkOperation>({
  name: 'noark',
  schema: CaseSchema,
  keyOf: (c) => c.saksnummer,
  pageSize: 5,
  async setup() {
    const faults = createFaultInjector();
    const sim = await createNoarkSimulator({ seed: `conformance-${run++}`, people: 120, faults });
    const options: NoarkAdapterOptions = {
      baseURL: sim.tgBaseURL,
      // Own breaker state per adapter and no breaker: the suite arms faults on purpose.
      http: {
        shared: false,
        circuitBreaker: false,
        retries: 1,
        backoff: { baseMs: 1, maxMs: 5 },
        maxRetryAfterMs: 1_000,
        timeoutMs: 10_000,
      },
    };
    const adapter = createNoarkAdapter(options);
    const extra: ReturnType<typeof createNoarkAdapter>[] = [];
    return {
      adapter,
      createAdapter() {
        const a = createNoarkAdapter(options);
        extra.push(a);
        return a;
      },
      knownKeys: () =>
        [...sim.world.cases.values()].filter((c) => c.open && c.status !== 'A').map((c) => c.saksnummer),
      unknownKey: '1999/99999',
      async produceChanges(count) {
        // World changes that reach the archive (new journalposts, closed cases) where it has
        // candidates, the rest as an archivist's edits: every one a distinct case.
        const made = applyChanges(sim.world, {
          count: Math.ceil(count / 2),
          kinds: ['case_record', 'case_close'],
        });
        const touched = new Set(made.flatMap((c) => c.caseIds ?? []));
        while (touched.size < count) for (const id of sim.editCases(1)) touched.add(id);
        return touched.size;
      },
      inject(fault) {
        switch (fault) {
          case 'unauthorized':
            faults.next(1_000, { kind: 'status', status: 401 });
            return;
          case 'rate_limit':
            faults.set({ rateLimit: { every: 1, burst: 1, retryAfterMs: 120_000 } });
            return;
          case 'malformed_body':
            faults.set({ malformedRate: 1 });
            return;
          case 'malformed_record':
            sim.corruptNextListRecord();
            return;
          case 'latency':
            faults.set({ timeoutRate: 1 });
            return;
        }
      },
      clearFaults() {
        faults.clear();
      },
      sampleOperation() {
        const kase = [...sim.world.cases.values()].find((c) => c.open && c.parties.length > 0)!;
        const party = kase.parties[0]!;
        const since = sim.writeLog.length;
        return {
          operation: {
            type: 'update_party',
            target: kase.saksnummer,
            partySystemId: party.systemId,
            set: { name: `${party.name} Prøvesen` },
            expected: { name: party.name },
          },
          verify: async () =>
            sim.writeLog
              .slice(since)
              .filter((w) => w.kind === 'update_party' && w.targetSystemId === party.systemId).length,
        };
      },
      async teardown() {
        await adapter.close?.();
        for (const a of extra) await a.close?.();
        await sim.close();
      },
    };
  },
});
