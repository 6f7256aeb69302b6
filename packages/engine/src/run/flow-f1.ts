import {
  type Adapter,
  type ArchiveRecord,
  type Case,
  type ChangePage,
  type Person,
  type PersonNames,
  type ScanOptions,
  type ScanPage,
  isFodselsnummer,
  isProtected,
} from '@registerbro/model';
import { indexPersons, personNameKeys } from '../plan/identity.js';
import { normalizeName } from '../plan/compare.js';
import { sha256Hex } from '../store/canonical-json.js';
import { planF1 } from '../plan/flows/f1-people.js';
import type { ArchiveOperation } from '../plan/operations.js';
import { createBaseLookup, type Plan } from '../plan/types.js';
import type { QuarantineInput, Reference, ReferenceFilter } from '../store/types.js';
import { type RunContext, batches, commitPlan, quarantineInputs } from './context.js';
import { ConfigError, maskFodselsnummer } from '@registerbro/model';
import { partyTargetsOf, readCases, readRecords } from './archive-read.js';

/** The cursor of F1 in Folkeregisteret's feed. */
export const F1_SOURCE = 'folkeregister';
export const F1_STREAM = 'F1';

export function folkeregisterOf(ctx: RunContext): Adapter<Person> {
  const source = ctx.options.sources.folkeregister;
  if (source === undefined) {
    throw new ConfigError('Flow F1 needs the Folkeregisteret source, and none is configured', {
      key: 'sources.folkeregister',
      hint: 'Configure the folkeregister adapter or disable flow F1.',
    });
  }
  return source;
}

/** People fetched for a set of identifiers, with what the register said it does not know. */
export interface PeopleRead {
  persons: Map<string, Person>;
  missing: Set<string>;
  quarantine: QuarantineInput[];
}

/** `getMany` in batches (the adapter's `maxBatchSize` caps the batch). */
export async function readPeople(
  ctx: RunContext,
  source: Adapter<Person>,
  identifiers: Iterable<string>,
): Promise<PeopleRead> {
  const out: PeopleRead = { persons: new Map(), missing: new Set(), quarantine: [] };
  const wanted = [...new Set(identifiers)].filter((id) => isFodselsnummer(id)).sort();
  const size = Math.max(1, Math.min(ctx.options.batchSize ?? 500, source.capabilities.maxBatchSize ?? 1000));
  for (const batch of batches(wanted, size)) {
    ctx.checkAborted();
    const got = await ctx.source('folkeregister', `reading ${batch.length} people (getMany)`, () =>
      source.getMany(batch, ctx.signal ? { signal: ctx.signal } : {}),
    );
    for (const p of got.entities) {
      out.persons.set(p.fodselsnummer, p);
      for (const id of p.identifiers) if (!out.persons.has(id.value)) out.persons.set(id.value, p);
    }
    for (const m of got.missing) out.missing.add(m);
    out.quarantine.push(...quarantineInputs('folkeregister', got.quarantined, ctx.runId));
    ctx.count('peopleRead', got.entities.length);
  }
  return out;
}

/** Person identifiers an archive case depends on: its parties' fnr/D-nummer (and linked parties). */
export async function caseIdentifiers(
  ctx: RunContext,
  cases: readonly Case[],
  records: readonly ArchiveRecord[] = [],
  directory?: NameDirectory,
): Promise<{
  identifiers: Set<string>;
  links: Map<string, string>;
}> {
  const identifiers = new Set<string>();
  const links = new Map<string, string>();
  for (const c of cases) {
    for (const { party, target } of partyTargetsOf(c, records)) {
      if (party.identifier?.length === 11) identifiers.add(party.identifier);
      else if (party.identifier === undefined && party.kind !== 'organisation') {
        const linked = await ctx.store.resolveCanonical('person', 'noark', target);
        if (linked !== undefined) {
          links.set(target, linked);
          identifiers.add(linked);
        } else if (directory !== undefined) {
          // Everyone Folkeregisteret knows by this name is a candidate for the matcher.
          for (const id of directory.candidates(party.name)) identifiers.add(id);
        }
      }
    }
  }
  return { identifiers, links };
}

/**
 * Folkeregisteret's people by normalised name, from a complete extract (`scan()`): the candidates
 * for archive parties without identifier. Holds identifiers only (about 40 bytes a person), never
 * names in clear or addresses.
 */
