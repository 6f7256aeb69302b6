/**
 * Folkeregisteret adapter throughput against its simulator (one process, loopback HTTP):
 *
 * 1. `getMany` of every person (bulkoppslag in chunks of 1000, 4 in flight), against the raw floor:
 *    the same POSTs with plain `fetch` + `JSON.parse`, same concurrency, no validation or mapping.
 * 2. Reading the whole event feed with `changes()` (one person event each, resolved with one
 *    bulkoppslag per page), against the raw floor: the same feed pages and bulk lookups with
 *    `fetch` + `JSON.parse`, in the same order.
 *
 * `--quick` uses 10 000 people/events instead of 100 000.
 */
import { createFolkeregisterAdapter, PERSON_PARTS } from '@registerbro/folkeregister';
import { createFolkeregisterSimulator } from '@registerbro/folkeregister/simulator';
import { generateMunicipality } from '@registerbro/testkit';
import { isQuick, printResult, runBench } from './harness.js';

const N = isQuick() ? 10_000 : 100_000;
const RUNS = isQuick() ? 3 : 3;
const CONCURRENCY = 4;
const BULK = 1000;

const world = generateMunicipality({ seed: 'folkeregister-bench', people: N });
const sim = await createFolkeregisterSimulator({ world, logLimit: 1000 });
const api = `${sim.url}/folkeregisteret/${sim.rettighetspakke}/api/v1`;
const headers = {
  authorization: `Bearer ${sim.token}`,
  accept: 'application/json',
  'content-type': 'application/json',
};
const keys = [...world.people.values()].map((p) => p.fnr);
const partQuery = PERSON_PARTS.map((part) => `part=${part}`).join('&');
const adapter = createFolkeregisterAdapter({
  baseURL: sim.url,
  tokenProvider: { getToken: async () => sim.token, invalidate: () => {} },
  concurrency: CONCURRENCY,
  http: { circuitBreaker: false, shared: false },
});

async function rawBulk(ids: string[]): Promise<{ oppslag: unknown[] }> {
  // The same request the adapter sends: only the parts a Person needs.
  const res = await fetch(`${api}/personer/bulkoppslag?${partQuery}`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ foedselsEllerDNummer: ids }),
  });
  return JSON.parse(await res.text()) as { oppslag: unknown[] };
}

const chunks: string[][] = [];
for (let i = 0; i < keys.length; i += BULK) chunks.push(keys.slice(i, i + BULK));

printResult(
  await runBench({
    name: `folkeregister getMany ${N.toLocaleString('en-US')} people`,
    items: N,
    runs: RUNS,
    subject: async () => {
      const result = await adapter.getMany(keys);
      if (result.entities.length !== N) throw new Error(`getMany found ${result.entities.length} of ${N}`);
    },
    floor: async () => {
      let next = 0;
      let found = 0;
      const worker = async () => {
        while (next < chunks.length) {
          const body = await rawBulk(chunks[next++] as string[]);
          found += body.oppslag.length;
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      if (found !== N) throw new Error(`floor found ${found} of ${N}`);
    },
  }),
);

const events = sim.lastSeq();
printResult(
  await runBench({
    name: `folkeregister changes() over ${events.toLocaleString('en-US')} feed events`,
    items: events,
    runs: RUNS,
    subject: async () => {
      let seen = 0;
      // A fresh adapter each run: no ETag state carried over.
      const reader = createFolkeregisterAdapter({
        baseURL: sim.url,
        tokenProvider: { getToken: async () => sim.token, invalidate: () => {} },
        http: { circuitBreaker: false, shared: false },
      });
      for await (const page of reader.changes(undefined))
        seen += page.changes.length + page.quarantined.length;
      await reader.close?.();
      if (seen !== events) throw new Error(`changes() saw ${seen} of ${events}`);
    },
    floor: async () => {
      let seq = 0;
      let seen = 0;
      for (;;) {
        const res = await fetch(`${api}/hendelser/feed?seq=${seq}`, { headers });
        const page = JSON.parse(await res.text()) as {
          sekvensnummer: number;
          hendelse: { folkeregisteridentifikator: string };
        }[];
        if (page.length === 0) break;
        const ids = [...new Set(page.map((e) => e.hendelse.folkeregisteridentifikator))];
        for (let i = 0; i < ids.length; i += BULK) await rawBulk(ids.slice(i, i + BULK));
        seen += page.length;
        seq = (page.at(-1)?.sekvensnummer ?? seq) + 1;
      }
      if (seen !== events) throw new Error(`floor saw ${seen} of ${events}`);
    },
  }),
);

await adapter.close?.();
await sim.close();
