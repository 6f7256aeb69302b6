import type { Organisation, Property } from '@registerbro/model';
import { afterAll, describe, expect, it } from 'vitest';
import type { ArchiveOperationOf } from '../operations.js';
import { renderPlan } from '../plan.js';
import {
  archiveCase,
  createPrivacyGuard,
  fnr,
  person,
  personMap,
  property,
  vegadresse,
} from '../test-fixtures.js';
import { type Plan, createBaseLookup } from '../types.js';
import { type PlanF2Input, planF2 } from './f2-properties.js';

const NOW = '2026-11-25T12:00:00.000Z';
const SECRET_STREET = 'Løndomsstien';
const guard = createPrivacyGuard([SECRET_STREET]);
afterAll(() => guard.assertClean());

const ids = {
  ola: fnr('1960-02-02'),
  siri: fnr('1985-09-09'),
  dnr: fnr('1979-11-11', 100, 'dnr'),
  newFnr: fnr('1979-11-11', 300),
};
const ola = person({
  fodselsnummer: ids.ola,
  givenName: 'Ola',
  familyName: 'Nordmann',
  postalAddress: vegadresse('Storgata', 1),
});
const siri = person({
  fodselsnummer: ids.siri,
  givenName: 'Siri',
  familyName: 'Skjult',
  adressebeskyttelse: 'fortrolig',
});
const abdi = person({
  fodselsnummer: ids.newFnr,
  identifiers: [
    { value: ids.newFnr, kind: 'fnr', synthetic: true, current: true },
    { value: ids.dnr, kind: 'dnr', synthetic: true, current: false },
  ],
  givenName: 'Abdi',
  familyName: 'Ali',
  postalAddress: vegadresse('Fjordveien', 9),
});
const persons = personMap(ola, siri, abdi);

const units: Property[] = [
  property({
    matrikkelnummer: '1806-10/1/0/0',
    owners: [
      { kind: 'person', identifier: ids.ola, name: 'NORDMANN OLA', share: { numerator: 1, denominator: 2 } },
      { kind: 'person', identifier: ids.siri },
    ],
  }),
  property({ matrikkelnummer: '1806-10/2/0/0', owners: [{ kind: 'person', identifier: ids.ola }] }),
  // merge: 20/2 and 20/3 became 20/1
  property({
    matrikkelnummer: '1806-20/1/0/0',
    owners: [{ kind: 'organisation', identifier: '974760673', name: 'BYGG AS' }],
  }),
  property({ matrikkelnummer: '1806-20/2/0/0', status: 'utgaatt', successors: ['1806-20/1/0/0'] }),
  property({ matrikkelnummer: '1806-20/3/0/0', status: 'utgaatt', successors: ['1806-20/1/0/0'] }),
  // split: 30/1 became 30/4 and 30/5
  property({
    matrikkelnummer: '1806-30/1/0/0',
    status: 'utgaatt',
    successors: ['1806-30/4/0/0', '1806-30/5/0/0'],
  }),
  property({ matrikkelnummer: '1806-40/1/0/0', status: 'utgaatt' }),
  // Ballangen 1854 renumbered into Narvik 1806
  property({
    matrikkelnummer: '1806-71/5/0/0',
    owners: [{ kind: 'person', identifier: ids.dnr, name: 'Abdi Ali' }],
  }),
];
const properties = new Map(units.map((u) => [u.matrikkelnummer, u]));
const org: Organisation = {
  organisasjonsnummer: '974760673',
  name: 'Bygg AS',
  postalAddress: { kind: 'postboks', adresselinjer: ['Postboks 12'], postnummer: '8501', poststed: 'NARVIK' },
  sources: [{ system: 'enhetsregisteret', id: '974760673', fetchedAt: NOW }],
};

function plan(input: Partial<PlanF2Input> & Pick<PlanF2Input, 'cases'>): Plan {
  return guard.record(
    planF2({
      properties,
      persons,
      now: NOW,
      missing: new Set(['1806-99/1/0/0']),
      defaultKommunenummer: '1806',
      ...input,
    }),
  );
}

const gbnr = (classId: string, systemId?: string) => ({
  system: 'GBNR',
  classId,
  ...(systemId ? { systemId } : {}),
});

