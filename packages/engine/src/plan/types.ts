import type { FlowId, ArchiveOperation } from './operations.js';

/**
 * The shapes every flow planner returns. A plan is pure data: nothing has been written anywhere.
 */

/** The kinds of conflict the planner opens. */
export type ConflictKind =
  /** The target was edited locally since the last sync (T ≠ B = M). */
  | 'local_edit'
  /** Both the target and the master changed since the last sync (T ≠ B ≠ M). */
  | 'both_changed'
  /** First sync, target ≠ master, and the policy (or an uncertain link) does not allow adopting. */
  | 'first_sync'
  /** A party without identifier matches several people. */
  | 'ambiguous_party'
  /** A party without identifier partly matches people, but not exactly one on name + birth date + address. */
  | 'unmatched_party'
  /** The party's fnr/D-nummer is unknown to Folkeregisteret. */
  | 'unknown_person'
  /** The party's identifier fails the fødselsnummer check. */
  | 'invalid_identifier'
  /** Folkeregisteret says the identity ceased (opphørt) without a successor identifier. */
  | 'person_ceased'
  /** The protected person's address is on a finalised journalpost, which the archive forbids editing. */
  | 'frozen_protected_address'
  /** A GBNR unit was split: several successors, the engine cannot pick one. */
  | 'split'
  /** The GBNR class names a unit Matrikkelen does not know. */
  | 'unknown_unit'
  /** The unit is utgått without successor. */
  | 'unit_gone'
  /** The unit's kommune was split between several new kommuner. */
  | 'ambiguous_kommune'
  /** The GBNR class id is not a matrikkelnummer. */
  | 'invalid_gbnr';

/**
 * A decision the engine leaves to an administrator (DESIGN.md "When the engine cannot decide").
 * `master`, `local` and `base` are display-safe: a protected person's values are `"<beskyttet>"`,
 * and identifiers are masked.
 */
export interface PlannedConflict {
  kind: ConflictKind;
  /** The target record's key (no fnr in it). */
  target: string;
  flow: FlowId;
  /** The rule that found it, e.g. `F1.address`. */
  rule: string;
  /** The field concerned, when the conflict is about one field. */
  field?: string;
  /** Human reason; never an unmasked fnr or a protected address. */
  reason: string;
  /** The master's side. */
  master: unknown;
  /** The target's (archive's) side. */
  local: unknown;
  /** The last synced base; `null` when there is none. */
  base: unknown;
  /** `party`, `class` or `case`. */
  entityType: 'party' | 'class' | 'case';
  /** sha256 hex of (flow, target, field or kind): stable while the same decision is open. */
  conflictKey: string;
  /** True when a person with protected address is concerned (all sides are `"<beskyttet>"`). */
  protected?: boolean;
  /**
   * Unmasked keys of the entities involved (the person, the candidates), for the store's raw columns
   * and for the admin's "link to" choice. Never render or log them.
   */
  rawKeys?: string[];
}

/** A base value to record because target and master already agree (T = M). Same shape as the store's. */
export interface BaseUpdate {
  system: 'noark';
  recordKey: string;
  field: string;
  /** JSON value; `null` records "no value" (e.g. no address). */
  value: unknown;
}

/** An identity link the planner learned: a party without identifier matched exactly one person. */
export interface PlannedLink {
  flow: FlowId;
  target: string;
  entityType: 'person';
  /** The person's current identifier, unmasked (the store keeps it in its own column). Never render. */
  canonicalId: string;
  how: 'matched';
  reason: string;
}

/** Counts of a plan. */
export interface PlanStats {
  /** Target records looked at (parties, classes, cases). */
  examined: number;
  /** Fields found in sync. */
  inSync: number;
  operations: number;
  conflicts: number;
  /** Operations that are first-sync adoptions. */
  adopted: number;
  /** Records left alone, by reason (`not_loaded`, `organisation`, `no_candidates`, …). */
  skipped: Record<string, number>;
}

/** The result of planning one or several flows. */
export interface Plan {
  operations: ArchiveOperation[];
  conflicts: PlannedConflict[];
  baseUpdates: BaseUpdate[];
  links: PlannedLink[];
  stats: PlanStats;
}

/** Read access to the last synced base values (the B of the three-way compare). */
export interface BaseLookup {
  /** The base of one field of one target record, or `undefined` when nothing was ever synced. */
  get(recordKey: string, field: string): { value: unknown } | undefined;
}

/** A base lookup over a list of base values (as the store returns them). */
export function createBaseLookup(
  values: Iterable<{ recordKey: string; field: string; value: unknown }> = [],
): BaseLookup {
  const map = new Map<string, unknown>();
  for (const v of values) map.set(`${v.recordKey}\u0000${v.field}`, v.value);
  return {
    get(recordKey, field) {
      const key = `${recordKey}\u0000${field}`;
      return map.has(key) ? { value: map.get(key) ?? null } : undefined;
    },
  };
}

/** An empty plan. */
export function emptyPlan(): Plan {
  return {
    operations: [],
    conflicts: [],
    baseUpdates: [],
    links: [],
    stats: { examined: 0, inSync: 0, operations: 0, conflicts: 0, adopted: 0, skipped: {} },
  };
}

/** The text shown instead of any value of a person with protected address. */
export const PROTECTED_PLACEHOLDER = '<beskyttet>';
