import {
  type Address,
  type ArchiveRecord,
  type Case,
  type Person,
  isProtected,
  maskFodselsnummer,
  parseFodselsnummer,
  personName,
} from '@registerbro/model';
import {
  type FirstSyncPolicy,
  DEFAULT_FIRST_SYNC_POLICY,
  addressesEqual,
  compareField,
  deceasedValue,
  namesEqual,
} from '../compare.js';
import { type PartyMatch, createPersonMatcher, indexPersons, maskedIds, resolvePerson } from '../identity.js';
import { DEFAULT_MASTERS, type Masters } from '../masters.js';
import type { PartyFields } from '../operations.js';
import { type BaseLookup, type Plan, createBaseLookup } from '../types.js';
import {
  type PartySlot,
  PlanBuilder,
  compareConflictReason,
  masterAddress,
  orNull,
  partySlots,
} from './common.js';

/**
 * F1 — people in the archive (DESIGN.md "The flows"). Every archive party linked to an fnr/D-nummer
 * gets name, address and status (deceased) from Folkeregisteret; a replaced D-nummer re-keys the
 * party; parties without identifier are linked only on an unambiguous match.
 *
 * Privacy wins over the three-way rule: for a person with protected address (anything but
 * `ugradert`) no address is ever planned, and an address already on the party is removed with
 * `party.remove_address` whatever the base or a local edit say — a local edit cannot make a copied
 * protected address acceptable. Conflicts about such a person show `"<beskyttet>"` for every value.
 */

/** Input of {@link planF1}. */
export interface PlanF1Input {
  /** People from Folkeregisteret, keyed by current fnr and by replaced identifiers (or a plain list). */
  persons: ReadonlyMap<string, Person> | Iterable<Person>;
  /** Saksmapper with their parties. */
  cases: readonly Case[];
  /** Journalposter with their correspondence parties (finalised ones are never edited). @default [] */
  records?: readonly ArchiveRecord[];
  /** Last synced base values. @default none (every field is a first sync) */
  bases?: BaseLookup;
  /** First-sync policy of F1. @default 'adopt_master_when_certain' */
  policy?: FirstSyncPolicy;
  /**
   * Planning time (ISO 8601): an address Folkeregisteret dates after it (a move reported ahead) is
   * not written yet. Not part of any key. @default the current time
   */
  now?: string;
  /**
   * Identity links the engine already holds: party target → person identifier (earlier matches and
   * admins' "link" resolutions). A linked party counts as identified. @default none
   */
  links?: ReadonlyMap<string, string>;
  /** Identifiers Folkeregisteret said it does not know; others missing from `persons` are "not loaded". */
  missing?: ReadonlySet<string>;
  /** @default DEFAULT_MASTERS */
  masters?: Masters;
}

const SOURCE = 'Folkeregisteret';

