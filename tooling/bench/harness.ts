/**
 * The benchmark harness: every script under tooling/bench measures a subject and, in the same run,
 * its raw floor (the least work that gets the same bytes: fetch + parse, no mapping), and prints
 * the median of several runs, the peak memory and the ratio subject/floor. Numbers are printed,
 * never asserted: the machine is shared and noisy.
 */
import { performance } from 'node:perf_hooks';

export interface BenchCase {
  /** What is measured, e.g. `getMany 100 000 people`. */
  name: string;
  /** How many items one run handles (for items per second). */
  items: number;
  /** One run of the subject. Must do the whole job each time. */
  subject: () => Promise<unknown>;
  /** One run of the raw floor over the same data. */
  floor?: () => Promise<unknown>;
  /** Runs per side. @default 5 */
  runs?: number;
  /** Unmeasured warm-up runs per side. @default 1 */
  warmup?: number;
}

export interface SideResult {
  medianMs: number;
  minMs: number;
  maxMs: number;
  itemsPerSecond: number;
  /** Highest RSS seen during the runs, in MiB. */
  peakRssMiB: number;
  /** Highest heap used seen during the runs, in MiB. */
  peakHeapMiB: number;
}

export interface BenchResult {
  name: string;
  items: number;
  subject: SideResult;
  floor?: SideResult;
  /** subject median / floor median. */
  ratio?: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function measure(
  fn: () => Promise<unknown>,
  items: number,
  runs: number,
  warmup: number,
): Promise<SideResult> {
  for (let i = 0; i < warmup; i++) await fn();
  globalThis.gc?.();
  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    if (m.rss > peakRss) peakRss = m.rss;
    if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
  }, 5);
  const times: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      await fn();
      times.push(performance.now() - start);
      const m = process.memoryUsage();
      if (m.rss > peakRss) peakRss = m.rss;
      if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
    }
  } finally {
    clearInterval(sampler);
  }
  const med = median(times);
  return {
    medianMs: med,
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
    itemsPerSecond: items / (med / 1000),
    peakRssMiB: peakRss / 2 ** 20,
    peakHeapMiB: peakHeap / 2 ** 20,
  };
}

/** Run one case: floor first, then subject, alternating nothing (each side's runs are consecutive). */
export async function runBench(bench: BenchCase): Promise<BenchResult> {
  const runs = bench.runs ?? 5;
  const warmup = bench.warmup ?? 1;
  const floor = bench.floor ? await measure(bench.floor, bench.items, runs, warmup) : undefined;
  const subject = await measure(bench.subject, bench.items, runs, warmup);
  const result: BenchResult = { name: bench.name, items: bench.items, subject };
  if (floor) {
    result.floor = floor;
    result.ratio = subject.medianMs / floor.medianMs;
  }
  return result;
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Print a result as a few aligned lines (and as one JSON line when BENCH_JSON=1). */
export function printResult(result: BenchResult): void {
  if (process.env.BENCH_JSON === '1') {
    console.log(JSON.stringify(result));
    return;
  }
  const line = (label: string, side: SideResult) =>
    `  ${label.padEnd(8)} median ${fmt(side.medianMs, 1).padStart(10)} ms  (min ${fmt(side.minMs, 1)}, max ${fmt(side.maxMs, 1)})  ${fmt(side.itemsPerSecond).padStart(10)} items/s  peak rss ${fmt(side.peakRssMiB)} MiB, heap ${fmt(side.peakHeapMiB)} MiB`;
  console.log(`${result.name} — ${fmt(result.items)} items`);
  console.log(line('subject', result.subject));
  if (result.floor) console.log(line('floor', result.floor));
  if (result.ratio !== undefined) console.log(`  ratio subject/floor ${fmt(result.ratio, 2)}`);
}

/** `--quick` (or BENCH_QUICK=1) shrinks sizes for a smoke run. */
export function isQuick(): boolean {
  return process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
}
