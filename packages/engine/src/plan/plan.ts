import { type Address, redactText } from '@registerbro/model';
import { formatAddress } from './compare.js';
import { type ArchiveOperation, type FlowId, fieldsOf } from './operations.js';
import { type Plan, type PlannedConflict, PROTECTED_PLACEHOLDER, emptyPlan } from './types.js';

/**
 * Merging flow plans, a stable order, and the human rendering of a dry run.
 */

/** Flow precedence when two flows plan the same field of the same record: F1 wins over F6 (see F6). */
export const FLOW_PRECEDENCE: readonly FlowId[] = ['F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7'];

const TYPE_ORDER: readonly ArchiveOperation['type'][] = [
  'party.rekey_identifier',
  'party.remove_address',
  'party.update',
  'class.rekey',
  'class.remove',
  'party.add',
  'case.create_followup',
];

const rank = (flow: FlowId): number => FLOW_PRECEDENCE.indexOf(flow);
const cmp = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);

/** Order operations by flow, target, type and key: the same input always renders the same plan. */
export function compareOperations(a: ArchiveOperation, b: ArchiveOperation): number {
  return (
    cmp(rank(a.flow), rank(b.flow)) ||
    cmp(a.target, b.target) ||
    cmp(TYPE_ORDER.indexOf(a.type), TYPE_ORDER.indexOf(b.type)) ||
    cmp(a.idempotencyKey, b.idempotencyKey)
  );
}

/** Order conflicts by flow, target, field/kind and key. */
export function compareConflicts(a: PlannedConflict, b: PlannedConflict): number {
  return (
    cmp(rank(a.flow), rank(b.flow)) ||
    cmp(a.target, b.target) ||
    cmp(a.field ?? a.kind, b.field ?? b.kind) ||
    cmp(a.conflictKey, b.conflictKey)
  );
}

/**
 * Merge flow plans into one, in a stable order. Operations with the same idempotency key and
 * conflicts with the same conflict key appear once. When flows of different precedence claim the
 * same (target, field) — by an operation or a conflict — only the claims of the flow with the highest
 * precedence stay; the others are dropped and counted in `stats.skipped.superseded`.
 */
export function mergePlans(...plans: Plan[]): Plan {
  const merged = emptyPlan();
  const claims = new Map<string, FlowId>();
  const claim = (flow: FlowId, target: string, field: string): void => {
    const key = `${target}\u0000${field}`;
    const owner = claims.get(key);
    if (owner === undefined || rank(flow) < rank(owner)) claims.set(key, flow);
  };
  for (const plan of plans) {
    for (const op of plan.operations) for (const f of fieldsOf(op)) claim(op.flow, op.target, f);
    for (const c of plan.conflicts) if (c.field) claim(c.flow, c.target, c.field);
  }
  const wins = (flow: FlowId, target: string, fields: string[]): boolean =>
    fields.every((f) => claims.get(`${target}\u0000${f}`) === flow);

  const opKeys = new Set<string>();
  const conflictKeys = new Set<string>();
  const baseKeys = new Set<string>();
  const linkKeys = new Set<string>();
  let superseded = 0;
  for (const plan of plans) {
    const s = plan.stats;
    merged.stats.examined += s.examined;
    merged.stats.inSync += s.inSync;
    for (const [k, v] of Object.entries(s.skipped))
      merged.stats.skipped[k] = (merged.stats.skipped[k] ?? 0) + v;
    for (const op of plan.operations) {
      if (opKeys.has(op.idempotencyKey)) continue;
      if (!wins(op.flow, op.target, fieldsOf(op))) {
        superseded++;
        continue;
      }
      opKeys.add(op.idempotencyKey);
      merged.operations.push(op);
    }
    for (const c of plan.conflicts) {
      if (conflictKeys.has(c.conflictKey)) continue;
      if (c.field && !wins(c.flow, c.target, [c.field])) {
        superseded++;
        continue;
      }
      conflictKeys.add(c.conflictKey);
      merged.conflicts.push(c);
    }
    for (const u of plan.baseUpdates) {
      const key = `${u.recordKey}\u0000${u.field}`;
      if (baseKeys.has(key)) continue;
      baseKeys.add(key);
      merged.baseUpdates.push(u);
    }
    for (const l of plan.links) {
      if (linkKeys.has(l.target)) continue;
      linkKeys.add(l.target);
      merged.links.push(l);
    }
  }
  if (superseded > 0) merged.stats.skipped.superseded = (merged.stats.skipped.superseded ?? 0) + superseded;
  return sortPlan(merged);
}

