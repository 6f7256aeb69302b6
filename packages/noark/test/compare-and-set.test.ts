import { type Address, hasErrorCode, isFodselsnummer, makeFodselsnummer } from '@registerbro/model';
import { createFaultInjector, type WorldCase, type WorldParty } from '@registerbro/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createNoarkAdapter, type NoarkAdapter } from '../src/adapter.js';
import { createNoarkSimulator, type NoarkSimulator } from '../src/simulator/index.js';

/**
 * Writes planned against one state of the archive and applied after an archivist edited it: the
 * adapter must compare against the planned values, not against a fresh read (review finding 2).
 */

let sim: NoarkSimulator;
let adapter: NoarkAdapter;
const faults = createFaultInjector();
const used = new Set<string>();

beforeAll(async () => {
  sim = await createNoarkSimulator({ seed: 'compare-and-set', people: 150, faults });
  adapter = createNoarkAdapter({
    baseURL: sim.tgBaseURL,
    http: { shared: false, retries: 0, circuitBreaker: false },
  });
});

afterAll(async () => {
  await adapter?.close?.();
  await sim?.close();
});

beforeEach(() => {
  faults.clear();
});

/** A fresh person party (never used by an earlier test) on an open case. */
function pick(filter: (p: WorldParty, c: WorldCase) => boolean = () => true): {
  kase: WorldCase;
  party: WorldParty;
} {
  for (const kase of sim.world.cases.values()) {
    if (!kase.open || kase.caseType === 'sosial') continue;
    for (const party of kase.parties) {
      if (party.kind !== 'person' || used.has(party.systemId) || !filter(party, kase)) continue;
      used.add(party.systemId);
      return { kase, party };
    }
  }
  throw new Error('no party left in the world for this test');
}

/** What an archivist does in the archive's own UI: a new value and a new version. */
function editLocally(kase: WorldCase, party: WorldParty, name: string) {
  party.name = name;
  party.version += 1;
  kase.version += 1;
}

const writesTo = (party: WorldParty) =>
  sim.writeLog.filter((w) => w.targetSystemId === party.systemId && w.kind === 'update_party').length;

/** Only 11-digit runs that are valid fnr/D-nummer count: a systemID never is one. */
const fnrIn = (text: string) => (text.match(/\d{11}/g) ?? []).filter((d) => isFodselsnummer(d));

