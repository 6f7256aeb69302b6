import type { ArchiveRecord, Person } from '@registerbro/model';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveMasters } from '../masters.js';
import type { ArchiveOperationOf } from '../operations.js';
import { renderPlan } from '../plan.js';
import {
  archiveCase,
  createPrivacyGuard,
  fnr,
  party,
  person,
  personMap,
  vegadresse,
} from '../test-fixtures.js';
import { type Plan, createBaseLookup } from '../types.js';
import { planF1 } from './f1-people.js';

const NOW = '2026-11-25T12:00:00.000Z';
const SECRET_STREET = 'Hemmeligveien';
const guard = createPrivacyGuard([SECRET_STREET]);
afterAll(() => guard.assertClean());

const OLD = vegadresse('Storgata', 1);
const NEW = { ...vegadresse('Nygata', 2, '8515'), validFrom: '2026-10-01' };
const SECRET = vegadresse(SECRET_STREET, 4);

const ids = {
  ola: fnr('1960-02-02'),
  kari: fnr('1970-04-04'),
  per: fnr('1940-06-06'),
  lise: fnr('1988-08-08'),
  dnr: fnr('1979-11-11', 100, 'dnr'),
  newFnr: fnr('1979-11-11', 300),
  siri: fnr('1985-09-09'),
  ane: fnr('1991-01-21'),
};

const people = {
  ola: person({
    fodselsnummer: ids.ola,
    givenName: 'Ola',
    familyName: 'Nordmann',
    birthDate: '1960-02-02',
    postalAddress: NEW,
  }),
  kari: person({
    fodselsnummer: ids.kari,
    givenName: 'Kari',
    familyName: 'Hansen',
    birthDate: '1970-04-04',
    postalAddress: OLD,
  }),
  per: person({
    fodselsnummer: ids.per,
    givenName: 'Per',
    familyName: 'Berg',
    status: 'doed',
    deathDate: '2026-09-30',
    postalAddress: OLD,
  }),
  lise: person({
    fodselsnummer: ids.lise,
    givenName: 'Lise',
    familyName: 'Dahl',
    status: 'utflyttet',
    emigrationDate: '2026-08-01',
    postalAddress: {
      kind: 'utenlandsk',
      adresselinjer: ['Kungsgatan 3', '111 43 Stockholm'],
      landkode: 'SE',
    },
  }),
  abdi: person({
    fodselsnummer: ids.newFnr,
    identifierKind: 'fnr',
    identifiers: [
      { value: ids.newFnr, kind: 'fnr', synthetic: true, current: true },
      { value: ids.dnr, kind: 'dnr', synthetic: true, current: false },
    ],
    givenName: 'Abdi',
    familyName: 'Ali',
    postalAddress: OLD,
  }),
  siri: person({
    fodselsnummer: ids.siri,
    givenName: 'Siri',
    familyName: 'Skjult',
    birthDate: '1985-09-09',
    adressebeskyttelse: 'strengtFortrolig',
  }),
  ane: person({
    fodselsnummer: ids.ane,
    givenName: 'Ane',
    familyName: 'Lund',
    birthDate: '1991-01-21',
    postalAddress: OLD,
  }),
};
const persons = personMap(...Object.values(people));

/** Bases as if everything was synced before the changes: name, old address, not deceased. */
function syncedBases(entries: [string, string, unknown][]) {
  return createBaseLookup(entries.map(([recordKey, field, value]) => ({ recordKey, field, value })));
}

function plan(
  input: Partial<Parameters<typeof planF1>[0]> & Pick<Parameters<typeof planF1>[0], 'cases'>,
): Plan {
  return guard.record(planF1({ persons, now: NOW, ...input }));
}

