import {
  type Address,
  type Person,
  type Property,
  currentKommunenummer,
  formatMatrikkelnummer,
  isFodselsnummer,
  isProtected,
  maskFodselsnummer,
  parseMatrikkelnummer,
  personName,
} from '@registerbro/model';
import { addressesEqual, normalizeName } from './compare.js';

/**
 * Identity resolution: which person or matrikkelenhet an archive record means today.
 */

// ---------------------------------------------------------------------------------------------
// people

/** Every identifier a person has had (current and replaced) → the person. */
export type PersonIndex = ReadonlyMap<string, Person>;

/**
 * Index people by every identifier they have had, so a party holding an old D-nummer still finds
 * its person. Accepts a list or the caller's map (whose keys are kept as they are).
 */
export function indexPersons(persons: Iterable<Person> | ReadonlyMap<string, Person>): PersonIndex {
  const index = new Map<string, Person>();
  const list: Iterable<Person> = isMap(persons) ? persons.values() : persons;
  if (isMap(persons)) for (const [key, person] of persons) index.set(key, person);
  for (const person of list) {
    index.set(person.fodselsnummer, person);
    for (const id of person.identifiers) if (!index.has(id.value)) index.set(id.value, person);
  }
  return index;
}

function isMap<K, V>(value: unknown): value is ReadonlyMap<K, V> {
  return value instanceof Map;
}

/** How a party's person identifier resolves. */
export type PersonResolution =
  | { status: 'current'; person: Person }
  /** The identifier was replaced (D-nummer → fnr): re-key the party from `from` to `to`. */
  | { status: 'rekey'; person: Person; from: string; to: string }
  | { status: 'unknown' }
  | { status: 'invalid' };

/** Resolve a party's fnr/D-nummer to the person and their current identifier. */
export function resolvePerson(identifier: string, index: PersonIndex): PersonResolution {
  const id = identifier.trim();
  if (!isFodselsnummer(id)) return { status: 'invalid' };
  const person = index.get(id);
  if (person === undefined) return { status: 'unknown' };
  if (person.fodselsnummer === id) return { status: 'current', person };
  return { status: 'rekey', person, from: id, to: person.fodselsnummer };
}

/** The addresses of a person usable for matching and copying: none when protected. */
export function personAddresses(person: Person): Address[] {
  if (isProtected(person.adressebeskyttelse)) return [];
  return [person.postalAddress, person.residentialAddress].filter((a): a is Address => a !== undefined);
}

/** What we know of an archive party without identifier. */
export interface PartyFacts {
  name: string;
  birthDate?: string;
  address?: Address;
}

/** The outcome of matching a party without identifier. */
export type PartyMatch =
  /** Name, birth date and address agree with exactly one person. */
  | { status: 'matched'; person: Person }
  /** Name, birth date and address agree with several people. */
  | { status: 'ambiguous'; candidates: Person[] }
  /** Name agrees and birth date or address agrees, but not all three with exactly one person. */
  | { status: 'unmatched'; candidates: Person[] }
  /** No person shares the name (or only the name, with nothing else to compare). */
  | { status: 'no_candidates' };

/** Matches parties without identifier against people, by name first. */
export interface PersonMatcher {
  match(party: PartyFacts): PartyMatch;
  /**
   * People with protected address whose name agrees with the party's (and birth date, when both
   * are known). Such a party may BE that person, and an address it holds may be their secret one:
   * privacy first, the caller removes it until an admin links the party.
   */
  protectedNamesakes(party: PartyFacts): Person[];
}

/** The normalised name keys a person is found by: the full name and given + family name. */
export function personNameKeys(person: Pick<Person, 'givenName' | 'middleName' | 'familyName'>): string[] {
  const keys = new Set([
    normalizeName(personName(person)),
    normalizeName(`${person.givenName} ${person.familyName}`),
  ]);
  keys.delete('');
  return [...keys];
}

/**
 * A matcher over `persons`. A match needs all three of normalised name (see `normalizeName`; the
 * full name or given + family name), birth date and address (postal or residential) to agree with
 * exactly one person: the archive must never be linked to the wrong person. A protected person has
 * no address in the model, so is never matched (they can only appear as candidates).
 */
export function createPersonMatcher(persons: Iterable<Person>): PersonMatcher {
  const byName = new Map<string, Set<Person>>();
  const add = (key: string, person: Person): void => {
    const set = byName.get(key) ?? new Set<Person>();
    set.add(person);
    byName.set(key, set);
  };
  const seen = new Set<Person>();
  for (const person of persons) {
    if (seen.has(person)) continue;
    seen.add(person);
    for (const key of personNameKeys(person)) add(key, person);
  }
  return {
    protectedNamesakes(party) {
      const named = [...(byName.get(normalizeName(party.name)) ?? [])];
      return sortPersons(
        named.filter(
          (p) =>
            isProtected(p.adressebeskyttelse) &&
            (party.birthDate === undefined || p.birthDate === undefined || p.birthDate === party.birthDate),
        ),
      );
    },
    match(party) {
      const named = [...(byName.get(normalizeName(party.name)) ?? [])];
      if (named.length === 0) return { status: 'no_candidates' };
      const birthOk = (p: Person): boolean =>
        party.birthDate !== undefined && p.birthDate === party.birthDate;
      const addressOk = (p: Person): boolean =>
        party.address !== undefined && personAddresses(p).some((a) => addressesEqual(a, party.address!));
      const full = named.filter((p) => birthOk(p) && addressOk(p));
      if (full.length === 1) return { status: 'matched', person: full[0]! };
      if (full.length > 1) return { status: 'ambiguous', candidates: sortPersons(full) };
      const partial = named.filter((p) => birthOk(p) || addressOk(p));
      if (partial.length > 0) return { status: 'unmatched', candidates: sortPersons(partial) };
      return { status: 'no_candidates' };
    },
  };
}

