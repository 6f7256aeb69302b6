import type { ArchiveRecord, Case, Party } from '@registerbro/model';
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
 * The archive's scan, page by page, with failures named as the archive's. The caller treats the
 * scan as complete evidence only when the loop ends without throwing.
 */
export async function* readCases(
  ctx: RunContext,
): AsyncGenerator<{ cases: Case[]; quarantine: QuarantineInput[]; cursor?: string }> {
  const pages = ctx.archive.scan({
    pageSize: ctx.options.scanPageSize ?? 100,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  const iterator = pages[Symbol.asyncIterator]();
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
}
