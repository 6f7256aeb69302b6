import type { Address, ArchiveRecord, Case } from '@registerbro/model';
import {
  type FirstSyncPolicy,
  DEFAULT_FIRST_SYNC_POLICY,
  addressesEqual,
  canonicalAddress,
  compareField,
  formatAddress,
} from '../compare.js';
import { DEFAULT_MASTERS, type Masters } from '../masters.js';
import { type BaseLookup, type Plan, createBaseLookup } from '../types.js';
import { PlanBuilder, compareConflictReason, orNull, partySlots } from './common.js';

/**
 * F6 — addresses (DESIGN.md "The flows"). An official address changed in Matrikkelen (street
 * renamed, number changed) updates the archive parties whose address copy is the old official
 * address — seen on the party itself, or in the base we synced last.
 *
 * Coordination with F1 (one writer per party field): F1 owns the address of every party that is a
 * person known to Folkeregisteret, because Folkeregisteret itself follows Matrikkelen's renames.
 * So F6 leaves alone every party carrying an 11-digit identifier and every party in `excludeTargets`
 * (pass the identity links F1 holds and the targets of F1's plan `links`); it covers organisations
 * and parties without identifier. `mergePlans` enforces the same rule once more: an F6 operation or
 * conflict on a (target, field) that F1 also planned is dropped.
 */

/** One official address change from Matrikkelen. */
export interface AddressChange {
  /** The official address before the change. */
  previous: Address;
  /** The official address now. */
  current: Address;
  /** When the change took effect (`YYYY-MM-DD`). */
  at?: string;
}

/** Input of {@link planF6}. */
export interface PlanF6Input {
  changes: readonly AddressChange[];
  cases: readonly Case[];
  /** @default [] */
  records?: readonly ArchiveRecord[];
  bases?: BaseLookup;
  /** @default 'adopt_master_when_certain' */
  policy?: FirstSyncPolicy;
  /** Party targets F1 covers (linked to a person without carrying an identifier). @default none */
  excludeTargets?: ReadonlySet<string>;
  /** @default DEFAULT_MASTERS */
  masters?: Masters;
}

interface Resolved {
  current: Address;
  first: AddressChange;
  last: AddressChange;
}

/** Plan F6. Pure: reads its input only. */
export function planF6(input: PlanF6Input): Plan {
  const b = new PlanBuilder('F6', input.bases ?? createBaseLookup());
  if ((input.masters ?? DEFAULT_MASTERS)['property.addresses'] !== 'matrikkel') return b.plan;
  const byPrevious = new Map<string, AddressChange>();
  for (const change of input.changes) {
    if (!addressesEqual(change.previous, change.current))
      byPrevious.set(canonicalAddress(change.previous), change);
  }
  // Follow chains (renamed twice between runs) to the address that holds now.
  const follow = (address: Address): Resolved | undefined => {
    let change = byPrevious.get(canonicalAddress(address));
    if (change === undefined) return undefined;
    const first = change;
    const seen = new Set<AddressChange>();
    for (;;) {
      seen.add(change);
      const next = byPrevious.get(canonicalAddress(change.current));
      if (next === undefined || seen.has(next)) return { current: change.current, first, last: change };
      change = next;
    }
  };
  const currentKeys = new Set(input.changes.map((c) => canonicalAddress(c.current)));
  const policy = input.policy ?? DEFAULT_FIRST_SYNC_POLICY;

  for (const slot of partySlots(input.cases, input.records)) {
    b.examined();
    const { party, target } = slot;
    if (party.identifier?.length === 11 || input.excludeTargets?.has(target)) {
      b.skip('f1_person');
      continue;
    }
    const base = b.base(target, 'address');
    const baseAddress = base?.value == null ? undefined : (base.value as Address);
    const viaTarget = party.address === undefined ? undefined : follow(party.address);
    const viaBase = baseAddress === undefined ? undefined : follow(baseAddress);
    const resolved = viaTarget ?? viaBase;
    if (resolved === undefined) {
      // In sync with a new official address already, with no base yet: record it.
      if (party.address !== undefined && currentKeys.has(canonicalAddress(party.address))) {
        const recordBase = baseAddress === undefined || !addressesEqual(baseAddress, party.address);
        b.inSync(target, 'address', party.address, recordBase);
      } else b.skip('unrelated');
      continue;
    }
    const master = resolved.current;
    const r = compareField<Address>({
      master,
      target: orNull(party.address),
      base: base === undefined ? undefined : { value: baseAddress ?? null },
      equals: addressesEqual,
      firstSync: policy,
      // Without a base the link is the copy itself: certain only when the copy IS the old official address.
      certain: viaTarget !== undefined,
    });
    if (r.outcome === 'in_sync') {
      b.inSync(target, 'address', master, r.recordBase);
    } else if (r.outcome === 'update') {
      if (slot.frozen) {
        b.skip('frozen');
        continue;
      }
      const at = resolved.last.at ?? resolved.first.at;
      b.op({
        type: 'party.update',
        system: 'noark',
        target,
        flow: 'F6',
        rule: 'F6.address',
        reason: `Matrikkelen: adresse endret fra ${formatAddress(resolved.first.previous)} til ${formatAddress(master)}${at ? ` ${at}` : ''}${r.adopted ? ' (første synkronisering)' : ''}`,
        location: slot.location,
        set: { address: master },
        expected: { address: orNull(party.address) },
        ...(party.version === undefined ? {} : { expectedVersion: party.version }),
        ...(r.adopted ? { adopted: true } : {}),
      });
    } else {
      b.conflict({
        kind: r.kind,
        target,
        field: 'address',
        rule: 'F6.address',
        reason: compareConflictReason(r.kind, 'adresse', 'Matrikkelen'),
        master,
        local: orNull(party.address),
        base: base === undefined ? null : base.value,
        entityType: 'party',
      });
    }
  }
  return b.plan;
}
