import { collectPages, hasErrorCode, CaseSchema, isFodselsnummer } from '@registerbro/model';
import { applyChanges, createFaultInjector, specPath, validateXml } from '@registerbro/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNoarkAdapter, type NoarkAdapter } from '../src/adapter.js';
import { createNoarkClient } from '../src/client.js';
import { fiksArkivXsdFile } from '../src/fiks/message-types.js';
import type { SokeresultatNoekler } from '../src/fiks/model.js';
import { createHttpFiksArkivTransport } from '../src/fiks/transport.js';
import { createNoarkSimulator, type NoarkSimulator } from '../src/simulator/index.js';

let sim: NoarkSimulator;
let adapter: NoarkAdapter;
const validated: string[] = [];

const xsdCheck = async (xml: string, type: string, direction: 'in' | 'out') => {
  const result = await validateXml(
    xml,
    specPath('arkiv', 'fiks-arkiv', 'schema', 'V1', fiksArkivXsdFile(type)),
  );
  if (!result.valid) throw new Error(`${direction} ${type} fails its XSD: ${result.errors}`);
  validated.push(`${direction}:${type}`);
};

beforeAll(async () => {
  sim = await createNoarkSimulator({ seed: 'adapter-test', people: 150 });
  adapter = createNoarkAdapter({
    baseURL: sim.tgBaseURL,
    http: { shared: false, retries: 1, backoff: { baseMs: 1, maxMs: 5 } },
    fiks: {
      transport: createHttpFiksArkivTransport({ baseURL: sim.fiksBaseURL, http: { shared: false } }),
      pollIntervalMs: 5,
      inspect: xsdCheck,
    },
    pageSize: 25,
  });
});

afterAll(async () => {
  await adapter?.close?.();
  await sim?.close();
});

const openCases = () => [...sim.world.cases.values()].filter((c) => c.open && c.status !== 'A');