/** A copy of `plan` in the stable order, with stats recounted from its content. */
export function sortPlan(plan: Plan): Plan {
  const operations = [...plan.operations].sort(compareOperations);
  return {
    operations,
    conflicts: [...plan.conflicts].sort(compareConflicts),
    baseUpdates: [...plan.baseUpdates].sort((a, b) => cmp(a.recordKey, b.recordKey) || cmp(a.field, b.field)),
    links: [...plan.links].sort((a, b) => cmp(a.target, b.target)),
    stats: {
      ...plan.stats,
      skipped: { ...plan.stats.skipped },
      operations: operations.length,
      conflicts: plan.conflicts.length,
      adopted: operations.filter((o) => o.adopted).length,
    },
  };
}

/** Counts of a plan, for a summary line, metrics and the run record. */
export interface PlanSummary {
  operations: number;
  conflicts: number;
  adopted: number;
  inSync: number;
  examined: number;
  baseUpdates: number;
  links: number;
  byType: Record<string, number>;
  byConflictKind: Record<string, number>;
  byFlow: Record<string, { operations: number; conflicts: number }>;
  skipped: Record<string, number>;
  /** One line: `12 operasjoner (3 party.update, …), 2 konflikter (1 local_edit, …)`. */
  text: string;
}

/** Summarise a plan. */
export function summarizePlan(plan: Plan): PlanSummary {
  const byType: Record<string, number> = {};
  const byConflictKind: Record<string, number> = {};
  const byFlow: Record<string, { operations: number; conflicts: number }> = {};
  const flow = (f: FlowId) => (byFlow[f] ??= { operations: 0, conflicts: 0 });
  for (const op of plan.operations) {
    byType[op.type] = (byType[op.type] ?? 0) + 1;
    flow(op.flow).operations++;
  }
  for (const c of plan.conflicts) {
    byConflictKind[c.kind] = (byConflictKind[c.kind] ?? 0) + 1;
    flow(c.flow).conflicts++;
  }
  const list = (r: Record<string, number>): string =>
    Object.entries(r)
      .sort(([a], [b]) => cmp(a, b))
      .map(([k, v]) => `${v} ${k}`)
      .join(', ');
  const ops = plan.operations.length;
  const cons = plan.conflicts.length;
  const text =
    `${ops} ${ops === 1 ? 'operasjon' : 'operasjoner'}${ops ? ` (${list(byType)})` : ''}, ` +
    `${cons} ${cons === 1 ? 'konflikt' : 'konflikter'}${cons ? ` (${list(byConflictKind)})` : ''}`;
  return {
    operations: ops,
    conflicts: cons,
    adopted: plan.operations.filter((o) => o.adopted).length,
    inSync: plan.stats.inSync,
    examined: plan.stats.examined,
    baseUpdates: plan.baseUpdates.length,
    links: plan.links.length,
    byType,
    byConflictKind,
    byFlow,
    skipped: { ...plan.stats.skipped },
    text,
  };
}

/** Options of {@link renderPlan}. */
export interface RenderPlanOptions {
  /** First line. @default 'Plan (tørrkjøring)' */
  title?: string;
}

/**
 * The plan as text for a dry run: a summary, then every operation and conflict with its flow, rule,
 * target and reason, and the values it would write or the sides of the conflict. Every line passes
 * through `redactText` (fnr masked), identifiers are shown masked, and a protected person's values
 * are never shown (their conflicts carry `"<beskyttet>"` and `party.remove_address` carries no
 * address).
 */