/** Plan F1. Pure: reads its input only. */
export function planF1(input: PlanF1Input): Plan {
  const b = new PlanBuilder('F1', input.bases ?? createBaseLookup());
  const index = indexPersons(input.persons);
  const matcher = createPersonMatcher(new Set(index.values()));
  const policy = input.policy ?? DEFAULT_FIRST_SYNC_POLICY;
  const masters = input.masters ?? DEFAULT_MASTERS;
  const today = (input.now ?? new Date().toISOString()).slice(0, 10);

  for (const slot of partySlots(input.cases, input.records)) {
    b.examined();
    const { party, target } = slot;
    if (party.kind === 'organisation' || party.identifier?.length === 9) {
      b.skip('organisation');
      continue;
    }
    let person: Person;
    let certain = true;
    const linked = party.identifier === undefined ? input.links?.get(target) : undefined;
    const identifier = party.identifier ?? linked;
    if (identifier !== undefined) {
      const r = resolvePerson(identifier, index);
      if (r.status === 'invalid') {
        b.conflict({
          kind: 'invalid_identifier',
          target,
          rule: 'F1.identity',
          reason: `Partens identifikator ${maskFodselsnummer(identifier)} er ikke et gyldig fødselsnummer eller D-nummer; rett den i arkivet`,
          master: null,
          local: maskFodselsnummer(identifier),
          base: null,
          entityType: 'party',
        });
        continue;
      }
      if (r.status === 'unknown') {
        if (input.missing?.has(identifier)) {
          b.conflict({
            kind: 'unknown_person',
            target,
            rule: 'F1.identity',
            reason: `${SOURCE} kjenner ikke identifikatoren ${maskFodselsnummer(identifier)}`,
            master: null,
            local: maskFodselsnummer(identifier),
            base: null,
            entityType: 'party',
            rawKeys: [identifier],
          });
        } else b.skip('not_loaded');
        continue;
      }
      person = r.person;
      if (r.status === 'rekey' && party.identifier !== undefined) {
        if (slot.frozen) b.skip('frozen');
        else {
          b.op({
            type: 'party.rekey_identifier',
            system: 'noark',
            target,
            flow: 'F1',
            rule: 'F1.rekey',
            reason: `${SOURCE}: ${kindWord(r.from)} erstattet av ${kindWord(r.to)}`,
            location: slot.location,
            from: r.from,
            to: r.to,
            toKind: person.identifierKind,
            ...(party.version === undefined ? {} : { expectedVersion: party.version }),
          });
        }
      }
    } else {
      const facts = {
        name: party.name,
        ...(party.birthDate === undefined ? {} : { birthDate: party.birthDate }),
        ...(party.address === undefined ? {} : { address: party.address }),
      };
      const m = matcher.match(facts);
      const namesakes = m.status === 'matched' ? [] : matcher.protectedNamesakes(facts);
      if (namesakes.length > 0) {
        shieldUnidentified(b, slot, m, namesakes);
        continue;
      }
      if (m.status === 'no_candidates') {
        b.skip('no_candidates');
        continue;
      }
      if (m.status !== 'matched') {
        const ambiguous = m.status === 'ambiguous';
        b.conflict({
          kind: ambiguous ? 'ambiguous_party' : 'unmatched_party',
          target,
          rule: 'F1.match',
          reason: ambiguous
            ? `Parten uten fødselsnummer passer med ${m.candidates.length} personer i ${SOURCE} (navn, fødselsdato og adresse); koble den manuelt`
            : `Parten uten fødselsnummer passer bare delvis med ${m.candidates.length} person(er) i ${SOURCE}; koble den manuelt eller ignorer`,
          master: { candidates: maskedIds(m.candidates) },
          local: partyFacts(party),
          base: null,
          entityType: 'party',
          rawKeys: m.candidates.map((p) => p.fodselsnummer),
          // The party may BE the protected candidate, and its copied address their secret one.
          ...(m.candidates.some((p) => isProtected(p.adressebeskyttelse)) ? { protected: true } : {}),
        });
        continue;
      }
      person = m.person;
      certain = false;
      b.plan.links.push({
        flow: 'F1',
        target,
        entityType: 'person',
        canonicalId: person.fodselsnummer,
        how: 'matched',
        reason: `Koblet på navn, fødselsdato og adresse mot ${SOURCE}`,
      });
    }

    if (person.status === 'opphoert') {
      b.conflict({
        kind: 'person_ceased',
        target,
        rule: 'F1.identity',
        reason: `${SOURCE}: identiteten er opphørt uten ny identifikator; avklar hvem parten er`,
        master: { status: 'opphoert' },
        local: null,
        base: null,
        entityType: 'party',
        rawKeys: [person.fodselsnummer],
        ...(isProtected(person.adressebeskyttelse) ? { protected: true } : {}),
      });
      continue;
    }
    planFields(b, slot, person, { certain, policy, masters, today });
  }
  return b.plan;
}