describe('update_party carries the planned values (compare-and-set against the plan)', () => {
  it('a local edit between plan and apply is a local_edit conflict naming the case, party and field; nothing is written', async () => {
    const { kase, party } = pick();
    const planned = party.name;
    editLocally(kase, party, 'Local Edit');
    const error = await adapter
      .apply(
        {
          type: 'update_party',
          target: kase.saksnummer,
          partySystemId: party.systemId,
          set: { name: 'Kari Master' },
          expected: { name: planned },
        },
        { idempotencyKey: 'k-local-edit' },
      )
      .catch((e: unknown) => e);
    expect(hasErrorCode(error, 'local_edit')).toBe(true);
    const e = error as { message: string; record?: string; details?: Record<string, unknown> };
    expect(e.message).toContain(kase.saksnummer);
    expect(e.message).toContain(party.systemId);
    expect(e.message).toContain('name');
    expect(e.details).toMatchObject({ fields: ['name'] });
    expect(party.name).toBe('Local Edit');
    expect(writesTo(party)).toBe(0);
  });

  it('the conflict never carries an fnr, even for an identifier-bearing party', async () => {
    const { kase, party } = pick((p) => !!p.identifier && p.address !== undefined);
    editLocally(kase, party, 'Annen Person');
    const error = await adapter
      .apply(
        {
          type: 'update_party',
          target: kase.saksnummer,
          partySystemId: party.systemId,
          set: { name: 'Ny Master', address: { kind: 'fritekst', adresselinjer: ['Ny vei 1'] } },
          expected: { name: 'Planlagt Navn', address: null },
        },
        { idempotencyKey: 'k-no-fnr' },
      )
      .catch((e: unknown) => e);
    expect(hasErrorCode(error, 'local_edit')).toBe(true);
    const text = JSON.stringify({ ...(error as object), message: (error as Error).message });
    expect(fnrIn(text)).toEqual([]);
    expect((error as { details?: { fields?: string[] } }).details?.fields).toEqual(['name', 'address']);
  });

  it('applies when the party still holds the planned values, then reports already_applied', async () => {
    const { kase, party } = pick();
    const op = {
      type: 'update_party' as const,
      target: kase.saksnummer,
      partySystemId: party.systemId,
      set: { name: `${party.name} Master` },
      expected: { name: party.name, deceased: null },
    };
    expect((await adapter.apply(op, { idempotencyKey: 'k-cas-ok' })).status).toBe('applied');
    // Now the party holds the wanted value (not the expected one): that is done, not a conflict.
    expect((await adapter.apply(op, { idempotencyKey: 'k-cas-ok' })).status).toBe('already_applied');
    expect(writesTo(party)).toBe(1);
  });

  it('a field edited locally to the wanted value is not a conflict', async () => {
    const { kase, party } = pick((p) => p.address !== undefined);
    const wanted: Address = { kind: 'fritekst', adresselinjer: ['Kongens gate 7'], postnummer: '8514' };
    const planned = party.name;
    editLocally(kase, party, `${planned} Master`);
    const result = await adapter.apply(
      {
        type: 'update_party',
        target: kase.saksnummer,
        partySystemId: party.systemId,
        set: { name: `${planned} Master`, address: wanted },
        expected: { name: planned },
      },
      { idempotencyKey: 'k-half' },
    );
    expect(result.status).toBe('applied');
    expect(party.address?.adresselinje).toBe('Kongens gate 7');
  });

  it('without expected values, a stale expectedVersion is a conflict (the party changed since the plan)', async () => {
    const { kase, party } = pick();
    const planned = (await adapter.client.tg.getPart(party.systemId))?.etag;
    expect(planned).toBeDefined();
    editLocally(kase, party, 'Endret Lokalt');
    const error = await adapter
      .apply(
        {
          type: 'update_party',
          target: kase.saksnummer,
          partySystemId: party.systemId,
          set: { deceased: true },
          expectedVersion: planned as string,
        },
        { idempotencyKey: 'k-version' },
      )
      .catch((e: unknown) => e);
    expect(hasErrorCode(error, 'local_edit')).toBe(true);
    expect(writesTo(party)).toBe(0);
  });

  it('a 409 on the write re-reads and decides again: still the planned value → written', async () => {
    const { kase, party } = pick();
    faults.set({ when: (r) => r.method === 'PUT' && r.path.includes(party.systemId) }).next(1, {
      kind: 'status',
      status: 409,
    });
    const result = await adapter.apply(
      {
        type: 'update_party',
        target: kase.saksnummer,
        partySystemId: party.systemId,
        set: { name: 'Etter Konflikt' },
        expected: { name: party.name },
      },
      { idempotencyKey: 'k-409-retry' },
    );
    expect(result.status).toBe('applied');
    expect(party.name).toBe('Etter Konflikt');
    expect(writesTo(party)).toBe(1);
  });

  it('a 409 caused by a local edit racing the write is a local_edit conflict after the re-read', async () => {
    const { kase, party } = pick();
    const planned = party.name;
    let raced = false;
    faults
      .set({
        when: (r) => {
          if (r.method !== 'PUT' || !r.path.includes(party.systemId)) return false;
          if (!raced) {
            raced = true;
            editLocally(kase, party, 'Samtidig Redigering');
          }
          return true;
        },
      })
      .next(1, { kind: 'status', status: 409 });
    const error = await adapter
      .apply(
        {
          type: 'update_party',
          target: kase.saksnummer,
          partySystemId: party.systemId,
          set: { name: 'Master Navn' },
          expected: { name: planned },
        },
        { idempotencyKey: 'k-409-race' },
      )
      .catch((e: unknown) => e);
    expect(raced).toBe(true);
    expect(hasErrorCode(error, 'local_edit')).toBe(true);
    expect(party.name).toBe('Samtidig Redigering');
    expect(writesTo(party)).toBe(0);
  });

  it('two 409s in a row give etag_mismatch and nothing written', async () => {
    const { kase, party } = pick();
    faults.set({ when: (r) => r.method === 'PUT' && r.path.includes(party.systemId) }).next(2, {
      kind: 'status',
      status: 409,
    });
    const error = await adapter
      .apply(
        {
          type: 'update_party',
          target: kase.saksnummer,
          partySystemId: party.systemId,
          set: { name: 'Aldri Skrevet' },
          expected: { name: party.name },
        },
        { idempotencyKey: 'k-409-twice' },
      )
      .catch((e: unknown) => e);
    expect(hasErrorCode(error, 'etag_mismatch')).toBe(true);
    expect(writesTo(party)).toBe(0);
  });

  it('remove_party_address removes even a locally edited address (a protected person keeps none)', async () => {
    const { kase, party } = pick((p) => p.address !== undefined);
    const planned = (await adapter.client.tg.getPart(party.systemId))?.etag as string;
    party.address = { adresselinje: 'Lokalt innskrevet 3', postnummer: '8514', poststed: 'NARVIK' };
    party.version += 1;
    const op = {
      type: 'remove_party_address' as const,
      target: kase.saksnummer,
      partySystemId: party.systemId,
      expectedVersion: planned,
    };
    expect((await adapter.apply(op, { idempotencyKey: 'k-rm-edited' })).status).toBe('applied');
    expect(party.address).toBeUndefined();
    expect((await adapter.apply(op, { idempotencyKey: 'k-rm-edited' })).status).toBe('already_applied');
  });
});

