import { hasErrorCode, makeFodselsnummer, type RegisterbroError } from '@registerbro/model';
import type { TokenProvider } from '@registerbro/transport';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFolkeregisterAdapter, PERSON_PARTS } from '../src/adapter.js';
import { createFolkeregisterClient, type FolkeregisterClientOptions } from '../src/client.js';

const BASE = 'https://folkeregisteret.example.test';
const API = '/folkeregisteret/offentlig-med-hjemmel/api/v1';

function synth(birthDate: string, start: number, kind: 'fnr' | 'dnr' = 'fnr'): string {
  for (let i = start; i < start + 50; i++) {
    const value = makeFodselsnummer({ birthDate, individnummer: i, kind, synthetic: true });
    if (value) return value;
  }
  throw new Error('no synthetic number');
}
const A = synth('1975-11-16', 100);
const B = synth('1990-02-03', 300);
const C = synth('1961-07-21', 410);

const staticAuth = { headers: async () => ({ authorization: 'Bearer t' }) };
const opts = (extra: Partial<FolkeregisterClientOptions> = {}): FolkeregisterClientOptions => ({
  baseURL: BASE,
  auth: staticAuth,
  http: { retries: 0, circuitBreaker: false, shared: false },
  ...extra,
});

function personDoc(id: string, fornavn = 'Ola'): Record<string, unknown> {
  return {
    identifikasjonsnummer: [
      { foedselsEllerDNummer: id, identifikatortype: 'foedselsnummer', status: 'iBruk', erGjeldende: true },
    ],
    navn: [{ fornavn, etternavn: 'Testesen', erGjeldende: true }],
    status: [{ status: 'bosatt', erGjeldende: true }],
  };
}

async function caught(promise: Promise<unknown>): Promise<RegisterbroError> {
  try {
    await promise;
  } catch (error) {
    return error as RegisterbroError;
  }
  throw new Error('expected a rejection');
}

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => {
  const done = nock.isDone();
  nock.cleanAll();
  expect(done).toBe(true);
});

describe('error bodies: three shapes, one typed error', () => {
  const shapes = [
    ['{kode, melding}', { kode: 'FREG-001', melding: 'Feil i tjenesten.' }, 'FREG-001', 'Feil i tjenesten.'],
    [
      'FolkeregisterFeilmelding',
      {
        alvorlighetsgrad: 'FEIL',
        feilkode: 'FREG-403',
        feilmelding: 'Ingen tilgang',
        httpStatus: 403,
        tilleggsinformasjon: {},
      },
      'FREG-403',
      'Ingen tilgang',
    ],
    [
      'ErrorMessageForExternalUsers',
      { code: 'FREG-404', feilreferanse: 'ref-123', httpStatus: 404, message: 'Ikke funnet' },
      'FREG-404',
      'Ikke funnet',
    ],
  ] as const;

  const statuses = [
    [400, 'bad_request'],
    [401, 'auth_failed'],
    [403, 'auth_failed'],
    [404, 'not_found'],
    [406, 'not_acceptable'],
    [429, 'rate_limited'],
    [500, 'http_error'],
  ] as const;

  for (const [name, body, code, message] of shapes) {
    it.each(statuses)(`${name} with %i becomes %s`, async (status, errorCode) => {
      nock(BASE).get(`${API}/hendelser/siste/sekvensnummer`).reply(status, body, { 'retry-after': '1500' });
      const error = await caught(createFolkeregisterClient(opts()).sisteSekvensnummer());
      expect(error.code).toBe(errorCode);
      expect(error.system).toBe('folkeregister');
      const upstream = (error.details as { upstream?: { code?: string; message?: string } }).upstream;
      expect(upstream).toMatchObject({ code, message });
      expect(error.hint).toBeTruthy();
      if (status === 429) expect((error as unknown as { retryAfterMs: number }).retryAfterMs).toBe(1500);
    });
  }

  it('masks the fnr of the URL in the message', async () => {
    nock(BASE).get(`${API}/personer/${A}`).reply(500, { kode: 'FREG-001', melding: 'Feil' });
    const error = await caught(createFolkeregisterClient(opts()).getPerson(A));
    expect(error.message).not.toContain(A);
    expect(error.message).toContain('FREG-001');
  });
});

