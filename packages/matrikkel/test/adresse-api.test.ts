import { readFileSync } from 'node:fs';
import { AddressSchema } from '@registerbro/model';
import { specPath } from '@registerbro/testkit';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MatrikkelClient, createMatrikkelClient, fromAdresseApi } from '../src/index.js';
import { type MatrikkelSimulator, createMatrikkelSimulator } from '../src/simulator/index.js';
import { smallWorld } from './harness.js';

const swagger = JSON.parse(
  readFileSync(specPath('matrikkel', 'schema', 'adresse-api-v1.2.0.swagger2.json'), 'utf8'),
) as {
  definitions: Record<string, unknown>;
};
const ajv = new Ajv({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv) => void)(ajv);
ajv.addFormat('int32', true);
ajv.addFormat('float', true);
ajv.addSchema({ $id: 'adresse-api', definitions: swagger.definitions });
const validateList = ajv.getSchema('adresse-api#/definitions/OutputAdresseList');
const validatePoints = ajv.getSchema('adresse-api#/definitions/OutputGeoPointList');

describe('adresse-API simulator and client', () => {
  let sim: MatrikkelSimulator;
  let client: MatrikkelClient;
  beforeAll(async () => {
    sim = await createMatrikkelSimulator({ world: smallWorld('adresser', 600) });
    client = createMatrikkelClient({
      adresseApiURL: sim.adresseApiUrl,
      http: { retries: 0, circuitBreaker: false, shared: false },
    });
  });
  afterAll(async () => {
    client.close();
    await sim.close();
  });

  it('answers /sok with bodies that validate against the Swagger schema (ajv), in 4258 and 25833', async () => {
    for (const utkoordsys of [4258, 25833]) {
      const res = await fetch(
        `${sim.adresseApiUrl}/sok?kommunenummer=1806&treffPerSide=25&utkoordsys=${utkoordsys}`,
      );
      const body = (await res.json()) as { adresser: Record<string, unknown>[] };
      expect(res.status).toBe(200);
      expect(validateList?.(body), JSON.stringify(validateList?.errors)).toBe(true);
      expect(body.adresser).toHaveLength(25);
    }
    // The validator is not vacuous: a wrong type fails.
    expect(validateList?.({ metadata: { side: 'null' }, adresser: [] })).toBe(false);
  });

  it('answers /punktsok near an address, nearest first, schema-valid', async () => {
    const a = [...sim.world.addresses.values()][10];
    if (!a) throw new Error('no address');
    const res = await fetch(
      `${sim.adresseApiUrl}/punktsok?lat=${a.point.y}&lon=${a.point.x}&koordsys=25833&radius=50&utkoordsys=25833`,
    );
    const body = (await res.json()) as { adresser: Record<string, unknown>[] };
    expect(validatePoints?.(body), JSON.stringify(validatePoints?.errors)).toBe(true);
    expect(body.adresser[0]?.meterDistanseTilPunkt).toBe(0);
    expect(body.adresser[0]?.representasjonspunkt).toEqual({
      epsg: 'EPSG:25833',
      lat: a.point.y,
      lon: a.point.x,
    });
  });

  it('pages with side from 0 and treffPerSide ≤ 1000, and maps to valid Addresses', async () => {
    const pages = [];
    for await (const page of client.sokAdresserPages({ kommunenummer: '1806', treffPerSide: 100 }))
      pages.push(page);
    const all = pages.flatMap((p) => p.adresser);
    expect(all.length).toBe(sim.world.addresses.size);
    expect(pages.map((p) => p.metadata.side)).toEqual(pages.map((_, i) => i));
    for (const raw of all.slice(0, 50))
      expect(AddressSchema.safeParse(fromAdresseApi(raw)).success).toBe(true);
    expect(() => fromAdresseApi({ adressetekst: 'Storgata 1' })).toThrow(/no kommunenummer/);
  });

  it('refuses treffPerSide over 1000 and pages beyond the 10 000 cap', async () => {
    expect((await fetch(`${sim.adresseApiUrl}/sok?treffPerSide=1001`)).status).toBe(400);
    expect((await fetch(`${sim.adresseApiUrl}/sok?treffPerSide=1000&side=10`)).status).toBe(400);
    expect((await fetch(`${sim.adresseApiUrl}/sok?treffPerSide=1000&side=9`)).status).toBe(200);
  });
});