describe('update_correspondence_party carries the planned values', () => {
  function pickCorrespondent() {
    for (const kase of sim.world.cases.values()) {
      for (const record of kase.records) {
        if (['J', 'E', 'A'].includes(record.journalstatus)) continue;
        const party = record.correspondenceParties.find((p) => !used.has(p.systemId));
        if (party) {
          used.add(party.systemId);
          return { kase, record, party };
        }
      }
    }
    throw new Error('no editable korrespondansepart in the world');
  }

  it('a local edit is a local_edit conflict; the planned value is written; deceased is expressible', async () => {
    const { kase, record, party } = pickCorrespondent();
    const planned = party.name;
    party.name = 'Lokal Korrespondent';
    party.version += 1;
    const op = {
      type: 'update_correspondence_party' as const,
      target: kase.saksnummer,
      recordSystemId: record.systemId,
      partySystemId: party.systemId,
      set: { name: 'Master Korrespondent', deceased: true },
      expected: { name: planned },
    };
    const error = await adapter.apply(op, { idempotencyKey: 'k-kp-edit' }).catch((e: unknown) => e);
    expect(hasErrorCode(error, 'local_edit')).toBe(true);
    expect((error as Error).message).toContain(party.systemId);
    expect(party.name).toBe('Lokal Korrespondent');
    // Re-planned against the edited value: applied once, then already applied.
    const replanned = { ...op, expected: { name: 'Lokal Korrespondent', deceased: false } };
    expect((await adapter.apply(replanned, { idempotencyKey: 'k-kp-2' })).status).toBe('applied');
    expect((await adapter.apply(replanned, { idempotencyKey: 'k-kp-2' })).status).toBe('already_applied');
    const read = await adapter.getRecords(kase.saksnummer);
    const mapped = read?.records
      .find((r) => r.systemId === record.systemId)
      ?.correspondenceParties.find((p) => p.systemId === party.systemId);
    expect(mapped).toMatchObject({ name: 'Master Korrespondent', deceased: true });
  });
});