describe('Noark adapter against the simulator', () => {
  it('gets a case by saksnummer and by systemID, with its ETag as version', async () => {
    const kase = [...sim.world.cases.values()][0]!;
    const bySaksnummer = await adapter.get(kase.saksnummer);
    const bySystemId = await adapter.get(kase.systemId);
    expect(bySaksnummer?.systemId).toBe(kase.systemId);
    expect(bySystemId?.saksnummer).toBe(kase.saksnummer);
    expect(bySaksnummer?.version).toMatch(/^"c-\d+"$/);
    expect(CaseSchema.safeParse(bySaksnummer).success).toBe(true);
    expect(await adapter.get('1999/99999')).toBeNull();
  });

  it('hides FNR classes and party identifiers of screened (sosial) cases unless asked', async () => {
    const sosial = [...sim.world.cases.values()].find(
      (c) => c.caseType === 'sosial' && c.parties.some((p) => p.identifier),
    )!;
    const hidden = await adapter.get(sosial.saksnummer);
    expect(hidden?.classes.some((c) => c.system === 'FNR')).toBe(false);
    expect(hidden?.parties.every((p) => p.identifier === undefined)).toBe(true);
    const entitled = createNoarkAdapter({
      baseURL: sim.tgBaseURL,
      includeScreened: true,
      http: { shared: false },
    });
    const shown = await entitled.get(sosial.saksnummer);
    expect(shown?.classes.some((c) => c.system === 'FNR')).toBe(true);
    expect(shown?.parties.some((p) => p.identifier !== undefined && isFodselsnummer(p.identifier))).toBe(
      true,
    );
    await entitled.close?.();
  });

  it('scans every open case exactly once over several pages', async () => {
    const pages = await collectPages(adapter.scan({ pageSize: 3 }));
    const keys = pages.flatMap((p) => p.entities.map((c) => c.saksnummer));
    expect(pages.length).toBeGreaterThan(1);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(keys)).toEqual(new Set(openCases().map((c) => c.saksnummer)));
  });

  it('follows changes with a systemID tiebreak: equal timestamps never skip or repeat', async () => {
    // Every generated case has the world's epoch as oppdatertDato: one long run of equal timestamps.
    const all = await collectPages(adapter.changes(undefined, { pageSize: 7 }));
    const keys = all.flatMap((p) => p.changes.map((c) => (c.kind === 'upsert' ? c.key : '')));
    expect(keys.length).toBe(sim.world.cases.size);
    expect(new Set(keys).size).toBe(keys.length);
    const head = await adapter.head();
    expect(all.at(-1)?.cursor).toBe(head);
    const made = applyChanges(sim.world, { count: 5, kinds: ['case_record', 'case_close'] });
    const touched = new Set(made.flatMap((c) => c.caseIds ?? []));
    const after = await collectPages(adapter.changes(head, { pageSize: 2 }));
    const changed = after.flatMap((p) =>
      p.changes.map((c) => (c.kind === 'upsert' ? c.entity.systemId : '')),
    );
    expect(new Set(changed)).toEqual(touched);
    expect(changed.length).toBe(touched.size);
  });

  it('updates a party by compare-and-set, once, whatever the repeats', async () => {
    const kase = openCases().find((c) => c.caseType === 'byggesak' && c.parties.length > 0)!;
    const party = kase.parties[0]!;
    const wanted = `${party.name} Testesen`;
    const op = {
      type: 'update_party' as const,
      target: kase.saksnummer,
      partySystemId: party.systemId,
      set: { name: wanted },
    };
    const first = await adapter.apply(op, { idempotencyKey: 'k-update-1' });
    const second = await adapter.apply(op, { idempotencyKey: 'k-update-1' });
    expect(first.status).toBe('applied');
    expect(second.status).toBe('already_applied');
    expect(
      sim.writeLog.filter((w) => w.targetSystemId === party.systemId && w.kind === 'update_party'),
    ).toHaveLength(1);
    expect(sim.writeLog.at(-1)?.idempotencyKey).toBe('k-update-1');
    const read = await adapter.get(kase.saksnummer);
    expect(read?.parties.find((p) => p.systemId === party.systemId)?.name).toBe(wanted);
  });

  it('removes an address and reports already_applied when someone else already did', async () => {
    const kase = openCases().find((c) => c.parties.some((p) => p.address))!;
    const party = kase.parties.find((p) => p.address)!;
    const op = {
      type: 'remove_party_address' as const,
      target: kase.saksnummer,
      partySystemId: party.systemId,
    };
    expect((await adapter.apply(op, { idempotencyKey: 'k-rm-1' })).status).toBe('applied');
    const again = createNoarkAdapter({ baseURL: sim.tgBaseURL, http: { shared: false } });
    expect((await again.apply(op, { idempotencyKey: 'k-rm-1' })).status).toBe('already_applied');
    const read = await adapter.get(kase.saksnummer);
    expect(read?.parties.find((p) => p.systemId === party.systemId)?.address).toBeUndefined();
  });

  it('a stale ETag on a write is a conflict naming the party, and nothing is written', async () => {
    const kase = openCases().find((c) => c.parties.length > 0 && c.caseType === 'byggesak')!;
    const party = kase.parties.at(-1)!;
    const client = createNoarkClient({ baseURL: sim.tgBaseURL, http: { shared: false, retries: 0 } });
    const got = await client.tg.getPart(party.systemId);
    const before = sim.writeLog.length;
    const error = await client.tg
      .putPart(party.systemId, { navn: 'X', partRolle: { kode: 'Part' } }, '"p-999"')
      .catch((e) => e);
    expect(hasErrorCode(error, 'etag_mismatch')).toBe(true);
    expect(String(error.message)).toContain(party.systemId);
    expect(sim.writeLog.length).toBe(before);
    expect(got?.wire.navn).toBe(party.name);
    client.close();
  });

  it('adds a party once', async () => {
    const kase = openCases().find((c) => c.caseType === 'byggesak')!;
    const op = {
      type: 'add_party' as const,
      target: kase.saksnummer,
      party: {
        kind: 'organisation' as const,
        identifier: '923609016',
        name: 'Narvik Bygg AS',
        role: 'Ansvarlig søker',
      },
    };
    expect((await adapter.apply(op, { idempotencyKey: 'k-add' })).status).toBe('applied');
    expect((await adapter.apply(op, { idempotencyKey: 'k-add' })).status).toBe('already_applied');
    expect(kase.parties.filter((p) => p.identifier === '923609016')).toHaveLength(1);
  });

  it('re-keys a GBNR class 1854 → 1806 once', async () => {
    const kase = openCases().find((c) => c.classes.some((k) => k.system === 'GBNR'))!;
    const cls = kase.classes.find((k) => k.system === 'GBNR')!;
    const from = cls.classId;
    const to = from.replace(/^\d{4}/, '1854');
    const op = { type: 'rekey_class' as const, target: kase.saksnummer, system: 'GBNR', from, to };
    expect((await adapter.apply(op, { idempotencyKey: 'k-rekey' })).status).toBe('applied');
    expect((await adapter.apply(op, { idempotencyKey: 'k-rekey' })).status).toBe('already_applied');
    expect(cls.classId).toBe(to);
    expect(
      sim.writeLog.filter((w) => w.kind === 'update_class' && w.targetSystemId === cls.systemId),
    ).toHaveLength(1);
  });

  it('creates one follow-up case with a note through Fiks Arkiv, however often applied', async () => {
    const owner = openCases()
      .flatMap((c) => c.parties)
      .find((p) => p.kind === 'person' && p.identifier)!;
    const op = {
      type: 'create_case' as const,
      target: 'f4-konsesjon-1806-12-3-0-0-2026',
      case: {
        title: 'Konsesjon — 12/3',
        caseType: 'konsesjon' as const,
        classes: [{ system: 'GBNR', classId: '1806-12/3/0/0', title: '12/3' }],
        parties: [
          { kind: 'person' as const, identifier: owner.identifier!, name: owner.name, role: 'Hjemmelshaver' },
        ],
      },
      note: { title: 'Eierskifte registrert i Matrikkelen' },
    };
    const first = await adapter.apply(op, { idempotencyKey: 'k-create' });
    const second = await adapter.apply(op, { idempotencyKey: 'k-create' });
    expect(first.status).toBe('applied');
    expect(second.status).toBe('already_applied');
    expect(second.ref?.id).toBe(first.ref?.id);
    expect(sim.writeLog.filter((w) => w.kind === 'create_case' && w.externalKey === op.target)).toHaveLength(
      1,
    );
    const created = await adapter.get(first.ref!.id);
    expect(created?.caseType).toBe('konsesjon');
    expect(created?.externalKey).toEqual({ fagsystem: 'registerbro', noekkel: op.target });
    expect(created?.parties.map((p) => p.identifier)).toEqual([owner.identifier]);
    const records = await adapter.getRecords(first.ref!.id);
    expect(records?.records.map((r) => r.title)).toEqual(['Eierskifte registrert i Matrikkelen']);
    // The message and its kvittering went through xmllint.
    expect(validated).toContain('out:no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett');
    expect(validated).toContain('in:no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett.kvittering');
  });

  it('creates through the TG when Fiks is not configured, and completes a partial create', async () => {
    const tgOnly = createNoarkAdapter({ baseURL: sim.tgBaseURL, http: { shared: false } });
    const op = {
      type: 'create_case' as const,
      target: 'f4-tg-1',
      case: {
        title: 'Boplikt',
        caseType: 'konsesjon' as const,
        classes: [{ system: 'GBNR', classId: '1806-1/1/0/0' }],
        parties: [],
      },
      note: { title: 'Notat' },
    };
    expect((await tgOnly.apply(op, { idempotencyKey: 'k-tg' })).status).toBe('applied');
    expect((await tgOnly.apply(op, { idempotencyKey: 'k-tg' })).status).toBe('already_applied');
    expect(sim.writeLog.filter((w) => w.externalKey === 'f4-tg-1')).toHaveLength(1);
    await tgOnly.close?.();
  });

  it('refuses to edit a korrespondansepart of a finalised journalpost with ConflictError frozen', async () => {
    const kase = [...sim.world.cases.values()].find((c) =>
      c.records.some((r) => ['J', 'E', 'A'].includes(r.journalstatus) && r.correspondenceParties.length),
    )!;
    const record = kase.records.find(
      (r) => ['J', 'E', 'A'].includes(r.journalstatus) && r.correspondenceParties.length,
    )!;
    const before = sim.writeLog.length;
    const error = await adapter
      .apply(
        {
          type: 'update_correspondence_party',
          target: kase.saksnummer,
          recordSystemId: record.systemId,
          partySystemId: record.correspondenceParties[0]!.systemId,
          set: { name: 'Ny Navn' },
        },
        { idempotencyKey: 'k-frozen' },
      )
      .catch((e) => e);
    expect(hasErrorCode(error, 'frozen')).toBe(true);
    expect(error.record).toContain(record.systemId);
    expect(sim.writeLog.length).toBe(before);
  });

  it('reads a case through Fiks Arkiv mappe.hent, validating the reply', async () => {
    const kase = openCases()[0]!;
    const result = await adapter.client.fiks!.hentMappe({ systemID: kase.systemId });
    expect(result?.mappeID).toBe(kase.saksnummer);
    expect(
      await adapter.client.fiks!.hentMappe({ systemID: '00000000-0000-4000-8000-000000000000' }),
    ).toBeNull();
    expect(validated).toContain('in:no.ks.fiks.arkiv.v1.innsyn.mappe.hent.resultat');
  });

  it('searches, fetches a journalpost and updates a party through Fiks Arkiv; every reply validates', async () => {
    const fiks = adapter.client.fiks!;
    const kase = openCases().find((c) => c.records.length > 0 && c.parties.length > 0)!;
    const [aar, seq] = kase.saksnummer.split('/').map(Number) as [number, number];
    const parametere = [
      { operator: 'equal' as const, felt: 'sakSaksaar', sokVerdier: { intvalues: [aar] } },
      { operator: 'equal' as const, felt: 'sakSaksekvensnummer', sokVerdier: { intvalues: [seq] } },
    ];
    const utvidet = await fiks.sok({
      system: 'registerbro',
      take: 10,
      skip: 0,
      sokdefinisjon: { type: 'saksmappeSokdefinisjon', responstype: 'utvidet', parametere },
    });
    expect(utvidet.count).toBe(1);
    expect(utvidet.saksmapper[0]?.systemID).toBe(kase.systemId);
    const noekler = await fiks.sok({
      system: 'registerbro',
      take: 10,
      skip: 0,
      sokdefinisjon: { type: 'saksmappeSokdefinisjon', responstype: 'noekler', parametere },
    });
    expect((noekler as SokeresultatNoekler).saksmapper[0]?.saksnummer).toEqual({
      saksaar: aar,
      sakssekvensnummer: seq,
    });
    const record = kase.records[0]!;
    const jp = await fiks.hentRegistrering({ systemID: record.systemId });
    expect(`${jp?.journalaar}/${jp?.journalsekvensnummer}`).toBe(record.journalpostnummer);
    const party = kase.parties[0]!;
    await fiks.oppdater(
      {
        mappe: {
          type: 'saksmappe',
          referanseTilMappe: { systemID: kase.systemId },
          partOppdateringer: {
            oppdatering: [{ partID: party.systemId, partNavn: 'Fiks Oppdatert' }],
            slett: [],
            ny: [],
          },
        },
      },
      { idempotencyKey: 'k-fiks-oppdater' },
    );
    expect(party.name).toBe('Fiks Oppdatert');
    for (const type of ['sok.resultat.utvidet', 'sok.resultat.noekler', 'registrering.hent.resultat']) {
      expect(validated).toContain(`in:no.ks.fiks.arkiv.v1.innsyn.${type}`);
    }
    expect(validated).toContain('out:no.ks.fiks.arkiv.v1.arkivering.arkivmelding.oppdater');
  });

  it('a changed party brings its case into the feed', async () => {
    const head = await adapter.head();
    const kase = openCases().find((c) => c.parties.length > 1)!;
    const party = kase.parties[1]!;
    await adapter.apply(
      {
        type: 'update_party',
        target: kase.saksnummer,
        partySystemId: party.systemId,
        set: { deceased: true },
      },
      { idempotencyKey: 'k-deceased' },
    );
    const pages = await collectPages(adapter.changes(head));
    const upserts = pages.flatMap((p) => p.changes).filter((c) => c.kind === 'upsert');
    expect(upserts.map((c) => c.key)).toEqual([kase.saksnummer]);
    const changed = upserts[0]?.kind === 'upsert' ? upserts[0].entity : undefined;
    expect(changed?.parties.find((p) => p.systemId === party.systemId)?.deceased).toBe(true);
  });
});

