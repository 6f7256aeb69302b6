import {
  AuthError,
  PropertySchema,
  collectPages,
  hasErrorCode,
  isRegisterbroError,
} from '@registerbro/model';
import { applyChanges, renumberKommune } from '@registerbro/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createMatrikkelAdapter } from '../src/index.js';
import { smallWorld, startPair } from './harness.js';

type Pair = Awaited<ReturnType<typeof startPair>>;
let pair: Pair | undefined;
afterEach(async () => {
  await pair?.close();
  pair = undefined;
});

const levende = (p: Pair) => [...p.sim.world.properties.values()].filter((u) => u.status === 'levende');

describe('scan, get, getMany', () => {
  it('scans the whole kommune page by page into valid Properties with owners, addresses, buildings, point', async () => {
    pair = await startPair({}, { batchSize: 40 });
    const pages = await collectPages(pair.adapter.scan());
    expect(pages.length).toBeGreaterThan(2);
    const entities = pages.flatMap((p) => p.entities);
    expect(pages.flatMap((p) => p.quarantined)).toEqual([]);
    expect(new Set(entities.map((e) => e.matrikkelnummer))).toEqual(new Set(levende(pair).map((u) => u.key)));
    for (const e of entities) expect(PropertySchema.safeParse(e).success).toBe(true);
    const kinds = new Set(entities.flatMap((e) => e.owners.map((o) => o.kind)));
    expect(kinds).toContain('person');
    expect(kinds).toContain('organisation');
    const world = pair.sim.world;
    const sample = levende(pair).find(
      (u) => u.buildingIds.length > 0 && u.addressIds.length > 0 && u.owners.length > 1,
    );
    expect(sample).toBeDefined();
    if (!sample) return;
    const mapped = entities.find((e) => e.matrikkelnummer === sample.key);
    expect(mapped?.representationPoint).toEqual({ crs: 'EPSG:25833', x: sample.point.x, y: sample.point.y });
    expect(mapped?.buildings.sort()).toEqual(
      sample.buildingIds.map((b) => world.buildings.get(b)?.bygningsnummer).sort(),
    );
    expect(mapped?.addresses.map((a) => a.adresseId).sort()).toEqual([...sample.addressIds].sort());
    expect(mapped?.owners.map((o) => o.share)).toEqual(sample.owners.map((o) => o.share));
    const firstOwner = sample.owners[0];
    const expectedId =
      firstOwner?.kind === 'person' ? world.people.get(firstOwner.personId ?? '')?.fnr : firstOwner?.orgnr;
    expect(mapped?.owners[0]).toMatchObject({ identifier: expectedId });
  });

  it('resumes a scan from a page cursor', async () => {
    pair = await startPair({}, { batchSize: 50 });
    const all = await collectPages(pair.adapter.scan());
    const cursor = all[0]?.cursor;
    const rest = await collectPages(pair.adapter.scan({ cursor }));
    expect(rest.flatMap((p) => p.entities).length).toBe(all.slice(1).flatMap((p) => p.entities).length);
  });

  it('get finds a unit by short or full key, null for an unknown one; getMany splits found, missing, invalid', async () => {
    pair = await startPair();
    const unit = levende(pair)[5];
    if (!unit) throw new Error('no unit');
    const short = `${unit.kommunenummer}-${unit.gardsnummer}/${unit.bruksnummer}`;
    const found = await pair.adapter.get(
      unit.festenummer === 0 && unit.seksjonsnummer === 0 ? short : unit.key,
    );
    expect(found?.matrikkelnummer).toBe(unit.key);
    expect(await pair.adapter.get('1806-99999/9999/0/0')).toBeNull();
    const many = await pair.adapter.getMany([unit.key, '1806-99999/1/0/0', 'not-a-key']);
    expect(many.entities.map((e) => e.matrikkelnummer)).toEqual([unit.key]);
    expect(many.missing).toEqual(['1806-99999/1/0/0']);
    expect(many.quarantined).toHaveLength(1);
    expect(many.quarantined[0]?.error.code).toBe('invalid_identifier');
  });

  it('getMany splits many keys into batches of batchSize', async () => {
    pair = await startPair({}, { batchSize: 7 });
    const keys = levende(pair)
      .slice(0, 30)
      .map((u) => u.key);
    const result = await pair.adapter.getMany(keys);
    expect(result.entities.map((e) => e.matrikkelnummer).sort()).toEqual([...keys].sort());
    expect(result.missing).toEqual([]);
  });

  it('answers the Address and Building helpers', async () => {
    pair = await startPair();
    const unit = levende(pair).find((u) => u.buildingIds.length > 0);
    if (!unit) throw new Error('no unit with buildings');
    const buildings = await pair.adapter.getBuildings(unit.key);
    expect(buildings?.map((b) => b.bygningsnummer).sort()).toEqual(
      unit.buildingIds.map((id) => pair?.sim.world.buildings.get(id)?.bygningsnummer).sort(),
    );
    expect(buildings?.[0]?.representationPoint?.crs).toBe('EPSG:25833');
    expect((await pair.adapter.getAddresses(unit.key))?.length).toBe(unit.addressIds.length);
    expect(await pair.adapter.getBuildings('1806-99999/9999/0/0')).toBeNull();
  });
});