describe('F1 — people in the archive', () => {
  it('moved: T = B ≠ M → party.update with the new address, reason with the date, CAS on the old one', () => {
    const c = archiveCase({
      systemId: 'S1',
      parties: [
        party({ systemId: 'P1', identifier: ids.ola, name: 'Ola Nordmann', address: OLD, version: 'v7' }),
      ],
    });
    const bases = syncedBases([
      ['saksmappe/S1/part/P1', 'name', 'Ola Nordmann'],
      ['saksmappe/S1/part/P1', 'address', OLD],
      ['saksmappe/S1/part/P1', 'deceased', false],
    ]);
    const p = plan({ cases: [c], bases });
    expect(p.conflicts).toEqual([]);
    expect(p.operations).toHaveLength(1);
    const op = p.operations[0] as ArchiveOperationOf<'party.update'>;
    expect(op).toMatchObject({
      type: 'party.update',
      target: 'saksmappe/S1/part/P1',
      flow: 'F1',
      rule: 'F1.address',
      reason: 'Folkeregisteret: flyttet 2026-10-01',
      set: { address: NEW },
      expected: { address: OLD },
      expectedVersion: 'v7',
      location: { container: 'saksmappe', containerId: 'S1', partySystemId: 'P1', index: 0 },
    });
    expect(op.adopted).toBeUndefined();
    expect(p.stats).toMatchObject({ examined: 1, inSync: 2, operations: 1, conflicts: 0 });
    expect(renderPlan(p)).toContain('adresse: Storgata 1, 8514 NARVIK → Nygata 2, 8515 NARVIK');
  });

  it('renamed and died: name and deceased updated, a dead person’s address left as history', () => {
    const c = archiveCase({
      systemId: 'S2',
      parties: [
        party({ systemId: 'P1', identifier: ids.kari, name: 'Kari Nordmann', address: OLD }),
        party({
          systemId: 'P2',
          identifier: ids.per,
          name: 'Per Berg',
          address: vegadresse('Eldreveien', 5),
        }),
      ],
    });
    const bases = syncedBases([
      ['saksmappe/S2/part/P1', 'name', 'Kari Nordmann'],
      ['saksmappe/S2/part/P1', 'address', OLD],
      ['saksmappe/S2/part/P2', 'deceased', false],
      ['saksmappe/S2/part/P2', 'name', 'Per Berg'],
    ]);
    const p = plan({ cases: [c], bases });
    expect(p.conflicts).toEqual([]);
    const [rename, death] = p.operations as ArchiveOperationOf<'party.update'>[];
    expect(rename).toMatchObject({
      target: 'saksmappe/S2/part/P1',
      set: { name: 'Kari Hansen' },
      expected: { name: 'Kari Nordmann' },
      reason: 'Folkeregisteret: navn endret',
    });
    expect(death).toMatchObject({
      target: 'saksmappe/S2/part/P2',
      set: { deceased: true },
      reason: 'Folkeregisteret: død 2026-09-30',
    });
    expect(death?.set.address).toBeUndefined();
    expect(p.stats.skipped.address_not_managed).toBe(1);
  });

  it('emigrated: the address becomes the foreign postal address', () => {
    const c = archiveCase({
      systemId: 'S3',
      parties: [party({ systemId: 'P1', identifier: ids.lise, name: 'Lise Dahl', address: OLD })],
    });
    const p = plan({ cases: [c], bases: syncedBases([['saksmappe/S3/part/P1', 'address', OLD]]) });
    const op = p.operations[0] as ArchiveOperationOf<'party.update'>;
    expect(op.set.address).toMatchObject({ kind: 'utenlandsk', landkode: 'SE' });
    expect(op.reason).toContain('utflyttet 2026-08-01');
    expect(renderPlan(p)).toContain('Kungsgatan 3, 111 43 Stockholm, SE');
  });

  it('emigrated without any foreign address: the old address is neither rewritten nor removed', () => {
    const gone: Person = { ...people.lise, postalAddress: undefined, fodselsnummer: ids.lise };
    delete gone.postalAddress;
    const c = archiveCase({
      systemId: 'S3b',
      parties: [party({ systemId: 'P1', identifier: ids.lise, name: 'Lise Dahl', address: OLD })],
    });
    const p = guard.record(planF1({ persons: [gone], cases: [c], now: NOW }));
    expect(p.operations).toEqual([]);
    expect(p.stats.skipped.address_not_managed).toBe(1);
  });

  it('D-nummer replaced by fnr: re-keys the party, masked in the reason and the rendering', () => {
    const c = archiveCase({
      systemId: 'S4',
      parties: [party({ systemId: 'P1', identifier: ids.dnr, name: 'Abdi Ali', address: OLD })],
    });
    const p = plan({ cases: [c] });
    expect(p.operations).toHaveLength(1);
    expect(p.operations[0]).toMatchObject({
      type: 'party.rekey_identifier',
      from: ids.dnr,
      to: ids.newFnr,
      toKind: 'fnr',
      reason: 'Folkeregisteret: D-nummer erstattet av fødselsnummer',
    });
    expect(renderPlan(p)).toContain('identifikator: *********** → *********** (fnr)');
  });

  describe('protected address (privacy wins over the three-way rule)', () => {
    const target = 'saksmappe/S5/part/P1';
    const protectedCase = (address = SECRET, name = 'Siri Skjult') =>
      archiveCase({
        systemId: 'S5',
        parties: [party({ systemId: 'P1', identifier: ids.siri, name, address, version: 'v3' })],
      });

    it('an old copied address is removed — with a base, without one, and after a local edit — and never written', () => {
      for (const bases of [
        syncedBases([[target, 'address', SECRET]]),
        createBaseLookup(),
        syncedBases([[target, 'address', null]]),
        syncedBases([[target, 'address', OLD]]),
      ]) {
        for (const policy of ['adopt_master_when_certain', 'conflict'] as const) {
          const p = plan({ cases: [protectedCase()], bases, policy });
          expect(p.operations).toHaveLength(1);
          expect(p.operations[0]).toEqual({
            type: 'party.remove_address',
            system: 'noark',
            target,
            flow: 'F1',
            rule: 'F1.protected_address',
            reason: 'Folkeregisteret: adressebeskyttelse — kopiert adresse fjernes',
            location: { container: 'saksmappe', containerId: 'S5', partySystemId: 'P1', index: 0 },
            expectedVersion: 'v3',
            idempotencyKey: expect.stringMatching(/^[0-9a-f]{64}$/),
          });
          expect(p.conflicts).toEqual([]);
          expect(JSON.stringify(p.operations)).not.toContain(SECRET_STREET);
          expect(p.baseUpdates.some((u) => u.field === 'address' && u.value !== null)).toBe(false);
        }
      }
    });

    it('no address on the party: nothing to do, and the base records "no address"', () => {
      const c = archiveCase({
        systemId: 'S5',
        parties: [party({ systemId: 'P1', identifier: ids.siri, name: 'Siri Skjult' })],
      });
      const p = plan({ cases: [c] });
      expect(p.operations).toEqual([]);
      expect(p.baseUpdates).toContainEqual({
        system: 'noark',
        recordKey: target,
        field: 'address',
        value: null,
      });
    });

    it('a conflict about a protected person shows "<beskyttet>" for every value', () => {
      const bases = syncedBases([[target, 'name', 'Siri Skjult']]);
      const p = plan({ cases: [protectedCase(SECRET, 'Siri S. Lokalnavn')], bases });
      const conflict = p.conflicts.find((c) => c.field === 'name');
      expect(conflict).toMatchObject({
        kind: 'local_edit',
        master: '<beskyttet>',
        local: '<beskyttet>',
        base: '<beskyttet>',
        protected: true,
      });
      expect(renderPlan(p)).toContain('master: <beskyttet>');
      expect(renderPlan(p)).not.toContain('Lokalnavn');
      expect(p.operations.map((o) => o.type)).toEqual(['party.remove_address']);
    });

    it('a finalised journalpost cannot be edited: a conflict, not a write', () => {
      const record: ArchiveRecord = {
        systemId: 'J1',
        caseSystemId: 'S5',
        title: 'Brev',
        journalposttype: 'U',
        journalstatus: 'J',
        frozen: true,
        correspondenceParties: [party({ identifier: ids.siri, name: 'Siri Skjult', address: SECRET })],
        sources: [{ system: 'noark', id: 'J1', fetchedAt: NOW }],
      };
      const p = plan({ cases: [], records: [record] });
      expect(p.operations).toEqual([]);
      expect(p.conflicts).toHaveLength(1);
      expect(p.conflicts[0]).toMatchObject({
        kind: 'frozen_protected_address',
        target: 'journalpost/J1/korrespondansepart/#0',
        master: '<beskyttet>',
      });
    });
  });

  it('an open journalpost’s correspondence party is updated like a case party', () => {
    const record: ArchiveRecord = {
      systemId: 'J2',
      caseSystemId: 'S1',
      title: 'Brev',
      journalposttype: 'U',
      journalstatus: 'R',
      frozen: false,
      correspondenceParties: [
        party({ systemId: 'K1', identifier: ids.ola, name: 'Ola Nordmann', address: OLD }),
      ],
      sources: [{ system: 'noark', id: 'J2', fetchedAt: NOW }],
    };
    const p = plan({
      cases: [],
      records: [record],
      bases: syncedBases([['journalpost/J2/korrespondansepart/K1', 'address', OLD]]),
    });
    expect(p.operations[0]).toMatchObject({
      type: 'party.update',
      location: { container: 'journalpost', containerId: 'J2' },
    });
  });

  describe('parties without identifier', () => {
    it('matched uniquely on name + birth date + address: linked (no fnr written), fields in sync', () => {
      const c = archiveCase({
        systemId: 'S6',
        parties: [party({ systemId: 'P1', name: 'Lund, Ane', birthDate: '1991-01-21', address: OLD })],
      });
      const p = plan({ cases: [c] });
      expect(p.links).toEqual([
        {
          flow: 'F1',
          target: 'saksmappe/S6/part/P1',
          entityType: 'person',
          canonicalId: ids.ane,
          how: 'matched',
          reason: expect.any(String),
        },
      ]);
      expect(p.operations).toEqual([]);
      expect(p.conflicts).toEqual([]);
      expect(p.stats.inSync).toBe(3);
    });

    it('a matched (not identified) party is not adopted on first sync: the difference is a conflict', () => {
      const dead = { ...people.ane, status: 'doed' as const, deathDate: '2026-11-01' };
      const c = archiveCase({
        systemId: 'S6',
        parties: [party({ systemId: 'P1', name: 'Ane Lund', birthDate: '1991-01-21', address: OLD })],
      });
      const p = guard.record(planF1({ persons: [dead], cases: [c], now: NOW }));
      expect(p.operations).toEqual([]);
      expect(p.conflicts).toHaveLength(1);
      expect(p.conflicts[0]).toMatchObject({
        kind: 'first_sync',
        field: 'deceased',
        master: true,
        local: false,
      });
      expect(p.conflicts[0]?.reason).toContain('ikke fødselsnummer');
    });

    it('ambiguous: a conflict listing the candidates’ masked ids (raw ids kept apart)', () => {
      const twin = person({
        fodselsnummer: fnr('1991-01-21', 300),
        givenName: 'Ane',
        familyName: 'Lund',
        birthDate: '1991-01-21',
        postalAddress: OLD,
      });
      const c = archiveCase({
        systemId: 'S7',
        parties: [party({ systemId: 'P1', name: 'Ane Lund', birthDate: '1991-01-21', address: OLD })],
      });
      const p = guard.record(planF1({ persons: [people.ane, twin], cases: [c], now: NOW }));
      expect(p.operations).toEqual([]);
      expect(p.links).toEqual([]);
      expect(p.conflicts).toHaveLength(1);
      expect(p.conflicts[0]).toMatchObject({
        kind: 'ambiguous_party',
        rule: 'F1.match',
        master: { candidates: ['***********', '***********'] },
      });
      expect(p.conflicts[0]?.rawKeys?.sort()).toEqual([ids.ane, twin.fodselsnummer].sort());
    });

    it('a partial match is unmatched_party; a bare unknown name is skipped', () => {
      const c = archiveCase({
        systemId: 'S8',
        parties: [
          party({
            systemId: 'P1',
            name: 'Ane Lund',
            birthDate: '1991-01-21',
            address: vegadresse('Annenvei', 8),
          }),
          party({ systemId: 'P2', name: 'Naboen Nilsen' }),
        ],
      });
      const p = plan({ cases: [c] });
      expect(p.conflicts.map((x) => x.kind)).toEqual(['unmatched_party']);
      expect(p.stats.skipped.no_candidates).toBe(1);
    });

    it('a conflict whose candidates include a protected person is fully masked (the party may be them)', () => {
      const c = archiveCase({
        systemId: 'S8b',
        parties: [party({ systemId: 'P1', name: 'Siri Skjult', birthDate: '1985-09-09', address: SECRET })],
      });
      const p = plan({ cases: [c] });
      expect(p.conflicts).toEqual([
        expect.objectContaining({
          kind: 'unmatched_party',
          protected: true,
          master: '<beskyttet>',
          local: '<beskyttet>',
        }),
      ]);
      // …and the address it holds, maybe the secret one, is removed.
      expect(p.operations.map((o) => `${o.type}:${o.target}`)).toEqual([
        'party.remove_address:saksmappe/S8b/part/P1',
      ]);
      expect(renderPlan(p)).not.toContain(SECRET_STREET);
    });

    it('a protected namesake: the copied address is removed (privacy first) and an admin asked to link', () => {
      const target = 'saksmappe/S8c/part/P1';
      const c = archiveCase({
        systemId: 'S8c',
        // No birth date in the archive (Noark parts rarely have one): the name alone decides.
        parties: [party({ systemId: 'P1', name: 'Skjult, Siri', address: SECRET, version: 'v2' })],
      });
      for (const bases of [createBaseLookup(), syncedBases([[target, 'address', SECRET]])]) {
        const p = plan({ cases: [c], bases });
        expect(p.operations).toEqual([
          expect.objectContaining({
            type: 'party.remove_address',
            target,
            rule: 'F1.protected_address',
            expectedVersion: 'v2',
          }),
        ]);
        expect(p.conflicts).toEqual([
          expect.objectContaining({
            kind: 'unmatched_party',
            target,
            protected: true,
            master: '<beskyttet>',
            local: '<beskyttet>',
            rawKeys: [ids.siri],
          }),
        ]);
        expect(p.conflicts[0]?.reason).toContain('adressen er fjernet');
        expect(renderPlan(p)).not.toContain(SECRET_STREET);
      }
      // Without an address there is nothing to remove; the question to the admin stays.
      const bare = archiveCase({
        systemId: 'S8c',
        parties: [party({ systemId: 'P1', name: 'Siri Skjult' })],
      });
      const q = plan({ cases: [bare] });
      expect(q.operations).toEqual([]);
      expect(q.conflicts.map((x) => `${x.kind}:${String(x.protected)}`)).toEqual(['unmatched_party:true']);
      expect(q.conflicts[0]?.reason).not.toContain('adressen er fjernet');
    });

    it('a namesake with another birth date, or an unprotected one, is not shielded', () => {
      const c = archiveCase({
        systemId: 'S8d',
        parties: [
          party({ systemId: 'P1', name: 'Siri Skjult', birthDate: '1999-12-31', address: SECRET }),
          party({ systemId: 'P2', name: 'Kari Hansen', address: vegadresse('Annenvei', 8) }),
        ],
      });
      const p = plan({ cases: [c] });
      expect(p.operations).toEqual([]);
      expect(p.conflicts).toEqual([]);
      expect(p.stats.skipped.no_candidates).toBe(2);
    });

    it('a protected namesake on a finalised journalpost: a conflict, never a write', () => {
      const record: ArchiveRecord = {
        systemId: 'J2',
        caseSystemId: 'S5',
        title: 'Brev',
        journalposttype: 'I',
        journalstatus: 'J',
        frozen: true,
        correspondenceParties: [party({ name: 'Siri Skjult', address: SECRET })],
        sources: [{ system: 'noark', id: 'J2', fetchedAt: NOW }],
      };
      const p = plan({ cases: [], records: [record] });
      expect(p.operations).toEqual([]);
      expect(p.conflicts.map((x) => `${x.kind}:${String(x.protected)}`).sort()).toEqual([
        'frozen_protected_address:true',
        'unmatched_party:true',
      ]);
      expect(renderPlan(p)).not.toContain(SECRET_STREET);
    });

    it('an identity link from the store counts as identified', () => {
      const c = archiveCase({
        systemId: 'S9',
        parties: [party({ systemId: 'P1', name: 'Ola Nordmann', address: OLD })],
      });
      const p = plan({ cases: [c], links: new Map([['saksmappe/S9/part/P1', ids.ola]]) });
      expect(p.operations).toHaveLength(1);
      expect(p.operations[0]).toMatchObject({ type: 'party.update', set: { address: NEW }, adopted: true });
    });
  });

  it('local edit → local_edit conflict; both changed → both_changed; never an overwrite', () => {
    const c = archiveCase({
      systemId: 'S10',
      parties: [
        party({
          systemId: 'P1',
          identifier: ids.kari,
          name: 'Kari Hansen',
          address: vegadresse('Privatveien', 1),
        }),
        party({
          systemId: 'P2',
          identifier: ids.ola,
          name: 'Ola Nordmann',
          address: vegadresse('Privatveien', 2),
        }),
      ],
    });
    const bases = syncedBases([
      ['saksmappe/S10/part/P1', 'address', OLD],
      ['saksmappe/S10/part/P2', 'address', OLD],
    ]);
    const p = plan({ cases: [c], bases });
    expect(p.operations).toEqual([]);
    const byTarget = Object.fromEntries(p.conflicts.map((x) => [x.target, x]));
    expect(byTarget['saksmappe/S10/part/P1']).toMatchObject({
      kind: 'local_edit',
      field: 'address',
      master: OLD,
      base: OLD,
    });
    expect(byTarget['saksmappe/S10/part/P2']).toMatchObject({
      kind: 'both_changed',
      field: 'address',
      master: NEW,
      base: OLD,
    });
    expect(p.conflicts[0]?.conflictKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it('first sync: adopts the master for an identified party (audited), or opens conflicts by policy', () => {
    const c = archiveCase({
      systemId: 'S11',
      parties: [party({ systemId: 'P1', identifier: ids.ola, name: 'Ola Nordmann', address: OLD })],
    });
    const adopt = plan({ cases: [c] });
    expect(adopt.operations).toHaveLength(1);
    expect(adopt.operations[0]).toMatchObject({
      adopted: true,
      reason: 'Folkeregisteret: flyttet 2026-10-01 (første synkronisering)',
    });
    expect(adopt.stats.adopted).toBe(1);
    expect(renderPlan(adopt)).toContain('adoptert');
    const strict = plan({ cases: [c], policy: 'conflict' });
    expect(strict.operations).toEqual([]);
    expect(strict.conflicts.map((x) => [x.kind, x.field])).toEqual([['first_sync', 'address']]);
    // Fields already equal are in sync on first sync and get their base recorded.
    expect(strict.baseUpdates.map((u) => u.field).sort()).toEqual(['deceased', 'name']);
  });

  it('organisations are F6’s, bad and unknown identifiers become conflicts, unloaded ones are skipped', () => {
    const invalid = `${ids.ola.slice(0, 10)}${(Number(ids.ola[10]) + 1) % 10}`;
    const unknown = fnr('1999-12-12');
    const notLoaded = fnr('1998-10-10');
    const c = archiveCase({
      systemId: 'S12',
      parties: [
        party({ kind: 'organisation', identifier: '974760673', name: 'Bygg AS' }),
        party({ systemId: 'P2', identifier: invalid, name: 'Feil Nummer' }),
        party({ systemId: 'P3', identifier: unknown, name: 'Ukjent Person' }),
        party({ systemId: 'P4', identifier: notLoaded, name: 'Ikke Hentet' }),
      ],
    });
    const p = plan({ cases: [c], missing: new Set([unknown]) });
    expect(p.operations).toEqual([]);
    expect(p.conflicts.map((x) => x.kind)).toEqual(['invalid_identifier', 'unknown_person']);
    expect(p.conflicts[0]?.reason).toContain('***********');
    expect(p.stats.skipped).toMatchObject({ organisation: 1, not_loaded: 1 });
  });

  it('an opphørt identity is a conflict, not a delete', () => {
    const ceased = { ...people.ola, status: 'opphoert' as const };
    const c = archiveCase({
      systemId: 'S13',
      parties: [party({ systemId: 'P1', identifier: ids.ola, name: 'Ola Nordmann', address: OLD })],
    });
    const p = guard.record(planF1({ persons: [ceased], cases: [c], now: NOW }));
    expect(p.operations).toEqual([]);
    expect(p.conflicts.map((x) => x.kind)).toEqual(['person_ceased']);
  });

  it('a move dated after `now` is not written yet', () => {
    const c = archiveCase({
      systemId: 'S14',
      parties: [party({ systemId: 'P1', identifier: ids.ola, name: 'Ola Nordmann', address: OLD })],
    });
    const p = plan({
      cases: [c],
      now: '2026-09-01T00:00:00.000Z',
      bases: syncedBases([['saksmappe/S14/part/P1', 'address', OLD]]),
    });
    expect(p.operations).toEqual([]);
    expect(p.stats.skipped.address_not_yet_valid).toBe(1);
  });

  it('a masters override makes the archive master of names: F1 stops writing them', () => {
    const c = archiveCase({
      systemId: 'S15',
      parties: [party({ systemId: 'P1', identifier: ids.kari, name: 'Kari Nordmann', address: OLD })],
    });
    const p = plan({ cases: [c], masters: resolveMasters({ 'person.name': 'noark' }) });
    expect(p.operations).toEqual([]);
    expect(plan({ cases: [c] }).operations).toHaveLength(1);
  });

  it('is deterministic: recomputing gives the same plan and keys; other wanted values give other keys', () => {
    const c = archiveCase({
      systemId: 'S16',
      parties: [
        party({ systemId: 'P1', identifier: ids.ola, name: 'Ola Nordmann', address: OLD }),
        party({ systemId: 'P2', identifier: ids.dnr, name: 'Abdi Ali', address: OLD }),
        party({ systemId: 'P3', identifier: ids.siri, name: 'Siri Skjult', address: SECRET }),
      ],
    });
    const first = plan({ cases: [c] });
    const again = plan({ cases: [structuredClone(c)], now: '2026-12-01T00:00:00.000Z' });
    expect(again).toEqual(first);
    const keys = first.operations.map((o) => o.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
    const movedElsewhere = personMap({ ...people.ola, postalAddress: vegadresse('Tredjeveien', 3) });
    const other = guard.record(planF1({ persons: movedElsewhere, cases: [c], now: NOW }));
    const olaOp = (x: Plan) => x.operations.find((o) => o.target === 'saksmappe/S16/part/P1')?.idempotencyKey;
    expect(olaOp(other)).toBeDefined();
    expect(olaOp(other)).not.toBe(olaOp(first));
  });

  it('the privacy guard sees leaks (so the suite’s check can fail)', () => {
    const probe = createPrivacyGuard([SECRET_STREET]);
    const p = plan({ cases: [] });
    probe.record({
      ...p,
      conflicts: [
        {
          ...p.conflicts[0]!,
          kind: 'local_edit',
          target: 't',
          flow: 'F1',
          rule: 'r',
          reason: `x ${ids.ola}`,
          master: null,
          local: null,
          base: null,
          entityType: 'party',
          conflictKey: 'k',
        },
      ],
    });
    probe.record({
      ...p,
      links: [
        {
          flow: 'F1',
          target: 't',
          entityType: 'person',
          canonicalId: 'x',
          how: 'matched',
          reason: `bor i ${SECRET_STREET}`,
        },
      ],
    });
    const leaks = probe.leaks();
    expect(leaks.some((t) => t.includes(ids.ola))).toBe(true);
    expect(leaks.some((t) => t.includes(SECRET_STREET))).toBe(true);
  });
});