describe('a create interrupted halfway', () => {
  it('reports what exists, and the next apply completes it without a second case', async () => {
    const faults = createFaultInjector();
    const local = await createNoarkSimulator({ seed: 'partial', people: 40, faults });
    const tgOnly = createNoarkAdapter({
      baseURL: local.tgBaseURL,
      http: { shared: false, retries: 0, circuitBreaker: false },
    });
    const op = {
      type: 'create_case' as const,
      target: 'f4-partial-1',
      case: {
        title: 'Konsesjon',
        caseType: 'konsesjon' as const,
        classes: [{ system: 'GBNR', classId: '1806-2/1/0/0' }],
        parties: [],
      },
      note: { title: 'Notat' },
    };
    try {
      faults.set({ errorRate: 1, when: (r) => r.method === 'POST' && r.path.includes('ny-journalpost') });
      const error = await tgOnly.apply(op, { idempotencyKey: 'k-partial' }).catch((e) => e);
      expect(hasErrorCode(error, 'partially_applied')).toBe(true);
      expect(error.details).toMatchObject({ applied: ['case'] });
      faults.clear();
      const second = await tgOnly.apply(op, { idempotencyKey: 'k-partial' });
      expect(second.status).toBe('applied');
      expect(second.detail).toContain('note');
      expect((await tgOnly.apply(op, { idempotencyKey: 'k-partial' })).status).toBe('already_applied');
      expect(local.writeLog.filter((w) => w.kind === 'create_case')).toHaveLength(1);
      expect(local.writeLog.filter((w) => w.kind === 'create_record')).toHaveLength(1);
    } finally {
      await tgOnly.close?.();
      await local.close();
    }
  });
});
