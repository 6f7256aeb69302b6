import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgressReporter, formatCounts, formatNumber } from './progress.js';
import { renderSummary } from './render.js';
import type { SyncSummary } from './service.js';

describe('progress', () => {
  it('redraws one bar line in a terminal, with counts and rate', () => {
    const stream = Object.assign(new PassThrough(), {
      isTTY: true,
      columns: 200,
    }) as unknown as NodeJS.WriteStream;
    let written = '';
    (stream as unknown as PassThrough).on('data', (d: Buffer) => {
      written += d.toString();
    });
    let now = 0;
    const p = createProgressReporter({ stream, now: () => now });
    p.update({ flow: 'F1', runId: 1, phase: 'scan', pages: 1, counts: { casesRead: 100 } });
    now = 2_000;
    p.update({
      flow: 'F1',
      runId: 1,
      phase: 'commit',
      pages: 2,
      counts: { casesRead: 200, operationsPlanned: 3 },
    });
    p.done();
    expect(written).toContain('\r');
    expect(written).toContain('█');
    expect(written).toContain('casesRead 200 · operationsPlanned 3');
    expect(written).toContain('100/s');
    expect(written.endsWith('\r\u001b[K')).toBe(true);
  });

  it('writes plain lines at most every interval elsewhere, and always the last', () => {
    const lines: string[] = [];
    let now = 0;
    const p = createProgressReporter({
      tty: false,
      intervalMs: 1_000,
      now: () => now,
      line: (l) => lines.push(l),
    });
    for (let i = 0; i < 10; i++) {
      now = i * 300;
      p.update({ flow: 'F2', phase: 'scan', pages: i, counts: { casesRead: i * 10 } });
    }
    p.update({ flow: 'F2', phase: 'done', pages: 10, counts: { casesRead: 100 } });
    expect(lines.length).toBe(4);
    expect(lines.at(-1)).toMatch(/^progress: F2 done/);
  });

  it('formats numbers and counts for people', () => {
    expect(formatNumber(1234567)).toBe('1 234 567');
    expect(formatCounts({ zeta: 1, changes: 2, casesRead: 3 })).toBe('changes 2 · casesRead 3 · zeta 1');
  });
});

describe('renderSummary', () => {
  it('shows operations per flow, conflicts, quarantine and time, and masks any identifier', () => {
    const summary: SyncSummary = {
      tenant: '1806',
      store: 'SQLite /tmp/x.sqlite',
      mode: 'full',
      dryRun: false,
      flows: [
        {
          flow: 'F1',
          mode: 'full',
          dryRun: false,
          status: 'degraded',
          counts: { operationsPlanned: 12, operationsEnqueued: 12, conflicts: 2, quarantined: 1 },
          drained: { applied: 10, alreadyApplied: 1, conflicted: 1, failed: 1, retried: 0 },
          message: 'Folkeregisteret failed for 01818012345',
          durationMs: 1_500,
        },
      ],
      openConflicts: 3,
      openQuarantine: 2,
      durationMs: 2_000,
      interrupted: false,
    };
    const text = renderSummary(summary);
    expect(text).toMatch(/F1\s+full\s+degraded\s+12\s+12\s+10\s+1\s+3\s+2\s+1\.5 s/);
    expect(text).toContain('Open conflicts: 3 — look at them with `registerbro conflicts list`');
    expect(text).toContain('Total 2.0 s');
    expect(text).not.toContain('01818012345');
  });
});