describe('F2 — properties in cases', () => {
  it('a living unit is left alone', () => {
    const p = plan({ cases: [archiveCase({ systemId: 'S1', classes: [gbnr('1806-10/2')] })] });
    expect(p.operations).toEqual([]);
    expect(p.conflicts).toEqual([]);
    expect(p.stats.inSync).toBe(1);
  });

  it('merge: an utgått unit with one successor is re-keyed, in the archive’s own style', () => {
    const p = plan({ cases: [archiveCase({ systemId: 'S2', classes: [gbnr('20/2', 'K1')] })] });
    expect(p.operations).toEqual([
      expect.objectContaining({
        type: 'class.rekey',
        target: 'saksmappe/S2/klasse/K1',
        rule: 'F2.successor',
        from: '20/2',
        to: '20/1',
        fromKey: '1806-20/2/0/0',
        toKey: '1806-20/1/0/0',
        reason: 'Matrikkelen: 1806-20/2/0/0 utgått, erstattet av 1806-20/1/0/0',
      }),
    ]);
  });

  it('merge: two classes ending on one unit leave one class, never a duplicate', () => {
    const both = archiveCase({ systemId: 'S3', classes: [gbnr('1806-20/2'), gbnr('1806-20/3')] });
    const withSuccessor = archiveCase({ systemId: 'S4', classes: [gbnr('1806-20/2'), gbnr('1806-20/1')] });
    const p = plan({ cases: [both, withSuccessor] });
    const s3 = p.operations.filter((o) => o.target.startsWith('saksmappe/S3/'));
    expect(s3.map((o) => o.type)).toEqual(['class.rekey', 'class.remove']);
    const s4 = p.operations.filter((o) => o.target.startsWith('saksmappe/S4/'));
    expect(s4).toEqual([
      expect.objectContaining({
        type: 'class.remove',
        classId: '1806-20/2',
        keptKey: '1806-20/1/0/0',
        rule: 'F2.merge',
      }),
    ]);
  });

  it('split: a conflict listing the successors, no write', () => {
    const p = plan({ cases: [archiveCase({ systemId: 'S5', classes: [gbnr('1806-30/1', 'K9')] })] });
    expect(p.operations).toEqual([]);
    expect(p.conflicts).toEqual([
      expect.objectContaining({
        kind: 'split',
        target: 'saksmappe/S5/klasse/K9',
        flow: 'F2',
        master: { successors: ['1806-30/4/0/0', '1806-30/5/0/0'] },
        local: '1806-30/1',
        base: null,
      }),
    ]);
  });

  it('1854 → 1806: the renumbered kommune re-keys the class', () => {
    const p = plan({ cases: [archiveCase({ systemId: 'S6', classes: [gbnr('1854-71/5')] })] });
    expect(p.operations).toEqual([
      expect.objectContaining({
        type: 'class.rekey',
        rule: 'F2.renumber',
        from: '1854-71/5',
        to: '1806-71/5',
        toKey: '1806-71/5/0/0',
      }),
    ]);
    expect(p.operations[0]?.reason).toContain('kommunenummer endret (1854-71/5/0/0 → 1806-71/5/0/0)');
  });

  it('unknown, gone and invalid units are conflicts; unloaded ones are skipped', () => {
    const c = archiveCase({
      systemId: 'S7',
      classes: [
        gbnr('1806-99/1'),
        gbnr('1806-40/1'),
        gbnr('tolv'),
        gbnr('1806-98/1'),
        { system: 'ARKNOKKEL', classId: 'L42' },
      ],
    });
    const p = plan({ cases: [c] });
    expect(p.operations).toEqual([]);
    expect(p.conflicts.map((x) => x.kind).sort()).toEqual(['invalid_gbnr', 'unit_gone', 'unknown_unit']);
    expect(p.stats.skipped.not_loaded).toBe(1);
    expect(p.stats.examined).toBe(4);
  });

  describe('owners on building cases', () => {
    const byggesak = (
      parties: PlanF2Input['cases'][number]['parties'] = [],
      o: Partial<PlanF2Input['cases'][number]> = {},
    ) =>
      archiveCase({
        systemId: 'B1',
        caseType: 'byggesak',
        classes: [gbnr('1806-10/1'), gbnr('1806-10/2')],
        parties,
        ...o,
      });

    it('adds each current owner once, a protected owner by name only with no address', () => {
      const p = plan({ cases: [byggesak()] });
      const adds = p.operations as ArchiveOperationOf<'party.add'>[];
      expect(adds.map((o) => o.type)).toEqual(['party.add', 'party.add']);
      const olaAdd = adds.find((o) => o.party.identifier === ids.ola);
      expect(olaAdd).toMatchObject({
        target: 'saksmappe/B1',
        caseSystemId: 'B1',
        rule: 'F2.owner',
        adopted: true,
        party: {
          kind: 'person',
          name: 'Ola Nordmann',
          role: 'Hjemmelshaver',
          address: vegadresse('Storgata', 1),
        },
      });
      const siriAdd = adds.find((o) => o.party.identifier === ids.siri);
      expect(siriAdd?.party).toEqual({
        kind: 'person',
        identifier: ids.siri,
        name: 'Siri Skjult',
        role: 'Hjemmelshaver',
      });
      expect(renderPlan(p)).toContain('ny part: Siri Skjult (Hjemmelshaver), uten adresse');
      expect(new Set(adds.map((o) => o.idempotencyKey)).size).toBe(2);
      // Recomputed: the same keys.
      expect(plan({ cases: [byggesak()] }).operations.map((o) => o.idempotencyKey)).toEqual(
        adds.map((o) => o.idempotencyKey),
      );
    });

    it('an owner already a party (by fnr, by a replaced D-nummer, or typed by name) is not added again', () => {
      const c = byggesak([
        { kind: 'person', identifier: ids.ola, name: 'Ola Nordmann' },
        { kind: 'person', name: 'Skjult, Siri' },
      ]);
      const p = plan({ cases: [c] });
      expect(p.operations).toEqual([]);
      expect(p.baseUpdates.filter((u) => u.field.startsWith('hjemmelshaver:'))).toHaveLength(2);
      expect(p.baseUpdates.every((u) => !/\d{11}/.test(u.field))).toBe(true);
      const renumbered = archiveCase({
        systemId: 'B2',
        caseType: 'byggesak',
        classes: [gbnr('1806-71/5')],
        parties: [{ kind: 'person', identifier: ids.dnr, name: 'Abdi Ali' }],
      });
      expect(plan({ cases: [renumbered] }).operations).toEqual([]);
    });

    it('an owner party removed locally after we added it is a local_edit conflict, not re-added', () => {
      const first = plan({
        cases: [byggesak([{ kind: 'person', identifier: ids.ola, name: 'Ola Nordmann' }])],
      });
      const olaField = first.baseUpdates.find((u) => u.recordKey === 'saksmappe/B1')!.field;
      const bases = createBaseLookup([{ recordKey: 'saksmappe/B1', field: olaField, value: true }]);
      const added = plan({ cases: [byggesak([{ kind: 'person', name: 'Skjult, Siri' }])] });
      expect(added.operations).toEqual([expect.objectContaining({ type: 'party.add', baseField: olaField })]);
      const p = plan({ cases: [byggesak([{ kind: 'person', name: 'Skjult, Siri' }])], bases });
      expect(p.operations).toEqual([]);
      expect(p.conflicts).toEqual([
        expect.objectContaining({ kind: 'local_edit', entityType: 'case', field: olaField, base: true }),
      ]);
      expect(JSON.stringify(p.conflicts[0]?.master)).toContain('Ola Nordmann');
    });

    it('first-sync policy "conflict": owners are proposed as conflicts, a protected one fully masked', () => {
      const p = plan({ cases: [byggesak()], policy: 'conflict' });
      expect(p.operations).toEqual([]);
      expect(p.conflicts.map((x) => x.kind)).toEqual(['first_sync', 'first_sync']);
      expect(p.conflicts.filter((x) => x.protected)).toEqual([
        expect.objectContaining({ master: '<beskyttet>', local: '<beskyttet>' }),
      ]);
    });

    it('owners come from the successor unit; organisations get Enhetsregisteret’s address', () => {
      const c = archiveCase({ systemId: 'B3', caseType: 'byggesak', classes: [gbnr('1806-20/2')] });
      const p = plan({ cases: [c], organisations: new Map([['974760673', org]]) });
      expect(p.operations.map((o) => o.type)).toEqual(['class.rekey', 'party.add']);
      expect(p.operations[1]).toMatchObject({
        party: { kind: 'organisation', identifier: '974760673', name: 'Bygg AS', address: org.postalAddress },
      });
    });

    it('closed building cases and other case types get no owners; split units give none', () => {
      expect(plan({ cases: [byggesak([], { open: false })] }).operations).toEqual([]);
      expect(plan({ cases: [byggesak([], { caseType: 'landbruk' })] }).operations).toEqual([]);
      const split = archiveCase({ systemId: 'B4', caseType: 'byggesak', classes: [gbnr('1806-30/1')] });
      expect(plan({ cases: [split] }).operations).toEqual([]);
    });

    it('an address the archive copied onto an existing party is never carried into a new one', () => {
      const c = byggesak([
        { kind: 'person', identifier: ids.ola, name: 'Ola Nordmann', address: vegadresse(SECRET_STREET, 2) },
      ]);
      const p = plan({ cases: [c] });
      expect(p.operations).toHaveLength(1);
      expect(JSON.stringify(p.operations)).not.toContain(SECRET_STREET);
    });
  });
});
