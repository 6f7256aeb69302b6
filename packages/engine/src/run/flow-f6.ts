import type { Address, Case, ChangePage, Property } from '@registerbro/model';
import { canonicalAddress } from '../plan/compare.js';
import { type AddressChange, planF6 } from '../plan/flows/f6-addresses.js';
import { createBaseLookup } from '../plan/types.js';
import type { BaseValue, Reference, ReferenceFilter } from '../store/types.js';
import { partyTargetsOf, readCases } from './archive-read.js';
import { type RunContext, commitPlan, quarantineInputs } from './context.js';
import { readCasesByKey } from './flow-f1.js';
import { matrikkelOf } from './flow-f2.js';

/**
 * F6 — addresses. Matrikkelen's change log says which units changed, not what an address was
 * before, so the runner keeps its own snapshot of each unit's official addresses (base values of
 * system `matrikkel`, field `addresses`) and diffs the new state against it by `adresseId`. A
 * changed address finds the archive parties holding its old form through the reference index
 * (`matrikkel` / `adresse:<canonical address>`), which the full run builds from every party F6
 * covers (organisations and parties without identifier; F1 owns people's addresses).
 */

export const F6_SOURCE = 'matrikkel';
export const F6_STREAM = 'F6';
const SNAPSHOT_FIELD = 'addresses';

function addressKey(address: Address): string {
  return `adresse:${canonicalAddress(address)}`;
}

/** The official addresses of a unit as we keep them: only what the address comparison reads. */
function snapshotOf(p: Property): Address[] {
  return p.addresses.map((a) => {
    const { sources: _s, representationPoint: _p, ...rest } = a;
    return rest;
  });
}

async function diffUnits(
  ctx: RunContext,
  units: readonly Property[],
): Promise<{ changes: AddressChange[]; snapshots: BaseValue[] }> {
  const stored = await ctx.store.getBaseMany(
    'matrikkel',
    units.map((u) => u.matrikkelnummer),
  );
  const changes: AddressChange[] = [];
  const snapshots: BaseValue[] = [];
  for (const unit of units) {
    const now = snapshotOf(unit);
    const before = stored.get(unit.matrikkelnummer)?.[SNAPSHOT_FIELD] as Address[] | undefined;
    if (before !== undefined) {
      const byId = new Map(before.filter((a) => a.adresseId).map((a) => [a.adresseId!, a]));
      for (const current of now) {
        const previous = current.adresseId ? byId.get(current.adresseId) : undefined;
        if (previous && canonicalAddress(previous) !== canonicalAddress(current)) {
          changes.push({
            previous,
            current,
            ...(unit.sources[0]?.fetchedAt ? { at: unit.sources[0].fetchedAt.slice(0, 10) } : {}),
          });
        }
      }
    }
    snapshots.push({
      system: 'matrikkel',
      recordKey: unit.matrikkelnummer,
      field: SNAPSHOT_FIELD,
      value: now,
    });
  }
  return { changes, snapshots };
}

/** Parties F6 covers: no 11-digit identifier and not linked to a person by F1. */
async function coveredParties(
  ctx: RunContext,
  cases: readonly Case[],
): Promise<{ exclude: Set<string>; references: { add: Reference[]; remove: ReferenceFilter[] } }> {
  const exclude = new Set<string>();
  const add: Reference[] = [];
  const remove: ReferenceFilter[] = [];
  for (const c of cases) {
    remove.push({
      targetSystem: 'noark',
      targetKey: c.systemId,
      masterSystem: 'matrikkel',
      relation: 'address',
    });
    const keys = new Set<string>();
    for (const { party, target } of partyTargetsOf(c)) {
      if (party.identifier?.length === 11) continue;
      if (party.identifier === undefined && (await ctx.store.resolveCanonical('person', 'noark', target))) {
        exclude.add(target);
        continue;
      }
      if (party.address) keys.add(addressKey(party.address));
    }
    for (const key of keys)
      add.push({
        masterSystem: 'matrikkel',
        masterKey: key,
        targetSystem: 'noark',
        targetKey: c.systemId,
        relation: 'address',
        flow: 'F6',
      });
  }
  return { exclude, references: { add, remove } };
}

