import { describe, expect, it } from 'vitest';
import { planF1 } from './flows/f1-people.js';
import { planF2 } from './flows/f2-properties.js';
import { finalizeOperation } from './operations.js';
import { mergePlans, renderPlan, renderValue, sortPlan, summarizePlan } from './plan.js';
import {
  archiveCase,
  createPrivacyGuard,
  fnr,
  party,
  person,
  personMap,
  property,
  vegadresse,
} from './test-fixtures.js';
import { type Plan, emptyPlan } from './types.js';

const NOW = '2026-11-25T12:00:00.000Z';
const SECRET_STREET = 'Hemmeligveien';

const ids = {
  ola: fnr('1960-02-02'),
  siri: fnr('1985-09-09'),
  dnr: fnr('1979-11-11', 100, 'dnr'),
  newFnr: fnr('1979-11-11', 300),
};
const people = [
  person({
    fodselsnummer: ids.ola,
    givenName: 'Ola',
    familyName: 'Nordmann',
    postalAddress: { ...vegadresse('Nygata', 2), validFrom: '2026-10-01' },
  }),
  person({
    fodselsnummer: ids.siri,
    givenName: 'Siri',
    familyName: 'Skjult',
    adressebeskyttelse: 'strengtFortroligUtland',
  }),
  person({
    fodselsnummer: ids.newFnr,
    identifiers: [
      { value: ids.newFnr, kind: 'fnr', synthetic: true, current: true },
      { value: ids.dnr, kind: 'dnr', synthetic: true, current: false },
    ],
    givenName: 'Abdi',
    familyName: 'Ali',
    postalAddress: vegadresse('Storgata', 1),
  }),
];

function world() {
  const cases = [
    archiveCase({
      systemId: 'S2',
      caseType: 'byggesak',
      classes: [{ system: 'GBNR', classId: '1854-7/7' }],
      parties: [
        party({
          systemId: 'P1',
          identifier: ids.siri,
          name: 'Siri Skjult',
          address: vegadresse(SECRET_STREET, 4),
        }),
        party({ systemId: 'P2', identifier: ids.dnr, name: 'Abdi Ali', address: vegadresse('Storgata', 1) }),
      ],
    }),
    archiveCase({
      systemId: 'S1',
      parties: [
        party({
          systemId: 'P1',
          identifier: ids.ola,
          name: 'Ola Nordmann',
          address: vegadresse('Storgata', 1),
        }),
      ],
    }),
  ];
  const properties = new Map([
    [
      '1806-7/7/0/0',
      property({
        matrikkelnummer: '1806-7/7/0/0',
        owners: [
          { kind: 'person', identifier: ids.siri },
          { kind: 'person', identifier: ids.ola },
        ],
      }),
    ],
  ]);
  return { cases, properties, persons: personMap(...people) };
}

function fullPlan(): Plan {
  const w = world();
  return mergePlans(
    planF2({ properties: w.properties, cases: w.cases, persons: w.persons, now: NOW }),
    planF1({ persons: w.persons, cases: w.cases, now: NOW }),
  );
}

