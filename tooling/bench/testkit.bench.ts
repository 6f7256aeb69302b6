/**
 * testkit: generating the synthetic municipality, applying changes, and the simulator server.
 *
 * Floors:
 * - generate: the least work that yields the same people — N plain person objects with a fresh
 *   synthetic fnr each (same PRNG, same mod-11 search), no households, units, addresses or
 *   cases. The ratio is what the rest of the world (≈0.46 units, ≈0.45 addresses and 0.3 cases
 *   with records per person, all indexed) costs on top of the people.
 * - server: a bare node:http server answering the same body; the ratio is the simulator
 *   server's overhead (body collection, fault decision, request log).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  applyChanges,
  createFaultInjector,
  createRandom,
  generateMunicipality,
  passesMod11,
  startSimulatorServer,
} from '@registerbro/testkit';
import { isQuick, printResult, runBench } from './harness.js';

const quick = isQuick();

/** N person objects with synthetic fnr: the same identifier search as the generator. */
function floorPeople(n: number): unknown[] {
  const random = createRandom('floor');
  const used = new Set<string>();
  const people: unknown[] = [];
  const W1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
  const W2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
  while (people.length < n) {
    const year = random.int(1930, 2024);
    const month = random.int(1, 12);
    const day = random.int(1, 28);
    const individ = year >= 2000 ? random.int(500, 999) : random.int(0, 499);
    const base = `${String(day).padStart(2, '0')}${month + 80}${String(year % 100).padStart(2, '0')}${String(individ).padStart(3, '0')}`;
    let s1 = 0;
    for (let i = 0; i < 9; i++) s1 += Number(base[i]) * W1[i]!;
    const k1 = (11 - (s1 % 11)) % 11;
    if (k1 === 10) continue;
    let s2 = 0;
    const withK1 = base + k1;
    for (let i = 0; i < 10; i++) s2 += Number(withK1[i]) * W2[i]!;
    const k2 = (11 - (s2 % 11)) % 11;
    if (k2 === 10) continue;
    const fnr = withK1 + k2;
    if (used.has(fnr) || !passesMod11(fnr)) continue;
    used.add(fnr);
    people.push({
      id: `p${people.length + 1}`,
      fnr,
      birthDate: `${year}-${month}-${day}`,
      status: 'bosatt',
      version: 1,
    });
  }
  return people;
}

for (const people of quick ? [1_000, 10_000] : [10_000, 100_000]) {
  printResult(
    await runBench({
      name: `generateMunicipality ${people.toLocaleString('en-US')} people`,
      items: people,
      runs: people >= 100_000 ? 3 : 5,
      subject: async () => generateMunicipality({ seed: 'bench', people }),
      floor: async () => floorPeople(people),
    }),
  );
}

{
  // Peak figures above include earlier runs' garbage; this is what one world keeps alive.
  const people = quick ? 10_000 : 100_000;
  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  const world = generateMunicipality({ seed: 'bench', people });
  globalThis.gc?.();
  const retained = (process.memoryUsage().heapUsed - before) / 2 ** 20;
  console.log(
    `retained heap of one ${people.toLocaleString('en-US')}-people world: ${retained.toFixed(0)} MiB` +
      ` (${world.properties.size.toLocaleString('en-US')} units, ${world.cases.size.toLocaleString('en-US')} cases)` +
      (globalThis.gc ? '' : ' — run with --expose-gc for an exact figure'),
  );
}

{
  const people = quick ? 10_000 : 100_000;
  const count = quick ? 2_000 : 10_000;
  const world = generateMunicipality({ seed: 'bench', people });
  let batch = 0;
  printResult(
    await runBench({
      name: `applyChanges ${count.toLocaleString('en-US')} changes on ${people.toLocaleString('en-US')} people`,
      items: count,
      runs: 3,
      subject: async () => applyChanges(world, { seed: batch++, count }),
    }),
  );
}

{
  const requests = quick ? 500 : 5_000;
  const body = JSON.stringify({ ok: true, data: 'x'.repeat(1000) });
  const sim = await startSimulatorServer({
    name: 'bench',
    faults: createFaultInjector(),
    handler: () => ({ headers: { 'content-type': 'application/json' }, body }),
  });
  const bare = createServer((_req, res) => {
    _req.resume();
    _req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
  const hammer = async (url: string) => {
    let next = 0;
    const worker = async () => {
      while (next < requests) {
        next++;
        await (await fetch(`${url}/x?i=${next}`)).text();
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  };
  printResult(
    await runBench({
      name: `simulator server ${requests.toLocaleString('en-US')} requests (8 concurrent, keep-alive)`,
      items: requests,
      runs: 3,
      subject: () => hammer(sim.url),
      floor: () => hammer(bareUrl),
    }),
  );
  await sim.close();
  bare.closeAllConnections();
  await new Promise((resolve) => bare.close(resolve));
}