export interface NameDirectory {
  /** Identifiers of the people whose name agrees with `name` (see `normalizeName`). */
  candidates(name: string): readonly string[];
  readonly size: number;
}

/** A source that lists everyone's names only (the Folkeregisteret adapter's `scanNames`). */
interface NameScanner {
  scanNames(options?: ScanOptions): AsyncIterable<ScanPage<PersonNames>>;
}

function canScanNames(source: Adapter<Person>): source is Adapter<Person> & NameScanner {
  return typeof (source as Partial<NameScanner>).scanNames === 'function';
}

/**
 * Read Folkeregisteret's extract page by page into a {@link NameDirectory}: names and identifiers
 * only when the source can read just those ({@link NameScanner}), else whole people.
 */
export async function readNameDirectory(
  ctx: RunContext,
  source: Adapter<Person>,
  stop?: AbortSignal,
): Promise<NameDirectory> {
  const byName = new Map<string, string | string[]>();
  let size = 0;
  const signals = [ctx.signal, stop].filter((s): s is AbortSignal => s !== undefined);
  const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  const options = signal ? { signal } : {};
  // Names only where the register can (data minimisation): the directory needs nothing else.
  const pages: AsyncIterable<ScanPage<PersonNames>> = canScanNames(source)
    ? source.scanNames(options)
    : source.scan(options);
  const iterator = pages[Symbol.asyncIterator]();
  for (;;) {
    ctx.checkAborted();
    stop?.throwIfAborted();
    const next = await ctx.source(
      'folkeregister',
      'reading the extract (uttrekk) to match parties without fødselsnummer',
      () => iterator.next(),
    );
    if (next.done) break;
    for (const person of next.value.entities) {
      size++;
      for (const key of personNameKeys(person)) {
        const known = byName.get(key);
        if (known === undefined) byName.set(key, person.fodselsnummer);
        else if (typeof known === 'string') {
          if (known !== person.fodselsnummer) byName.set(key, [known, person.fodselsnummer]);
        } else if (!known.includes(person.fodselsnummer)) known.push(person.fodselsnummer);
      }
    }
  }
  ctx.count('peopleIndexed', size);
  return {
    size,
    candidates(name) {
      const found = byName.get(normalizeName(name));
      return found === undefined ? [] : typeof found === 'string' ? [found] : found;
    },
  };
}

/**
 * The reference-index key of a name (`navn:<hash>`): a party without identifier depends on whoever
 * bears its name, so a person who gets a protected address finds the unlinked parties that may be
 * them. Hashed: the index holds no names in clear.
 */
export function nameReferenceKey(name: string): string | undefined {
  const normal = normalizeName(name);
  return normal === '' ? undefined : hashedNameKey(normal);
}

/** The reference-index keys a person's unlinked namesakes are found under (see {@link nameReferenceKey}). */
export function nameReferenceKeys(person: Person): string[] {
  return personNameKeys(person).map(hashedNameKey);
}

const hashedNameKey = (normalName: string): string => `navn:${sha256Hex(normalName).slice(0, 24)}`;

/** Whether a party is a person party without identifier (and not linked by the engine). */
function unidentifiedPerson(
  party: { identifier?: string; kind?: string },
  target: string,
  links?: ReadonlyMap<string, string>,
): boolean {
  return party.identifier === undefined && party.kind !== 'organisation' && !links?.has(target);
}

/** The reference index rows of cases for F1: each case depends on every person identifier it holds. */
function f1References(
  cases: readonly Case[],
  links: ReadonlyMap<string, string>,
  persons: ReadonlyMap<string, Person>,
  records: readonly ArchiveRecord[] = [],
): { add: Reference[]; remove: ReferenceFilter[] } {
  const add: Reference[] = [];
  const remove: ReferenceFilter[] = [];
  for (const c of cases) {
    remove.push({
      targetSystem: 'noark',
      targetKey: c.systemId,
      masterSystem: 'folkeregister',
      relation: 'party',
    });
    const keys = new Set<string>();
    for (const { party, target } of partyTargetsOf(c, records)) {
      if (unidentifiedPerson(party, target, links)) {
        const key = nameReferenceKey(party.name);
        if (key !== undefined) keys.add(key);
        continue;
      }
      const id = party.identifier?.length === 11 ? party.identifier : links.get(target);
      if (id === undefined) continue;
      keys.add(id);
      // The person's current identifier too, so a change keyed by the new fnr finds the case
      // before the party itself is re-keyed.
      const current = persons.get(id)?.fodselsnummer;
      if (current !== undefined) keys.add(current);
    }
    for (const key of keys) {
      add.push({
        masterSystem: 'folkeregister',
        masterKey: key,
        targetSystem: 'noark',
        targetKey: c.systemId,
        relation: 'party',
        flow: 'F1',
      });
    }
  }
  return { add, remove };
}

