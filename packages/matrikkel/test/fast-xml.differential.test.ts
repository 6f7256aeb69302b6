import { collectPages } from '@registerbro/model';
import { applyChanges } from '@registerbro/testkit';
import { parseXml } from '@registerbro/transport';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFastXml } from '../src/index.js';
import { startPair } from './harness.js';

type Pair = Awaited<ReturnType<typeof startPair>>;
let pair: Pair | undefined;
afterEach(async () => {
  await pair?.close();
  pair = undefined;
});

const isArray = (name: string) => name === 'item' || name === 'entry';

describe('parseFastXml against transport parseXml on what the simulator sends', () => {
  it('gives the same object for every SOAP request and response of a scan, changes, gets and faults', async () => {
    pair = await startPair({ recordExchanges: true }, { batchSize: 25 });
    const { sim, adapter } = pair;
    await collectPages(adapter.scan());
    const head = await adapter.head();
    applyChanges(sim.world, {
      seed: 'differential',
      count: 15,
      kinds: ['ownership', 'split', 'merge', 'address_rename'],
    });
    await collectPages(adapter.changes(head, { pageSize: 5 }));
    const unit = [...sim.world.properties.values()].find(
      (u) => u.status === 'levende' && u.buildingIds.length > 0,
    );
    expect(unit).toBeDefined();
    await adapter.getBuildings(unit?.key ?? '');
    await adapter.getMany(['1806-9999/9999/0/0', unit?.key ?? '']);
    // SOAP Faults (with a ServiceException detail) are compared too.
    sim.corrupt(unit?.key ?? '', 'soap_fault');
    expect((await adapter.getMany([unit?.key ?? ''])).quarantined).toHaveLength(1);

    const exchanges = sim.exchanges;
    const services = new Set(exchanges.map((e) => e.service));
    for (const s of ['Store', 'Matrikkelenhet', 'Adresse', 'Bygning', 'Endringslogg'])
      expect(services).toContain(s);
    expect(exchanges.some((e) => e.status === 500)).toBe(true);
    let compared = 0;
    for (const e of exchanges) {
      for (const text of [e.request, e.response]) {
        const fast = parseFastXml(text, { isArray });
        expect(fast).toEqual(parseXml(text, { isArray: (name) => isArray(name) }));
        // Same shape, not just equal values: both sides are plain objects all the way down.
        expect(Object.getPrototypeOf(fast)).toBe(Object.prototype);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(60);
  });
});
