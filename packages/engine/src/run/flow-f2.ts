import {
  type Adapter,
  type Case,
  type ChangePage,
  ConfigError,
  type Person,
  type Property,
  formatMatrikkelnummer,
  isProtected,
  parseMatrikkelnummer,
} from '@registerbro/model';
import { indexPersons, resolveUnit } from '../plan/identity.js';
import { planF2 } from '../plan/flows/f2-properties.js';
import { caseTarget, type ArchiveOperation } from '../plan/operations.js';
import { createBaseLookup, type Plan } from '../plan/types.js';
import type { QuarantineInput, Reference, ReferenceFilter } from '../store/types.js';
import { readCases } from './archive-read.js';
import { type RunContext, batches, commitPlan, quarantineInputs } from './context.js';
import { readCasesByKey, readPeople } from './flow-f1.js';

export const F2_SOURCE = 'matrikkel';
export const F2_STREAM = 'F2';

export function matrikkelOf(ctx: RunContext, flow: string): Adapter<Property> {
  const source = ctx.options.sources.matrikkel;
  if (source === undefined) {
    throw new ConfigError(`Flow ${flow} needs the Matrikkelen source, and none is configured`, {
      key: 'sources.matrikkel',
      hint: `Configure the matrikkel adapter or disable flow ${flow}.`,
    });
  }
  return source;
}

function isGbnr(system: string): boolean {
  return system.trim().toUpperCase() === 'GBNR';
}

/** Units read for some cases: living and utgått, with the keys Matrikkelen does not know. */
export interface UnitsRead {
  properties: Map<string, Property>;
  missing: Set<string>;
  quarantine: QuarantineInput[];
}

/**
 * Read the units the cases' GBNR classes name, following successors (splits, merges) and kommune
 * renumbering round by round until every class resolves or nothing new can be asked.
 */
export async function loadUnits(
  ctx: RunContext,
  source: Adapter<Property>,
  cases: readonly Case[],
  preloaded: Iterable<Property> = [],
): Promise<UnitsRead> {
  const out: UnitsRead = { properties: new Map(), missing: new Set(), quarantine: [] };
  for (const p of preloaded) out.properties.set(p.matrikkelnummer, p);
  const asked = new Set<string>();
  const defaultKommunenummer = ctx.options.defaultKommunenummer ?? ctx.store.tenant;
  const at = ctx.nowIso().slice(0, 10);
  const size = Math.max(1, Math.min(ctx.options.batchSize ?? 500, source.capabilities.maxBatchSize ?? 1000));
  for (let round = 0; round < 16; round++) {
    const need = new Set<string>();
    for (const c of cases) {
      for (const klass of c.classes) {
        if (!isGbnr(klass.system)) continue;
        const r = resolveUnit(klass.classId, {
          properties: out.properties,
          missing: out.missing,
          at,
          defaultKommunenummer,
        });
        if (r.status === 'not_loaded' && !asked.has(r.key)) need.add(r.key);
      }
    }
    if (need.size === 0) break;
    for (const batch of batches([...need].sort(), size)) {
      ctx.checkAborted();
      for (const key of batch) asked.add(key);
      const got = await ctx.source('matrikkel', `reading ${batch.length} matrikkelenheter (getMany)`, () =>
        source.getMany(batch, ctx.signal ? { signal: ctx.signal } : {}),
      );
      for (const p of got.entities) out.properties.set(p.matrikkelnummer, p);
      for (const m of got.missing) out.missing.add(m);
      out.quarantine.push(...quarantineInputs('matrikkel', got.quarantined, ctx.runId));
      ctx.count('propertiesRead', got.entities.length);
    }
  }
  return out;
}

/** Full keys a case's GBNR classes name, and the keys they resolve to now. */
function unitKeysOf(ctx: RunContext, c: Case, units?: UnitsRead): Set<string> {
  const keys = new Set<string>();
  const defaultKommunenummer = ctx.options.defaultKommunenummer ?? ctx.store.tenant;
  for (const klass of c.classes) {
    if (!isGbnr(klass.system)) continue;
    try {
      keys.add(formatMatrikkelnummer(parseMatrikkelnummer(klass.classId, { defaultKommunenummer })));
    } catch {
      continue;
    }
    if (units === undefined) continue;
    const r = resolveUnit(klass.classId, {
      properties: units.properties,
      missing: units.missing,
      at: ctx.nowIso().slice(0, 10),
      defaultKommunenummer,
    });
    if (r.status === 'living') keys.add(r.key);
    else if (r.status === 'rekey') keys.add(r.to);
    else if (r.status === 'split') for (const k of r.candidates) keys.add(k);
  }
  return keys;
}

function f2References(
  ctx: RunContext,
  cases: readonly Case[],
  units: UnitsRead,
): { add: Reference[]; remove: ReferenceFilter[] } {
  const add: Reference[] = [];
  const remove: ReferenceFilter[] = [];
  for (const c of cases) {
    remove.push({
      targetSystem: 'noark',
      targetKey: c.systemId,
      masterSystem: 'matrikkel',
      relation: 'gbnr_class',
    });
    for (const key of unitKeysOf(ctx, c, units)) {
      add.push({
        masterSystem: 'matrikkel',
        masterKey: key,
        targetSystem: 'noark',
        targetKey: c.systemId,
        relation: 'gbnr_class',
        flow: 'F2',
      });
    }
  }
  return { add, remove };
}