describe('near-miss identifiers (wrong length, split by a dash or space) never leave unmasked', () => {
  // Near misses of a synthetic number: as personal as the number itself, but not 11 digits in a row.
  const near = [`${A}7`, A.slice(0, 10), `${A.slice(0, 6)}-${A.slice(6)}`, `${A.slice(0, 6)} ${A.slice(6)}`];
  const leaks = (value: unknown) => {
    const text = JSON.stringify(value);
    return [A.slice(0, 6), A.slice(6), A.slice(0, 10)].filter((part) => text.includes(part));
  };

  for (const id of near) {
    it(`getPerson(${JSON.stringify(id.replace(/\d/g, '#'))}) refused by the register: not in the message, url, record or details`, async () => {
      nock(BASE)
        .get(`${API}/personer/${encodeURIComponent(id)}`)
        .reply(400, { kode: 'FREG-400', melding: `Ugyldig personidentifikator ${id}` });
      const error = await caught(createFolkeregisterClient(opts()).getPerson(id));
      expect(error.code).toBe('bad_request');
      expect(error.message).toContain('FREG-400');
      expect(leaks([error.message, error.record, error.toJSON(), (error as { url?: string }).url])).toEqual(
        [],
      );
    });
  }

  it('a body that is not JSON, for a near-miss identifier: masked in the message (with the URL) and excerpt', async () => {
    const id = near[2] as string;
    nock(BASE)
      .get(`${API}/personer/${encodeURIComponent(id)}`)
      .reply(200, `<html>no person ${id}</html>`, { 'content-type': 'application/json' });
    const error = await caught(createFolkeregisterClient(opts()).getPerson(id));
    expect(error.code).toBe('upstream_invalid');
    expect(error.message).toMatch(/not valid JSON/);
    expect(
      leaks([error.message, error.record, error.toJSON(), (error as { excerpt?: string }).excerpt]),
    ).toEqual([]);
  });

  it('a bulk answer whose bad entry names a near-miss identifier: masked in the excerpt and record', async () => {
    nock(BASE)
      .post(`${API}/personer/bulkoppslag`)
      .reply(200, {
        oppslag: near.map((id) => ({
          foedselsEllerDNummer: id,
          folkeregisterperson: { navn: 'not a list', note: id },
        })),
      });
    const result = await createFolkeregisterClient(opts()).bulkoppslag([A]);
    expect(result.invalid.map((i) => i.foedselsEllerDNummer)).toEqual(near);
    for (const bad of result.invalid) {
      expect(
        leaks([
          bad.error.message,
          bad.error.record,
          bad.error.toJSON(),
          (bad.error as { excerpt?: string }).excerpt,
        ]),
      ).toEqual([]);
    }
  });

  it('the adapter refuses near-miss keys without echoing them; the raw key stays in rawKey only', async () => {
    const adapter = createFolkeregisterAdapter(opts());
    const result = await adapter.getMany(near);
    expect(result.entities).toEqual([]);
    expect(result.missing).toEqual([]);
    expect(result.quarantined.map((q) => q.rawKey)).toEqual(near);
    for (const q of result.quarantined) {
      expect(q.error.code).toBe('invalid_identifier');
      expect(
        leaks([
          q.key,
          q.error.message,
          q.error.record,
          q.error.toJSON(),
          (q.error as { input?: string }).input,
        ]),
      ).toEqual([]);
    }
    for (const id of near) {
      const error = await caught(adapter.get(id));
      expect(error.code).toBe('invalid_identifier');
      expect(
        leaks([error.message, error.record, error.toJSON(), (error as { input?: string }).input]),
      ).toEqual([]);
    }
  });
});

