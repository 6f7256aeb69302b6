import { readdirSync, readFileSync } from 'node:fs';
import { hasErrorCode, isFodselsnummer, isRegisterbroError, PersonSchema } from '@registerbro/model';
import { specPath } from '@registerbro/testkit';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFolkeregisterClient, type FolkeregisterClient } from '../src/client.js';
import { toHendelse } from '../src/mappers/to-hendelse.js';
import { toPerson } from '../src/mappers/to-person.js';
import { KNOWN_HENDELSESTYPER } from '../src/wire/feed.js';

/**
 * Contract tests over Skatteetaten's published examples (shared/specs/folkeregister/examples):
 * every file is served by nock as the real API would, parsed by the client and mapped — or
 * rejected with a typed error where the example itself is invalid. A new example file without a
 * handler here fails the suite, so it cannot be silently ignored.
 */
const DIR = specPath('folkeregister', 'examples');
const FILES = readdirSync(DIR).sort();
const BASE = 'https://folkeregisteret.example.test';
const API = '/folkeregisteret/offentlig-med-hjemmel/api/v1';
const read = (file: string) => readFileSync(`${DIR}/${file}`, 'utf8');

function client(): FolkeregisterClient {
  return createFolkeregisterClient({
    baseURL: BASE,
    auth: { headers: async () => ({ authorization: 'Bearer test' }) },
    http: { retries: 0, circuitBreaker: false, shared: false },
  });
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

type Handler = (file: string, text: string) => Promise<void>;

const HANDLERS: [RegExp, Handler][] = [
  [
    /^feilmelding-.*\.json$/,
    async (_file, text) => {
      const body = JSON.parse(text) as { kode: string; melding: string };
      nock(BASE)
        .get(new RegExp(`${API}/hendelser/feed`))
        .query(true)
        .reply(500, text, { 'content-type': 'application/json' });
      const error = await caught(client().feed(1));
      expect(hasErrorCode(error, 'http_error')).toBe(true);
      const details = (error as { details?: { upstream?: { code?: string; message?: string } } }).details;
      expect(details?.upstream?.code).toBe(body.kode);
      expect(details?.upstream?.message).toBe(body.melding);
      // The same body inside a 200 is an error too, never data.
      nock(BASE)
        .get(`${API}/hendelser/siste/sekvensnummer`)
        .reply(200, text, { 'content-type': 'application/json' });
      expect(hasErrorCode(await caught(client().sisteSekvensnummer()), 'upstream_error_body')).toBe(true);
    },
  ],
  [
    /^hendelser-feed\.json$/,
    async (_file, text) => {
      const raw = JSON.parse(text) as unknown[];
      nock(BASE)
        .get(`${API}/hendelser/feed`)
        .query({ seq: '1' })
        .reply(200, text, { 'content-type': 'application/json' });
      const result = await client().feed(1);
      if (result.notModified) throw new Error('unexpected 304');
      expect(result.page.invalid).toEqual([]);
      expect(result.page.events).toHaveLength(raw.length);
      expect(result.page.lastSekvensnummer).toBe(raw.length);
      for (const event of result.page.events) {
        expect(isFodselsnummer(event.hendelse.folkeregisteridentifikator)).toBe(true);
      }
      // Skatteetaten's own example uses a type v1.5 does not list: kept raw, never dropped.
      const unknown = result.page.events.filter((e) => !KNOWN_HENDELSESTYPER.has(e.hendelse.hendelsetype));
      expect(unknown.map((e) => e.hendelse.hendelsetype)).toEqual(['endringIAnnenIdentifikasjon']);
    },
  ],
  [
    /^hendelser-feed\.atom\.xml$/,
    async (_file, text) => {
      nock(BASE)
        .get(`${API}/hendelser/feed`)
        .query({ seq: '1' })
        .matchHeader('accept', 'application/atom+xml')
        .reply(200, text, { 'content-type': 'application/atom+xml' });
      const result = await client().feed(1, { format: 'atom' });
      if (result.notModified) throw new Error('unexpected 304');
      expect(result.page.invalid).toEqual([]);
      // The Atom feed carries the same events as the JSON example.
      expect(result.page.events).toEqual(JSON.parse(read('hendelser-feed.json')));
    },
  ],
  [
    /^hendelsesdokument-.*\.json$/,
    async (_file, text) => {
      const raw = JSON.parse(text) as {
        dokumentidentifikator: string;
        hendelse: { folkeregisteridentifikator: string };
      };
      nock(BASE)
        .get(`${API}/hendelser/${raw.dokumentidentifikator}`)
        .reply(200, text, { 'content-type': 'application/json' });
      const doc = await client().getHendelse(raw.dokumentidentifikator);
      expect(doc?.dokumentidentifikator).toBe(raw.dokumentidentifikator);
      if (!doc) return;
      if (isFodselsnummer(raw.hendelse.folkeregisteridentifikator)) {
        const summary = toHendelse(doc);
        expect(summary.entities.length).toBeGreaterThan(0);
        return;
      }
      // Skatteetaten's example identifier fails mod-11: a typed, masked error — never a crash.
      const error = await caught(Promise.resolve().then(() => toHendelse(doc)));
      expect(hasErrorCode(error, 'invalid_identifier')).toBe(true);
      expect((error as Error).message).not.toContain(raw.hendelse.folkeregisteridentifikator);
    },
  ],
  [
    /^person-.*\.json$/,
    async (_file, text) => {
      nock(BASE)
        .get(new RegExp(`${API}/personer/\\d{11}`))
        .reply(200, text, { 'content-type': 'application/json' });
      const raw = JSON.parse(text) as { identifikasjonsnummer?: { foedselsEllerDNummer: string }[] };
      const id = raw.identifikasjonsnummer?.[0]?.foedselsEllerDNummer ?? '00000000000';
      const wire = await client().getPerson(id);
      expect(wire).not.toBeNull();
      if (!wire) return;
      let person: unknown;
      let error: unknown;
      try {
        person = toPerson(wire);
      } catch (e) {
        error = e;
      }
      if (person) {
        expect(PersonSchema.safeParse(person).success).toBe(true);
      } else {
        // The archive example is a `part=` subset without navn: not a whole Person, said so by a typed error.
        expect(isRegisterbroError(error)).toBe(true);
        expect(hasErrorCode(error, 'upstream_invalid') || hasErrorCode(error, 'invalid_identifier')).toBe(
          true,
        );
        expect((error as Error).message).not.toMatch(/\d{11}/);
      }
    },
  ],
  [
    /^uttrekk-.*\.json$/,
    async (_file, text) => {
      const raw = JSON.parse(text) as { jobbId: string };
      nock(BASE).get(`${API}/uttrekk/komplett`).reply(200, text, { 'content-type': 'application/json' });
      expect(await client().bestillKomplettUttrekk()).toBe(raw.jobbId);
    },
  ],
];

describe('Skatteetaten examples', () => {
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });
  afterEach(() => {
    const done = nock.isDone();
    nock.cleanAll();
    expect(done).toBe(true);
  });

  it('the examples folder is not empty', () => {
    expect(FILES.length).toBeGreaterThan(0);
  });

  it.each(FILES)(
    '%s parses through the client and maps (or is rejected with a typed error)',
    async (file) => {
      const handler = HANDLERS.find(([pattern]) => pattern.test(file));
      if (!handler)
        throw new Error(`No contract handler for example ${file}: add one to test/examples.test.ts`);
      await handler[1](file, read(file));
    },
  );
});
