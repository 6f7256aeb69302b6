import { applyChanges, generateMunicipality, personFullName } from '@registerbro/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type Store, createSqliteStore } from '../src/index.js';
import { createEngine } from '../src/run/index.js';
import { createWorldArchive, createWorldFolkeregister } from './run-world.js';

/**
 * A person Folkeregisteret could not answer when their event came by is quarantined and the feed
 * moves on. Nothing may be lost: the next incremental run asks again, plans what the answer
 * changes, and releases the entry (audited).
 */

const stores: Store[] = [];
afterEach(async () => {
  while (stores.length) await stores.pop()?.close();
});

describe('engine runner — F1 asks Folkeregisteret again for quarantined people', () => {
  it('an unanswered person’s rename reaches the archive on the next incremental run', async () => {
    const world = generateMunicipality({ seed: 'f1-retry', people: 300 });
    const store = await createSqliteStore({ file: ':memory:' });
    stores.push(store);
    const tenant = store.forTenant('1806');
    const folkeregister = createWorldFolkeregister(world);
    const archive = createWorldArchive(world);
    const engine = createEngine({ store: tenant, sources: { folkeregister }, archive, owner: 'w' });
    await engine.runFlow('F1', { mode: 'full' });

    // Someone with an identified party on an open case, renamed while the register cannot answer.
    const pick = [...archive.cases.values()]
      .filter((c) => world.cases.get(c.systemId)?.open)
      .flatMap((c) => c.parties.map((party) => ({ c, party })))
      .find(({ party }) => {
        const wp = party.identifier ? world.index.peopleByIdentifier.get(party.identifier) : undefined;
        const p = wp ? world.people.get(wp) : undefined;
        return p?.status === 'bosatt' && p.fnr === party.identifier && party.name === personFullName(p);
      });
    expect(pick).toBeDefined();
    const { party } = pick!;
    const person = world.people.get(world.index.peopleByIdentifier.get(party.identifier!)!)!;
    const [rename] = applyChanges(world, { count: 1, kinds: ['rename'], personIds: [person.id] });
    expect(rename?.personId).toBe(person.id);
    folkeregister.unanswered = new Set([person.fnr]);

    await engine.runFlow('F1', { mode: 'incremental' });
    expect(party.name).not.toBe(personFullName(person));
    const open = await tenant.listQuarantine({ status: 'open', source: 'folkeregister' });
    const entry = open.find((q) => q.rawKey === person.fnr);
    expect(entry).toMatchObject({ recordType: 'person', errorCode: 'not_answered' });
    // Masked everywhere but its own column.
    expect(entry?.recordKey).not.toContain(person.fnr);

    // Still unanswered: asked again, still quarantined, nothing written.
    const writes = archive.writes.length;
    await engine.runFlow('F1', { mode: 'incremental' });
    expect(archive.writes.length).toBe(writes);
    expect((await tenant.getQuarantine(entry!.id))?.status).toBe('open');

    // Answered again: no new event in the feed, yet the rename is written and the entry released.
    folkeregister.unanswered = undefined;
    const report = await engine.runFlow('F1', { mode: 'incremental' });
    expect(report.status).toBe('ok');
    expect(party.name).toBe(personFullName(person));
    expect((await tenant.getQuarantine(entry!.id))?.status).toBe('released');
    const audit = await tenant.listAudit({ limit: 100_000 });
    expect(audit.some((e) => e.action === 'quarantine.release' && e.actor === 'flow:F1')).toBe(true);
    // Exactly one write for it: asking again later finds nothing to do.
    const after = archive.writes.length;
    await engine.runFlow('F1', { mode: 'incremental' });
    expect(archive.writes.length).toBe(after);
  });
});