export function renderPlan(plan: Plan, options: RenderPlanOptions = {}): string {
  const sorted = sortPlan(plan);
  const lines: string[] = [options.title ?? 'Plan (tørrkjøring)', summarizePlan(sorted).text];
  if (sorted.operations.length > 0) {
    lines.push('', 'Operasjoner:');
    for (const op of sorted.operations) {
      lines.push(
        `- [${op.flow}] ${op.type} ${op.target} (regel ${op.rule}${op.adopted ? ', adoptert' : ''})`,
      );
      lines.push(`    ${op.reason}`);
      for (const detail of operationDetails(op)) lines.push(`    ${detail}`);
    }
  }
  if (sorted.conflicts.length > 0) {
    lines.push('', 'Konflikter:');
    for (const c of sorted.conflicts) {
      lines.push(`- [${c.flow}] ${c.kind} ${c.target}${c.field ? ` felt ${c.field}` : ''} (regel ${c.rule})`);
      lines.push(`    ${c.reason}`);
      lines.push(`    master: ${renderValue(c.master)}`);
      lines.push(`    lokalt: ${renderValue(c.local)}`);
      lines.push(`    base:   ${renderValue(c.base)}`);
    }
  }
  if (sorted.links.length > 0) {
    lines.push('', 'Nye koblinger:');
    for (const l of sorted.links) lines.push(`- [${l.flow}] ${l.target} → person (${l.reason})`);
  }
  const skipped = Object.entries(sorted.stats.skipped);
  if (skipped.length > 0) {
    lines.push('', `Hoppet over: ${skipped.map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }
  return lines.map(redactText).join('\n');
}

function operationDetails(op: ArchiveOperation): string[] {
  switch (op.type) {
    case 'party.update': {
      const out: string[] = [];
      if (op.set.name !== undefined)
        out.push(`navn: ${renderValue(op.expected.name ?? null)} → ${renderValue(op.set.name)}`);
      if (op.set.address !== undefined) {
        out.push(`adresse: ${renderValue(op.expected.address ?? null)} → ${renderValue(op.set.address)}`);
      }
      if (op.set.deceased !== undefined)
        out.push(`død: ${renderValue(op.expected.deceased ?? null)} → ${op.set.deceased ? 'ja' : 'nei'}`);
      return out;
    }
    case 'party.remove_address':
      return ['adresse fjernes (verdien vises ikke)'];
    case 'party.rekey_identifier':
      return [`identifikator: *********** → *********** (${op.toKind})`];
    case 'party.add':
      return [
        `ny part: ${op.party.name} (${op.party.role}${op.party.kind === 'organisation' && op.party.identifier ? `, ${op.party.identifier}` : ''})` +
          (op.party.address ? `, ${formatAddress(op.party.address)}` : ', uten adresse'),
      ];
    case 'class.rekey':
      return [`klasse: ${op.from} → ${op.to}`];
    case 'class.remove':
      return [`klasse ${op.classId} fjernes (saken har ${op.keptKey})`];
    case 'case.create_followup':
      return [`ny ${op.followupType}-sak: ${op.title}`];
  }
}

/** A value as short text: addresses formatted, protected values as `<beskyttet>`, fnr masked. */
export function renderValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (value === PROTECTED_PLACEHOLDER) return PROTECTED_PLACEHOLDER;
  if (typeof value === 'string') return redactText(JSON.stringify(value));
  if (typeof value === 'boolean') return value ? 'ja' : 'nei';
  if (typeof value === 'object' && 'kind' in value && typeof (value as Address).kind === 'string') {
    if (
      'adressenavn' in value ||
      'adresselinjer' in value ||
      'postnummer' in value ||
      'matrikkelnummer' in value
    ) {
      return redactText(formatAddress(value as Address));
    }
  }
  return redactText(JSON.stringify(value));
}
