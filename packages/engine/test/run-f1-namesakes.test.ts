import type { Case, Party } from '@registerbro/model';
import { type World, type WorldPerson, generateMunicipality, personFullName } from '@registerbro/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type Store, createSqliteStore } from '../src/index.js';
import { createEngine } from '../src/run/index.js';
import { type WorldArchive, createWorldArchive, createWorldFolkeregister, storedTexts } from './run-world.js';

/**
 * Parties WITHOUT identifier whose person gets a protected address. Folkeregisteret no longer gives
 * that person's address, so the party cannot be matched on it, yet the address it holds is the secret
 * one. F1 finds such parties by name — in a full run through Folkeregisteret's extract, in an
 * incremental run through the reference index of unlinked names — removes the address and asks an
 * admin to link the party.
 */

const stores: Store[] = [];
afterEach(async () => {
  while (stores.length) await stores.pop()?.close();
});

async function setup(seed: string, scan = true, names = false) {
  const world = generateMunicipality({ seed, people: 600 });
  const store = await createSqliteStore({ file: ':memory:' });
  stores.push(store);
  const tenant = store.forTenant('1806');
  const folkeregister = createWorldFolkeregister(world, { scan, names });
  const archive = createWorldArchive(world);
  const engine = createEngine({
    store: tenant,
    sources: { folkeregister },
    archive,
    owner: 'test-worker',
    scanPageSize: 25,
  });
  return { world, tenant, folkeregister, archive, engine };
}

/** Unlinked parties in the archive that hold an address copied from their (unprotected) person. */
function unidentifiedWithAddress(
  world: World,
  archive: WorldArchive,
): { c: Case; party: Party; person: WorldPerson; target: string }[] {
  const out: { c: Case; party: Party; person: WorldPerson; target: string }[] = [];
  for (const c of archive.cases.values()) {
    const truth = world.cases.get(c.systemId);
    for (const party of c.parties) {
      if (party.identifier !== undefined || party.address === undefined) continue;
      const personId = truth?.parties.find((p) => p.systemId === party.systemId)?.personId;
      const person = personId ? world.people.get(personId) : undefined;
      if (person?.status !== 'bosatt' || person.adressebeskyttelse !== 'ugradert') continue;
      if (party.name !== personFullName(person)) continue;
      out.push({ c, party, person, target: `saksmappe/${c.systemId}/part/${party.systemId}` });
    }
  }
  return out;
}

const streetOf = (world: World, person: WorldPerson): string => {
  const a = world.addresses.get(person.residentialAddressId ?? '');
  return a?.adressenavn ? `${a.adressenavn} ${a.husnummer ?? ''}${a.bokstav ?? ''}`.trim() : '\u0000none';
};

