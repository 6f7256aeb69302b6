import type { Address } from '@registerbro/model';
import { applyChanges, generateMunicipality, propertyByKey, renumberKommune } from '@registerbro/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type Store, canonicalAddress, createSqliteStore } from '../src/index.js';
import { createEngine } from '../src/run/index.js';
import {
  createWorldArchive,
  createWorldFolkeregister,
  createWorldMatrikkel,
  writesPerKey,
} from './run-world.js';

const stores: Store[] = [];
afterEach(async () => {
  while (stores.length) await stores.pop()?.close();
});

async function setup(seed: string, kommunenummer = '1806') {
  const world = generateMunicipality({ seed, people: 300, kommunenummer });
  const store = await createSqliteStore({ file: ':memory:' });
  stores.push(store);
  const tenant = store.forTenant('1806');
  const archive = createWorldArchive(world);
  const engine = createEngine({
    store: tenant,
    sources: { folkeregister: createWorldFolkeregister(world), matrikkel: createWorldMatrikkel(world) },
    archive,
    owner: 'test-worker',
    scanPageSize: 25,
  });
  return { world, tenant, archive, engine };
}

const classTarget = (caseId: string, classSystemId: string) => `saksmappe/${caseId}/klasse/${classSystemId}`;

describe('engine runner — F2 properties in cases', () => {
  it('splits become conflicts, merges re-key the class, and every class ends living or in conflict', async () => {
    const { world, tenant, archive, engine } = await setup('f2-split');
    const full = await engine.runFlow('F2', { mode: 'full' });
    expect(full.status).toBe('ok');
    const afterFull = archive.writes.length;
    const changes = [
      ...applyChanges(world, { seed: 'split', count: 30, kinds: ['split'] }),
      ...applyChanges(world, { seed: 'merge', count: 12, kinds: ['merge'] }),
      ...applyChanges(world, { seed: 'owners', count: 40, kinds: ['ownership'] }),
    ];
    const hit = changes.filter((c) => c.caseIds?.length);
    expect(hit.length, 'some split/merge must touch a classified case').toBeGreaterThan(0);

    const report = await engine.runFlow('F2', { mode: 'incremental' });
    expect(report.status).toBe('ok');
    const open = await tenant.listConflicts({ status: 'open', flow: 'F2', limit: 10_000 });
    const openTargets = new Set(open.map((c) => c.entityKey));
    expect(open.some((c) => c.rule === 'split')).toBe(true);
    const rekeys = archive.writes
      .slice(afterFull)
      .filter((w) => w.type === 'class.rekey' || w.type === 'class.remove');
    expect(rekeys.length).toBeGreaterThan(0);

    for (const c of archive.cases.values()) {
      for (const k of c.classes) {
        if (k.system !== 'GBNR') continue;
        const unit = propertyByKey(world, k.classId);
        if (unit?.status === 'levende' && unit.key === k.classId) continue;
        expect(openTargets.has(classTarget(c.systemId, k.systemId!)), `${c.saksnummer} ${k.classId}`).toBe(
          true,
        );
      }
    }
    // Split classes were left as they were.
    for (const conflict of open.filter((x) => x.rule === 'split')) {
      expect(String(conflict.target)).toMatch(/^\d{4}-\d+\/\d+\/\d+\/\d+$/);
    }
    // New owners became parties on open building cases (first sync of each owner adopts them).
    const added = archive.writes.slice(afterFull).filter((w) => w.type === 'party.add');
    expect(added.length).toBeGreaterThan(0);
    for (const w of added) {
      const c = archive.cases.get(w.target.split('/')[1]!)!;
      expect(c.caseType).toBe('byggesak');
      expect(c.open).toBe(true);
    }
    for (const c of archive.cases.values()) {
      if (c.caseType !== 'byggesak' || !c.open) continue;
      for (const k of c.classes.filter((x) => x.system === 'GBNR')) {
        for (const o of propertyByKey(world, k.classId)?.owners ?? []) {
          const id = o.kind === 'person' ? world.people.get(o.personId!)!.fnr : o.orgnr;
          expect(
            c.parties.some((p) => p.identifier === id),
            `${c.saksnummer} owner`,
          ).toBe(true);
        }
      }
    }

    expect([...writesPerKey(archive.writes).values()].every((n) => n === 1)).toBe(true);

    // The admin picks a successor for one split: the class is re-keyed with a key of its own.
    const split = open.find((x) => x.rule === 'split')!;
    const successors = (split.master as { successors: string[] }).successors;
    const resolved = await engine.resolveConflict(
      split.id,
      { resolution: 'link', linkTo: successors[0]! },
      'user:admin',
    );
    expect(resolved.drained?.applied).toBe(1);
    const caseId = split.entityKey.split('/')[1]!;
    expect(archive.cases.get(caseId)!.classes.some((k) => k.classId === successors[0])).toBe(true);
    // Nothing new to do: the next incremental is quiet.
    const writes = archive.writes.length;
    await engine.runFlow('F2', { mode: 'incremental' });
    expect(archive.writes.length).toBe(writes);
  });

  it('re-keys the GBNR classes of a renumbered kommune (1854 Ballangen → 1806 Narvik)', async () => {
    const { world, archive, engine, tenant } = await setup('f2-renumber', '1854');
    renumberKommune(world, '1854', '1806');
    const old = [...archive.cases.values()].flatMap((c) => c.classes.filter((k) => k.system === 'GBNR'));
    expect(old.length).toBeGreaterThan(0);
    expect(old.every((k) => k.classId.startsWith('1854-'))).toBe(true);

    const dry = await engine.runFlow('F2', { mode: 'full', dryRun: true });
    expect(dry.plan!.operations.filter((o) => o.type === 'class.rekey').length).toBe(old.length);
    expect(archive.writes).toHaveLength(0);

    const report = await engine.runFlow('F2', { mode: 'full' });
    expect(report.status).toBe('ok');
    const now = [...archive.cases.values()].flatMap((c) => c.classes.filter((k) => k.system === 'GBNR'));
    expect(now.every((k) => k.classId.startsWith('1806-'))).toBe(true);
    expect(archive.writes.filter((w) => w.type === 'class.rekey')).toHaveLength(old.length);
    // Reconciling one unit afterwards finds nothing to do.
    const unit = now[0]!.classId;
    const r = await engine.reconcile({ kind: 'property', key: unit });
    expect(r.cases).toBeGreaterThan(0);
    expect(r.plan.operations).toHaveLength(0);
    expect(await tenant.verifyAudit()).toMatchObject({ ok: true });
  });
});