/** Plan F1 for some cases against some people, with the stored bases and links. */
export async function planCasesF1(
  ctx: RunContext,
  cases: readonly Case[],
  people: { persons: ReadonlyMap<string, Person>; missing: ReadonlySet<string> },
  links: ReadonlyMap<string, string>,
  records: readonly ArchiveRecord[] = [],
): Promise<{ plan: Plan; protectedOp: (op: ArchiveOperation) => boolean }> {
  const targets = cases.flatMap((c) => partyTargetsOf(c, records).map((s) => s.target));
  const baseMap = await ctx.store.getBaseMany('noark', targets);
  const bases = createBaseLookup(
    [...baseMap].flatMap(([recordKey, fields]) =>
      Object.entries(fields).map(([field, value]) => ({ recordKey, field, value })),
    ),
  );
  const settings = ctx.options.flows?.F1;
  const plan = planF1({
    persons: people.persons,
    cases,
    records,
    bases,
    ...(settings?.policy ? { policy: settings.policy } : {}),
    now: ctx.nowIso(),
    links,
    missing: people.missing,
    ...(ctx.masters ? { masters: ctx.masters } : {}),
  });
  const index = indexPersons(people.persons);
  const protectedTargets = new Set<string>();
  for (const c of cases) {
    for (const { party, target } of partyTargetsOf(c, records)) {
      const id = party.identifier ?? links.get(target);
      const person = id === undefined ? undefined : index.get(id);
      if (person && isProtected(person.adressebeskyttelse)) protectedTargets.add(target);
    }
  }
  for (const l of plan.links) {
    const person = index.get(l.canonicalId);
    if (person && isProtected(person.adressebeskyttelse)) protectedTargets.add(l.target);
  }
  // A party without identifier shielded because a namesake has protected address (F1.protected_address).
  for (const op of plan.operations) if (op.rule === 'F1.protected_address') protectedTargets.add(op.target);
  return { plan, protectedOp: (op) => protectedTargets.has(op.target) };
}

/** Archive pages whose people full F1 reads while it plans and commits an earlier one. */
const PAGES_AHEAD = 2;

/**
 * Full F1: remember Folkeregisteret's head first, scan the archive page by page (rebuilding the
 * reference index of each case), read the people the page references, plan and commit the page.
 * The people of the next {@link PAGES_AHEAD} pages are read while a page is planned and committed
 * (pages still commit in order), so Folkeregisteret's round trips overlap our own work.
 * Only after a complete scan does the F1 cursor move to the head remembered at the start, so
 * changes made during the scan are replayed by the next incremental run (idempotently).
 */
export async function runFullF1(ctx: RunContext): Promise<void> {
  const source = folkeregisterOf(ctx);
  const startCursor = (await ctx.store.getCursor(F1_SOURCE, F1_STREAM)) ?? null;
  const head = await ctx.source('folkeregister', 'reading the feed head', () =>
    source.head(ctx.signal ? { signal: ctx.signal } : {}),
  );
  let page = 0;
  // Folkeregisteret's extract is read alongside the archive's first pages; the first page with a
  // party without identifier waits for it. Not needed by the end (or the run fails): stopped.
  const stopExtract = new AbortController();
  const extract = source.capabilities.scan ? readNameDirectory(ctx, source, stopExtract.signal) : undefined;
  extract?.catch(() => {});
  let directory: NameDirectory | undefined;
  const directoryFor = async (needed: boolean): Promise<NameDirectory | undefined> => {
    if (needed && directory === undefined && extract !== undefined) directory = await extract;
    return directory;
  };
  const ahead: Promise<PreparedPage>[] = [];
  const commitOldest = async () => commitPageF1(ctx, await (ahead.shift() as Promise<PreparedPage>));
  try {
    for await (const scan of readCases(ctx)) {
      page++;
      const prepared = preparePageF1(ctx, source, page, scan, directoryFor);
      // Awaited in order below; a failure of a page not reached yet must not go unhandled meanwhile.
      prepared.catch(() => {});
      ahead.push(prepared);
      if (ahead.length > PAGES_AHEAD) await commitOldest();
    }
    while (ahead.length > 0) await commitOldest();
  } finally {
    stopExtract.abort();
  }
  // The scan completed without error: only now may the feed position move.
  if (!ctx.dryRun) {
    await ctx.store.commitPage({
      source: F1_SOURCE,
      stream: F1_STREAM,
      cursor: head,
      expectedCursor: startCursor,
    });
  }
}

