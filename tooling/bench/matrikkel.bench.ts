/**
 * Matrikkel adapter throughput against its simulator (one process, loopback HTTP):
 *
 * 1. A full `scan()` of a municipality of 50 000 matrikkelenheter (getObjects batches of 2000,
 *    3 batches in flight; per batch the unit objects, three lookups, the owners/addresses/buildings
 *    and the streets), mapped to validated Properties.
 * 2. Reading 10 000 endringslogg entries with `changes()` (pages of 1000, each unit refetched).
 *
 * The raw floor of each, measured in the same run: the very SOAP requests the adapter sent
 * (recorded once), replayed with plain `fetch` + the same XML reader (`parseFastXml`), 4 in flight,
 * no mapping or validation.
 * `--quick` uses 5 000 units and 5 000 entries.
 */
import { createMatrikkelAdapter, parseFastXml } from '@registerbro/matrikkel';
import { createMatrikkelSimulator } from '@registerbro/matrikkel/simulator';
import { applyChanges, generateMunicipality } from '@registerbro/testkit';
import { isQuick, printResult, runBench } from './harness.js';

const N = isQuick() ? 5_000 : 50_000;
const CHANGES = isQuick() ? 5_000 : 10_000;
const RUNS = 3;
const BATCH = 2_000;

// About one unit per two people: size the world so it holds at least N units, then scan all of them.
const world = generateMunicipality({ seed: 'matrikkel-bench', people: Math.ceil(N * 2.2) });
const units = [...world.properties.values()].filter((p) => p.status === 'levende').length;
const sim = await createMatrikkelSimulator({ world });
const auth = `Basic ${Buffer.from(`${sim.username}:${sim.password}`).toString('base64')}`;
const adapter = createMatrikkelAdapter({
  baseURL: sim.url,
  username: sim.username,
  password: sim.password,
  kommunenummer: world.kommunenummer,
  batchSize: BATCH,
  concurrency: 3,
  changePageSize: 1000,
  http: { circuitBreaker: false, shared: false, timeoutMs: 120_000 },
});

async function record(run: () => Promise<unknown>): Promise<{ service: string; body: string }[]> {
  sim.exchanges.length = 0;
  sim.setRecording(true);
  await run();
  sim.setRecording(false);
  const requests = sim.exchanges.map((e) => ({ service: e.service, body: e.request }));
  sim.exchanges.length = 0;
  return requests;
}

async function replay(requests: { service: string; body: string }[]): Promise<number> {
  let next = 0;
  let elements = 0;
  const worker = async () => {
    while (next < requests.length) {
      const r = requests[next++];
      if (!r) break;
      const res = await fetch(`${sim.soapUrl}/${r.service}ServiceWS`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'text/xml;charset=UTF-8', soapaction: '""' },
        body: r.body,
      });
      const doc = parseFastXml(await res.text(), { isArray: (name) => name === 'item' || name === 'entry' });
      elements += Object.keys(doc).length;
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return elements;
}

const scanAll = async () => {
  // Page by page, as a sync stores them: nothing is kept beyond the page in hand.
  let count = 0;
  for await (const page of adapter.scan()) count += page.entities.length;
  if (count !== units) throw new Error(`scan returned ${count} of ${units}`);
};
const scanRequests = await record(scanAll);
printResult(
  await runBench({
    name: `matrikkel scan of ${units.toLocaleString('en-US')} units (${scanRequests.length} SOAP calls)`,
    items: units,
    runs: RUNS,
    subject: scanAll,
    floor: () => replay(scanRequests),
  }),
);

const head = await adapter.head();
applyChanges(world, { seed: 'matrikkel-bench-changes', count: CHANGES, kinds: ['ownership'] });
const entries = sim.endringCount() - Number(head);
const readChanges = async () => {
  let count = 0;
  for await (const page of adapter.changes(head)) count += page.changes.length + page.quarantined.length;
  if (count < entries) throw new Error(`changes returned ${count} of ${entries}`);
};
const changeRequests = await record(readChanges);
printResult(
  await runBench({
    name: `matrikkel changes() over ${entries.toLocaleString('en-US')} endringslogg entries (${changeRequests.length} SOAP calls)`,
    items: entries,
    runs: RUNS,
    subject: readChanges,
    floor: () => replay(changeRequests),
  }),
);

await adapter.close?.();
await sim.close();