describe('changes', () => {
  it('turns ownership, split, merge and a street rename into upserts and rekeys, with the cursor at the last id', async () => {
    pair = await startPair();
    const { sim, adapter } = pair;
    const head = await adapter.head();
    const made = applyChanges(sim.world, {
      seed: 'changes',
      count: 12,
      kinds: ['ownership', 'split', 'merge', 'address_rename'],
    });
    const pages = await collectPages(adapter.changes(head, { pageSize: 7 }));
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.flatMap((p) => p.quarantined)).toEqual([]);
    const changes = pages.flatMap((p) => p.changes);
    expect(pages.at(-1)?.cursor).toBe(String(sim.endringCount()));
    for (const change of made) {
      const ids = change.propertyIds ?? [];
      const key = (id: string) => sim.world.properties.get(id)?.key;
      if (change.kind === 'split') {
        const rekey = changes.find((c) => c.kind === 'rekey' && c.from === key(ids[0] ?? ''));
        expect(rekey).toMatchObject({ kind: 'rekey', to: ids.slice(1).map(key) });
        expect(rekey?.kind === 'rekey' && rekey.entities?.map((e) => e.status)).toEqual([
          'levende',
          'levende',
        ]);
      }
      if (change.kind === 'merge') {
        for (const old of ids.slice(0, 2)) {
          expect(changes).toContainEqual(
            expect.objectContaining({ kind: 'rekey', from: key(old), to: [key(ids[2] ?? '')] }),
          );
        }
      }
      if (change.kind === 'ownership') {
        const unit = sim.world.properties.get(ids[0] ?? '');
        if (unit?.status !== 'levende') continue;
        const upsert = changes.find((c) => c.kind === 'upsert' && c.key === unit.key);
        expect(upsert?.kind === 'upsert' && upsert.entity.owners.map((o) => o.share)).toEqual(
          unit.owners.map((o) => o.share),
        );
      }
      if (change.kind === 'address_rename') {
        const renamed = changes.filter(
          (c) =>
            c.kind === 'upsert' &&
            c.entity.addresses.some((a) => a.adressenavn === change.after?.adressenavn),
        );
        expect(renamed.length).toBeGreaterThan(0);
      }
    }
  });

  it('names the successors of a split or merged unit (Property.successors), renumbered or not', async () => {
    pair = await startPair({ world: smallWorld('successors', 300, '1854') });
    const { sim, adapter } = pair;
    const made = applyChanges(sim.world, { seed: 'successors', count: 4, kinds: ['split', 'merge'] });
    renumberKommune(sim.world, '1854', '1806');
    const world = sim.world;
    expect(made.map((c) => c.kind)).toContain('split');
    expect(made.map((c) => c.kind)).toContain('merge');
    for (const change of made) {
      const retired = (change.propertyIds ?? [])
        .map((id) => world.properties.get(id))
        .filter((p) => p?.status === 'utgaatt');
      for (const unit of retired) {
        // The answer names the units that replaced it, under their current (1806) keys.
        const got = await adapter.get(unit?.key ?? '');
        expect(got?.status).toBe('utgaatt');
        expect(got?.successors).toEqual([...(unit?.successors ?? [])].sort());
      }
    }
    const living = await adapter.get(levende(pair)[0]?.key ?? '');
    expect(living?.successors).toBeUndefined();
  });

  it('follows a municipal renumbering 1854 → 1806 as rekeys', async () => {
    pair = await startPair({ world: smallWorld('renumber', 120, '1854') });
    const { sim, adapter } = pair;
    const before = levende(pair).map((u) => u.key);
    const head = await adapter.head();
    renumberKommune(sim.world, '1854', '1806');
    const changes = (await collectPages(adapter.changes(head, { pageSize: 500 }))).flatMap((p) => p.changes);
    const rekeys = changes.filter((c) => c.kind === 'rekey');
    expect(rekeys).toHaveLength(sim.world.properties.size);
    for (const key of before) {
      expect(rekeys).toContainEqual(
        expect.objectContaining({ from: key, to: [key.replace(/^1854-/, '1806-')] }),
      );
    }
    // The adapter configured for 1854 now scans its successor 1806.
    const scanned = (await collectPages(adapter.scan())).flatMap((p) => p.entities);
    expect(scanned.every((p) => p.kommunenummer === '1806')).toBe(true);
    expect(scanned.length).toBe(before.length);
  });

  it('updates an owner whose D-nummer was replaced by an fnr', async () => {
    pair = await startPair({ world: smallWorld('dnr', 400) });
    const { sim, adapter } = pair;
    const head = await adapter.head();
    const made = applyChanges(sim.world, { seed: 'dnr', count: 30, kinds: ['dnr_to_fnr'] });
    const owning = made.find(
      (c) => (sim.world.index.propertiesByPerson.get(c.personId ?? '')?.size ?? 0) > 0,
    );
    if (!owning) throw new Error('no D-nummer owner was given an fnr in this world');
    const changes = (await collectPages(adapter.changes(head))).flatMap((p) => p.changes);
    const person = sim.world.people.get(owning.personId ?? '');
    const units = [...(sim.world.index.propertiesByPerson.get(owning.personId ?? '') ?? [])].map(
      (id) => sim.world.properties.get(id)?.key,
    );
    for (const key of units) {
      const upsert = changes.find((c) => c.kind === 'upsert' && c.key === key);
      expect(
        upsert?.kind === 'upsert' &&
          upsert.entity.owners.map((o) => (o.kind === 'person' ? o.identifier : '')),
      ).toContain(person?.fnr);
    }
  });

  it('never moves the cursor past a change it could not handle', async () => {
    pair = await startPair();
    const { sim, adapter, faults } = pair;
    const head = await adapter.head();
    applyChanges(sim.world, { seed: 'cursor', count: 4, kinds: ['ownership'] });
    faults.set({ errorRate: 1, when: (r) => r.path.endsWith('StoreServiceWS') });
    const seen: string[] = [];
    await expect(async () => {
      for await (const page of adapter.changes(head)) seen.push(page.cursor);
    }).rejects.toSatisfy(isRegisterbroError);
    expect(seen).toEqual([]);
    faults.clear();
    const pages = await collectPages(adapter.changes(head));
    expect(pages.flatMap((p) => p.changes).length).toBe(4);
  });

  it('reports a deleted unit as delete, or quarantines it when this adapter never saw its key', async () => {
    pair = await startPair();
    const { sim, adapter } = pair;
    await collectPages(adapter.scan());
    const head = await adapter.head();
    const unit = levende(pair)[3];
    if (!unit) throw new Error('no unit');
    expect(sim.deleteUnit(unit.key)).toBe(true);
    const changes = (await collectPages(adapter.changes(head))).flatMap((p) => p.changes);
    expect(changes).toEqual([expect.objectContaining({ kind: 'delete', key: unit.key })]);
    const fresh = createMatrikkelAdapter({
      baseURL: sim.url,
      username: sim.username,
      password: sim.password,
      kommunenummer: '1806',
      http: { retries: 0, circuitBreaker: false, shared: false },
    });
    const pages = await collectPages(fresh.changes(head));
    expect(pages.flatMap((p) => p.changes)).toEqual([]);
    expect(pages.flatMap((p) => p.quarantined).map((q) => q.error.code)).toEqual(['deleted_unknown_key']);
    expect(await adapter.get(unit.key)).toBeNull();
    await fresh.close?.();
  });

  it('rejects a cursor it did not make', async () => {
    pair = await startPair();
    await expect(collectPages(pair.adapter.changes('abc'))).rejects.toSatisfy((e) =>
      hasErrorCode(e, 'invalid_identifier'),
    );
  });
});