describe('engine runner — F6 addresses', () => {
  it('a street renamed in Matrikkelen updates the organisations’ address copies', async () => {
    const { world, archive, engine, tenant } = await setup('f6-rename');
    expect((await engine.runFlow('F6', { mode: 'full' })).status).toBe('ok');
    expect(archive.writes).toHaveLength(0);
    // Rename the street most organisation parties use.
    const uses = new Map<string, number>();
    for (const c of archive.cases.values()) {
      for (const p of c.parties) {
        const line = p.identifier?.length === 11 ? undefined : p.address?.adresselinjer?.[0];
        const street = line?.replace(/\s+\d+\w?$/, '');
        if (street) uses.set(street, (uses.get(street) ?? 0) + 1);
      }
    }
    const [street] = [...uses].sort((a, b) => b[1] - a[1])[0]!;
    const code = [...world.streets.values()].find((s) => s.adressenavn === street)!.adressekode;
    const renamed = world.streets.get(code)!;
    // applyChanges picks the street at random: rename the chosen one the same way it would.
    const before = renamed.adressenavn;
    renamed.adressenavn = 'Registerbrogata';
    const addressIds = world.index.addressesByStreet.get(code) ?? [];
    for (const id of addressIds) {
      const a = world.addresses.get(id)!;
      a.adressenavn = 'Registerbrogata';
      a.version++;
    }
    world.changes.push({
      seq: world.changes.length + 1,
      at: new Date().toISOString(),
      kind: 'address_rename',
      addressIds: [...addressIds],
      before: { adressenavn: before, adressekode: code },
      after: { adressenavn: 'Registerbrogata', adressekode: code },
    });
    const copies = (name: string) =>
      [...archive.cases.values()].flatMap((c) =>
        c.parties.filter(
          (p) =>
            p.identifier?.length !== 11 &&
            (p.address?.adresselinjer?.[0]?.startsWith(`${name} `) || p.address?.adressenavn === name),
        ),
      );
    const stale = copies(before).length;
    expect(stale).toBeGreaterThan(0);

    const report = await engine.runFlow('F6', { mode: 'incremental' });
    expect(report.status).toBe('ok');
    expect(report.counts.addressChanges).toBeGreaterThan(0);
    const f6 = archive.writes.filter((w) => w.type === 'party.update');
    expect(f6.length).toBeGreaterThan(0);
    const conflicted = new Set(
      (await tenant.listConflicts({ status: 'open', flow: 'F6' })).map((c) => c.entityKey.split('@')[0]),
    );
    const left = copies(before).filter(
      (p) => ![...conflicted].some((t) => t?.endsWith(`/part/${p.systemId}`)),
    );
    expect(left).toEqual([]);
    const now = copies('Registerbrogata');
    expect(now.length).toBe(f6.length);
    for (const p of now) expect(canonicalAddress(p.address as Address)).toContain('registerbrogata');
  });
});