describe('client', () => {
  it('getPerson returns the validated document, and null on 404', async () => {
    nock(BASE)
      .get(`${API}/personer/${A}`)
      .query({ part: ['navn', 'identifikasjonsnummer'] })
      .reply(200, personDoc(A));
    nock(BASE).get(`${API}/personer/${B}`).reply(404);
    const client = createFolkeregisterClient(opts());
    const doc = await client.getPerson(A, { part: ['navn', 'identifikasjonsnummer'] });
    expect(doc?.navn?.[0]?.fornavn).toBe('Ola');
    expect(await client.getPerson(B)).toBeNull();
  });

  it('a truncated body is an UpstreamInvalidError, not a crash', async () => {
    const text = JSON.stringify(personDoc(A));
    nock(BASE)
      .get(`${API}/personer/${A}`)
      .reply(200, text.slice(0, text.length / 2));
    expect(
      hasErrorCode(await caught(createFolkeregisterClient(opts()).getPerson(A)), 'upstream_invalid'),
    ).toBe(true);
  });

  it('a person document failing the wire schema names the record, masked', async () => {
    nock(BASE)
      .get(`${API}/personer/${A}`)
      .reply(200, { navn: [{ fornavn: 1 }] });
    const error = await caught(createFolkeregisterClient(opts()).getPerson(A));
    expect(error.code).toBe('upstream_invalid');
    expect(error.record).toBe('person ***********');
  });

  it('sends If-None-Match and reports 304 as notModified', async () => {
    nock(BASE)
      .get(`${API}/hendelser/feed`)
      .query({ seq: '5' })
      .matchHeader('if-none-match', 'W/"abc"')
      .reply(304, '', { etag: 'W/"abc"' });
    const result = await createFolkeregisterClient(opts()).feed(5, { ifNoneMatch: 'W/"abc"' });
    expect(result).toEqual({ notModified: true, etag: 'W/"abc"' });
  });

  it('waits Retry-After milliseconds on 429, then succeeds', async () => {
    nock(BASE).get(`${API}/hendelser/siste/sekvensnummer`).reply(429, '', { 'retry-after': '30' });
    nock(BASE)
      .get(`${API}/hendelser/siste/sekvensnummer`)
      .reply(200, '42', { 'content-type': 'application/json' });
    const client = createFolkeregisterClient(
      opts({ http: { retries: 2, circuitBreaker: false, shared: false } }),
    );
    expect(await client.sisteSekvensnummer()).toBe(42);
  });

  it('a Retry-After longer than maxRetryAfterMs is thrown as RateLimitError with retryAfterMs', async () => {
    nock(BASE).get(`${API}/hendelser/siste/sekvensnummer`).reply(429, '', { 'retry-after': '90000' });
    const client = createFolkeregisterClient(
      opts({ http: { retries: 2, circuitBreaker: false, shared: false, maxRetryAfterMs: 1000 } }),
    );
    const error = await caught(client.sisteSekvensnummer());
    expect(error.code).toBe('rate_limited');
    expect((error as unknown as { retryAfterMs: number }).retryAfterMs).toBe(90_000);
  });

  it('refreshes the token once on 401 and retries', async () => {
    let issued = 0;
    let invalidated = 0;
    const tokens: TokenProvider = {
      getToken: async () => `token-${++issued}`,
      invalidate: () => {
        invalidated++;
      },
    };
    nock(BASE)
      .get(`${API}/hendelser/siste/sekvensnummer`)
      .matchHeader('authorization', 'Bearer token-1')
      .reply(401, {
        alvorlighetsgrad: 'FEIL',
        feilkode: 'FREG-401',
        feilmelding: 'Utløpt token',
        httpStatus: 401,
      });
    nock(BASE)
      .get(`${API}/hendelser/siste/sekvensnummer`)
      .matchHeader('authorization', 'Bearer token-2')
      .reply(200, '7');
    const client = createFolkeregisterClient({
      baseURL: BASE,
      tokenProvider: tokens,
      http: { retries: 0, circuitBreaker: false, shared: false },
    });
    expect(await client.sisteSekvensnummer()).toBe(7);
    expect(invalidated).toBe(1);
  });

  it('gives up with AuthError when the fresh token is refused too', async () => {
    const tokens: TokenProvider = { getToken: async () => 'x', invalidate: () => {} };
    nock(BASE)
      .get(`${API}/hendelser/siste/sekvensnummer`)
      .twice()
      .reply(401, { feilmelding: 'Nei', httpStatus: 401 });
    const client = createFolkeregisterClient({
      baseURL: BASE,
      tokenProvider: tokens,
      http: { retries: 0, circuitBreaker: false, shared: false },
    });
    expect((await caught(client.sisteSekvensnummer())).code).toBe('auth_failed');
  });

  it('bulkoppslag splits a bad entry off instead of failing the response', async () => {
    nock(BASE)
      .post(`${API}/personer/bulkoppslag`, { foedselsEllerDNummer: [A, B, C] })
      .reply(200, {
        oppslag: [
          { foedselsEllerDNummer: A, folkeregisterperson: personDoc(A) },
          { foedselsEllerDNummer: B, folkeregisterperson: { navn: 'not a list' } },
          { foedselsEllerDNummer: C, feilmelding: { feilmelding: 'Fant ikke person' } },
        ],
      });
    const result = await createFolkeregisterClient(opts()).bulkoppslag([A, B, C]);
    expect(result.oppslag.map((o) => o.foedselsEllerDNummer)).toEqual([A, C]);
    expect(result.invalid).toHaveLength(1);
    expect(result.invalid[0]?.foedselsEllerDNummer).toBe(B);
    expect(result.invalid[0]?.error.record).toBe('person ***********');
  });

  it('refuses more than 1000 identifiers in one bulk call', async () => {
    const ids = Array.from({ length: 1001 }, () => A);
    await expect(createFolkeregisterClient(opts()).bulkoppslag(ids)).rejects.toThrow(/at most 1000/);
  });
});