/**
 * A party without identifier whose name (and birth date, when known) agrees with a person with
 * protected address may be that person, and the address it holds their secret one — typically an
 * address copied before the protection was granted. Privacy first: the address is removed (a
 * finalised journalpost gets a conflict instead) and an admin is asked to link the party; linked to
 * someone else, F1 writes that person's address back.
 */
function shieldUnidentified(
  b: PlanBuilder,
  slot: PartySlot,
  m: PartyMatch,
  namesakes: readonly Person[],
): void {
  const { party, target } = slot;
  const rawKeys = [
    ...new Set(
      [...namesakes, ...(m.status === 'no_candidates' || m.status === 'matched' ? [] : m.candidates)].map(
        (p) => p.fodselsnummer,
      ),
    ),
  ].sort();
  if (party.address !== undefined) {
    removeCopiedAddress(b, slot, rawKeys, {
      frozen: `${SOURCE}: en person med samme navn har adressebeskyttelse, men journalposten er avsluttet og kan ikke endres; skjerm den i arkivet`,
      remove: `${SOURCE}: en person med samme navn har adressebeskyttelse — kopiert adresse fjernes til parten er koblet`,
    });
  }
  b.conflict({
    kind: m.status === 'ambiguous' ? 'ambiguous_party' : 'unmatched_party',
    target,
    rule: 'F1.match',
    reason: `Parten uten fødselsnummer har samme navn som ${namesakes.length} person(er) med adressebeskyttelse i ${SOURCE}${party.address === undefined || slot.frozen ? '' : '; adressen er fjernet av personvernhensyn'}; koble parten til riktig person eller ignorer`,
    master: null,
    local: null,
    base: null,
    entityType: 'party',
    rawKeys,
    protected: true,
  });
}

/**
 * Privacy first: the address on a party that may be a person with protected address goes
 * (`party.remove_address`, compare-and-set on the party's version), or — on a finalised journalpost,
 * which cannot be edited — a `frozen_protected_address` conflict asks the archivist to screen it.
 */
function removeCopiedAddress(
  b: PlanBuilder,
  slot: PartySlot,
  rawKeys: string[],
  reasons: { frozen: string; remove: string },
): void {
  const { party, target } = slot;
  if (slot.frozen) {
    b.conflict({
      kind: 'frozen_protected_address',
      target,
      field: 'address',
      rule: 'F1.protected_address',
      reason: reasons.frozen,
      master: null,
      local: null,
      base: null,
      entityType: 'party',
      protected: true,
      rawKeys,
    });
    return;
  }
  b.op({
    type: 'party.remove_address',
    system: 'noark',
    target,
    flow: 'F1',
    rule: 'F1.protected_address',
    reason: reasons.remove,
    location: slot.location,
    ...(party.version === undefined ? {} : { expectedVersion: party.version }),
  });
}

function kindWord(identifier: string): string {
  const kind = parseFodselsnummer(identifier).kind;
  return kind === 'dnr' ? 'D-nummer' : kind === 'hnr' ? 'H-nummer' : 'fødselsnummer';
}

function partyFacts(party: PartySlot['party']): Record<string, unknown> {
  return {
    name: party.name,
    ...(party.birthDate === undefined ? {} : { birthDate: party.birthDate }),
    ...(party.address === undefined ? {} : { address: party.address }),
  };
}

interface FieldSpec<V> {
  field: 'name' | 'address' | 'deceased';
  label: string;
  master: V | null;
  target: V | null;
  equals: (a: V, b: V) => boolean;
  /** Why the master's value is what it is (for the operation's reason). */
  because: string;
}