/** One archive page of a full F1 run with what its plan needs from Folkeregisteret. */
interface PreparedPage {
  page: number;
  scan: { cases: Case[]; quarantine: QuarantineInput[] };
  records: ArchiveRecord[];
  quarantine: QuarantineInput[];
  links: Map<string, string>;
  people: PeopleRead;
}

/**
 * The reading half of a full F1 page: its journalposts, the people its parties name (and, for
 * parties without identifier, everyone bearing their name: the name directory, awaited only by a
 * page that has such a party), read from Folkeregisteret.
 */
async function preparePageF1(
  ctx: RunContext,
  source: Adapter<Person>,
  page: number,
  scan: { cases: Case[]; quarantine: QuarantineInput[] },
  directoryFor: (needed: boolean) => Promise<NameDirectory | undefined>,
): Promise<PreparedPage> {
  const { records, quarantine } = await readRecords(ctx, scan.cases);
  const directory = await directoryFor(
    scan.cases.some((c) => partyTargetsOf(c, records).some((s) => unidentifiedPerson(s.party, s.target))),
  );
  const { identifiers, links } = await caseIdentifiers(ctx, scan.cases, records, directory);
  const people = await readPeople(ctx, source, identifiers);
  return { page, scan, records, quarantine, links, people };
}

/** The planning half of a full F1 page: the plan against the stored bases, and the commit. */
async function commitPageF1(ctx: RunContext, prepared: PreparedPage): Promise<void> {
  const { page, scan, records, quarantine, links, people } = prepared;
  const { plan, protectedOp } = await planCasesF1(ctx, scan.cases, people, links, records);
  await commitPlan(ctx, {
    source: 'noark',
    stream: 'F1:full',
    cursor: `run:${ctx.runId ?? 0}:page:${page}`,
    plan,
    quarantine: [...scan.quarantine, ...quarantine, ...people.quarantine],
    references: f1References(scan.cases, links, people.persons, records),
    protectedOp,
  });
}

/**
 * Incremental F1: Folkeregisteret's changes after the stored cursor, page by page: the people
 * changed → the cases that depend on them (reference index) → those cases re-read from the archive →
 * plan (only the changed people are loaded, so only their parties are planned) → commit with the
 * page's cursor → drain. A re-key (D-nummer → fnr) re-keys the identity link and the references.
 */
export async function runIncrementalF1(ctx: RunContext, drain: () => Promise<void>): Promise<boolean> {
  const source = folkeregisterOf(ctx);
  let cursor = await ctx.store.getCursor(F1_SOURCE, F1_STREAM);
  if (cursor === undefined) return false;
  if (!ctx.dryRun && (await retryQuarantinedPeople(ctx, source))) await drain();
  const pages = source.changes(cursor, ctx.signal ? { signal: ctx.signal } : {});
  const iterator = pages[Symbol.asyncIterator]();
  for (;;) {
    ctx.checkAborted();
    const next: IteratorResult<ChangePage<Person>> = await ctx.source(
      'folkeregister',
      `reading changes after cursor ${cursor}`,
      () => iterator.next(),
    );
    if (next.done) break;
    const page: ChangePage<Person> = next.value;
    ctx.count('changes', page.changes.length);
    const persons = new Map<string, Person>();
    const missing = new Set<string>();
    const masterKeys = new Set<string>();
    const rekeys: { from: string; to: string }[] = [];
    const changed: ChangedPeople = { persons, missing, masterKeys, rekeys };
    const put = (p: Person): void => addChangedPerson(changed, p);
    const toFetch = new Set<string>();
    for (const change of page.changes) {
      if (change.kind === 'upsert') {
        masterKeys.add(change.key);
        put(change.entity);
      } else if (change.kind === 'delete') {
        masterKeys.add(change.key);
        missing.add(change.key);
      } else {
        masterKeys.add(change.from);
        for (const to of change.to) {
          masterKeys.add(to);
          rekeys.push({ from: change.from, to });
        }
        if (change.entities?.length) for (const p of change.entities) put(p);
        else for (const to of change.to) toFetch.add(to);
      }
    }
    const extra = toFetch.size > 0 ? await readPeople(ctx, source, toFetch) : undefined;
    if (extra) for (const p of new Set(extra.persons.values())) put(p);
    // A deleted key whose person is known under another identifier is not gone.
    for (const key of missing) if (persons.has(key)) missing.delete(key);

    await commitChangedPeople(ctx, changed, {
      source: F1_SOURCE,
      stream: F1_STREAM,
      cursor: page.cursor,
      expectedCursor: cursor,
      quarantine: [
        ...quarantineInputs('folkeregister', page.quarantined, ctx.runId),
        ...(extra?.quarantine ?? []),
      ],
    });
    cursor = page.cursor;
    if (!ctx.dryRun) await drain();
  }
  return true;
}