describe('adapter over nock', () => {
  it('scan polls uttrekk batches: 404 = not ready, {} = finished', async () => {
    const job = 'job-1';
    nock(BASE).get(`${API}/uttrekk/komplett`).reply(200, { jobbId: job });
    nock(BASE).get(`${API}/uttrekk/${job}/batch/0`).reply(404, {});
    nock(BASE)
      .get(`${API}/uttrekk/${job}/batch/0`)
      .reply(200, { foedselsEllerDNummer: [A, B] });
    nock(BASE)
      .post(`${API}/personer/bulkoppslag`, { foedselsEllerDNummer: [A, B] })
      // Only the entities a Person needs are asked for (data minimisation).
      .query({ part: [...PERSON_PARTS] })
      .reply(200, {
        oppslag: [
          { foedselsEllerDNummer: A, folkeregisterperson: personDoc(A) },
          { foedselsEllerDNummer: B, folkeregisterperson: personDoc(B, 'Kari') },
        ],
      });
    nock(BASE).get(`${API}/uttrekk/${job}/batch/1`).reply(200, {});
    const adapter = createFolkeregisterAdapter({ ...opts(), uttrekkPollIntervalMs: 5 });
    const pages = [];
    for await (const page of adapter.scan()) pages.push(page);
    expect(pages).toHaveLength(1);
    expect(pages[0]?.cursor).toBe(`${job}:1`);
    expect(pages[0]?.entities.map((p) => p.givenName).sort()).toEqual(['Kari', 'Ola']);
    await adapter.close?.();
  });

  it('scan resumes from a cursor and reports 410 (job gone) as a typed error', async () => {
    nock(BASE).get(`${API}/uttrekk/old-job/batch/3`).reply(410, { feilmelding: 'Jobb finnes ikke' });
    const adapter = createFolkeregisterAdapter(opts());
    const error = await caught(
      (async () => {
        for await (const _ of adapter.scan({ cursor: 'old-job:3' })) {
          // no pages expected
        }
      })(),
    );
    expect(error.code).toBe('http_error');
    expect((error as unknown as { status: number }).status).toBe(410);
  });

  it('more than 10 extract jobs: 429 from uttrekk/komplett is a RateLimitError', async () => {
    nock(BASE).get(`${API}/uttrekk/komplett`).reply(429, '', { 'retry-after': '2000' });
    const adapter = createFolkeregisterAdapter(opts());
    const error = await caught(
      (async () => {
        for await (const _ of adapter.scan()) {
          // none
        }
      })(),
    );
    expect(error.code).toBe('rate_limited');
  });

  it('changes: a bad event claiming a far-ahead sequence number moves no cursor and yields nothing', async () => {
    const event = (seq: number) => ({
      sekvensnummer: seq,
      hendelse: { folkeregisteridentifikator: A, hendelsetype: 'endringINavn' },
    });
    nock(BASE)
      .get(`${API}/hendelser/feed`)
      .query({ seq: 41 })
      .reply(200, [event(41), event(42), { sekvensnummer: 900_000, hendelse: { hendelsetype: 5 } }]);
    const adapter = createFolkeregisterAdapter(opts());
    const yielded: unknown[] = [];
    const error = await caught(
      (async () => {
        for await (const page of adapter.changes('40')) yielded.push(page);
      })(),
    );
    expect(error.code).toBe('upstream_invalid');
    expect(error.message).toMatch(/sequence number 900000 does not fit/);
    // Nothing was handed on, so the caller's cursor stays at 40 and the page is read again.
    expect(yielded).toEqual([]);
  });

  it('getMany: an answer about an identifier another batch asked for is not that batch’s answer', async () => {
    const ids: string[] = [];
    for (let i = 0; ids.length < 1001; i++) {
      const birthDate = `1970-01-${String(1 + Math.floor(i / 500)).padStart(2, '0')}`;
      const value = makeFodselsnummer({ birthDate, individnummer: i % 500, synthetic: true });
      if (value) ids.push(value);
    }
    const last = ids[1000] as string;
    const first = ids.slice(0, 1000);
    const notFound = { feilmelding: { feilmelding: 'Fant ikke person' } };
    nock(BASE)
      .post(`${API}/personer/bulkoppslag`, { foedselsEllerDNummer: first })
      .query(true)
      // The first answer also (wrongly) speaks about the one identifier it was not asked for.
      .reply(200, { oppslag: [...first, last].map((id) => ({ foedselsEllerDNummer: id, ...notFound })) });
    nock(BASE)
      .post(`${API}/personer/bulkoppslag`, { foedselsEllerDNummer: [last] })
      .query(true)
      .reply(200, { oppslag: [] });
    const adapter = createFolkeregisterAdapter({ ...opts(), concurrency: 1 });
    const result = await adapter.getMany(ids);
    expect(result.missing).toEqual(first);
    expect(result.quarantined.map((q) => [q.rawKey, q.error.code])).toEqual([[last, 'not_answered']]);
  });

  it('getMany: found, missing (feilmelding) and quarantined (invalid identifier from upstream)', async () => {
    const invalidFromUpstream = `${A.slice(0, 10)}${(Number(A[10]) + 1) % 10}`;
    nock(BASE)
      .post(`${API}/personer/bulkoppslag`)
      .query({ part: [...PERSON_PARTS] })
      .reply(200, {
        oppslag: [
          { foedselsEllerDNummer: A, folkeregisterperson: personDoc(A) },
          { foedselsEllerDNummer: B, feilmelding: { feilmelding: 'Fant ikke person' } },
          { foedselsEllerDNummer: C, folkeregisterperson: personDoc(invalidFromUpstream) },
        ],
      });
    const adapter = createFolkeregisterAdapter(opts());
    const result = await adapter.getMany([A, B, C, A, 'abc']);
    expect(result.entities.map((p) => p.fodselsnummer)).toEqual([A]);
    expect(result.missing).toEqual([B]);
    expect(result.quarantined.map((q) => [q.rawKey, q.error.code])).toEqual([
      ['abc', 'invalid_identifier'],
      [C, 'invalid_identifier'],
    ]);
    for (const q of result.quarantined) expect(q.error.message).not.toMatch(/\d{11}/);
  });
});