describe('engine runner — F1 shields parties without identifier of a protected person', () => {
  it('a full run reads names only where the register can (scanNames): the same shielding, no one read whole', async () => {
    const { world, tenant, folkeregister, archive, engine } = await setup('namesake-full', true, true);
    const { person, party, target } = unidentifiedWithAddress(world, archive)[0]!;
    person.adressebeskyttelse = 'strengtFortrolig';

    const report = await engine.runFlow('F1', { mode: 'full' });
    expect(report.status).toBe('ok');
    expect(folkeregister.calls.namePages).toBeGreaterThan(0);
    expect(folkeregister.calls.scanPages).toBe(0);
    expect(party.address).toBeUndefined();
    const open = await tenant.listConflicts({ status: 'open', limit: 100_000 });
    expect(open.find((c) => c.entityKey.startsWith(target))).toMatchObject({ rule: 'unmatched_party' });
  });

  it('a full run finds them through Folkeregisteret’s extract: address removed, a masked conflict to link', async () => {
    const { world, tenant, folkeregister, archive, engine } = await setup('namesake-full');
    const candidates = unidentifiedWithAddress(world, archive);
    expect(candidates.length).toBeGreaterThan(0);
    const { person, party, target } = candidates[0]!;
    person.adressebeskyttelse = 'strengtFortrolig';
    const secret = streetOf(world, person);

    const report = await engine.runFlow('F1', { mode: 'full' });
    expect(report.status).toBe('ok');
    expect(folkeregister.calls.scanPages).toBeGreaterThan(0);
    // The live archive object was edited in place by the writes.
    expect(party.address).toBeUndefined();
    const open = await tenant.listConflicts({ status: 'open', limit: 100_000 });
    const conflict = open.find((c) => c.entityKey.startsWith(target));
    expect(conflict).toMatchObject({ rule: 'unmatched_party', master: '<beskyttet>', target: '<beskyttet>' });
    expect(conflict?.reason).toContain('adressebeskyttelse');
    // Nothing stored (audit, conflicts, plans, bases, quarantine) holds the secret street.
    expect((await storedTexts(tenant)).filter((t) => t.includes(secret))).toEqual([]);
    // Unprotected unlinked parties keep their addresses: only a protected namesake triggers this.
    for (const other of candidates.slice(1))
      if (other.person.adressebeskyttelse === 'ugradert' && other.person.fnr !== person.fnr)
        expect(other.party.address).toBeDefined();
    // A second full run has nothing left to write, and the conflict stays one.
    const again = await engine.runFlow('F1', { mode: 'full' });
    expect(again.counts.operationsApplied ?? 0).toBe(0);
    const reopened = (await tenant.listConflicts({ status: 'open', limit: 100_000 })).filter((c) =>
      c.entityKey.startsWith(target),
    );
    expect(reopened).toHaveLength(1);
  });

  it('an incremental run finds them through the reference index of unlinked names', async () => {
    const { world, tenant, folkeregister, archive, engine } = await setup('namesake-incremental');
    await engine.runFlow('F1', { mode: 'full' });
    const candidates = unidentifiedWithAddress(world, archive);
    expect(candidates.length).toBeGreaterThan(0);
    const { person, party, target } = candidates[0]!;
    expect(party.address).toBeDefined();
    const secret = streetOf(world, person);
    // Folkeregisteret: the person gets a protected address (what testkit's `protect` change does).
    person.adressebeskyttelse = 'fortrolig';
    world.changes.push({
      seq: world.changes.length + 1,
      at: '2026-11-26T08:00:00.000Z',
      kind: 'protect',
      personId: person.id,
      before: { adressebeskyttelse: 'ugradert' },
      after: { adressebeskyttelse: 'fortrolig' },
    });
    const scansBefore = folkeregister.calls.scanPages;
    const report = await engine.runFlow('F1', { mode: 'incremental' });
    expect(report.status).toBe('ok');
    // No extract needed: the reference index knew which cases hold that name unlinked.
    expect(folkeregister.calls.scanPages).toBe(scansBefore);
    expect(party.address).toBeUndefined();
    const open = await tenant.listConflicts({ status: 'open', limit: 100_000 });
    expect(open.some((c) => c.entityKey.startsWith(target))).toBe(true);
    expect((await storedTexts(tenant)).filter((t) => t.includes(secret))).toEqual([]);
  });

  it('reconciling a newly protected person reaches the unlinked parties bearing their name', async () => {
    const { world, archive, engine } = await setup('namesake-reconcile');
    await engine.runFlow('F1', { mode: 'full' });
    const { person, party } = unidentifiedWithAddress(world, archive)[0]!;
    const secret = streetOf(world, person);
    person.adressebeskyttelse = 'strengtFortrolig';
    const dry = await engine.reconcile({ kind: 'person', key: person.fnr });
    expect(dry.plan.operations.map((o) => o.rule)).toContain('F1.protected_address');
    expect(dry.rendered).not.toContain(secret);
    expect(party.address).toBeDefined();
    await engine.reconcile({ kind: 'person', key: person.fnr, apply: true });
    expect(party.address).toBeUndefined();
  });

  it('without an extract (scan unsupported) the full run still completes', async () => {
    const { world, archive, engine } = await setup('namesake-noscan', false);
    const { person } = unidentifiedWithAddress(world, archive)[0]!;
    person.adressebeskyttelse = 'fortrolig';
    const report = await engine.runFlow('F1', { mode: 'full' });
    expect(report.status).toBe('ok');
  });
});