describe('rekey_party_identifier', () => {
  function newSyntheticFnr(): string {
    for (let i = 100; i < 500; i++) {
      const fnr = makeFodselsnummer({ birthDate: '1979-06-14', individnummer: i, synthetic: true });
      if (fnr && ![...sim.world.cases.values()].some((c) => c.parties.some((p) => p.identifier === fnr)))
        return fnr;
    }
    throw new Error('no free synthetic fnr');
  }

  it('sets the new identifier once; already_applied when it holds `to`; conflict when it holds neither', async () => {
    const { kase, party } = pick((p) => !!p.identifier && isFodselsnummer(p.identifier));
    const from = party.identifier as string;
    const to = newSyntheticFnr();
    const op = {
      type: 'rekey_party_identifier' as const,
      target: kase.saksnummer,
      partySystemId: party.systemId,
      from,
      to,
      toKind: 'fnr' as const,
    };
    expect((await adapter.apply(op, { idempotencyKey: 'k-rekey-id' })).status).toBe('applied');
    expect(party.identifier).toBe(to);
    expect((await adapter.apply(op, { idempotencyKey: 'k-rekey-id' })).status).toBe('already_applied');
    expect(writesTo(party)).toBe(1);
    const read = await adapter.get(kase.saksnummer);
    expect(read?.parties.find((p) => p.systemId === party.systemId)?.identifier).toBe(to);

    // Someone put a third identifier there: neither from nor to.
    const third = newSyntheticFnr();
    party.identifier = third;
    party.version += 1;
    const error = await adapter.apply(op, { idempotencyKey: 'k-rekey-id-3' }).catch((e: unknown) => e);
    expect(hasErrorCode(error, 'local_edit')).toBe(true);
    const text = `${(error as Error).message} ${JSON.stringify(error)}`;
    for (const id of [from, to, third]) expect(text).not.toContain(id);
    expect(writesTo(party)).toBe(1);
  });
});

describe('remove_class', () => {
  it('removes a class once and reports already_applied when it is gone; refuses when the kept class is missing', async () => {
    const kase = [...sim.world.cases.values()].find(
      (c) => c.open && c.classes.filter((k) => k.system === 'GBNR').length >= 1 && c.classes.length >= 1,
    )!;
    const kept = kase.classes.find((k) => k.system === 'GBNR')!;
    // A duplicate class after a merge: the same unit written another way.
    const duplicate = { system: 'GBNR' as const, classId: '1854-99/1/0/0', systemId: crypto.randomUUID() };
    kase.classes.push(duplicate);
    const op = {
      type: 'remove_class' as const,
      target: kase.saksnummer,
      system: 'GBNR',
      classId: duplicate.classId,
      keep: kept.classId,
    };
    expect((await adapter.apply(op, { idempotencyKey: 'k-rm-class' })).status).toBe('applied');
    expect(kase.classes.some((k) => k.classId === duplicate.classId)).toBe(false);
    expect(kase.classes.some((k) => k.classId === kept.classId)).toBe(true);
    expect((await adapter.apply(op, { idempotencyKey: 'k-rm-class' })).status).toBe('already_applied');
    expect(
      sim.writeLog.filter((w) => w.kind === 'remove_class' && w.caseSystemId === kase.systemId),
    ).toHaveLength(1);

    const refused = await adapter
      .apply({ ...op, classId: kept.classId, keep: '1806-99999/1/0/0' }, { idempotencyKey: 'k-rm-class-2' })
      .catch((e: unknown) => e);
    expect(hasErrorCode(refused, 'kept_class_missing')).toBe(true);
    expect(kase.classes.some((k) => k.classId === kept.classId)).toBe(true);
  });
});

describe('an answer that cannot be read during a write', () => {
  it('is a retryable error (the outbox tries again), and the retry writes once', async () => {
    const { kase, party } = pick();
    const op = {
      type: 'update_party' as const,
      target: kase.saksnummer,
      partySystemId: party.systemId,
      set: { name: 'Kari Uleselig' },
      expected: { name: party.name },
    };
    // Garbage instead of the party the adapter reads before it writes.
    faults
      .set({ when: (r) => r.method === 'GET' && r.path.includes('/arkivstruktur/part/') })
      .once({ kind: 'hostile', variant: 'garbage' });
    const error = await adapter.apply(op, { idempotencyKey: 'k-unreadable' }).catch((e: unknown) => e);
    expect(hasErrorCode(error, 'upstream_invalid')).toBe(true);
    expect((error as { retryable?: boolean }).retryable).toBe(true);
    expect(writesTo(party)).toBe(0);
    faults.clear();
    const retried = await adapter.apply(op, { idempotencyKey: 'k-unreadable' });
    expect(retried.status).toBe('applied');
    expect(party.name).toBe('Kari Uleselig');
    expect(writesTo(party)).toBe(1);
  });
});
