import type { Adapter, Address, Case, ChangePage, Property } from '@registerbro/model';
import { canonicalAddress } from '../plan/compare.js';
import { type AddressChange, planF6 } from '../plan/flows/f6-addresses.js';
import { createBaseLookup, emptyPlan } from '../plan/types.js';
import type { BaseValue, Reference, ReferenceFilter } from '../store/types.js';
import { partyTargetsOf, readCases } from './archive-read.js';
import { canonicalJson } from '../store/canonical-json.js';
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
/** Snapshots of unchanged units written per transaction during a full scan. */
const EARLY_BATCH = 5_000;

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
): Promise<{ changes: AddressChange[]; snapshots: BaseValue[]; unchanged: BaseValue[]; held: BaseValue[] }> {
  const stored = await ctx.store.getBaseMany(
    'matrikkel',
    units.map((u) => u.matrikkelnummer),
  );
  const changes: AddressChange[] = [];
  const snapshots: BaseValue[] = [];
  const unchanged: BaseValue[] = [];
  const held: BaseValue[] = [];
  for (const unit of units) {
    const now = snapshotOf(unit);
    const before = stored.get(unit.matrikkelnummer)?.[SNAPSHOT_FIELD] as Address[] | undefined;
    let changed = false;
    if (before !== undefined) {
      const byId = new Map(before.filter((a) => a.adresseId).map((a) => [a.adresseId!, a]));
      for (const current of now) {
        const previous = current.adresseId ? byId.get(current.adresseId) : undefined;
        if (previous && canonicalAddress(previous) !== canonicalAddress(current)) {
          changed = true;
          changes.push({
            previous,
            current,
            ...(unit.sources[0]?.fetchedAt ? { at: unit.sources[0].fetchedAt.slice(0, 10) } : {}),
          });
        }
      }
    }
    const snapshot: BaseValue = {
      system: 'matrikkel',
      recordKey: unit.matrikkelnummer,
      field: SNAPSHOT_FIELD,
      value: now,
    };
    snapshots.push(snapshot);
    // No address of the unit changed (or it is new to us): its snapshot may be stored at once (an
    // identical one needs no write at all). A changed unit's is held until its change is planned.
    if (changed) held.push(snapshot);
    else if (before === undefined || canonicalJson(before) !== canonicalJson(now)) unchanged.push(snapshot);
  }
  return { changes, snapshots, unchanged, held };
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

/** Runs whose planning of address changes waits for other runs (set by `runFlows`). */
const barriers = new WeakMap<RunContext, Promise<unknown>>();

/** Make the full F6 run of `ctx` plan its address changes only after `settled` settles. */
export function planAfter(ctx: RunContext, settled: Promise<unknown>): void {
  barriers.set(ctx, settled);
}

/**
 * Matrikkelen's scan diffed against the stored snapshot, page by page. Snapshots of units without a
 * changed address are stored page by page (memory stays flat; writing them early loses nothing:
 * there is no change in them to plan); those of units with a changed address are returned, to move
 * with the cursor once the changes are planned.
 */
async function scanAddresses(
  ctx: RunContext,
  source: Adapter<Property>,
  signal: AbortSignal,
): Promise<{ changes: AddressChange[]; deferred: BaseValue[] }> {
  const changes: AddressChange[] = [];
  const deferred: BaseValue[] = [];
  // Written a few thousand at a time, each batch in one transaction (one commit, one sync to disk).
  let early: BaseValue[] = [];
  const flush = async () => {
    const values = early;
    early = [];
    if (!ctx.dryRun && values.length > 0) await ctx.store.transaction((tx) => tx.setBase(values));
  };
  const iterator = source.scan({ signal })[Symbol.asyncIterator]();
  for (;;) {
    ctx.checkAborted();
    const next = await ctx.source('matrikkel', 'scanning Matrikkelen', () => iterator.next());
    if (next.done) break;
    ctx.count('propertiesRead', next.value.entities.length);
    const diff = await diffUnits(ctx, next.value.entities);
    changes.push(...diff.changes);
    deferred.push(...diff.held);
    early.push(...diff.unchanged);
    if (early.length >= EARLY_BATCH) await flush();
  }
  await flush();
  return { changes, deferred };
}

/**
 * The address keys (`adresse:<canonical>`) a page's F6 parties could be planned by — the party's
 * address and its last synced base — with their cases: planF6 plans a party only when one of them
 * is the previous or the current form of a changed address.
 */
async function collectCandidates(
  ctx: RunContext,
  cases: readonly Case[],
  exclude: ReadonlySet<string>,
  into: Map<string, Set<string>>,
): Promise<void> {
  const slots = cases.flatMap((c) =>
    partyTargetsOf(c)
      .filter(({ party, target }) => party.identifier?.length !== 11 && !exclude.has(target))
      .map((slot) => ({ ...slot, caseId: c.systemId })),
  );
  if (slots.length === 0) return;
  const bases = await ctx.store.getBaseMany(
    'noark',
    slots.map((s) => s.target),
  );
  const add = (address: unknown, caseId: string) => {
    if (address === null || address === undefined) return;
    const key = addressKey(address as Address);
    const set = into.get(key);
    if (set) set.add(caseId);
    else into.set(key, new Set([caseId]));
  };
  for (const { party, target, caseId } of slots) {
    add(party.address, caseId);
    add(bases.get(target)?.address, caseId);
  }
}

/**
 * Full F6: head first; then, at the same time, Matrikkelen's scan (diffed against the stored address
 * snapshot) and the archive's scan (rebuilding the address references page by page and noting which
 * cases hold which addresses). Then the cases holding a changed address — in its previous or its
 * current form, on the party or in its base — are read again and planned (after F1 and F2 when they
 * run alongside, as in a sequential sync). The snapshot moves with the cursor at the end.
 */
export async function runFullF6(ctx: RunContext): Promise<void> {
  const source = matrikkelOf(ctx, 'F6');
  const startCursor = (await ctx.store.getCursor(F6_SOURCE, F6_STREAM)) ?? null;
  const head = await ctx.source('matrikkel', 'reading the change log head', () =>
    source.head(ctx.signal ? { signal: ctx.signal } : {}),
  );
  // The archive pass stops Matrikkelen's scan when it fails (and the other way round via the error).
  const local = new AbortController();
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, local.signal]) : local.signal;
  const units = scanAddresses(ctx, source, signal);
  units.catch(() => undefined);
  const candidates = new Map<string, Set<string>>();
  let page = 0;
  try {
    for await (const scan of readCases(ctx)) {
      page++;
      const covered = await coveredParties(ctx, scan.cases);
      await collectCandidates(ctx, scan.cases, covered.exclude, candidates);
      await commitPlan(ctx, {
        source: 'noark',
        stream: 'F6:full',
        cursor: `run:${ctx.runId ?? 0}:page:${page}`,
        plan: emptyPlan(),
        quarantine: scan.quarantine,
        references: covered.references,
      });
    }
  } catch (error) {
    local.abort(error);
    await units.catch(() => undefined);
    throw error;
  }
  const { changes, deferred } = await units;
  ctx.count('addressChanges', changes.length);
  if (changes.length > 0) {
    await barriers.get(ctx);
    const caseIds = new Set<string>();
    for (const change of changes) {
      for (const key of [addressKey(change.previous), addressKey(change.current)])
        for (const id of candidates.get(key) ?? []) caseIds.add(id);
    }
    if (caseIds.size > 0) {
      // Read again: the plan is made against the cases as they are now (after F1's and F2's writes).
      const read = await readCasesByKey(ctx, [...caseIds]);
      const { plan, references } = await planPage(ctx, read.cases, changes);
      for (const gone of read.gone)
        references.remove.push({
          targetSystem: 'noark',
          targetKey: gone,
          masterSystem: 'matrikkel',
          relation: 'address',
        });
      await commitPlan(ctx, {
        source: 'noark',
        stream: 'F6:full',
        cursor: `run:${ctx.runId ?? 0}:changes`,
        plan,
        quarantine: read.quarantine,
        references,
      });
    }
  }
  // The snapshots of changed units move with the cursor, after the changes are planned: a failure
  // before this point replans the same changes next time.
  if (!ctx.dryRun) {
    await ctx.store.commitPage({
      source: F6_SOURCE,
      stream: F6_STREAM,
      cursor: head,
      expectedCursor: startCursor,
      baseValues: deferred,
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
    for (const ref of await ctx.store.dependentsOfMany(
      'matrikkel',
      diff.changes.map((change) => addressKey(change.previous)),
    ))
      caseIds.add(ref.targetKey);
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
