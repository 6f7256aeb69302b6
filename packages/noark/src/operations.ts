import type { Address, CaseType, Operation, Party } from '@registerbro/model';

/**
 * The writes the Noark adapter applies. `target` is the case's key (saksnummer `YYYY/N` or
 * systemID), except for `create_case`, whose target is our external key (the deterministic key
 * the new case carries as TG `eksternID` / Fiks `referanseEksternNoekkel`).
 */
export type NoarkOperation =
  | UpdatePartyOperation
  | RemovePartyAddressOperation
  | RekeyPartyIdentifierOperation
  | AddPartyOperation
  | RekeyClassOperation
  | RemoveClassOperation
  | CreateCaseOperation
  | UpdateCorrespondencePartyOperation;

/**
 * The values a party held when the change was planned. `null` means "no value" (no address, not
 * marked deceased); a field left out is not checked. The adapter writes only over these: a field
 * that holds neither its expected nor its wanted value was edited in the archive after the plan,
 * and the write is refused with ConflictError `local_edit`.
 */
export interface PartyExpectation {
  name?: string | null;
  address?: Address | null;
  deceased?: boolean | null;
}

/**
 * Update a sakspart's name, address and/or deceased flag, compare-and-set against the plan:
 * already holding `set` → `already_applied`; a field that is neither `expected` nor wanted →
 * ConflictError `local_edit` (nothing written); else PUT with If-Match, and on 409/412 re-read and
 * decide once more.
 */
export interface UpdatePartyOperation extends Operation {
  type: 'update_party';
  partySystemId: string;
  /** Only the fields given are changed; `address: null` removes the address. */
  set: { name?: string; address?: Address | null; deceased?: boolean };
  /** The values the party held when planned. @default none (no value check) */
  expected?: PartyExpectation;
  /**
   * The party's ETag when planned. Used only when `expected` is not given: a different current
   * ETag then means the party was edited since the plan → `local_edit`. @default none
   */
  expectedVersion?: string;
}

/**
 * Remove a sakspart's address (a person got protected address: nothing may stay copied). Removes
 * whatever address is there, even one edited in the archive after the plan: an address on a
 * protected person is never right, and no other field is written.
 */
export interface RemovePartyAddressOperation extends Operation {
  type: 'remove_party_address';
  partySystemId: string;
  /** The party's ETag when planned; informational (a changed version does not stop the removal). @default none */
  expectedVersion?: string;
}

/**
 * Replace a party's fødselsnummer/D-nummer (a D-nummer replaced by an fnr): `already_applied`
 * when the party holds `to`; ConflictError `local_edit` when it holds neither `from` nor `to`.
 * Identifiers are never shown unmasked in errors.
 */
export interface RekeyPartyIdentifierOperation extends Operation {
  type: 'rekey_party_identifier';
  partySystemId: string;
  /**
   * The journalpost when the party is a korrespondansepart (refused with `frozen` once the
   * journalpost is finalised). @default the party is a sakspart of `target`
   */
  recordSystemId?: string;
  /** The identifier the party holds now (11 digits). */
  from: string;
  /** The identifier to write (11 digits). */
  to: string;
  /** Kind of `to`. @default 'fnr' */
  toKind?: 'fnr' | 'dnr' | 'hnr';
  /** The party's ETag when planned; informational (the identifiers decide). @default none */
  expectedVersion?: string;
}

/** Add a party to a case, unless one with the same identifier (or name and role) is there. */
export interface AddPartyOperation extends Operation {
  type: 'add_party';
  party: Party;
}

/** Re-key a class (`GBNR` after a split, merger or the 1854 → 1806 renumbering). */
export interface RekeyClassOperation extends Operation {
  type: 'rekey_class';
  /** Klassifikasjonssystem, e.g. `GBNR`. */
  system: string;
  from: string;
  to: string;
  /** New class title. @default the new class id */
  title?: string;
}

/**
 * Remove a class from a case (a class that duplicates another after a merge): `already_applied`
 * when the case has no such class. With `keep`, the case must hold that class (and it must not be
 * the one removed), else ConflictError `kept_class_missing` and nothing is removed.
 */
export interface RemoveClassOperation extends Operation {
  type: 'remove_class';
  /** Klassifikasjonssystem, e.g. `GBNR`. */
  system: string;
  /** The class id as the archive holds it. */
  classId: string;
  /** The class's systemID when known (checked against `classId`). @default found by system + classId */
  classSystemId?: string;
  /** A class id (same system) the case must still hold after the removal. @default none */
  keep?: string;
}

/** Create a follow-up case with classes and parties, plus a journalpost note. */
export interface CreateCaseOperation extends Operation {
  type: 'create_case';
  case: {
    title: string;
    caseType: CaseType;
    classes: { system: string; classId: string; title?: string }[];
    parties: Party[];
    /** Screen the case (skjerming), e.g. for a social-services case. @default false */
    screened?: boolean;
  };
  note: {
    title: string;
    /** @default 'X' (notat uten oppfølging) */
    journalposttype?: 'N' | 'X';
  };
}

/**
 * Update a korrespondansepart on a journalpost, compare-and-set against the plan like
 * {@link UpdatePartyOperation}; refused with ConflictError `frozen` once the journalpost is finalised.
 */
export interface UpdateCorrespondencePartyOperation extends Operation {
  type: 'update_correspondence_party';
  recordSystemId: string;
  partySystemId: string;
  /** Only the fields given are changed; `address: null` removes the address. */
  set: { name?: string; address?: Address | null; deceased?: boolean };
  /** The values the party held when planned. @default none (no value check) */
  expected?: PartyExpectation;
  /** The korrespondansepart's ETag when planned; used only without `expected`. @default none */
  expectedVersion?: string;
}

/** Every operation type, as `capabilities.apply` lists them. */
export const NOARK_OPERATION_TYPES = [
  'update_party',
  'remove_party_address',
  'rekey_party_identifier',
  'add_party',
  'rekey_class',
  'remove_class',
  'create_case',
  'update_correspondence_party',
] as const satisfies readonly NoarkOperation['type'][];