function sortPersons(list: Person[]): Person[] {
  return [...list].sort((a, b) => (a.fodselsnummer < b.fodselsnummer ? -1 : 1));
}

/** Masked identifiers of people, for conflicts (`***********`). */
export function maskedIds(persons: readonly Person[]): string[] {
  return persons.map((p) => maskFodselsnummer(p.fodselsnummer));
}

// ---------------------------------------------------------------------------------------------
// matrikkelenheter

/** What the planner knows of matrikkelenheter. */
export interface UnitLookup {
  /** Units by full key `kkkk-g/b/f/s`, living and utgått, as Matrikkelen returned them. */
  properties: ReadonlyMap<string, Property>;
  /** Keys Matrikkelen said it does not know (complete evidence). Absent keys not listed here are "not loaded". */
  missing?: ReadonlySet<string>;
  /** Date for kommune renumbering (`YYYY-MM-DD`). @default today */
  at?: string;
  /** Kommunenummer for class ids written `g/b` without one. @default undefined (such ids are invalid) */
  defaultKommunenummer?: string;
}

/** One step from an old key to a living one. */
export interface UnitStep {
  kind: 'successor' | 'renumber';
  from: string;
  to: string;
}

/** How a GBNR class id resolves. Keys are full `kkkk-g/b/f/s`. */
export type UnitResolution =
  | { status: 'living'; key: string; property: Property }
  | { status: 'rekey'; from: string; to: string; property: Property; steps: UnitStep[] }
  | { status: 'split'; from: string; at: string; candidates: string[]; steps: UnitStep[] }
  | { status: 'gone'; from: string; at: string; steps: UnitStep[] }
  | { status: 'ambiguous_kommune'; from: string; kommuner: string[] }
  | { status: 'unknown'; from: string; key: string; steps: UnitStep[] }
  | { status: 'not_loaded'; from: string; key: string; steps: UnitStep[] }
  | { status: 'invalid'; text: string; message: string };

const MAX_STEPS = 32;

/**
 * Follow a GBNR class id to the living matrikkelenhet it means today: an utgått unit with one
 * successor is followed (chains too: split, then renumbered), several successors (a split) cannot
 * be decided, a historic kommunenummer (1854 Ballangen) is renumbered with `currentKommunenummer`
 * (1806 Narvik) keeping gnr/bnr/fnr/snr — confirmed only when the renumbered unit is known living.
 */
export function resolveUnit(classId: string, lookup: UnitLookup): UnitResolution {
  let from: string;
  try {
    from = formatMatrikkelnummer(
      parseMatrikkelnummer(
        classId,
        lookup.defaultKommunenummer ? { defaultKommunenummer: lookup.defaultKommunenummer } : {},
      ),
    );
  } catch (error) {
    return { status: 'invalid', text: classId, message: (error as Error).message };
  }
  const steps: UnitStep[] = [];
  const seen = new Set<string>();
  let key = from;
  for (;;) {
    if (seen.has(key) || steps.length > MAX_STEPS) return { status: 'gone', from, at: key, steps };
    seen.add(key);
    const property = lookup.properties.get(key);
    if (property?.status === 'utgaatt') {
      const successors = [...new Set(property.successors ?? [])].sort();
      if (successors.length === 0) return { status: 'gone', from, at: key, steps };
      if (successors.length > 1) return { status: 'split', from, at: key, candidates: successors, steps };
      steps.push({ kind: 'successor', from: key, to: successors[0]! });
      key = successors[0]!;
      continue;
    }
    const m = parseMatrikkelnummer(key);
    let kommuner: string[];
    try {
      kommuner = currentKommunenummer(m.kommunenummer, lookup.at);
    } catch (error) {
      return { status: 'invalid', text: classId, message: (error as Error).message };
    }
    if (kommuner.length !== 1 || kommuner[0] !== m.kommunenummer) {
      const candidates = kommuner.map((k) => formatMatrikkelnummer({ ...m, kommunenummer: k }));
      const living = candidates.filter((c) => lookup.properties.get(c)?.status === 'levende');
      const next = candidates.length === 1 ? candidates[0] : living.length === 1 ? living[0] : undefined;
      if (next === undefined) return { status: 'ambiguous_kommune', from, kommuner };
      steps.push({ kind: 'renumber', from: key, to: next });
      key = next;
      continue;
    }
    if (property === undefined) {
      return lookup.missing?.has(key)
        ? { status: 'unknown', from, key, steps }
        : { status: 'not_loaded', from, key, steps };
    }
    if (steps.length === 0) return { status: 'living', key, property };
    return { status: 'rekey', from, to: key, property, steps };
  }
}

/**
 * Write a matrikkelnummer in the style of the archive's original class id: without kommune when
 * the original had none and the kommune is unchanged, short (`1806-12/3`) when the original was
 * short, else full.
 */
export function formatLikeOriginal(original: string, key: string, defaultKommunenummer?: string): string {
  const m = parseMatrikkelnummer(key);
  const text = original.trim();
  const hasKommune = /^\d{4}(\s*-\s*|\s+)/.test(text);
  const parts = text.replace(/^\d{4}(\s*-\s*|\s+)/, '').split('/').length;
  const short = formatMatrikkelnummer(m, { style: parts < 4 ? 'short' : 'full' });
  if (!hasKommune && m.kommunenummer === defaultKommunenummer) return short.slice(5);
  return short;
}
