import type { Address, ArchiveRecord, Case, Party, Person } from '@registerbro/model';
import { isProtected } from '@registerbro/model';
import { canonicalJson, sha256Hex } from '../../store/canonical-json.js';
import type { CompareConflictKind } from '../compare.js';
import {
  type ArchiveOperation,
  type FlowId,
  type OperationDraft,
  type PartyLocation,
  finalizeOperation,
  partyTarget,
} from '../operations.js';
import {
  type BaseLookup,
  type Plan,
  type PlannedConflict,
  PROTECTED_PLACEHOLDER,
  emptyPlan,
} from '../types.js';

/** Shared plumbing of the flow planners (internal to the plan module). */

/** An archive party and where it lives. */
export interface PartySlot {
  location: PartyLocation;
  target: string;
  party: Party;
  /** True on a finalised journalpost: Noark forbids edits. */
  frozen: boolean;
}

/** Every party on the cases (sakspart) and records (korrespondansepart), in input order. */
export function* partySlots(
  cases: readonly Case[],
  records: readonly ArchiveRecord[] = [],
): Generator<PartySlot> {
  for (const c of cases) {
    for (const [index, party] of c.parties.entries()) {
      const location: PartyLocation = { container: 'saksmappe', containerId: c.systemId, index };
      if (party.systemId !== undefined) location.partySystemId = party.systemId;
      yield { location, target: partyTarget(location), party, frozen: false };
    }
  }
  for (const r of records) {
    for (const [index, party] of r.correspondenceParties.entries()) {
      const location: PartyLocation = { container: 'journalpost', containerId: r.systemId, index };
      if (party.systemId !== undefined) location.partySystemId = party.systemId;
      yield { location, target: partyTarget(location), party, frozen: r.frozen };
    }
  }
}

/** sha256 hex of a conflict's identity: flow, target and field (or kind). No values. */
export function conflictKeyOf(flow: FlowId, target: string, fieldOrKind: string): string {
  return sha256Hex(canonicalJson({ flow, target, field: fieldOrKind }));
}

/** Short, non-reversible-by-eye tag for a value used in a field name (never an fnr in clear). */
export function tagOf(value: string): string {
  return sha256Hex(value).slice(0, 16);
}

/** Collects a flow's plan. */
export class PlanBuilder {
  readonly plan: Plan = emptyPlan();
  constructor(
    readonly flow: FlowId,
    readonly bases: BaseLookup,
  ) {}

  examined(): void {
    this.plan.stats.examined++;
  }

  skip(reason: string): void {
    this.plan.stats.skipped[reason] = (this.plan.stats.skipped[reason] ?? 0) + 1;
  }

  inSync(recordKey: string, field: string, value: unknown, recordBase: boolean): void {
    this.plan.stats.inSync++;
    if (recordBase) this.plan.baseUpdates.push({ system: 'noark', recordKey, field, value });
  }

  base(recordKey: string, field: string): { value: unknown } | undefined {
    return this.bases.get(recordKey, field);
  }

  op(draft: OperationDraft): ArchiveOperation {
    const op = finalizeOperation(draft) as ArchiveOperation;
    this.plan.operations.push(op);
    this.plan.stats.operations++;
    if (op.adopted) this.plan.stats.adopted++;
    return op;
  }

  conflict(c: Omit<PlannedConflict, 'flow' | 'conflictKey'> & { conflictKey?: string }): void {
    const safe = c.protected
      ? { master: PROTECTED_PLACEHOLDER, local: PROTECTED_PLACEHOLDER, base: PROTECTED_PLACEHOLDER }
      : { master: c.master ?? null, local: c.local ?? null, base: c.base ?? null };
    const conflict: PlannedConflict = {
      ...c,
      ...safe,
      flow: this.flow,
      conflictKey: c.conflictKey ?? conflictKeyOf(this.flow, c.target, c.field ?? c.kind),
    };
    if (conflict.protected === undefined) delete conflict.protected;
    this.plan.conflicts.push(conflict);
    this.plan.stats.conflicts++;
  }
}

/** Human words for the compare's conflict kinds (Norwegian, as the archive's users read them). */
export function compareConflictReason(kind: CompareConflictKind, fieldLabel: string, master: string): string {
  switch (kind) {
    case 'local_edit':
      return `${fieldLabel}: endret lokalt i arkivet siden siste synkronisering; ${master} har ikke endret seg`;
    case 'both_changed':
      return `${fieldLabel}: endret både i ${master} og lokalt i arkivet siden siste synkronisering`;
    case 'first_sync':
      return `${fieldLabel}: første synkronisering, arkivet og ${master} er ulike`;
  }
}

/**
 * The address Folkeregisteret says to use for a person, or `undefined` when the engine must leave the
 * party's address alone:
 * - protected person → `undefined` (never an address; F1 removes copies separately);
 * - deceased → `undefined`: the last known address stays as history for the estate;
 * - emigrated (utflyttet) → the postal address Folkeregisteret holds (normally the foreign one), else a
 *   foreign residential address; else `undefined` (the old Norwegian address is not written, nor is
 *   the copy removed on thin evidence);
 * - otherwise → postal address, else residential address.
 */
export function masterAddress(person: Person): Address | undefined {
  if (isProtected(person.adressebeskyttelse)) return undefined;
  if (person.status === 'doed') return undefined;
  if (person.status === 'utflyttet') {
    if (person.postalAddress) return person.postalAddress;
    return person.residentialAddress?.kind === 'utenlandsk' ? person.residentialAddress : undefined;
  }
  return person.postalAddress ?? person.residentialAddress;
}

/** `null` for an absent value, as the compare wants it. */
export function orNull<V>(value: V | undefined): V | null {
  return value === undefined ? null : value;
}