describe('merging, ordering and rendering plans', () => {
  it('merges in a stable order regardless of input order, recounting stats', () => {
    const w = world();
    const f1 = planF1({ persons: w.persons, cases: w.cases, now: NOW });
    const f2 = planF2({ properties: w.properties, cases: w.cases, persons: w.persons, now: NOW });
    const a = mergePlans(f1, f2);
    const b = mergePlans(f2, f1);
    expect(a).toEqual(b);
    expect(a.operations.map((o) => `${o.flow} ${o.type} ${o.target}`)).toEqual([
      'F1 party.update saksmappe/S1/part/P1',
      'F1 party.remove_address saksmappe/S2/part/P1',
      'F1 party.rekey_identifier saksmappe/S2/part/P2',
      'F2 party.add saksmappe/S2',
      'F2 class.rekey saksmappe/S2/klasse/GBNR:1854-7/7',
    ]);
    expect(a.stats.operations).toBe(a.operations.length);
    expect(a.stats.examined).toBe(f1.stats.examined + f2.stats.examined);
  });

  it('the same operation or conflict from two plans appears once', () => {
    const p = fullPlan();
    const twice = mergePlans(p, structuredClone(p));
    expect(twice.operations).toEqual(p.operations);
    expect(twice.conflicts).toEqual(p.conflicts);
    expect(twice.baseUpdates).toEqual(p.baseUpdates);
  });

  it('renders a dry run: every operation with rule and reason, fnr masked, protected data never shown', () => {
    const text = renderPlan(fullPlan());
    expect(text).toContain('Plan (tørrkjøring)');
    expect(text).toContain('- [F1] party.update saksmappe/S1/part/P1 (regel F1.address, adoptert)');
    expect(text).toContain('Folkeregisteret: flyttet 2026-10-01 (første synkronisering)');
    expect(text).toContain('- [F1] party.remove_address saksmappe/S2/part/P1 (regel F1.protected_address)');
    expect(text).toContain('adresse fjernes (verdien vises ikke)');
    expect(text).toContain('klasse: 1854-7/7 → 1806-7/7');
    // Siri (protected) is already a party; Ola, the other owner, is added with his address.
    expect(text).toContain('ny part: Ola Nordmann (Hjemmelshaver), Nygata 2, 8514 NARVIK');
    expect(text).not.toMatch(/\d{11}/);
    expect(text).not.toContain(SECRET_STREET);
    expect(renderPlan(fullPlan())).toBe(text);
  });

  it('renders conflicts with both sides and the base', () => {
    const w = world();
    const p = planF1({ persons: w.persons, cases: w.cases, now: NOW, policy: 'conflict' });
    const text = renderPlan(p, { title: 'F1' });
    expect(text.split('\n')[0]).toBe('F1');
    expect(text).toContain('Konflikter:');
    expect(text).toContain('- [F1] first_sync saksmappe/S1/part/P1 felt address (regel F1.address)');
    expect(text).toContain('master: Nygata 2, 8514 NARVIK');
    expect(text).toContain('lokalt: Storgata 1, 8514 NARVIK');
    expect(text).toContain('base:   —');
  });

  it('summarises by type, kind and flow', () => {
    const s = summarizePlan(fullPlan());
    expect(s).toMatchObject({
      operations: 5,
      conflicts: 0,
      byType: {
        'party.update': 1,
        'party.rekey_identifier': 1,
        'party.remove_address': 1,
        'class.rekey': 1,
        'party.add': 1,
      },
      byFlow: { F1: { operations: 3, conflicts: 0 }, F2: { operations: 2, conflicts: 0 } },
    });
    expect(s.adopted).toBe(2);
    expect(s.text).toBe(
      '5 operasjoner (1 class.rekey, 1 party.add, 1 party.rekey_identifier, 1 party.remove_address, 1 party.update), 0 konflikter',
    );
    expect(summarizePlan(emptyPlan()).text).toBe('0 operasjoner, 0 konflikter');
  });

  it('renderValue masks identifiers and protected values', () => {
    expect(renderValue(ids.ola)).toBe('"***********"');
    expect(renderValue('<beskyttet>')).toBe('<beskyttet>');
    expect(renderValue(null)).toBe('—');
    expect(renderValue(true)).toBe('ja');
    expect(renderValue({ candidates: [ids.ola] })).not.toMatch(/\d{11}/);
  });

  it('sortPlan keeps content and recounts', () => {
    const op = finalizeOperation({
      type: 'party.remove_address',
      system: 'noark',
      target: 'b',
      flow: 'F1',
      rule: 'r',
      reason: 'x',
      location: { container: 'saksmappe', containerId: 'S', index: 0 },
      adopted: true,
    });
    const p = sortPlan({
      ...emptyPlan(),
      operations: [op, { ...op, target: 'a', idempotencyKey: 'f'.repeat(64) }],
    });
    expect(p.operations.map((o) => o.target)).toEqual(['a', 'b']);
    expect(p.stats).toMatchObject({ operations: 2, adopted: 2 });
  });

  it('privacy: nothing rendered from a full plan holds an 11-digit run or the protected street', () => {
    const guard = createPrivacyGuard([SECRET_STREET]);
    guard.record(fullPlan());
    const w = world();
    guard.record(planF1({ persons: w.persons, cases: w.cases, now: NOW, policy: 'conflict' }));
    guard.assertClean();
    expect(guard.count).toBeGreaterThan(5);
  });
});
