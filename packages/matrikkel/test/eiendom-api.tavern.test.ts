/**
 * Kartverket's own contract tests of the eiendom-API (specs/matrikkel/examples/
 * eiendom-api-v1-contract-tests.tavern.yaml), run case by case against the simulator, which is
 * seeded with the properties the cases name. Matching follows tavern: with `strict: json:on` the
 * JSON must have exactly the expected keys and list lengths; otherwise expected keys are a subset
 * and expected list items appear in order.
 */
import { readFileSync } from 'node:fs';
import { specPath } from '@registerbro/testkit';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMatrikkelClient, toUtm } from '../src/index.js';
import {
  type EiendomTeigFixture,
  type MatrikkelSimulator,
  createMatrikkelSimulator,
} from '../src/simulator/index.js';
import { smallWorld } from './harness.js';

const ANY_LIST = Symbol('anylist');

interface Stage {
  name: string;
  request: { url: string; params?: Record<string, string | number | boolean>; method: string };
  response: { status_code: number; json?: unknown };
}
interface TavernCase {
  test_name: string;
  strict?: string[];
  stages: Stage[];
}

const text = readFileSync(
  specPath('matrikkel', 'examples', 'eiendom-api-v1-contract-tests.tavern.yaml'),
  'utf8',
);
const cases = parseAllDocuments(text, {
  uniqueKeys: false,
  customTags: [{ tag: '!anylist', resolve: () => ANY_LIST as unknown as string }],
})
  .map((doc) => doc.toJS() as TavernCase | null)
  .filter((c): c is TavernCase => c !== null);

