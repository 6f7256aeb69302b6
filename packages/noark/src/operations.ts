import type { Address, CaseType, Operation, Party } from '@registerbro/model';

/**
 * The writes the Noark adapter applies. `target` is the case's key (saksnummer `YYYY/N` or
 * systemID), except for `create_case`, whose target is our external key (the deterministic key
 * the new case carries as TG `eksternID` / Fiks `referanseEksternNoekkel`).
 */
export type NoarkOperation =
  | UpdatePartyOperation
  | RemovePartyAddressOperation
  | AddPartyOperation
  | RekeyClassOperation
  | CreateCaseOperation
  | UpdateCorrespondencePartyOperation;

/** Update a sakspart's name, address and/or deceased flag (compare-and-set). */
export interface UpdatePartyOperation extends Operation {
  type: 'update_party';
  partySystemId: string;
  /** Only the fields given are changed; `address: null` removes the address. */
  set: { name?: string; address?: Address | null; deceased?: boolean };
}

/** Remove a sakspart's address (a person got protected address: nothing may stay copied). */
export interface RemovePartyAddressOperation extends Operation {
  type: 'remove_party_address';
  partySystemId: string;
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

/** Update a korrespondansepart on a journalpost; refused with ConflictError `frozen` once the journalpost is finalised. */
export interface UpdateCorrespondencePartyOperation extends Operation {
  type: 'update_correspondence_party';
  recordSystemId: string;
  partySystemId: string;
  set: { name?: string; address?: Address | null };
}

/** Every operation type, as `capabilities.apply` lists them. */
export const NOARK_OPERATION_TYPES = [
  'update_party',
  'remove_party_address',
  'add_party',
  'rekey_class',
  'create_case',
  'update_correspondence_party',
] as const satisfies readonly NoarkOperation['type'][];
