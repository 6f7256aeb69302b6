/**
 * Every SOAP Body payload the client sends and the simulator answers validates against the
 * service's own schemas (all-services.xsd imports every service and domain schema so that xsi:type
 * values resolve; FACTS.md: validate the Body's payload element, not the envelope).
 */
import { collectPages } from '@registerbro/model';
import { applyChanges, renumberKommune, specPath, validateXml } from '@registerbro/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMatrikkelClient, isMatrikkelFault } from '../src/index.js';
import { smallWorld, startPair } from './harness.js';

const XSD = specPath('matrikkel', 'schema', 'matrikkelapi-v1', 'all-services.xsd');

/** The Body's payload element as a standalone document (envelope-level xmlns copied onto it). */
export function bodyPayload(envelope: string): string {
  const open = /<(?:([\w.-]+):)?Body\b[^>]*>/.exec(envelope);
  if (!open) throw new Error('no Body');
  const prefix = open[1] ? `${open[1]}:` : '';
  const inner = envelope.slice(open.index + open[0].length, envelope.lastIndexOf(`</${prefix}Body>`)).trim();
  const fault = /<detail>([\s\S]*)<\/detail>/.exec(inner);
  const element = fault?.[1]?.trim() ?? inner;
  const envOpen = /<(?:[\w.-]+:)?Envelope\b([^>]*)>/.exec(envelope)?.[1] ?? '';
  const declared = [...envOpen.matchAll(/\sxmlns(?::[\w.-]+)?="[^"]*"/g)].map((m) => m[0]);
  const rootEnd = element.indexOf('>');
  const root = element.slice(0, rootEnd);
  const extra = declared.filter((d) => !root.includes(d.trim().split('=')[0] ?? '')).join('');
  return `${root}${extra}${element.slice(rootEnd)}`;
}

function rootName(xml: string): string {
  return /^<([\w.:-]+)/.exec(xml)?.[1]?.replace(/^[\w.-]+:/, '') ?? '?';
}

describe('SOAP messages validate against all-services.xsd', () => {
  let pair: Awaited<ReturnType<typeof startPair>>;
  beforeAll(async () => {
    pair = await startPair(
      { recordExchanges: true, world: smallWorld('xsd', 200, '1854') },
      { batchSize: 50 },
    );
    const { sim, adapter } = pair;
    const head = await adapter.head();
    await collectPages(adapter.scan());
    applyChanges(sim.world, {
      seed: 'xsd',
      count: 30,
      kinds: ['ownership', 'split', 'merge', 'address_rename', 'rename', 'dnr_to_fnr'],
    });
    renumberKommune(sim.world, '1854', '1806');
    await collectPages(adapter.changes(head));
    const someKey = [...sim.world.properties.values()][0]?.key ?? '';
    const many = await adapter.getMany([someKey, '1806-99999/1/0/0']);
    expect(many.entities).toHaveLength(1);
    expect(many.missing).toEqual(['1806-99999/1/0/0']);
    // Faults: FinderException, ObjectsNotFoundFaultInfo, a SystemException, a ValidationException.
    const client = createMatrikkelClient({
      baseURL: sim.url,
      username: sim.username,
      password: sim.password,
      http: { retries: 0, circuitBreaker: false, shared: false },
    });
    expect(await client.findKommuneIdForIdent('9999')).toBeUndefined();
    await expect(client.getObjects([{ type: 'MatrikkelenhetId', value: '1' }])).rejects.toSatisfy(
      isMatrikkelFault,
    );
    sim.corrupt(someKey, 'soap_fault');
    await expect(
      client.getObjects([
        { type: 'MatrikkelenhetId', value: [...sim.world.properties.values()][0]?.id ?? '' },
      ]),
    ).rejects.toSatisfy(isMatrikkelFault);
    await expect(
      client.findEndringer({ fromId: '0', filter: '{not json', maksAntall: 10 }),
    ).rejects.toSatisfy(isMatrikkelFault);
    client.close();
  }, 60_000);
  afterAll(() => pair.close());

  it('covers every operation the client uses, and the fault subtypes', () => {
    const requests = new Set(pair.sim.exchanges.map((e) => rootName(bodyPayload(e.request))));
    for (const op of [
      'getObjects',
      'findMatrikkelenheter',
      'findMatrikkelenhetIdsForIdents',
      'findAdresserForMatrikkelenheter',
      'findByggForMatrikkelenheter',
      'findRepresentasjonspunkterForMatrikkelenheter',
      'findEideMatrikkelenheterForPersoner',
      'findForretningerForMatrikkelenheter',
      'findKommuneIdForIdent',
      'findSisteEndringId',
      'findEndringer',
    ]) {
      expect(requests, op).toContain(op);
    }
    const faults = pair.sim.exchanges.filter((e) => e.status === 500).map((e) => e.response);
    expect(faults.some((f) => f.includes('ObjectsNotFoundFaultInfo'))).toBe(true);
    expect(faults.some((f) => f.includes('FinderException'))).toBe(true);
  });

  it('every request and response payload is schema-valid', async () => {
    // One sample per distinct (direction, root element, content class) keeps xmllint runs few.
    const samples = new Map<string, string>();
    for (const e of pair.sim.exchanges) {
      const req = bodyPayload(e.request);
      const res = bodyPayload(e.response);
      const types = (xml: string) => [...new Set(xml.match(/xsi:type="[^"]+"/g) ?? [])].sort().join(',');
      const reqKey = `req:${rootName(req)}:${types(req)}`;
      const resKey = `res:${e.status}:${rootName(res)}:${types(res)}:${res.length > 200 ? 'items' : 'empty'}`;
      if (!samples.has(reqKey)) samples.set(reqKey, req);
      if (!samples.has(resKey)) samples.set(resKey, res);
    }
    expect(samples.size).toBeGreaterThan(20);
    const results = await Promise.all(
      [...samples].map(async ([key, xml]) => ({ key, ...(await validateXml(xml, XSD)) })),
    );
    const invalid = results.filter((r) => !r.valid).map((r) => `${r.key}: ${r.errors.slice(0, 400)}`);
    expect(invalid).toEqual([]);
  }, 60_000);

  it('the validator does reject a payload that breaks the schema (element order)', async () => {
    const good = bodyPayload(
      pair.sim.exchanges.find((e) => e.request.includes('findSisteEndringId'))?.request ?? '',
    );
    const bad = good.replace(
      /(<d:locale>[^<]*<\/d:locale>)(<d:brukOriginaleKoordinater>[^<]*<\/d:brukOriginaleKoordinater>)/,
      '$2$1',
    );
    expect(bad).not.toBe(good);
    expect((await validateXml(bad, XSD)).valid).toBe(false);
  });
});
