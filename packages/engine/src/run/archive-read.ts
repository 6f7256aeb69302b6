import type { Adapter, ArchiveRecord, Case, Party, ScanPage } from '@registerbro/model';
import { partyTarget } from '../plan/operations.js';
import type { QuarantineInput } from '../store/types.js';
import { type RunContext, quarantineInputs } from './context.js';

/**
 * The parties of a case and its journalposts with their target keys, as the planner names them:
 * saksparter first, then the korrespondanseparter of the case's records.
 */
export function partyTargetsOf(
  c: Case,
  records: readonly ArchiveRecord[] = [],
): { party: Party; target: string }[] {
  const out = c.parties.map((party, index) => ({
    party,
    target: partyTarget({
      container: 'saksmappe',
      containerId: c.systemId,
      index,
      ...(party.systemId === undefined ? {} : { partySystemId: party.systemId }),
    }),
  }));
  for (const r of records) {
    if (r.caseSystemId !== c.systemId) continue;
    for (const [index, party] of r.correspondenceParties.entries()) {
      out.push({
        party,
        target: partyTarget({
          container: 'journalpost',
          containerId: r.systemId,
          index,
          ...(party.systemId === undefined ? {} : { partySystemId: party.systemId }),
        }),
      });
    }
  }
  return out;
}

/**
 * The journalposts of some cases, when the engine was given a records reader (else none: F1 then
 * covers saksparter only). A case whose records cannot be mapped has them quarantined.
 */
export async function readRecords(
  ctx: RunContext,
  cases: readonly Case[],
): Promise<{ records: ArchiveRecord[]; quarantine: QuarantineInput[] }> {
  const reader = ctx.options.records;
  const out = { records: [] as ArchiveRecord[], quarantine: [] as QuarantineInput[] };
  if (reader === undefined) return out;
  for (const c of cases) {
    ctx.checkAborted();
    const got = await ctx.source('noark', 'reading the journalposts of a case', () =>
      reader(c.systemId, ctx.signal ? { signal: ctx.signal } : {}),
    );
    if (got === null) continue;
    for (const r of got.records) out.records.push({ ...r, caseSystemId: c.systemId });
    out.quarantine.push(...quarantineInputs('noark', got.quarantined, ctx.runId));
  }
  ctx.count('recordsRead', out.records.length);
  return out;
}

/**
 * One scan of the archive read by several flows at once (`Engine.runFlows`, full mode): each page is
 * fetched once and handed to every flow, in order. A flow may read at most `window` pages ahead of
 * the slowest one still reading (so memory stays bounded); a flow that stops (done, failed, aborted)
 * leaves and holds no one back. A failing scan fails every flow that reads on, as its own scan would:
 * an interrupted scan is never complete evidence for anyone.
 */
export class SharedArchiveScan {
  readonly #open: (signal: AbortSignal) => AsyncIterator<ScanPage<Case>>;
  readonly #window: number;
  readonly #positions = new Map<string, number>();
  readonly #controller = new AbortController();
  #iterator: AsyncIterator<ScanPage<Case>> | undefined;
  /** Pages fetched and not yet read by every reader; `#buffer[0]` is page number `#dropped`. */
  #buffer: ScanPage<Case>[] = [];
  #dropped = 0;
  #done = false;
  #failure: { error: unknown } | undefined;
  #fetching: Promise<void> | undefined;
  #waiters: (() => void)[] = [];

  constructor(
    archive: Pick<Adapter<Case>, 'scan'>,
    readers: readonly string[],
    options: { pageSize: number; window?: number },
  ) {
    this.#open = (signal) => archive.scan({ pageSize: options.pageSize, signal })[Symbol.asyncIterator]();
    this.#window = Math.max(1, options.window ?? 4);
    for (const r of readers) this.#positions.set(r, 0);
  }

  /** The next page for `reader`, or done. Rejects with the scan's error. */
  async next(reader: string): Promise<IteratorResult<ScanPage<Case>>> {
    for (;;) {
      const position = this.#positions.get(reader);
      if (position === undefined) return { done: true, value: undefined };
      const fetched = this.#dropped + this.#buffer.length;
      if (position < fetched) {
        const page = this.#buffer[position - this.#dropped] as ScanPage<Case>;
        this.#positions.set(reader, position + 1);
        this.#trim();
        return { done: false, value: page };
      }
      if (this.#failure) throw this.#failure.error;
      if (this.#done) return { done: true, value: undefined };
      if (this.#fetching) await this.#fetching;
      else if (position - this.#slowest() >= this.#window) await this.#changed();
      else await this.#fetch();
    }
  }

  /** `reader` stops reading (idempotent). The last one to leave ends the scan. */
  leave(reader: string): void {
    if (!this.#positions.delete(reader)) return;
    this.#trim();
    this.#notify();
    if (this.#positions.size === 0) this.#close();
  }

  #slowest(): number {
    let min = Number.POSITIVE_INFINITY;
    for (const p of this.#positions.values()) if (p < min) min = p;
    return min;
  }

  #trim(): void {
    const keep = Math.min(this.#slowest(), this.#dropped + this.#buffer.length) - this.#dropped;
    if (keep > 0) {
      this.#buffer.splice(0, keep);
      this.#dropped += keep;
      this.#notify();
    }
  }

  #fetch(): Promise<void> {
    this.#iterator ??= this.#open(this.#controller.signal);
    const iterator = this.#iterator;
    this.#fetching = (async () => {
      try {
        const next = await iterator.next();
        if (next.done) this.#done = true;
        else this.#buffer.push(next.value);
      } catch (error) {
        this.#failure = { error };
      } finally {
        this.#fetching = undefined;
        this.#notify();
      }
    })();
    return this.#fetching;
  }

  #changed(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #notify(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  #close(): void {
    this.#buffer = [];
    if (this.#iterator && !this.#done && !this.#failure) {
      this.#controller.abort();
      void Promise.resolve(this.#iterator.return?.()).catch(() => undefined);
    }
  }
}

/** The shared scan a run reads instead of its own (set by `runFlows`). */
const sharedScans = new WeakMap<RunContext, { scan: SharedArchiveScan; reader: string }>();

/** Make `ctx` read the archive through `scan` as `reader`. */
export function useSharedScan(ctx: RunContext, scan: SharedArchiveScan, reader: string): void {
  sharedScans.set(ctx, { scan, reader });
}

/**
 * The archive's scan, page by page, with failures named as the archive's (a shared scan when the run
 * is one of several reading it). The caller treats the scan as complete evidence only when the loop
 * ends without throwing.
 */
export async function* readCases(
  ctx: RunContext,
): AsyncGenerator<{ cases: Case[]; quarantine: QuarantineInput[]; cursor?: string }> {
  const shared = sharedScans.get(ctx);
  const iterator: AsyncIterator<ScanPage<Case>> = shared
    ? { next: () => shared.scan.next(shared.reader) }
    : ctx.archive
        .scan({
          pageSize: ctx.options.scanPageSize ?? 100,
          ...(ctx.signal ? { signal: ctx.signal } : {}),
        })
        [Symbol.asyncIterator]();
  try {
    for (;;) {
      ctx.checkAborted();
      const next = await ctx.source('noark', 'scanning the archive', () => iterator.next());
      if (next.done) return;
      const page = next.value;
      ctx.count('casesRead', page.entities.length);
      ctx.progress('scan');
      yield {
        cases: page.entities,
        quarantine: quarantineInputs('noark', page.quarantined, ctx.runId),
        ...(page.cursor === undefined ? {} : { cursor: page.cursor }),
      };
    }
  } finally {
    shared?.scan.leave(shared.reader);
  }
}
