import type { AuditEntry, AuditVerification, Conflict, QuarantineRecord, Run } from '@registerbro/engine';
import { redactText } from '@registerbro/model';
import { formatNumber } from './progress.js';
import type { FlowResult, SyncSummary } from './service.js';

/**
 * Plain-text views for the terminal. Everything printed passes `redactText` last, so an
 * eleven-digit identifier can never reach the screen even if a value carried one.
 */

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** A plain table; the columns in `right` (numbers) are right-aligned. */
function table(header: string[], rows: string[][], right: ReadonlySet<number> = new Set()): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

const n = (v: number | undefined) => formatNumber(v ?? 0);

/** Operations per flow: planned by the run, and what the outbox did with them. */
function flowRow(r: FlowResult): string[] {
  const d = r.drained;
  return [
    r.flow,
    `${r.mode}${r.dryRun ? ' (dry run)' : ''}`,
    r.status,
    n(r.counts.operationsPlanned),
    n(r.counts.operationsEnqueued),
    n(d?.applied),
    n(d?.alreadyApplied),
    n((r.counts.conflicts ?? 0) + (d?.conflicted ?? 0)),
    n((r.counts.quarantined ?? 0) + (d?.failed ?? 0)),
    seconds(r.durationMs),
  ];
}

/** The summary printed at the end of every sync. */
export function renderSummary(s: SyncSummary): string {
  const out: string[] = [];
  out.push(
    `registerbro sync ${s.mode}${s.dryRun ? ' (dry run: nothing written)' : ''} — municipality ${s.tenant}, ${s.store}`,
  );
  if (s.flows.length === 0) out.push('No flow ran (all disabled or interrupted before the first).');
  else
    out.push(
      table(
        [
          'flow',
          'mode',
          'status',
          'planned',
          'enqueued',
          'applied',
          'already',
          'conflicts',
          'quarantined',
          'time',
        ],
        s.flows.map(flowRow),
        new Set([3, 4, 5, 6, 7, 8, 9]),
      ),
    );
  for (const r of s.flows) if (r.message && r.message !== 'interrupted') out.push(`${r.flow}: ${r.message}`);
  for (const r of s.flows) if (r.rendered) out.push(`\nPlan of ${r.flow}:\n${r.rendered}`);
  if (s.interrupted)
    out.push('Interrupted: the page in hand was finished or handed back; run again to continue.');
  out.push(
    `Open conflicts: ${n(s.openConflicts)}${s.openConflicts > 0 ? ' — look at them with `registerbro conflicts list`' : ''}. Open quarantine: ${n(s.openQuarantine)}.`,
  );
  out.push(`Total ${seconds(s.durationMs)}`);
  return redactText(out.join('\n'));
}

function short(value: unknown, max = 60): string {
  if (value === undefined || value === null) return '—';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `saksmappe/0a59…/part/fcc4…@name`: archive ids shortened so the kind of record and the field show. */
export function shortEntityKey(key: string): string {
  return key.replace(
    /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi,
    (id) => `${id.slice(0, 8)}…`,
  );
}

/** `registerbro conflicts list`. */
export function renderConflictList(conflicts: readonly Conflict[]): string {
  if (conflicts.length === 0) return 'No conflicts.';
  return redactText(
    table(
      ['id', 'flow', 'rule', 'status', 'seen', 'entity', 'reason'],
      conflicts.map((c) => [
        `#${c.id}`,
        c.flow,
        c.rule,
        c.status === 'resolved' ? `resolved (${c.resolution})` : 'open',
        String(c.occurrences),
        short(shortEntityKey(c.entityKey), 60),
        short(c.reason, 70),
      ]),
      new Set([4]),
    ),
  );
}

/** `registerbro conflicts show <id>`: both sides and the base. */
export function renderConflict(c: Conflict): string {
  const lines = [
    `Conflict #${c.id} (${c.status}${c.resolution ? `: ${c.resolution} by ${c.resolvedBy}` : ''})`,
    `  flow      ${c.flow}`,
    `  rule      ${c.rule}`,
    `  entity    ${c.entityType} ${c.entityKey}`,
    `  reason    ${c.reason}`,
    `  master    ${JSON.stringify(c.master)}`,
    `  archive   ${JSON.stringify(c.target)}`,
    `  base      ${JSON.stringify(c.base ?? null)}`,
    `  seen      ${c.occurrences}× (first ${c.createdAt}, last ${c.lastSeenAt})`,
  ];
  if (c.resolutionNote) lines.push(`  note      ${c.resolutionNote}`);
  if (c.status === 'open')
    lines.push(
      '',
      `Resolve with: registerbro conflicts resolve ${c.id} --take-master | --keep-local | --ignore | --link <id>`,
    );
  return redactText(lines.join('\n'));
}

/** `registerbro quarantine list`. */
export function renderQuarantine(entries: readonly QuarantineRecord[]): string {
  if (entries.length === 0) return 'Nothing in quarantine.';
  return redactText(
    table(
      ['id', 'source', 'record', 'status', 'seen', 'key', 'reason'],
      entries.map((q) => [
        `#${q.id}`,
        q.source,
        q.recordType,
        q.status,
        String(q.occurrences),
        short(shortEntityKey(q.recordKey ?? '—'), 50),
        short(`${q.errorCode}: ${shortEntityKey(q.reason)}`, 90),
      ]),
      new Set([4]),
    ),
  );
}

/** `registerbro runs`. */
export function renderRuns(runs: readonly Run[]): string {
  if (runs.length === 0) return 'No runs yet.';
  return redactText(
    table(
      ['id', 'flow', 'mode', 'status', 'started', 'time', 'counts'],
      runs.map((r) => [
        `#${r.id}`,
        r.flow,
        r.mode,
        r.status,
        r.startedAt,
        r.finishedAt ? seconds(Date.parse(r.finishedAt) - Date.parse(r.startedAt)) : 'running',
        short(
          Object.entries(r.counts ?? {})
            .map(([k, v]) => `${k}=${v}`)
            .join(' '),
          80,
        ),
      ]),
      new Set([5]),
    ),
  );
}

/** `registerbro audit`. */
export function renderAudit(entries: readonly AuditEntry[]): string {
  if (entries.length === 0) return 'The audit log is empty.';
  return redactText(
    entries
      .map(
        (e) =>
          `${String(e.seq).padStart(6)}  ${e.at}  ${e.actor.padEnd(12)}  ${e.action.padEnd(20)}  ${short(e.entity, 60)}${e.reason ? `  — ${short(e.reason, 80)}` : ''}`,
      )
      .join('\n'),
  );
}

/** `registerbro audit verify`. */
export function renderVerification(v: AuditVerification): string {
  return v.ok
    ? `Audit log intact: ${formatNumber(v.entries)} entries, head ${v.headHash.slice(0, 16)}…`
    : `Audit log BROKEN at entry ${v.brokenSeq} (${v.problem.replaceAll('_', ' ')}); ${formatNumber(v.entries)} entries checked.`;
}
