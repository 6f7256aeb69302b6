import { hasErrorCode } from '@registerbro/model';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createNoarkAdapter } from '../src/adapter.js';
import { createNoarkClient } from '../src/client.js';
import { encodeArkivmeldingKvittering, encodeFeilmelding } from '../src/fiks/codec.js';
import { FiksArkivMessageTypes as T } from '../src/fiks/message-types.js';
import type { FiksArkivReply, FiksArkivTransport } from '../src/fiks/transport.js';

const BASE = 'https://arkiv.example.test/api';
const N5 = { 'content-type': 'application/vnd.noark5+json' };

function client(extra: Partial<Parameters<typeof createNoarkClient>[0]> = {}) {
  return createNoarkClient({
    baseURL: BASE,
    http: { shared: false, retries: 0, circuitBreaker: false },
    ...extra,
  });
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

describe('TG client: bad input is a typed error naming the record', () => {
  it('an unknown media type', async () => {
    nock(BASE)
      .get('/sakarkiv/saksmappe/abc/')
      .reply(200, '<html>login</html>', { 'content-type': 'text/html' });
    const error = await client()
      .tg.getSaksmappe('abc')
      .catch((e) => e);
    expect(hasErrorCode(error, 'unsupported_media_type')).toBe(true);
    expect(error.record).toBe('saksmappe abc');
  });

  it('a list without count', async () => {
    nock(BASE).get('/sakarkiv/saksmappe/').query(true).reply(200, { results: [] }, N5);
    const error = await client()
      .tg.listSaksmapper({})
      .catch((e) => e);
    expect(hasErrorCode(error, 'upstream_invalid')).toBe(true);
    expect(error.message).toContain('saksmappe list');
  });

  it('an ETag mismatch (409 with a feil body)', async () => {
    nock(BASE)
      .put('/arkivstruktur/part/p1/')
      .matchHeader('if-match', '"p-1"')
      .reply(409, { feil: { kode: 409, beskrivelse: 'Conflict: changed' } }, N5);
    const error = await client()
      .tg.putPart('p1', { navn: 'X' }, '"p-1"')
      .catch((e) => e);
    expect(hasErrorCode(error, 'etag_mismatch')).toBe(true);
    expect(error.message).toContain('part p1');
    expect(error.message).toContain('Conflict: changed');
  });

  it('a 404 is null, not an error', async () => {
    nock(BASE)
      .get('/sakarkiv/saksmappe/nope/')
      .reply(404, { feil: { kode: 404, beskrivelse: 'Not Found' } }, N5);
    expect(await client().tg.getSaksmappe('nope')).toBeNull();
  });

  it('sends the OData query and the noark5 media type', async () => {
    nock(BASE, { reqheaders: { accept: 'application/vnd.noark5+json' } })
      .get('/sakarkiv/saksmappe/')
      .query({ $filter: "saksaar eq 2026 and tittel eq 'O''Hara'", $orderby: 'systemID asc', $top: '10' })
      .reply(200, { count: 0, _links: {} }, N5);
    const page = await client().tg.listSaksmapper({
      filter: "saksaar eq 2026 and tittel eq 'O''Hara'",
      orderby: 'systemID asc',
      top: 10,
    });
    expect(page).toEqual({ count: 0, results: [] });
  });
});

describe('adapter: a malformed case in a page is quarantined and the page continues', () => {
  it('quarantines the bad one, keeps the good one and advances the cursor past both', async () => {
    const good = {
      systemID: 'b',
      saksaar: 2026,
      sakssekvensnummer: 2,
      tittel: 'God sak',
      saksstatus: { kode: 'B' },
      oppdatertDato: '2026-02-01T00:00:00.000Z',
    };
    const bad = {
      systemID: 'c',
      saksaar: 2026,
      sakssekvensnummer: 3,
      saksstatus: { kode: 'B' },
      oppdatertDato: '2026-02-02T00:00:00.000Z',
    };
    nock(BASE)
      .get('/sakarkiv/saksmappe/')
      .query(true)
      .reply(200, { count: 2, results: [good, bad], _links: {} }, N5);
    const adapter = createNoarkAdapter({ baseURL: BASE, http: { shared: false, retries: 0 } });
    const pages = [];
    for await (const p of adapter.changes(undefined)) pages.push(p);
    expect(pages).toHaveLength(1);
    expect(pages[0]?.changes.map((c) => (c.kind === 'upsert' ? c.key : ''))).toEqual(['2026/2']);
    expect(pages[0]?.quarantined[0]).toMatchObject({ key: '2026/3', rawKey: 'c', recordType: 'saksmappe' });
    expect(pages[0]?.quarantined[0]?.error.code).toBe('upstream_invalid');
    expect(pages[0]?.cursor).toBe('noark:v1:2026-02-02T00:00:00.000Z|c');
  });

  it('refuses a cursor it did not make', async () => {
    const adapter = createNoarkAdapter({ baseURL: BASE, http: { shared: false } });
    const iterate = async () => {
      for await (const _ of adapter.changes('garbage')) void _;
    };
    await expect(iterate()).rejects.toMatchObject({ code: 'cursor_invalid' });
  });
});

/** A transport that answers from a script, to test the client's reply handling. */
function scripted(
  answer: (type: string, payload: string) => FiksArkivReply[],
): FiksArkivTransport & { sent: string[] } {
  const replies = new Map<string, FiksArkivReply[]>();
  const sent: string[] = [];
  return {
    sent,
    async send(m) {
      sent.push(m.klientMeldingId);
      const id = `m${sent.length}`;
      replies.set(
        id,
        answer(m.meldingstype, m.payload).map((r) => ({ ...r, svarPaaMeldingId: id })),
      );
      return { meldingId: id };
    },
    async replies(id) {
      return replies.get(id) ?? [];
    },
  };
}

const melding = {
  system: 'registerbro',
  antallFiler: 0,
  mappe: { type: 'saksmappe' as const, tittel: 'T', part: [], klassifikasjon: [] },
};

describe('Fiks Arkiv client', () => {
  it('ignores mottatt and returns the kvittering', async () => {
    const transport = scripted(() => [
      { meldingId: 'r1', meldingstype: T.arkivmeldingOpprettMottatt, svarPaaMeldingId: '' },
      {
        meldingId: 'r2',
        meldingstype: T.arkivmeldingOpprettKvittering,
        svarPaaMeldingId: '',
        payload: encodeArkivmeldingKvittering({
          mappe: {
            systemID: '3f1c2a40-0000-4000-8000-000000000001',
            opprettetEllerEksisterende: 'Opprettet',
          },
        }),
      },
    ]);
    const c = client({ fiks: { transport, pollIntervalMs: 1 } });
    const kv = await c.fiks!.opprett(melding, { idempotencyKey: 'same' });
    expect(kv.mappe).toMatchObject({ opprettetEllerEksisterende: 'Opprettet' });
    await c.fiks!.opprett(melding, { idempotencyKey: 'same' });
    // The same idempotency key gives the same klientMeldingId, so Fiks IO drops the duplicate.
    expect(transport.sent[0]).toBe(transport.sent[1]);
    expect(transport.sent[0]).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('a reply of an unexpected type is a typed error', async () => {
    const transport = scripted(() => [
      { meldingId: 'r', meldingstype: T.mappeHentResultat, svarPaaMeldingId: '', payload: '<x/>' },
    ]);
    const error = await client({ fiks: { transport, pollIntervalMs: 1 } })
      .fiks!.opprett(melding, { record: 'sak f4-1' })
      .catch((e) => e);
    expect(hasErrorCode(error, 'unexpected_reply')).toBe(true);
    expect(error.record).toBe('sak f4-1');
  });

  it('ugyldigforespoersel and serverfeil become typed errors; ikkefunnet on hent is null', async () => {
    const feil = (type: string) =>
      scripted(() => [
        {
          meldingId: 'r',
          meldingstype: type,
          svarPaaMeldingId: '',
          payload: encodeFeilmelding(type, { feilId: 'f', feilmelding: 'nei' }),
        },
      ]);
    const e1 = await client({ fiks: { transport: feil(T.ugyldigforespoersel), pollIntervalMs: 1 } })
      .fiks!.opprett(melding)
      .catch((e) => e);
    expect(e1.code).toBe('fiks_ugyldig_forespoersel');
    const e2 = await client({ fiks: { transport: feil(T.serverfeil), pollIntervalMs: 1 } })
      .fiks!.opprett(melding)
      .catch((e) => e);
    expect(e2.code).toBe('fiks_serverfeil');
    expect(e2.retryable).toBe(true);
    expect(
      await client({ fiks: { transport: feil(T.ikkefunnet), pollIntervalMs: 1 } }).fiks!.hentMappe({
        systemID: '3f1c2a40-0000-4000-8000-000000000001',
      }),
    ).toBeNull();
  });

  it('times out with a typed error when no final reply comes', async () => {
    const transport = scripted(() => [
      { meldingId: 'r1', meldingstype: T.arkivmeldingOpprettMottatt, svarPaaMeldingId: '' },
    ]);
    const error = await client({ fiks: { transport, pollIntervalMs: 1, replyTimeoutMs: 20 } })
      .fiks!.opprett(melding)
      .catch((e) => e);
    expect(error.code).toBe('timeout');
  });
});
