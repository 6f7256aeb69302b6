import type { ProgressEvent } from '@registerbro/engine';

/**
 * Progress of a long run: in a terminal a one-line bar redrawn in place with the counts and the
 * rate; elsewhere (CI, a service's log) a plain line at most every few seconds. Counts only — no
 * identifiers ever reach this output.
 */

/** Receives the engine's progress events. */
export interface ProgressReporter {
  update(event: ProgressEvent): void;
  /** Clear the bar (before printing anything else). */
  done(): void;
}

/** Options of {@link createProgressReporter}. */
export interface ProgressOptions {
  /** Where to draw. @default process.stderr */
  stream?: NodeJS.WriteStream;
  /** Draw a bar (terminal) or write plain lines. @default stream.isTTY */
  tty?: boolean;
  /** Plain mode: at most one line per this many ms. @default 5_000 */
  intervalMs?: number;
  /** Clock (tests). @default Date.now */
  now?: () => number;
  /** Plain mode: how a line is written. @default stream.write */
  line?: (text: string) => void;
}

/** The count that best shows how far a run has come (what the rate is of). */
export function workDone(counts: Readonly<Record<string, number>>): number {
  return (
    counts.changes ??
    counts.casesRead ??
    counts.examined ??
    counts.cases ??
    counts.changes ??
    counts.records ??
    Object.values(counts).reduce((a, b) => a + b, 0)
  );
}

const ORDER = [
  'changes',
  'casesRead',
  'peopleRead',
  'propertiesRead',
  'examined',
  'operationsPlanned',
  'operationsEnqueued',
  'applied',
  'conflicts',
  'quarantined',
];

/** `cases 1 200 · ops 40 · conflicts 2` — the interesting counts first, then the rest. */
export function formatCounts(counts: Readonly<Record<string, number>>, limit = 6): string {
  const keys = [
    ...ORDER.filter((k) => counts[k] !== undefined),
    ...Object.keys(counts)
      .filter((k) => !ORDER.includes(k))
      .sort(),
  ].slice(0, limit);
  return keys.map((k) => `${k} ${formatNumber(counts[k] ?? 0)}`).join(' · ');
}

/** `12 345` with a thin grouping, as Norwegian readers expect. */
export function formatNumber(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

const WIDTH = 20;

/** An indeterminate bar: a block that walks across as pages go by. */
function bar(pages: number): string {
  const pos = pages % (WIDTH * 2);
  const at = pos < WIDTH ? pos : WIDTH * 2 - pos - 1;
  let out = '';
  for (let i = 0; i < WIDTH; i++) out += Math.abs(i - at) <= 2 ? '█' : '░';
  return out;
}

/** Create a reporter for the engine's `onProgress`. */
export function createProgressReporter(options: ProgressOptions = {}): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const tty = options.tty ?? stream.isTTY === true;
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? 5_000;
  const write = options.line ?? ((text: string) => stream.write(`${text}\n`));
  const starts = new Map<string, number>();
  let lastLine = Number.NEGATIVE_INFINITY;
  let drawn = false;

  return {
    update(event) {
      const key = `${event.flow}#${event.runId ?? ''}`;
      const t = now();
      if (!starts.has(key)) starts.set(key, t);
      // Under half a second a rate says nothing but noise.
      const elapsed = Math.max(500, t - (starts.get(key) ?? t)) / 1000;
      const rate = workDone(event.counts) / elapsed;
      const text = `${event.flow} ${event.phase.padEnd(7)} pages ${formatNumber(event.pages)} · ${formatCounts(event.counts)} · ${formatNumber(rate)}/s · ${elapsed.toFixed(0)} s`;
      if (tty) {
        const columns = stream.columns ?? 120;
        stream.write(`\r${`${bar(event.pages)} ${text}`.slice(0, columns - 1)}\u001b[K`);
        drawn = true;
      } else if (event.phase === 'done' || t - lastLine >= interval) {
        lastLine = t;
        write(`progress: ${text}`);
      }
    },
    done() {
      if (tty && drawn) stream.write('\r\u001b[K');
      drawn = false;
    },
  };
}