async function planPage(ctx: RunContext, cases: readonly Case[], changes: readonly AddressChange[]) {
  const covered = await coveredParties(ctx, cases);
  const targets = cases.flatMap((c) => partyTargetsOf(c).map((s) => s.target));
  const baseMap = await ctx.store.getBaseMany('noark', targets);
  const bases = createBaseLookup(
    [...baseMap].flatMap(([recordKey, fields]) =>
      Object.entries(fields).map(([field, value]) => ({ recordKey, field, value })),
    ),
  );
  const settings = ctx.options.flows?.F6;
  const plan = planF6({
    changes,
    cases,
    bases,
    excludeTargets: covered.exclude,
    ...(settings?.policy ? { policy: settings.policy } : {}),
    ...(ctx.masters ? { masters: ctx.masters } : {}),
  });
  return { plan, references: covered.references };
}

/**
 * Full F6: head first; Matrikkelen's scan refreshes the address snapshot (diffing it against the
 * stored one); then the archive's scan rebuilds the address references and plans every page
 * against the changes found.
 */
export async function runFullF6(ctx: RunContext): Promise<void> {
  const source = matrikkelOf(ctx, 'F6');
  const startCursor = (await ctx.store.getCursor(F6_SOURCE, F6_STREAM)) ?? null;
  const head = await ctx.source('matrikkel', 'reading the change log head', () =>
    source.head(ctx.signal ? { signal: ctx.signal } : {}),
  );
  const changes: AddressChange[] = [];
  const snapshots: BaseValue[] = [];
  const iterator = source.scan(ctx.signal ? { signal: ctx.signal } : {})[Symbol.asyncIterator]();
  for (;;) {
    ctx.checkAborted();
    const next = await ctx.source('matrikkel', 'scanning Matrikkelen', () => iterator.next());
    if (next.done) break;
    ctx.count('propertiesRead', next.value.entities.length);
    const diff = await diffUnits(ctx, next.value.entities);
    changes.push(...diff.changes);
    snapshots.push(...diff.snapshots);
  }
  ctx.count('addressChanges', changes.length);
  let page = 0;
  for await (const scan of readCases(ctx)) {
    page++;
    const { plan, references } = await planPage(ctx, scan.cases, changes);
    await commitPlan(ctx, {
      source: 'noark',
      stream: 'F6:full',
      cursor: `run:${ctx.runId ?? 0}:page:${page}`,
      plan,
      quarantine: scan.quarantine,
      references,
    });
  }
  // Snapshots move with the cursor, after the archive pages are planned: a failure before this
  // point replans the same changes next time.
  if (!ctx.dryRun) {
    await ctx.store.commitPage({
      source: F6_SOURCE,
      stream: F6_STREAM,
      cursor: head,
      expectedCursor: startCursor,
      baseValues: snapshots,
    });
  }
}

/** Incremental F6: changed units → address diff → parties holding the old address → plan → commit → drain. */
export async function runIncrementalF6(ctx: RunContext, drain: () => Promise<void>): Promise<boolean> {
  const source = matrikkelOf(ctx, 'F6');
  let cursor = await ctx.store.getCursor(F6_SOURCE, F6_STREAM);
  if (cursor === undefined) return false;
  const iterator = source.changes(cursor, ctx.signal ? { signal: ctx.signal } : {})[Symbol.asyncIterator]();
  for (;;) {
    ctx.checkAborted();
    const next: IteratorResult<ChangePage<Property>> = await ctx.source(
      'matrikkel',
      `reading changes after cursor ${cursor}`,
      () => iterator.next(),
    );
    if (next.done) break;
    const page: ChangePage<Property> = next.value;
    ctx.count('changes', page.changes.length);
    const units: Property[] = [];
    for (const change of page.changes) {
      if (change.kind === 'upsert') units.push(change.entity);
      else if (change.kind === 'rekey') units.push(...(change.entities ?? []));
    }
    const diff = await diffUnits(ctx, units);
    ctx.count('addressChanges', diff.changes.length);
    const caseIds = new Set<string>();
    for (const change of diff.changes) {
      for (const ref of await ctx.store.dependentsOf('matrikkel', addressKey(change.previous)))
        caseIds.add(ref.targetKey);
    }
    const read = await readCasesByKey(ctx, [...caseIds]);
    const { plan, references } = await planPage(ctx, read.cases, diff.changes);
    await commitPlan(ctx, {
      source: F6_SOURCE,
      stream: F6_STREAM,
      cursor: page.cursor,
      expectedCursor: cursor,
      plan,
      quarantine: [...quarantineInputs('matrikkel', page.quarantined, ctx.runId), ...read.quarantine],
      references,
      baseValues: diff.snapshots,
    });
    cursor = page.cursor;
    if (!ctx.dryRun) await drain();
  }
  return true;
}
