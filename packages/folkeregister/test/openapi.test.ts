import { readFileSync } from 'node:fs';
import { applyChanges, generateMunicipality, specPath } from '@registerbro/testkit';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createFolkeregisterSimulator, type FolkeregisterSimulator } from '../src/simulator/simulator.js';
import { PERSON_CHANGE_KINDS } from './support/harness.js';

/**
 * The simulator's answers validate against the response schemas of Skatteetaten's OpenAPI
 * (offentlig med hjemmel v1.5). The OpenAPI 3.0 schemas are turned into JSON Schema here:
 * `#/components/schemas/X` refs point into `definitions`, `nullable` becomes a `null` type,
 * OpenAPI-only keywords are dropped, and — stricter than the spec — objects get
 * `additionalProperties: false`, so the simulator cannot invent fields the register does not have.
 */
type Json = Record<string, unknown>;
const openapi = parse(
  readFileSync(specPath('folkeregister', 'schema', 'openapi-offentlig-med-hjemmel-v1.5.yaml'), 'utf8'),
) as {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: Json }> }> }>
  >;
  components: { schemas: Record<string, Json> };
};

const OPENAPI_ONLY = new Set([
  'xml',
  'example',
  'externalDocs',
  'discriminator',
  'deprecated',
  'readOnly',
  'writeOnly',
]);

/** Convert one OpenAPI 3.0 schema (recursively) to JSON Schema draft-07. */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const src = node as Json;
  const out: Json = {};
  for (const [key, value] of Object.entries(src)) {
    if (OPENAPI_ONLY.has(key) || key === 'nullable') continue;
    if (key === '$ref' && typeof value === 'string') {
      out.$ref = value.replace('#/components/schemas/', '#/definitions/');
      continue;
    }
    if (key === 'properties' || key === 'definitions') {
      out[key] = Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, toJsonSchema(v)]));
      continue;
    }
    out[key] = toJsonSchema(value);
  }
  if (src.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  }
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined)
    out.additionalProperties = false;
  return out;
}

const definitions = Object.fromEntries(
  Object.entries(openapi.components.schemas).map(([name, schema]) => [name, toJsonSchema(schema)]),
);
const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv);
ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
ajv.addFormat('int32', {
  type: 'number',
  validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31,
});
ajv.addSchema({ $id: 'freg', definitions });

/** The validator for one response of one operation, read from the OpenAPI paths (not hard-coded). */
function responseValidator(
  path: string,
  method: string,
  status: string,
  mediaType = 'application/json',
): ValidateFunction {
  const schema = openapi.paths[path]?.[method]?.responses[status]?.content?.[mediaType]?.schema;
  if (!schema) throw new Error(`no ${mediaType} schema for ${method.toUpperCase()} ${path} ${status}`);
  return ajv.compile(rewriteRefs(toJsonSchema(schema) as Json));
}

function rewriteRefs(schema: Json): Json {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/definitions/', '"freg#/definitions/')) as Json;
}

function expectValid(validate: ValidateFunction, body: unknown, what: string): void {
  const ok = validate(body);
  if (!ok)
    throw new Error(
      `${what} fails the OpenAPI schema: ${ajv.errorsText(validate.errors, { separator: '\n' })}`,
    );
}

let sim: FolkeregisterSimulator;
const API = '/folkeregisteret/offentlig-med-hjemmel/api/v1';
const get = (path: string, init: RequestInit = {}) =>
  fetch(`${sim.url}${API}/${path}`, {
    ...init,
    headers: { authorization: `Bearer ${sim.token}`, accept: 'application/json', ...init.headers },
  });

beforeAll(async () => {
  const world = generateMunicipality({ seed: 'folkeregister-openapi', people: 300 });
  applyChanges(world, { count: 120, kinds: PERSON_CHANGE_KINDS });
  sim = await createFolkeregisterSimulator({ world });
});
afterAll(async () => {
  await sim.close();
});

