import { createFaultInjector } from '@registerbro/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeArkivmelding, encodeMappeHent } from '../src/fiks/codec.js';
import { FiksArkivMessageTypes as T } from '../src/fiks/message-types.js';
import {
  createNoarkSimulator,
  type FiksArkivReplyWire,
  type NoarkSimulator,
} from '../src/simulator/index.js';

let sim: NoarkSimulator;

interface ListBody {
  count: number;
  results: { systemID: string }[];
  _links: { next: { href: string } };
  feil: { kode: number };
}
const faults = createFaultInjector();

beforeAll(async () => {
  sim = await createNoarkSimulator({ seed: 'sim-test', people: 100, faults });
});
afterAll(() => sim?.close());

const get = async (path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${sim.tgBaseURL}${path}`, { headers });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    etag: res.headers.get('etag'),
    body: (await res.json()) as ListBody,
  };
};

async function post(type: string, klientMeldingId: string, payload: string) {
  const res = await fetch(`${sim.fiksBaseURL}/meldinger`, {
    method: 'POST',
    headers: {
      'content-type': 'application/xml',
      'x-fiks-meldingstype': type,
      'x-fiks-klientmeldingid': klientMeldingId,
    },
    body: payload,
  });
  return { status: res.status, body: (await res.json()) as { meldingId: string; duplikat: boolean } };
}

async function finalReply(meldingId: string): Promise<FiksArkivReplyWire[]> {
  for (let i = 0; i < 200; i++) {
    const res = await fetch(`${sim.fiksBaseURL}/meldinger/${meldingId}/svar`);
    const body = (await res.json()) as { svar: FiksArkivReplyWire[]; ferdig: boolean };
    if (body.ferdig) return body.svar;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('no final reply');
}

describe('simulator: Noark 5 TG', () => {
  it('answers lists with count, results and a next link, in the noark5 media type', async () => {
    const { status, type, body } = await get('/sakarkiv/saksmappe/?$top=3&$orderby=systemID%20asc');
    expect(status).toBe(200);
    expect(type).toContain('application/vnd.noark5+json');
    expect(body.count).toBe(sim.world.cases.size);
    expect(body.results).toHaveLength(3);
    expect(body._links.next.href).toContain('%24skip=3');
    const next = await get(
      new URL(body._links.next.href).pathname.replace('/api', '') + new URL(body._links.next.href).search,
    );
    expect(next.body.results[0]!.systemID > body.results[2]!.systemID).toBe(true);
  });

  it('evaluates $filter with a real parser and refuses a bad one with a feil body', async () => {
    const kase = [...sim.world.cases.values()][3]!;
    const [aar, seq] = kase.saksnummer.split('/');
    const ok = await get(
      `/sakarkiv/saksmappe/?$filter=${encodeURIComponent(`saksaar eq ${aar} and sakssekvensnummer eq ${seq}`)}`,
    );
    expect(ok.body.count).toBe(1);
    expect(ok.body.results[0]?.systemID).toBe(kase.systemId);
    const bad = await get(`/sakarkiv/saksmappe/?$filter=${encodeURIComponent('saksaar eq')}`);
    expect(bad.status).toBe(400);
    expect(bad.body.feil.kode).toBe(400);
  });

  it('answers keyset pages (the indexed path) exactly like the plain evaluation', async () => {
    const ids = [...sim.world.cases.keys()].sort();
    const pivot = ids[Math.floor(ids.length / 3)] as string;
    const q = (filter: string) =>
      get(`/sakarkiv/saksmappe/?$orderby=systemID%20asc&$top=1000&$filter=${encodeURIComponent(filter)}`);
    // Keyset first: the simulator answers it by binary search; keyset last: by full evaluation.
    const indexed = await q(`systemID gt '${pivot}' and saksstatus ne 'A'`);
    const plain = await q(`saksstatus ne 'A' and systemID gt '${pivot}'`);
    expect(indexed.body.count).toBe(plain.body.count);
    expect(indexed.body.results.map((r) => r.systemID)).toEqual(plain.body.results.map((r) => r.systemID));
    expect(indexed.body.count).toBeGreaterThan(0);
    const t = [...sim.world.cases.values()][0]!.updatedAt;
    const byTime = await get(
      `/sakarkiv/saksmappe/?$orderby=${encodeURIComponent('oppdatertDato asc, systemID asc')}&$top=1000&$filter=${encodeURIComponent(`oppdatertDato gt ${t} or (oppdatertDato eq ${t} and systemID gt '${pivot}')`)}`,
    );
    const byTimePlain = await get(
      `/sakarkiv/saksmappe/?$orderby=${encodeURIComponent('oppdatertDato asc, systemID asc')}&$top=1000&$filter=${encodeURIComponent(`(oppdatertDato eq ${t} and systemID gt '${pivot}') or oppdatertDato gt ${t}`)}`,
    );
    expect(byTime.body.results.map((r) => r.systemID)).toEqual(
      byTimePlain.body.results.map((r) => r.systemID),
    );
  });

  it('answers 404 in the standard error shape', async () => {
    const res = await get('/sakarkiv/saksmappe/does-not-exist/');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      feil: { kode: 404, beskrivelse: 'Not Found: sakarkiv/saksmappe/does-not-exist/' },
    });
  });

  it('demands If-Match (428) and refuses a foreign media type (415)', async () => {
    const party = [...sim.world.cases.values()].flatMap((c) => c.parties)[0]!;
    const url = `${sim.tgBaseURL}/arkivstruktur/part/${party.systemId}/`;
    const noMatch = await fetch(url, {
      method: 'PUT',
      headers: { 'content-type': 'application/vnd.noark5+json' },
      body: '{}',
    });
    expect(noMatch.status).toBe(428);
    const { etag } = await get(`/arkivstruktur/part/${party.systemId}/`);
    const wrongType = await fetch(url, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain', 'if-match': etag! },
      body: 'x',
    });
    expect(wrongType.status).toBe(415);
  });

  it('injects faults in front of the API', async () => {
    faults.once({ kind: 'status', status: 503 });
    const res = await fetch(`${sim.tgBaseURL}/`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { feil: { kode: number } }).feil.kode).toBe(503);
  });
});

describe('simulator: Fiks Arkiv', () => {
  it('acknowledges with mottatt, creates once, and drops a repeated klientMeldingId', async () => {
    const payload = encodeArkivmelding({
      system: 'test',
      antallFiler: 0,
      mappe: {
        type: 'saksmappe',
        tittel: 'Duplikattest',
        part: [],
        klassifikasjon: [{ klassifikasjonssystemID: 'GBNR', klasseID: '1806-1/2/0/0' }],
        referanseEksternNoekkel: { fagsystem: 'test', noekkel: 'dup-1' },
      },
    });
    const first = await post(T.arkivmeldingOpprett, 'b3c1e0a2-0000-4000-8000-000000000001', payload);
    const again = await post(T.arkivmeldingOpprett, 'b3c1e0a2-0000-4000-8000-000000000001', payload);
    expect(first.status).toBe(202);
    expect(again.body).toEqual({ meldingId: first.body.meldingId, duplikat: true });
    const replies = await finalReply(first.body.meldingId);
    expect(replies.map((r) => r.meldingstype)).toEqual([
      T.arkivmeldingOpprettMottatt,
      T.arkivmeldingOpprettKvittering,
    ]);
    expect(sim.writeLog.filter((w) => w.externalKey === 'dup-1')).toHaveLength(1);
    // A new message (new klientMeldingId) with the same external key finds the existing case.
    const third = await post(T.arkivmeldingOpprett, 'b3c1e0a2-0000-4000-8000-000000000002', payload);
    const kv = (await finalReply(third.body.meldingId)).at(-1)!;
    expect(kv.payload).toContain('Eksisterende');
    expect(sim.writeLog.filter((w) => w.externalKey === 'dup-1')).toHaveLength(1);
  });

  it('answers a message that fails its XSD with ugyldigforespoersel', async () => {
    const payload = encodeMappeHent({
      system: 'test',
      referanseTilMappe: { systemID: 'not-a-uuid' },
      inkluder: [],
    });
    const sent = await post(T.mappeHent, 'b3c1e0a2-0000-4000-8000-000000000003', payload);
    const replies = await finalReply(sent.body.meldingId);
    expect(replies.map((r) => r.meldingstype)).toEqual([T.ugyldigforespoersel]);
    expect(replies[0]?.payload).toContain('validerer ikke');
  });

  it('answers hostile XML and unknown message types with ugyldigforespoersel', async () => {
    const hostile = await post(
      T.mappeHent,
      'b3c1e0a2-0000-4000-8000-000000000004',
      '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><mappeHent>&x;</mappeHent>',
    );
    expect((await finalReply(hostile.body.meldingId)).map((r) => r.meldingstype)).toEqual([
      T.ugyldigforespoersel,
    ]);
    const unknown = await post(
      'no.ks.fiks.arkiv.v1.innsyn.noe.annet',
      'b3c1e0a2-0000-4000-8000-000000000005',
      '<x/>',
    );
    expect((await finalReply(unknown.body.meldingId)).map((r) => r.meldingstype)).toEqual([
      T.ugyldigforespoersel,
    ]);
  });
});