function planFields(
  b: PlanBuilder,
  slot: PartySlot,
  person: Person,
  options: { certain: boolean; policy: FirstSyncPolicy; masters: Masters; today: string },
): void {
  const { certain, policy, masters, today } = options;
  const { party, target } = slot;
  const protectedPerson = isProtected(person.adressebeskyttelse);
  const set: PartyFields = {};
  const expected: Record<string, unknown> = {};
  const because: string[] = [];
  let adopted = false;

  // Privacy first: a protected person's address is removed whatever the base says, and never set.
  if (protectedPerson && masters['person.address'] === 'folkeregister') {
    if (party.address !== undefined) {
      removeCopiedAddress(b, slot, [person.fodselsnummer], {
        frozen: `${SOURCE}: personen har adressebeskyttelse, men journalposten er avsluttet og kan ikke endres; skjerm den i arkivet`,
        remove: `${SOURCE}: adressebeskyttelse — kopiert adresse fjernes`,
      });
    } else {
      const base = b.base(target, 'address');
      b.inSync(target, 'address', null, base === undefined || base.value !== null);
    }
  }

  const specs: FieldSpec<unknown>[] = [];
  if (masters['person.name'] === 'folkeregister') {
    specs.push({
      field: 'name',
      label: 'navn',
      master: personName(person),
      target: party.name.trim() === '' ? null : party.name,
      equals: (x, y) => namesEqual(x as string, y as string),
      because: 'navn endret',
    });
  }
  if (masters['person.status'] === 'folkeregister') {
    specs.push({
      field: 'deceased',
      label: 'død',
      master: person.status === 'doed',
      target: deceasedValue(party.deceased),
      equals: (x, y) => x === y,
      because: person.status === 'doed' ? `død ${person.deathDate ?? ''}`.trim() : 'ikke registrert død',
    });
  }
  const address = protectedPerson ? undefined : masterAddress(person);
  if (!protectedPerson && masters['person.address'] === 'folkeregister') {
    if (address === undefined) b.skip('address_not_managed');
    else if (address.validFrom !== undefined && address.validFrom.slice(0, 10) > today) {
      b.skip('address_not_yet_valid');
    } else {
      specs.push({
        field: 'address',
        label: 'adresse',
        master: address,
        target: orNull(party.address),
        equals: (x, y) => addressesEqual(x as Address, y as Address),
        because:
          person.status === 'utflyttet'
            ? `utflyttet ${person.emigrationDate ?? ''}`.trim()
            : address.validFrom
              ? `flyttet ${address.validFrom.slice(0, 10)}`
              : 'ny adresse',
      });
    }
  }

  for (const spec of specs) {
    const base = b.base(target, spec.field);
    const r = compareField({
      master: spec.master,
      target: spec.target,
      base: base === undefined ? undefined : { value: base.value },
      equals: spec.equals,
      firstSync: policy,
      certain,
    });
    if (r.outcome === 'in_sync') {
      b.inSync(target, spec.field, spec.master, r.recordBase);
    } else if (r.outcome === 'update') {
      if (slot.frozen) {
        b.skip('frozen');
        continue;
      }
      (set as Record<string, unknown>)[spec.field] = spec.master;
      expected[spec.field] = spec.target;
      because.push(spec.because);
      adopted ||= r.adopted;
    } else {
      b.conflict({
        kind: r.kind,
        target,
        field: spec.field,
        rule: `F1.${spec.field}`,
        reason:
          compareConflictReason(r.kind, spec.label, SOURCE) +
          (certain ? '' : ' (parten er koblet på navn, fødselsdato og adresse, ikke fødselsnummer)'),
        master: spec.master,
        local: spec.target,
        base: base === undefined ? null : base.value,
        entityType: 'party',
        rawKeys: [person.fodselsnummer],
        ...(protectedPerson ? { protected: true } : {}),
      });
    }
  }

  if (Object.keys(set).length > 0) {
    const fields = Object.keys(set).sort();
    b.op({
      type: 'party.update',
      system: 'noark',
      target,
      flow: 'F1',
      rule: `F1.${fields.join('+')}`,
      reason: `${SOURCE}: ${because.join(', ')}${adopted ? ' (første synkronisering)' : ''}`,
      location: slot.location,
      set,
      expected,
      ...(party.version === undefined ? {} : { expectedVersion: party.version }),
      ...(adopted ? { adopted: true } : {}),
    });
  }
}
