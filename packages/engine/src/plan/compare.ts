import type { Address } from '@registerbro/model';

/**
 * The per-field three-way compare of DESIGN.md ("Three-way compare, per field") and the value
 * equality each field uses.
 *
 * | target T, base B, master M | outcome                                         |
 * |----------------------------|-------------------------------------------------|
 * | T = M                      | `in_sync` — record B = M                        |
 * | T = B ≠ M                  | `update` — the master changed                   |
 * | T ≠ B, B = M               | conflict `local_edit` — never overwrite         |
 * | T ≠ B, B ≠ M               | conflict `both_changed`                         |
 * | no B, T ≠ M                | first-sync policy: adopt (audited) or conflict  |
 */

/**
 * What to do on the first sync of a field (no base yet) when target and master differ.
 * `adopt_master_when_certain`: take the master's value when the link between the target record and
 * the master entity is certain (the party carries the fnr, the class names the unit); otherwise open
 * a conflict. `conflict`: always open a conflict.
 */
export type FirstSyncPolicy = 'adopt_master_when_certain' | 'conflict';

/** The default first-sync policy. */
export const DEFAULT_FIRST_SYNC_POLICY: FirstSyncPolicy = 'adopt_master_when_certain';

/** Conflict kinds the compare itself produces. */
export type CompareConflictKind = 'local_edit' | 'both_changed' | 'first_sync';

/** Input of {@link compareField}. `null` means "no value" (e.g. no address). */
export interface CompareInput<V> {
  master: V | null;
  target: V | null;
  /** The last synced value; `undefined` when nothing was ever synced (first sync). */
  base: { value: V | null } | undefined;
  /** Field equality (normalising); called with non-null values only. */
  equals: (a: V, b: V) => boolean;
  /** @default 'adopt_master_when_certain' */
  firstSync?: FirstSyncPolicy;
  /** True when the link between target record and master entity is certain. @default true */
  certain?: boolean;
}

/** Result of {@link compareField}. */
export type CompareResult =
  | {
      outcome: 'in_sync' /** True when the caller should record B = M (B missing or different). */;
      recordBase: boolean;
    }
  | { outcome: 'update' /** True for a first-sync adoption (no base): audit it. */; adopted: boolean }
  | { outcome: 'conflict'; kind: CompareConflictKind };

/** Equality of two possibly-absent values through a field's equality. */
export function valuesEqual<V>(a: V | null, b: V | null, equals: (x: V, y: V) => boolean): boolean {
  if (a === null || b === null) return a === b;
  return equals(a, b);
}

/** The three-way compare of one field (table above). Pure. */
export function compareField<V>(input: CompareInput<V>): CompareResult {
  const { master, target, base, equals } = input;
  const eq = (a: V | null, b: V | null): boolean => valuesEqual(a, b, equals);
  if (eq(target, master)) {
    return { outcome: 'in_sync', recordBase: base === undefined || !eq(base.value, master) };
  }
  if (base === undefined) {
    const policy = input.firstSync ?? DEFAULT_FIRST_SYNC_POLICY;
    if (policy === 'adopt_master_when_certain' && (input.certain ?? true)) {
      return { outcome: 'update', adopted: true };
    }
    return { outcome: 'conflict', kind: 'first_sync' };
  }
  if (eq(target, base.value)) return { outcome: 'update', adopted: false };
  if (eq(base.value, master)) return { outcome: 'conflict', kind: 'local_edit' };
  return { outcome: 'conflict', kind: 'both_changed' };
}

// ---------------------------------------------------------------------------------------------
// value equality per field

/**
 * Normalise free text for comparison: Unicode NFC, Norwegian lower case, every run of whitespace to
 * one space, trimmed.
 */
export function normalizeText(text: string): string {
  return text.normalize('NFC').toLocaleLowerCase('nb').replace(/\s+/g, ' ').trim();
}

/**
 * Normalise a person's or organisation's name: {@link normalizeText}, commas and full stops become
 * spaces, and the words are sorted. Decided so because archives write names both ways
 * ("Nordmann, Ola" and "Ola Nordmann") and in capitals; hyphens stay significant ("Hansen-Berg" is
 * not "Hansen Berg"). The price: a change that only reorders the same words is not seen as a change.
 */
export function normalizeName(name: string): string {
  return normalizeText(name.replace(/[,.]/g, ' ')).split(' ').filter(Boolean).sort().join(' ');
}

/** Name equality: see {@link normalizeName}. */
export function namesEqual(a: string, b: string): boolean {
  return normalizeName(a) === normalizeName(b);
}

const NORWAY = new Set(['', 'no', 'nor', 'norge', 'norway']);

/**
 * The canonical string of an address, used for every address comparison: the street line
 * (`adressenavn husnummer+bokstav`, or the matrikkelnummer of a matrikkeladresse, or the free-text
 * lines), the bruksenhetsnummer when present, the postnummer (poststed is implied by it and archives
 * spell it variously, so it counts only when there is no postnummer) and the country (Norway when
 * none). Case and whitespace are normalised; ids, points, sources and `validFrom` do not count.
 * A vegadresse and a free-text copy of the same lines are therefore equal.
 */
export function canonicalAddress(address: Address): string {
  const lines: string[] = [];
  if (address.kind === 'vegadresse' && address.adressenavn) {
    lines.push(`${address.adressenavn} ${address.husnummer ?? ''}${address.bokstav ?? ''}`);
  } else if (address.kind === 'matrikkeladresse' && address.matrikkelnummer) {
    lines.push(address.matrikkelnummer + (address.undernummer ? `-${address.undernummer}` : ''));
  }
  if (lines.length === 0 || (address.kind !== 'vegadresse' && address.kind !== 'matrikkeladresse')) {
    lines.push(...(address.adresselinjer ?? []));
  }
  const country = normalizeText(address.landkode ?? '');
  const place = address.postnummer ?? normalizeText(address.poststed ?? '');
  return [
    normalizeText(lines.join(' ').replace(/,/g, ' ')),
    normalizeText(address.bruksenhetsnummer ?? ''),
    place,
    NORWAY.has(country) ? 'no' : country,
  ].join('|');
}

/** Address equality by {@link canonicalAddress}. */
export function addressesEqual(a: Address, b: Address): boolean {
  return canonicalAddress(a) === canonicalAddress(b);
}

/** Short human form of an address for plans and conflicts: `Storgata 1A, 8514 Narvik`. */
export function formatAddress(address: Address): string {
  const street =
    address.kind === 'vegadresse' && address.adressenavn
      ? `${address.adressenavn} ${address.husnummer ?? ''}${address.bokstav ?? ''}`.trim()
      : address.kind === 'matrikkeladresse' && address.matrikkelnummer
        ? address.matrikkelnummer
        : (address.adresselinjer ?? []).join(', ');
  const place = [address.postnummer, address.poststed].filter(Boolean).join(' ');
  const country = address.landkode && !NORWAY.has(normalizeText(address.landkode)) ? address.landkode : '';
  return [street, place, country].filter(Boolean).join(', ');
}

/** Deceased-flag equality: an absent flag means "not deceased". */
export function deceasedValue(flag: boolean | undefined): boolean {
  return flag === true;
}