/** Tavern-style comparison; returns the first mismatch as a path, or undefined. */
function mismatch(expected: unknown, actual: unknown, strict: boolean, path = '$'): string | undefined {
  if (expected === (ANY_LIST as unknown))
    return Array.isArray(actual) ? undefined : `${path}: expected any list`;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected a list`;
    if (strict) {
      if (expected.length !== actual.length)
        return `${path}: expected ${expected.length} items, got ${actual.length}`;
      for (const [i, e] of expected.entries()) {
        const m = mismatch(e, actual[i], strict, `${path}[${i}]`);
        if (m) return m;
      }
      return undefined;
    }
    let from = 0;
    for (const [i, e] of expected.entries()) {
      const at = actual.findIndex((a, j) => j >= from && mismatch(e, a, strict) === undefined);
      if (at < 0) return `${path}[${i}]: no matching item (in order) for ${JSON.stringify(e)}`;
      from = at + 1;
    }
    return undefined;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual))
      return `${path}: expected an object`;
    const a = actual as Record<string, unknown>;
    for (const [k, v] of Object.entries(expected)) {
      if (!(k in a)) return `${path}.${k}: missing`;
      const m = mismatch(v, a[k], strict, `${path}.${k}`);
      if (m) return m;
    }
    if (strict) {
      const extra = Object.keys(a).filter((k) => !(k in (expected as object)));
      if (extra.length > 0) return `${path}: unexpected keys ${extra.join(', ')}`;
    }
    return undefined;
  }
  return Object.is(expected, actual)
    ? undefined
    : `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

const square = (x: number, y: number, half = 10) => [
  { x: x - half, y: y - half },
  { x: x + half, y: y - half },
  { x: x + half, y: y + half },
  { x: x - half, y: y + half },
  { x: x - half, y: y - half },
];
const utm = (lon: number, lat: number) => toUtm(lon, lat, 25833);

/** The properties the contract tests name, as Kartverket's service has them. */
function fixtures(): EiendomTeigFixture[] {
  const date = '2020-06-16T03:58:58';
  const base = { oppdateringsdato: date };
  const falsk = utm(5.84620469, 58.51245);
  const delt = utm(11, 60);
  const oslo = utm(10.723, 59.928);
  return [
    ...[true, false, false].map((hovedomrade, i) => ({
      ...base,
      kommunenummer: '3413',
      matrikkelenheter: [{ gardsnummer: 339, bruksnummer: 42 }],
      lokalid: 34_000_100 + i,
      hovedomrade,
      point: { x: 290_000 + i * 100, y: 6_750_000 },
    })),
    {
      ...base,
      kommunenummer: '3413',
      matrikkelenheter: [{ gardsnummer: 6, bruksnummer: 501, festenummer: 0, seksjonsnummer: 2 }],
      lokalid: 34_281_284,
      point: { x: 288_280.5061, y: 6_744_905.414 },
    },
    {
      ...base,
      kommunenummer: '3413',
      matrikkelenheter: [{ gardsnummer: 6, bruksnummer: 518 }],
      lokalid: 34_281_734,
      point: { x: 288_400, y: 6_745_000 },
      polygon: square(288_400, 6_745_000, 15),
    },
    ...Array.from({ length: 7 }, (_, i) => ({
      ...base,
      kommunenummer: '3454',
      matrikkelenheter: [{ gardsnummer: 107, bruksnummer: 5 }],
      lokalid: 34_540_000 + i,
      hovedomrade: i === 0,
      point: { x: 200_000 + i * 50, y: 6_800_000 },
    })),
    {
      ...base,
      kommunenummer: '0301',
      matrikkelenheter: [{ gardsnummer: 377, bruksnummer: 4 }],
      lokalid: 301_001,
      point: { x: 262_000, y: 6_650_000 },
    },
    {
      ...base,
      kommunenummer: '0301',
      matrikkelenheter: [{ gardsnummer: 377, bruksnummer: 4 }],
      lokalid: 301_002,
      hovedomrade: false,
      objekttype: 'Anleggsprojeksjonsflate' as const,
      point: { x: 262_010, y: 6_650_010 },
    },
    // 133.2 m east of the point searched with radius 135.
    {
      ...base,
      kommunenummer: '3413',
      matrikkelenheter: [{ gardsnummer: 7, bruksnummer: 1 }],
      lokalid: 34_300_001,
      point: { x: 286_775.27 + 143.2, y: 6_746_481.09 },
    },
    // A teig without a registered unit ("falsk" 0/1) around the searched point.
    { ...base, kommunenummer: '1119', matrikkelenheter: [], lokalid: 11_190_001, point: falsk },
    // One teig shared by 46/1 and 46/7, in two parts around the searched point.
    ...[0, 1].map((i) => ({
      ...base,
      kommunenummer: '3411',
      matrikkelenheter: [
        { gardsnummer: 46, bruksnummer: 1 },
        { gardsnummer: 46, bruksnummer: 7 },
      ],
      lokalid: 34_110_001 + i,
      point: { x: delt.x + i, y: delt.y },
      polygon: square(delt.x + i, delt.y, 5),
    })),
    {
      ...base,
      kommunenummer: '0301',
      matrikkelenheter: [{ gardsnummer: 215, bruksnummer: 81 }],
      lokalid: 301_215_81,
      point: oslo,
      polygon: square(oslo.x, oslo.y, 4),
    },
    {
      ...base,
      kommunenummer: '0301',
      matrikkelenheter: [{ gardsnummer: 215, bruksnummer: 61 }],
      lokalid: 301_215_61,
      point: { x: oslo.x + 12, y: oslo.y },
      polygon: square(oslo.x + 12, oslo.y, 10),
    },
  ];
}

describe("eiendom-API: Kartverket's contract tests against the simulator", () => {
  let sim: MatrikkelSimulator;
  beforeAll(async () => {
    sim = await createMatrikkelSimulator({ world: smallWorld('eiendom', 50), eiendomTeiger: fixtures() });
  });
  afterAll(() => sim.close());

  it('reads every case of the tavern file', () => {
    expect(cases.length).toBe(16);
  });

  for (const c of cases) {
    it(c.test_name, async () => {
      const strict = (c.strict ?? []).includes('json:on');
      for (const stage of c.stages) {
        const url = new URL(
          stage.request.url.replace('{tavern.env_vars.TAVERN_TEST_URL}', sim.eiendomApiUrl),
        );
        for (const [k, v] of Object.entries(stage.request.params ?? {})) url.searchParams.set(k, String(v));
        const res = await fetch(url, { method: stage.request.method });
        expect(res.status, stage.name).toBe(stage.response.status_code);
        if (stage.response.json !== undefined) {
          const body: unknown = await res.json();
          expect(
            mismatch(stage.response.json, body, strict),
            JSON.stringify(body).slice(0, 600),
          ).toBeUndefined();
        }
      }
    });
  }

  it('is reachable through the client (geokoding, punkt), and the simulator logs the requests', async () => {
    const client = createMatrikkelClient({
      eiendomApiURL: sim.eiendomApiUrl,
      http: { retries: 0, circuitBreaker: false, shared: false },
    });
    const before = sim.stats.total;
    const fc = await client.geokoding({ matrikkelnummer: '3413-6/501/0/2', utkoordsys: 25833 });
    expect(fc).toMatchObject({
      type: 'FeatureCollection',
      features: [{ geometry: { coordinates: [288280.5061, 6744905.414] } }],
    });
    const near = await client.punkt({ nord: 6_746_481.09, ost: 286_775.27, koordsys: 25833, radius: 135 });
    expect(near).toMatchObject({ eiendom: [{ meterFraPunkt: 133 }] });
    await expect(client.geokoding({ matrikkelnummer: '/' })).rejects.toMatchObject({ status: 400 });
    expect(sim.stats.total - before).toBe(3);
    expect(sim.requests.at(-1)).toMatchObject({ method: 'GET', path: '/eiendom/v1/geokoding', status: 400 });
    client.close();
  });

  it('the matcher is not vacuous: a wrong message or an extra key fails', () => {
    expect(mismatch({ errors: { message: 'a' } }, { errors: { message: 'b' } }, true)).toBeDefined();
    expect(mismatch({ a: 1 }, { a: 1, b: 2 }, true)).toBeDefined();
    expect(mismatch({ a: [1, 2] }, { a: [2, 1] }, false)).toBeDefined();
  });
});
