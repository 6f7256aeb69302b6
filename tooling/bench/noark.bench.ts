/**
 * Noark adapter throughput against its simulator (one process, loopback HTTP):
 *
 * 1. A full `scan()` of 100 000 open cases with their parties and classes (keyset pages of 1000
 *    over the Tjenestegrensesnitt), mapped to validated canonical Cases.
 * 2. 10 000 party updates with `apply()` (compare-and-set: GET the part with its ETag, PUT it with
 *    If-Match), 8 in flight.
 *
 * The raw floor of each, measured in the same run: the same HTTP requests with plain `fetch` and
 * `JSON.parse`, no validation or mapping (for the updates: GET + PUT with If-Match, no checks).
 * `--quick` uses 10 000 cases / 1 000 updates.
 */
import { randomUUID } from 'node:crypto';
import { createNoarkAdapter, odataString } from '@registerbro/noark';
import { createNoarkSimulator } from '@registerbro/noark/simulator';
import { type WorldCase, generateMunicipality } from '@registerbro/testkit';
import { isQuick, printResult, runBench } from './harness.js';

const CASES = isQuick() ? 10_000 : 100_000;
const UPDATES = isQuick() ? 1_000 : 10_000;
const PAGE = 1_000;
const CONCURRENCY = 8;

// The generator makes about 0.3 cases per person, a third of them open: build a modest world and
// copy its open cases (new systemIDs and saksnummer, same shape) until the archive holds CASES
// open ones — generating a third of a million people would measure the generator, not the adapter.
const world = generateMunicipality({ seed: 'noark-bench', people: 6_000 });
const templates = [...world.cases.values()].filter((c) => c.open && c.status !== 'A');
let open = templates.length;
let serial = 0;
while (open < CASES) {
  const t = templates[serial % templates.length] as WorldCase;
  const year = 2000 + (serial % 20);
  const seq = 100_000 + serial++;
  const copy: WorldCase = {
    ...t,
    systemId: randomUUID(),
    saksnummer: `${year}/${seq}`,
    classes: t.classes.map((c) => ({ ...c, systemId: randomUUID() })),
    parties: t.parties.map((p) => ({
      ...p,
      systemId: randomUUID(),
      ...(p.address ? { address: { ...p.address } } : {}),
    })),
    records: [],
  };
  world.cases.set(copy.systemId, copy);
  world.index.casesBySaksnummer.set(copy.saksnummer, copy.systemId);
  for (const p of copy.parties) world.index.caseByParty.set(p.systemId, copy.systemId);
  open++;
}

const sim = await createNoarkSimulator({ world, validateFiksXsd: false });
const adapter = createNoarkAdapter({
  baseURL: sim.tgBaseURL,
  pageSize: PAGE,
  http: { circuitBreaker: false, shared: false, timeoutMs: 120_000 },
});
const headers = { accept: 'application/vnd.noark5+json' };
const OPEN_FILTER = "avsluttetDato eq null and saksstatus ne 'A' and saksstatus ne 'U'";

const parties = [...world.cases.values()]
  .filter((c) => c.open && c.status !== 'A')
  .flatMap((c) => c.parties.map((p) => ({ caseKey: c.saksnummer, id: p.systemId, name: p.name })))
  .slice(0, UPDATES);
if (parties.length < UPDATES) throw new Error(`only ${parties.length} parties for ${UPDATES} updates`);

async function pool<T>(items: readonly T[], work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

let scanned = 0;
printResult(
  await runBench({
    name: `noark scan ${CASES.toLocaleString('en-US')} open cases with parties`,
    items: CASES,
    runs: 3,
    subject: async () => {
      scanned = 0;
      for await (const page of adapter.scan({ pageSize: PAGE }))
        scanned += page.entities.length + page.quarantined.length;
      if (scanned !== CASES) throw new Error(`scan saw ${scanned} cases, expected ${CASES}`);
    },
    floor: async () => {
      let after: string | undefined;
      let n = 0;
      for (;;) {
        const filter = after ? `systemID gt ${odataString(after)} and ${OPEN_FILTER}` : OPEN_FILTER;
        const url = `${sim.tgBaseURL}/sakarkiv/saksmappe/?${new URLSearchParams({ $filter: filter, $orderby: 'systemID asc', $top: String(PAGE) })}`;
        const body = (await (await fetch(url, { headers })).json()) as { results?: { systemID: string }[] };
        const results = body.results ?? [];
        if (results.length === 0) break;
        n += results.length;
        after = results.at(-1)?.systemID;
      }
      if (n !== CASES) throw new Error(`floor saw ${n} cases`);
    },
  }),
);

let run = 0;
printResult(
  await runBench({
    name: `noark apply ${UPDATES.toLocaleString('en-US')} party updates (compare-and-set)`,
    items: UPDATES,
    runs: 3,
    subject: async () => {
      const suffix = ` r${run++}`;
      await pool(parties, async (p) => {
        const result = await adapter.apply(
          {
            type: 'update_party',
            target: p.caseKey,
            partySystemId: p.id,
            set: { name: `${p.name}${suffix}` },
          },
          { idempotencyKey: `bench-${p.id}-${suffix}` },
        );
        if (result.status !== 'applied') throw new Error(`expected applied, got ${result.status}`);
      });
    },
    floor: async () => {
      const suffix = ` f${run++}`;
      await pool(parties, async (p) => {
        const url = `${sim.tgBaseURL}/arkivstruktur/part/${p.id}/`;
        const res = await fetch(url, { headers });
        const body = (await res.json()) as Record<string, unknown>;
        const put = await fetch(url, {
          method: 'PUT',
          headers: {
            ...headers,
            'content-type': 'application/vnd.noark5+json',
            'if-match': res.headers.get('etag') ?? '',
          },
          body: JSON.stringify({ ...body, navn: `${p.name}${suffix}` }),
        });
        await put.arrayBuffer();
        if (put.status !== 200) throw new Error(`floor PUT answered ${put.status}`);
      });
    },
  }),
);

await adapter.close?.();
await sim.close();
