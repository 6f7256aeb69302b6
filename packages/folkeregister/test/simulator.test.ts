import { applyChanges, createFaultInjector, generateMunicipality } from '@registerbro/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFolkeregisterClient, FOLKEREGISTER_SCOPES } from '../src/client.js';
import { createFolkeregisterSimulator, type FolkeregisterSimulator } from '../src/simulator/simulator.js';
import { unknownIdentifier } from './support/harness.js';

let sim: FolkeregisterSimulator;
const API = '/folkeregisteret/offentlig-med-hjemmel/api/v1';
const call = (path: string, init: RequestInit & { token?: string } = {}) =>
  fetch(`${sim.url}${API}/${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${init.token ?? sim.token}`,
      accept: 'application/json',
      ...init.headers,
    },
  });

beforeAll(async () => {
  sim = await createFolkeregisterSimulator({
    world: generateMunicipality({ seed: 'folkeregister-sim', people: 60 }),
    faults: createFaultInjector(),
    feedPageSize: 25,
  });
});
afterAll(async () => {
  await sim.close();
});

describe('Folkeregisteret simulator', () => {
  it('tokens: missing → 401, wrong scope → 403, both in the FolkeregisterFeilmelding shape', async () => {
    expect(sim.scope).toBe(FOLKEREGISTER_SCOPES['offentlig-med-hjemmel']);
    const none = await fetch(`${sim.url}${API}/hendelser/siste/sekvensnummer`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await none.json()).toMatchObject({ feilkode: 'FREG-401', httpStatus: 401 });
    const wrongScope = await call('hendelser/siste/sekvensnummer', {
      token: sim.issueToken('folkeregister:deling/offentligutenhjemmel'),
    });
    expect(wrongScope.status).toBe(403);
    expect(await wrongScope.json()).toMatchObject({ feilkode: 'FREG-403', httpStatus: 403 });
    expect((await call('hendelser/siste/sekvensnummer', { token: sim.issueToken() })).status).toBe(200);
  });

  it("serves a renamed street in the residents' documents at once (the address changes, not the person)", async () => {
    const resident = [...sim.world.people.values()].find((p) => {
      const a = p.residentialAddressId ? sim.world.addresses.get(p.residentialAddressId) : undefined;
      return p.status === 'bosatt' && p.adressebeskyttelse === 'ugradert' && a?.kind === 'vegadresse';
    });
    if (!resident?.residentialAddressId) throw new Error('no resident on a vegadresse');
    const street = () =>
      call(`personer/${resident.fnr}`)
        .then((r) => r.json() as Promise<{ bostedsadresse?: { vegadresse?: { adressenavn?: string } }[] }>)
        .then(
          (d: { bostedsadresse?: { vegadresse?: { adressenavn?: string } }[] }) =>
            d.bostedsadresse?.[0]?.vegadresse?.adressenavn,
        );
    const before = await street();
    const kode = sim.world.addresses.get(resident.residentialAddressId)?.adressekode;
    // Rename streets until the resident's is among them (seeded: a few rounds at most).
    for (
      let i = 0;
      i < 200 && sim.world.addresses.get(resident.residentialAddressId)?.adressenavn === before;
      i++
    )
      applyChanges(sim.world, { seed: `rename-${kode}-${i}`, count: 1, kinds: ['address_rename'] });
    const renamed = sim.world.addresses.get(resident.residentialAddressId)?.adressenavn;
    expect(renamed).not.toBe(before);
    expect(await street()).toBe(renamed);
  });

  it('answers bad requests the way the register does', async () => {
    const noSeq = await call('hendelser/feed');
    expect(noSeq.status).toBe(400);
    expect(await noSeq.json()).toMatchObject({ kode: 'FREG-400' });
    const unknown = await call(`personer/${unknownIdentifier(sim.world)}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'FREG-404', httpStatus: 404 });
    expect((await call('personer/123')).status).toBe(400);
    expect((await call('hendelser/siste/sekvensnummer', { headers: { accept: 'text/html' } })).status).toBe(
      406,
    );
    const tooMany = await call('personer/bulkoppslag', {
      method: 'POST',
      body: JSON.stringify({ foedselsEllerDNummer: Array.from({ length: 1001 }, () => '00000000000') }),
    });
    expect(tooMany.status).toBe(400);
    const otherPackage = await fetch(
      `${sim.url}/folkeregisteret/privat/api/v1/hendelser/siste/sekvensnummer`,
      {
        headers: { authorization: `Bearer ${sim.token}` },
      },
    );
    expect(otherPackage.status).toBe(404);
  });

  it('feed: pages of feedPageSize, ETag on every page, 304 when nothing is new', async () => {
    const first = await call('hendelser/feed?seq=1');
    const page = (await first.json()) as { sekvensnummer: number }[];
    expect(page.map((e) => e.sekvensnummer)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    expect((await call('hendelser/feed?seq=1', { headers: { 'if-none-match': etag ?? '' } })).status).toBe(
      304,
    );

    const end = sim.lastSeq() + 1;
    const empty = await call(`hendelser/feed?seq=${end}`);
    expect(await empty.json()).toEqual([]);
    const emptyTag = empty.headers.get('etag') ?? '';
    expect((await call(`hendelser/feed?seq=${end}`, { headers: { 'if-none-match': emptyTag } })).status).toBe(
      304,
    );
    const person = sim.world.people.values().next().value;
    if (!person) throw new Error('fixture');
    sim.addEvent({ fnr: person.fnr, hendelsetype: 'endringINavn' });
    const fresh = await call(`hendelser/feed?seq=${end}`, { headers: { 'if-none-match': emptyTag } });
    expect(fresh.status).toBe(200);
    expect(((await fresh.json()) as unknown[]).length).toBe(1);
  });

  it('injected 429 carries Retry-After in milliseconds; the request log records it', async () => {
    sim.server.clearLog();
    sim.faults.once({ kind: 'rate_limit', retryAfterMs: 1500, unit: 'milliseconds' });
    const limited = await call('hendelser/siste/sekvensnummer');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1500');
    expect(sim.requests.map((r) => [r.status, r.fault])).toEqual([[429, 'rate_limit']]);
  });

  it('uttrekk/tilpasset: a tailored extract holds only the statuses asked for', async () => {
    const client = createFolkeregisterClient({
      baseURL: sim.url,
      auth: { headers: async () => ({ authorization: `Bearer ${sim.token}` }) },
      http: { shared: false },
    });
    const jobbId = await client.bestillTilpassetUttrekk({ personstatustyper: ['doed', 'utflyttet'] });
    const ids: string[] = [];
    for (let batch = 0; ; ) {
      const result = await client.hentUttrekkBatch(jobbId, batch);
      if (result.state === 'done') break;
      if (result.state === 'batch') {
        ids.push(...result.foedselsEllerDNummer);
        batch++;
      }
    }
    const expected = [...sim.world.people.values()].filter(
      (p) => p.status === 'doed' || p.status === 'utflyttet',
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(ids.sort()).toEqual(expected.map((p) => p.fnr).sort());
    await expect(client.bestillTilpassetUttrekk({ personstatustyper: [] })).rejects.toMatchObject({
      code: 'bad_request',
    });
    client.close();
  });

  it('part= returns only the entities asked for', async () => {
    const person = [...sim.world.people.values()][1];
    if (!person) throw new Error('fixture');
    const doc = (await (
      await call(`personer/${person.fnr}?part=navn&part=identifikasjonsnummer`)
    ).json()) as object;
    expect(Object.keys(doc).sort()).toEqual(['identifikasjonsnummer', 'navn']);
    const bulk = (await (
      await call('personer/bulkoppslag?part=status', {
        method: 'POST',
        body: JSON.stringify({ foedselsEllerDNummer: [person.fnr] }),
      })
    ).json()) as { oppslag: { folkeregisterperson: object }[] };
    expect(Object.keys(bulk.oppslag[0]?.folkeregisterperson ?? {})).toEqual(['status']);
  });

  it('a corrupt person is served as a document that breaks the wire schema, in GET and in bulk', async () => {
    const person = [...sim.world.people.values()][3];
    if (!person) throw new Error('fixture');
    sim.corrupt.personIds.add(person.fnr);
    const doc = (await (await call(`personer/${person.fnr}`)).json()) as { navn: { fornavn: unknown }[] };
    expect(typeof doc.navn[0]?.fornavn).toBe('number');
    sim.corrupt.personIds.delete(person.fnr);
    const fixed = (await (await call(`personer/${person.fnr}`)).json()) as { navn: { fornavn: unknown }[] };
    expect(fixed.navn[0]?.fornavn).toBe(person.givenName);
  });
});
