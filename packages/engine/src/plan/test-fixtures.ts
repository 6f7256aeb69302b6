import {
  type Address,
  type Case,
  type Party,
  type Person,
  type Property,
  isFodselsnummer,
  makeFodselsnummer,
} from '@registerbro/model';
import { expect } from 'vitest';
import { renderPlan, summarizePlan } from './plan.js';
import type { Plan } from './types.js';

/**
 * Synthetic test data for the planner's tests (Tenor-style numbers only: birth month + 80). Not
 * exported from the package.
 */

const SOURCE = [{ system: 'test', id: 'fixture', fetchedAt: '2026-11-25T00:00:00.000Z' }];

/** A valid synthetic fnr/D-nummer for `birthDate`, the first individnummer from `start` that has control digits. */
export function fnr(birthDate: string, start = 100, kind: 'fnr' | 'dnr' = 'fnr'): string {
  for (let n = start; n < start + 50; n++) {
    const value = makeFodselsnummer({ birthDate, individnummer: n, kind, synthetic: true });
    if (value !== null && isFodselsnummer(value)) return value;
  }
  throw new Error(`no synthetic number for ${birthDate} from ${start}`);
}

/** A Norwegian street address. */
export function vegadresse(
  adressenavn: string,
  husnummer: number,
  postnummer = '8514',
  poststed = 'NARVIK',
): Address {
  return { kind: 'vegadresse', adressenavn, husnummer, postnummer, poststed, kommunenummer: '1806' };
}

/** A person from Folkeregisteret (ugradert, bosatt, with a postal address unless overridden). */
export function person(
  o: Partial<Person> & { fodselsnummer: string; givenName: string; familyName: string },
): Person {
  const kind = Number(o.fodselsnummer.slice(0, 2)) > 40 ? 'dnr' : 'fnr';
  return {
    identifierKind: kind,
    identifiers: [{ value: o.fodselsnummer, kind, synthetic: true, current: true }],
    status: 'bosatt',
    adressebeskyttelse: 'ugradert',
    sources: SOURCE,
    ...o,
  };
}

/** An archive party. */
export function party(o: Partial<Party> & { name: string }): Party {
  return { kind: 'person', ...o };
}

/** A saksmappe. */
export function archiveCase(o: Partial<Case> & { systemId: string }): Case {
  return {
    saksnummer: `2026/${o.systemId.replace(/\D/g, '') || '1'}`,
    title: `Sak ${o.systemId}`,
    status: 'Under behandling',
    open: true,
    caseType: 'sosial',
    classes: [],
    parties: [],
    sources: SOURCE,
    ...o,
  };
}

/** A matrikkelenhet. */
export function property(o: Partial<Property> & { matrikkelnummer: string }): Property {
  return {
    kommunenummer: o.matrikkelnummer.slice(0, 4),
    type: 'grunneiendom',
    status: 'levende',
    owners: [],
    addresses: [],
    buildings: [],
    sources: SOURCE,
    ...o,
  };
}

/** A map of people by every identifier (what F1 takes). */
export function personMap(...people: Person[]): Map<string, Person> {
  const map = new Map<string, Person>();
  for (const p of people) for (const id of p.identifiers) map.set(id.value, p);
  return map;
}

/**
 * Collects every text a plan would show (rendered plan, summary, reasons, conflicts without their
 * raw keys) and checks none holds an 11-digit run or a forbidden word (a protected person's street).
 */
export function createPrivacyGuard(forbidden: readonly string[]) {
  const texts: string[] = [];
  return {
    record(plan: Plan): Plan {
      texts.push(renderPlan(plan), summarizePlan(plan).text);
      for (const op of plan.operations) texts.push(op.reason, op.target, op.rule);
      for (const c of plan.conflicts) {
        // Raw keys are for the resolver only; the conflict key is a hash (its hex may hold digit runs).
        const { rawKeys: _raw, conflictKey: _key, ...shown } = c;
        texts.push(JSON.stringify(shown));
      }
      for (const l of plan.links) texts.push(l.reason, l.target);
      return plan;
    },
    get count(): number {
      return texts.length;
    },
    leaks(): string[] {
      return texts.filter(
        (t) => /\d{11}/.test(t) || forbidden.some((word) => t.toLowerCase().includes(word.toLowerCase())),
      );
    },
    assertClean(): void {
      expect(texts.length).toBeGreaterThan(0);
      expect(this.leaks()).toEqual([]);
    },
  };
}