/** People changed (or asked again), with what they touch: the input of {@link commitChangedPeople}. */
interface ChangedPeople {
  /** By every identifier they have had. */
  persons: Map<string, Person>;
  /** Identifiers Folkeregisteret says it does not know. */
  missing: Set<string>;
  /** Reference-index keys whose cases to re-plan. */
  masterKeys: Set<string>;
  rekeys: { from: string; to: string }[];
}

/** A changed person: known by every identifier they have had, each a key whose cases to re-plan. */
function addChangedPerson(changed: ChangedPeople, person: Person): void {
  changed.persons.set(person.fodselsnummer, person);
  for (const id of person.identifiers) {
    changed.persons.set(id.value, person);
    changed.masterKeys.add(id.value);
  }
}

/**
 * The cases that depend on some changed people (reference index; for a person with protected
 * address also the unlinked parties bearing their name), re-read, planned and committed with the
 * given cursor — one page of incremental F1.
 */
async function commitChangedPeople(
  ctx: RunContext,
  changed: ChangedPeople,
  commit: {
    source: string;
    stream: string;
    cursor: string;
    expectedCursor?: string | null;
    quarantine: QuarantineInput[];
  },
): Promise<void> {
  const { persons, missing, masterKeys, rekeys } = changed;
  for (const p of new Set(persons.values()))
    if (isProtected(p.adressebeskyttelse)) for (const key of nameReferenceKeys(p)) masterKeys.add(key);
  const caseIds = new Set<string>();
  for (const ref of await ctx.store.dependentsOfMany('folkeregister', [...masterKeys])) {
    if (ref.targetSystem === 'noark') caseIds.add(ref.targetKey);
  }
  const read = await readCasesByKey(ctx, [...caseIds]);
  const recs = await readRecords(ctx, read.cases);
  const { links } = await caseIdentifiers(ctx, read.cases, recs.records);
  const { plan, protectedOp } = await planCasesF1(ctx, read.cases, { persons, missing }, links, recs.records);
  const references = f1References(read.cases, links, persons, recs.records);
  for (const gone of read.gone) {
    references.remove.push({
      targetSystem: 'noark',
      targetKey: gone,
      masterSystem: 'folkeregister',
      relation: 'party',
    });
  }
  if (!ctx.dryRun) {
    for (const r of rekeys) await rekeyPerson(ctx, r.from, r.to, persons.get(r.to));
  }
  await commitPlan(ctx, {
    source: commit.source,
    stream: commit.stream,
    cursor: commit.cursor,
    ...(commit.expectedCursor === undefined ? {} : { expectedCursor: commit.expectedCursor }),
    plan,
    quarantine: [...commit.quarantine, ...read.quarantine, ...recs.quarantine],
    references,
    protectedOp,
  });
}

/** Quarantined people asked again per incremental run, at most. */
const RETRY_PEOPLE = 1_000;

/**
 * People Folkeregisteret could not answer usably before (open quarantine entries of record type
 * `person`): asked again at the start of every incremental run, since the feed has moved past
 * their events and would otherwise not bring them back before the next full run. Those answered
 * now (or that the register now says it does not know) are planned like changes, and their entries
 * released — after the commit, so a crash in between only asks again. True when any was planned.
 */
