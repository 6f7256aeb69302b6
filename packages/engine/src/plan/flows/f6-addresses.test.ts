import type { ArchiveRecord } from '@registerbro/model';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveMasters } from '../masters.js';
import { mergePlans } from '../plan.js';
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
import { type AddressChange, type PlanF6Input, planF6 } from './f6-addresses.js';

const NOW = '2026-11-25T12:00:00.000Z';
const guard = createPrivacyGuard(['Hemmeligveien']);
afterAll(() => guard.assertClean());

const OLD = { ...vegadresse('Gamleveien', 4), adresseId: 'A1' };
const RENAMED = { ...vegadresse('Fjordgata', 4), adresseId: 'A1' };
const rename: AddressChange = { previous: OLD, current: RENAMED, at: '2026-11-01' };

function plan(input: Partial<PlanF6Input> & Pick<PlanF6Input, 'cases'>): Plan {
  return guard.record(planF6({ changes: [rename], ...input }));
}
const base = (recordKey: string, value: unknown) =>
  createBaseLookup([{ recordKey, field: 'address', value }]);

describe('F6 — official addresses changed in Matrikkelen', () => {
  it('street renamed: a party whose copy was the old official address (T = B) is updated', () => {
    const c = archiveCase({
      systemId: 'S1',
      parties: [
        party({
          systemId: 'P1',
          kind: 'organisation',
          identifier: '974760673',
          name: 'Bygg AS',
          address: OLD,
          version: 'e1',
        }),
      ],
    });
    const p = plan({ cases: [c], bases: base('saksmappe/S1/part/P1', OLD) });
    expect(p.conflicts).toEqual([]);
    expect(p.operations).toEqual([
      expect.objectContaining({
        type: 'party.update',
        flow: 'F6',
        rule: 'F6.address',
        target: 'saksmappe/S1/part/P1',
        set: { address: RENAMED },
        expected: { address: OLD },
        expectedVersion: 'e1',
        reason:
          'Matrikkelen: adresse endret fra Gamleveien 4, 8514 NARVIK til Fjordgata 4, 8514 NARVIK 2026-11-01',
      }),
    ]);
    expect(p.operations[0]?.adopted).toBeUndefined();
  });

  it('first sync: a copy equal to the old official address is adopted, or a conflict by policy', () => {
    const c = archiveCase({
      systemId: 'S2',
      parties: [
        party({
          systemId: 'P1',
          name: 'Ukjent Nabo',
          address: { kind: 'fritekst', adresselinjer: ['GAMLEVEIEN 4'], postnummer: '8514' },
        }),
      ],
    });
    const adopt = plan({ cases: [c] });
    expect(adopt.operations).toEqual([expect.objectContaining({ adopted: true, set: { address: RENAMED } })]);
    const strict = plan({ cases: [c], policy: 'conflict' });
    expect(strict.operations).toEqual([]);
    expect(strict.conflicts).toEqual([
      expect.objectContaining({ kind: 'first_sync', field: 'address', flow: 'F6' }),
    ]);
  });

  it('a copy already on the new address is in sync and its base is recorded', () => {
    const c = archiveCase({
      systemId: 'S3',
      parties: [party({ systemId: 'P1', name: 'Bygg AS', kind: 'organisation', address: RENAMED })],
    });
    const p = plan({ cases: [c] });
    expect(p.operations).toEqual([]);
    expect(p.baseUpdates).toEqual([
      { system: 'noark', recordKey: 'saksmappe/S3/part/P1', field: 'address', value: RENAMED },
    ]);
    expect(plan({ cases: [c], bases: base('saksmappe/S3/part/P1', RENAMED) }).baseUpdates).toEqual([]);
    expect(plan({ cases: [c], bases: base('saksmappe/S3/part/P1', OLD) }).baseUpdates).toHaveLength(1);
  });

  it('a copy edited locally away from the old base is a conflict, never an overwrite', () => {
    const c = archiveCase({
      systemId: 'S4',
      parties: [
        party({
          systemId: 'P1',
          name: 'Bygg AS',
          kind: 'organisation',
          address: vegadresse('Andreveien', 1),
        }),
      ],
    });
    const p = plan({ cases: [c], bases: base('saksmappe/S4/part/P1', OLD) });
    expect(p.operations).toEqual([]);
    expect(p.conflicts).toEqual([
      expect.objectContaining({ kind: 'both_changed', master: RENAMED, base: OLD }),
    ]);
  });

  it('follows a chain of changes to the address that holds now', () => {
    const again: AddressChange = {
      previous: RENAMED,
      current: { ...vegadresse('Fjordgata', 6), adresseId: 'A1' },
      at: '2026-11-20',
    };
    const c = archiveCase({
      systemId: 'S5',
      parties: [party({ systemId: 'P1', name: 'Bygg AS', kind: 'organisation', address: OLD })],
    });
    const p = plan({ cases: [c], changes: [again, rename], bases: base('saksmappe/S5/part/P1', OLD) });
    expect(p.operations).toEqual([expect.objectContaining({ set: { address: again.current } })]);
  });

  it('leaves people with an fnr to F1, parties F1 linked, unrelated addresses and finalised records alone', () => {
    const record: ArchiveRecord = {
      systemId: 'J1',
      caseSystemId: 'S6',
      title: 'Brev',
      journalposttype: 'U',
      journalstatus: 'E',
      frozen: true,
      correspondenceParties: [party({ name: 'Bygg AS', kind: 'organisation', address: OLD })],
      sources: [{ system: 'noark', id: 'J1', fetchedAt: NOW }],
    };
    const c = archiveCase({
      systemId: 'S6',
      parties: [
        party({ systemId: 'P1', identifier: fnr('1960-02-02'), name: 'Ola Nordmann', address: OLD }),
        party({ systemId: 'P2', name: 'Kari Koblet', address: OLD }),
        party({ systemId: 'P3', name: 'Per Annensted', address: vegadresse('Helt Annen Vei', 1) }),
      ],
    });
    const p = plan({ cases: [c], records: [record], excludeTargets: new Set(['saksmappe/S6/part/P2']) });
    expect(p.operations).toEqual([]);
    expect(p.stats.skipped).toEqual({ f1_person: 2, unrelated: 1, frozen: 1 });
  });

  it('does nothing when Matrikkelen is not the master of addresses', () => {
    const c = archiveCase({
      systemId: 'S7',
      parties: [party({ systemId: 'P1', name: 'Bygg AS', kind: 'organisation', address: OLD })],
    });
    expect(
      plan({ cases: [c], masters: resolveMasters({ 'property.addresses': 'noark' }) }).operations,
    ).toEqual([]);
    expect(plan({ cases: [c] }).operations).toHaveLength(1);
  });

  it('with F1: the same party field is planned once, and F1 wins', () => {
    const ola = person({
      fodselsnummer: fnr('1960-02-02'),
      givenName: 'Ola',
      familyName: 'Nordmann',
      postalAddress: vegadresse('Nyveien', 1),
    });
    const c = archiveCase({
      systemId: 'S8',
      parties: [party({ systemId: 'P1', name: 'Ola Nordmann', address: OLD })],
    });
    const links = new Map([['saksmappe/S8/part/P1', ola.fodselsnummer]]);
    const f1 = guard.record(planF1({ persons: personMap(ola), cases: [c], links, now: NOW }));
    // Without the exclusion F6 would plan the same field; the merge drops it.
    const f6 = plan({ cases: [c] });
    expect(f1.operations).toHaveLength(1);
    expect(f6.operations).toHaveLength(1);
    const merged = guard.record(mergePlans(f6, f1));
    expect(merged.operations).toEqual([
      expect.objectContaining({ flow: 'F1', set: { address: ola.postalAddress } }),
    ]);
    expect(merged.stats.skipped.superseded).toBe(1);
    // With the exclusion F6 does not even plan it.
    expect(plan({ cases: [c], excludeTargets: new Set(links.keys()) }).operations).toEqual([]);
  });
});