/** Plan F2 for some cases: units, owners' people (when Folkeregisteret is configured), bases. */
export async function planCasesF2(
  ctx: RunContext,
  cases: readonly Case[],
  units: UnitsRead,
): Promise<{ plan: Plan; protectedOp: (op: ArchiveOperation) => boolean; quarantine: QuarantineInput[] }> {
  const folkeregister = ctx.options.sources.folkeregister;
  let persons = new Map<string, Person>();
  const quarantine: QuarantineInput[] = [];
  if (folkeregister !== undefined) {
    const owners = new Set<string>();
    for (const c of cases) {
      if (c.caseType !== 'byggesak' || !c.open) continue;
      for (const key of unitKeysOf(ctx, c, units)) {
        for (const o of units.properties.get(key)?.owners ?? [])
          if (o.kind === 'person') owners.add(o.identifier);
      }
    }
    if (owners.size > 0) {
      const read = await readPeople(ctx, folkeregister, owners);
      persons = read.persons;
      quarantine.push(...read.quarantine);
    }
  }
  const baseMap = await ctx.store.getBaseMany(
    'noark',
    cases.map((c) => caseTarget(c.systemId)),
  );
  const bases = createBaseLookup(
    [...baseMap].flatMap(([recordKey, fields]) =>
      Object.entries(fields).map(([field, value]) => ({ recordKey, field, value })),
    ),
  );
  const settings = ctx.options.flows?.F2;
  const plan = planF2({
    properties: units.properties,
    cases,
    missing: units.missing,
    persons,
    bases,
    ...(settings?.policy ? { policy: settings.policy } : {}),
    now: ctx.nowIso(),
    defaultKommunenummer: ctx.options.defaultKommunenummer ?? ctx.store.tenant,
    ...(ctx.masters ? { masters: ctx.masters } : {}),
  });
  const index = indexPersons(persons);
  const protectedOp = (op: ArchiveOperation): boolean => {
    if (op.type !== 'party.add' || op.party.identifier === undefined) return false;
    const person = index.get(op.party.identifier);
    return person !== undefined && isProtected(person.adressebeskyttelse);
  };
  return { plan, protectedOp, quarantine };
}

function hasGbnr(c: Case): boolean {
  return c.classes.some((k) => isGbnr(k.system));
}

/** Full F2: head of Matrikkelen's change log first, then the archive's GBNR classes page by page. */
export async function runFullF2(ctx: RunContext): Promise<void> {
  const source = matrikkelOf(ctx, 'F2');
  const startCursor = (await ctx.store.getCursor(F2_SOURCE, F2_STREAM)) ?? null;
  const head = await ctx.source('matrikkel', 'reading the change log head', () =>
    source.head(ctx.signal ? { signal: ctx.signal } : {}),
  );
  let page = 0;
  for await (const scan of readCases(ctx)) {
    page++;
    const cases = scan.cases.filter(hasGbnr);
    const units = await loadUnits(ctx, source, cases);
    const { plan, protectedOp, quarantine } = await planCasesF2(ctx, cases, units);
    const references = f2References(ctx, cases, units);
    // Cases that no longer hold a GBNR class depend on no unit.
    for (const c of scan.cases) {
      if (!hasGbnr(c))
        references.remove.push({
          targetSystem: 'noark',
          targetKey: c.systemId,
          masterSystem: 'matrikkel',
          relation: 'gbnr_class',
        });
    }
    await commitPlan(ctx, {
      source: 'noark',
      stream: 'F2:full',
      cursor: `run:${ctx.runId ?? 0}:page:${page}`,
      plan,
      quarantine: [...scan.quarantine, ...units.quarantine, ...quarantine],
      references,
      protectedOp,
    });
  }
  if (!ctx.dryRun) {
    await ctx.store.commitPage({
      source: F2_SOURCE,
      stream: F2_STREAM,
      cursor: head,
      expectedCursor: startCursor,
    });
  }
}

/** Incremental F2: Matrikkelen's changes → cases classified by the changed units → plan → commit → drain. */
export async function runIncrementalF2(ctx: RunContext, drain: () => Promise<void>): Promise<boolean> {
  const source = matrikkelOf(ctx, 'F2');
  let cursor = await ctx.store.getCursor(F2_SOURCE, F2_STREAM);
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
    const keys = new Set<string>();
    const preloaded: Property[] = [];
    const missing = new Set<string>();
    for (const change of page.changes) {
      if (change.kind === 'upsert') {
        keys.add(change.key);
        preloaded.push(change.entity);
      } else if (change.kind === 'delete') {
        keys.add(change.key);
        missing.add(change.key);
      } else {
        keys.add(change.from);
        for (const to of change.to) keys.add(to);
        preloaded.push(...(change.entities ?? []));
      }
    }
    const caseIds = new Set<string>();
    for (const ref of await ctx.store.dependentsOfMany('matrikkel', [...keys])) {
      if (ref.targetSystem === 'noark') caseIds.add(ref.targetKey);
    }
    const read = await readCasesByKey(ctx, [...caseIds]);
    const units = await loadUnits(ctx, source, read.cases, preloaded);
    for (const m of missing) if (!units.properties.has(m)) units.missing.add(m);
    const { plan, protectedOp, quarantine } = await planCasesF2(ctx, read.cases, units);
    const references = f2References(ctx, read.cases, units);
    for (const gone of read.gone) {
      references.remove.push({
        targetSystem: 'noark',
        targetKey: gone,
        masterSystem: 'matrikkel',
        relation: 'gbnr_class',
      });
    }
    await commitPlan(ctx, {
      source: F2_SOURCE,
      stream: F2_STREAM,
      cursor: page.cursor,
      expectedCursor: cursor,
      plan,
      quarantine: [
        ...quarantineInputs('matrikkel', page.quarantined, ctx.runId),
        ...read.quarantine,
        ...units.quarantine,
        ...quarantine,
      ],
      references,
      protectedOp,
    });
    cursor = page.cursor;
    if (!ctx.dryRun) await drain();
  }
  return true;
}