describe('bad input: quarantine with a typed error naming the unit, the rest goes on', () => {
  it('quarantines impossible matrikkelnummer, invalid owner, address without kommune, broken XML and a SOAP fault', async () => {
    const world = smallWorld();
    const units = [...world.properties.values()].filter(
      (u) => u.status === 'levende' && u.addressIds.length > 0,
    );
    const picks = units.slice(0, 6).map((u) => u.key);
    const kinds = [
      'impossible_matrikkelnummer',
      'invalid_owner',
      'address_without_kommune',
      'malformed_xml',
      'soap_fault',
      'hostile_xml',
    ] as const;
    const corrupt = Object.fromEntries(picks.map((key, i) => [key, kinds[i] ?? 'soap_fault']));
    // The address case needs a vegadresse on the unit.
    const withVeg = units.find(
      (u) =>
        u.addressIds.some((a) => world.addresses.get(a)?.kind === 'vegadresse') &&
        !picks.slice(0, 2).includes(u.key) &&
        !picks.slice(3).includes(u.key),
    );
    if (withVeg && withVeg.key !== picks[2]) {
      delete corrupt[picks[2] ?? ''];
      corrupt[withVeg.key] = 'address_without_kommune';
    }
    pair = await startPair({ world, corrupt }, { batchSize: 64 });
    const pages = await collectPages(pair.adapter.scan());
    const quarantined = pages.flatMap((p) => p.quarantined);
    const entities = pages.flatMap((p) => p.entities);
    expect(quarantined).toHaveLength(6);
    expect(entities.length).toBe(levende(pair).length - 6);
    const codes = quarantined.map((q) => q.error.code).sort();
    expect(codes).toEqual([
      'address_without_kommune',
      'invalid_identifier',
      'invalid_identifier',
      'soap_fault',
      'xml_external_entity',
      'xml_malformed',
    ]);
    for (const q of quarantined) {
      expect(q.recordType).toBe('matrikkelenhet');
      expect(q.error.message).toMatch(/matrikkelenhet/);
      expect(q.error.system).toBe('matrikkel');
    }
    const owner = quarantined.find((q) => q.error.message.includes('owner'));
    expect(owner?.key).toBe(Object.entries(corrupt).find(([, k]) => k === 'invalid_owner')?.[0]);
  });

  it('survives a hostile body on one getObjects by re-reading the batch in halves', async () => {
    pair = await startPair({}, { batchSize: 64 });
    let armed = true;
    pair.faults.set({
      hostileRate: 1,
      when: (r) => {
        if (!armed || !r.path.endsWith('StoreServiceWS')) return false;
        armed = false;
        return true;
      },
    });
    const pages = await collectPages(pair.adapter.scan());
    expect(pages.flatMap((p) => p.quarantined)).toEqual([]);
    expect(pages.flatMap((p) => p.entities).length).toBe(levende(pair).length);
    expect(pair.faults.counts.hostile).toBe(1);
  });

  it('reports refused credentials as AuthError: a 401, and a 200 HTML login page', async () => {
    pair = await startPair();
    const wrong = createMatrikkelAdapter({
      baseURL: pair.sim.url,
      username: 'x',
      password: 'y',
      kommunenummer: '1806',
      http: { retries: 0, circuitBreaker: false, shared: false },
    });
    await expect(wrong.head()).rejects.toSatisfy(
      (e) => e instanceof AuthError || hasErrorCode(e, 'auth_failed'),
    );
    expect((await wrong.check()).ok).toBe(false);
    await wrong.close?.();
    await pair.close();
    pair = await startPair({ unauthenticated: 'html200' });
    const html = createMatrikkelAdapter({
      baseURL: pair.sim.url,
      username: 'x',
      password: 'y',
      kommunenummer: '1806',
      http: { retries: 0, circuitBreaker: false, shared: false },
    });
    await expect(html.head()).rejects.toSatisfy((e) => hasErrorCode(e, 'auth_failed'));
    await html.close?.();
  });

  it('throws, rather than quarantining everything, when every getObjects answer is broken', async () => {
    pair = await startPair({}, { batchSize: 64, concurrency: 1 });
    pair.faults.set({ malformedRate: 1, when: (r) => r.path.endsWith('StoreServiceWS') });
    await expect(collectPages(pair.adapter.scan())).rejects.toSatisfy((e) =>
      hasErrorCode(e, 'xml_malformed'),
    );
    // Two single-object probes, not a bisection of the whole batch.
    expect(pair.sim.stats.byFault.malformed).toBe(3);
  });

  it('refuses an unknown kommunenummer at construction with ConfigError', () => {
    expect(() => createMatrikkelAdapter({ kommunenummer: '0000' })).toThrow(/not a known kommunenummer/);
  });

  it('is read-only: apply throws UnsupportedError', async () => {
    pair = await startPair();
    expect(pair.adapter.capabilities.apply).toEqual([]);
    await expect(async () =>
      pair?.adapter.apply({ type: 'x', target: 'y' }, { idempotencyKey: 'k' }),
    ).rejects.toSatisfy((e) => hasErrorCode(e, 'unsupported'));
  });
});