describe('simulator responses validate against the OpenAPI v1.5 response schemas', () => {
  it('the world covers the interesting cases', () => {
    const people = [...sim.world.people.values()];
    expect(people.some((p) => p.adressebeskyttelse !== 'ugradert' && p.residentialAddressId)).toBe(true);
    expect(people.some((p) => p.identifiers.length > 1)).toBe(true);
    expect(people.some((p) => p.status === 'doed')).toBe(true);
    expect(people.some((p) => p.status === 'utflyttet')).toBe(true);
    expect(people.some((p) => p.postalAddress)).toBe(true);
  });

  it('GET personer/{id} for every person', async () => {
    const validate = responseValidator('/v1/personer/{personidentifikator}', 'get', '200');
    for (const person of sim.world.people.values()) {
      const res = await get(`personer/${person.fnr}`);
      expect(res.status).toBe(200);
      expectValid(validate, await res.json(), `person ${person.id}`);
    }
  });

  it('POST personer/bulkoppslag (all people, plus an unknown identifier)', async () => {
    const validate = responseValidator('/v1/personer/bulkoppslag', 'post', '200');
    const ids = [...sim.world.people.values()].map((p) => p.fnr);
    const res = await get('personer/bulkoppslag', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ foedselsEllerDNummer: [...ids, '00000000000'] }),
    });
    const body = (await res.json()) as { oppslag: unknown[] };
    expect(body.oppslag).toHaveLength(ids.length + 1);
    expectValid(validate, body, 'bulkoppslag');
  });

  it('GET hendelser/feed, every page, and siste/sekvensnummer', async () => {
    const validate = responseValidator('/v1/hendelser/feed', 'get', '200');
    const last = (await (await get('hendelser/siste/sekvensnummer')).json()) as number;
    expectValid(
      responseValidator('/v1/hendelser/siste/sekvensnummer', 'get', '200'),
      last,
      'siste/sekvensnummer',
    );
    expect(last).toBeGreaterThan(300);
    let seq = 1;
    let seen = 0;
    for (;;) {
      const page = (await (await get(`hendelser/feed?seq=${seq}`)).json()) as { sekvensnummer: number }[];
      expectValid(validate, page, `feed page ${seq}`);
      if (page.length === 0) break;
      seen += page.length;
      seq = (page.at(-1)?.sekvensnummer ?? seq) + 1;
    }
    expect(seen).toBe(last);
  });

  it('uttrekk: komplett job, a batch, the end marker', async () => {
    const job = (await (await get('uttrekk/komplett')).json()) as { jobbId: string };
    expectValid(responseValidator('/v1/uttrekk/komplett', 'get', '200'), job, 'uttrekk/komplett');
    const batchValidator = responseValidator('/v1/uttrekk/{jobbid}/batch/{batchnr}', 'get', '200');
    const notReady = await get(`uttrekk/${job.jobbId}/batch/0`);
    expect(notReady.status).toBe(404);
    expectValid(
      responseValidator('/v1/uttrekk/{jobbid}/batch/{batchnr}', 'get', '404'),
      await notReady.json(),
      'batch 404',
    );
    const ready = await get(`uttrekk/${job.jobbId}/batch/0`);
    expect(ready.status).toBe(200);
    expectValid(batchValidator, await ready.json(), 'batch 0');
    const end = await get(`uttrekk/${job.jobbId}/batch/99`);
    expect(await end.json()).toEqual({});
  });

  it('error bodies: 401 FolkeregisterFeilmelding, 404 ErrorMessageForExternalUsers on the feed', async () => {
    const unauthorised = await fetch(`${sim.url}${API}/hendelser/feed?seq=1`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(unauthorised.status).toBe(401);
    expectValid(responseValidator('/v1/hendelser/feed', 'get', '401'), await unauthorised.json(), '401 body');
    const notFound = await get('hendelser/feedd?seq=1');
    expect(notFound.status).toBe(404);
    expectValid(responseValidator('/v1/hendelser/feed', 'get', '404'), await notFound.json(), '404 body');
  });

  it('the conversion is strict enough to catch an invented field and a wrong enum', () => {
    const validate = responseValidator('/v1/personer/{personidentifikator}', 'get', '200');
    expect(validate({ navn: [{ fornavn: 'A', etternavn: 'B', oppfunnet: true }] })).toBe(false);
    expect(validate({ adressebeskyttelse: [{ graderingsnivaa: 'strengtFortroligUtland' }] })).toBe(false);
    expect(validate({ navn: [{ fornavn: 'A', etternavn: 'B' }] })).toBe(true);
  });
});