async function retryQuarantinedPeople(ctx: RunContext, source: Adapter<Person>): Promise<boolean> {
  const entries = (
    await ctx.store.listQuarantine({ status: 'open', source: F1_SOURCE, limit: RETRY_PEOPLE })
  ).filter((q) => q.recordType === 'person' && q.rawKey !== null && isFodselsnummer(q.rawKey));
  if (entries.length === 0) return false;
  const read = await readPeople(
    ctx,
    source,
    entries.map((q) => q.rawKey as string),
  );
  const answered = entries.filter(
    (q) => read.persons.has(q.rawKey as string) || read.missing.has(q.rawKey as string),
  );
  if (answered.length === 0) return false;
  const changed: ChangedPeople = {
    persons: new Map(),
    missing: new Set(read.missing),
    masterKeys: new Set(),
    rekeys: [],
  };
  for (const q of answered) changed.masterKeys.add(q.rawKey as string);
  for (const p of new Set(read.persons.values())) addChangedPerson(changed, p);
  await commitChangedPeople(ctx, changed, {
    source: F1_SOURCE,
    stream: 'F1:retry',
    cursor: `run:${ctx.runId ?? 0}:retry`,
    quarantine: read.quarantine,
  });
  for (const q of answered) {
    await ctx.store.releaseQuarantine(q.id, 'flow:F1', 'Folkeregisteret answered when asked again');
  }
  ctx.count('quarantineRetried', answered.length);
  return true;
}

/** Record a D-nummer → fnr re-key in the identity links (linking the old number first when new to us). */
async function rekeyPerson(
  ctx: RunContext,
  from: string,
  to: string,
  person: Person | undefined,
): Promise<void> {
  try {
    const canonical = person?.identifiers[0]?.value ?? from;
    const known = await ctx.store.resolveCanonical('person', 'folkeregister', from, { includeHistory: true });
    if (known === undefined) {
      await ctx.store.link({
        entityType: 'person',
        canonicalId: canonical,
        system: 'folkeregister',
        systemId: from,
      });
    }
    const reason = 'Folkeregisteret: D-nummer erstattet av fødselsnummer';
    const link = await ctx.store.rekey({ entityType: 'person', system: 'folkeregister', from, to, reason });
    await ctx.store.appendAudit({
      actor: 'flow:F1',
      action: 'identity.rekey',
      entity: `person/link#${link.id}`,
      before: { identifier: maskFodselsnummer(from) },
      after: { identifier: maskFodselsnummer(to) },
      reason,
    });
    ctx.count('rekeys');
  } catch (error) {
    ctx.logger.warn('could not record a person re-key in the identity links', {
      code: (error as { code?: string }).code ?? 'unexpected',
    });
  }
}

/** Re-read cases by key (`getMany` when the archive has it); keys it does not know are gone. */
export async function readCasesByKey(
  ctx: RunContext,
  keys: readonly string[],
): Promise<{ cases: Case[]; gone: string[]; quarantine: QuarantineInput[] }> {
  const out = { cases: [] as Case[], gone: [] as string[], quarantine: [] as QuarantineInput[] };
  const archive = ctx.archive;
  const sorted = [...new Set(keys)].sort();
  if (archive.capabilities.getMany) {
    const size = Math.max(
      1,
      Math.min(ctx.options.batchSize ?? 500, archive.capabilities.maxBatchSize ?? 100),
    );
    for (const batch of batches(sorted, size)) {
      const got = await ctx.source('noark', `re-reading ${batch.length} cases`, () =>
        archive.getMany(batch, ctx.signal ? { signal: ctx.signal } : {}),
      );
      out.cases.push(...got.entities);
      out.gone.push(...got.missing);
      out.quarantine.push(...quarantineInputs('noark', got.quarantined, ctx.runId));
    }
  } else {
    for (const key of sorted) {
      const c = await ctx.source('noark', 're-reading a case', () =>
        archive.get(key, ctx.signal ? { signal: ctx.signal } : {}),
      );
      if (c === null) out.gone.push(key);
      else out.cases.push(c);
    }
  }
  ctx.count('casesRead', out.cases.length);
  return out;
}
