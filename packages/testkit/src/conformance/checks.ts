import { createHash } from 'node:crypto';
import {
  type Adapter,
  type Change,
  type ChangePage,
  type Operation,
  type QuarantineEntry,
  type ScanPage,
  UpstreamInvalidError,
  isRegisterbroError,
  redactText,
} from '@registerbro/model';
import type { ConformanceContext, ConformanceHarness, ConformanceTestName } from './harness.js';

/**
 * The conformance checks as plain async functions, so they can run outside the vitest suite (and
 * be pointed at a deliberately broken adapter to prove they catch it). Each throws a
 * {@link ConformanceError} on the first violation, or resolves to an outcome.
 */

/** A contract violation found by a conformance check. */
export class ConformanceError extends Error {
  /** The check that found it. */
  readonly test: ConformanceTestName;
  constructor(test: ConformanceTestName, message: string) {
    // Keys and messages can hold fødselsnummer: the report must never show one in clear.
    super(redactText(`[${test}] ${message}`));
    this.name = 'ConformanceError';
    this.test = test;
  }
}

/** How a check ended when it did not throw: passed, or not applicable (with the reason). */
export type ConformanceOutcome = { status: 'passed' } | { status: 'skipped'; reason: string };

/** A conformance check: runs against one fresh context. */
export type ConformanceCheck = <E, Op extends Operation>(
  harness: ConformanceHarness<E, Op>,
  context: ConformanceContext<E, Op>,
) => Promise<ConformanceOutcome>;

const PASSED: ConformanceOutcome = { status: 'passed' };
const skipped = (reason: string): ConformanceOutcome => ({ status: 'skipped', reason });

const DEFAULT_PAGE_SIZE = 5;
/** A feed that has not ended after this many pages is treated as never ending. */
const MAX_PAGES = 1_000;

function pageSizeOf(harness: { pageSize?: number | undefined }): number {
  const size = harness.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1) throw new Error(`harness.pageSize must be a positive integer`);
  return size;
}

function describeError(error: unknown): string {
  if (isRegisterbroError(error)) return `${error.name} (code ${error.code}): ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function isUpstreamInvalid(error: unknown): boolean {
  if (!isRegisterbroError(error)) return false;
  // Brand + shape instead of instanceof alone: a second copy of the model package must pass too.
  return error instanceof UpstreamInvalidError || Array.isArray((error as { issues?: unknown }).issues);
}

const ELEVEN_DIGITS = /(?<![0-9])[0-9]{11}(?![0-9])/;

function assertNoRawIdentifier(test: ConformanceTestName, error: unknown, where: string): void {
  if (!isRegisterbroError(error)) return;
  for (const [field, value] of [
    ['message', error.message],
    ['record', error.record],
    ['hint', error.hint],
  ] as const) {
    if (typeof value === 'string' && ELEVEN_DIGITS.test(value)) {
      throw new ConformanceError(
        test,
        `${where}: the error's ${field} holds an unmasked 11-digit identifier`,
      );
    }
  }
}

/** Run `call`; it must reject with an error accepted by `accept`. */
async function expectRejection(
  test: ConformanceTestName,
  where: string,
  call: () => Promise<unknown>,
  expected: string,
  accept: (error: unknown) => boolean,
): Promise<unknown> {
  let result: unknown;
  try {
    result = await call();
  } catch (error) {
    if (!accept(error)) {
      throw new ConformanceError(test, `${where}: expected ${expected}, got ${describeError(error)}`);
    }
    assertNoRawIdentifier(test, error, where);
    return error;
  }
  throw new ConformanceError(
    test,
    `${where}: expected ${expected}, but the call resolved (${result === null ? 'null' : typeof result})`,
  );
}

const hasCode =
  (code: string) =>
  (error: unknown): boolean =>
    isRegisterbroError(error) && error.code === code;

/** Drain an async iterable of pages, bounded so a feed that never ends fails instead of hanging. */
async function drain<T>(
  test: ConformanceTestName,
  where: string,
  make: () => AsyncIterable<T>,
): Promise<T[]> {
  const pages: T[] = [];
  for await (const page of make()) {
    pages.push(page);
    if (pages.length > MAX_PAGES) {
      throw new ConformanceError(test, `${where}: still yielding pages after ${MAX_PAGES}; it must end`);
    }
  }
  return pages;
}

function validateEntity<E, Op extends Operation>(
  test: ConformanceTestName,
  harness: ConformanceHarness<E, Op>,
  entity: E,
  where: string,
  expectedKey?: string,
): void {
  const parsed = harness.schema.safeParse(entity);
  if (!parsed.success) {
    throw new ConformanceError(
      test,
      `${where}: entity does not parse with the model schema: ${parsed.error?.message ?? 'no detail'}`,
    );
  }
  if (expectedKey !== undefined) {
    const key = harness.keyOf(entity);
    if (key !== expectedKey) {
      throw new ConformanceError(
        test,
        `${where}: entity key ${key} differs from the expected key ${expectedKey}`,
      );
    }
  }
}

/** A stable identity for a change, to compare two reads of the same feed. */
export function changeIdentity(change: Change<unknown>): string {
  if (change.eventId !== undefined) return `event:${change.eventId}`;
  if (change.kind === 'rekey') return JSON.stringify(['rekey', change.from, change.to, change.at ?? null]);
  return JSON.stringify([change.kind, change.key, change.at ?? null, change.reason ?? null]);
}

interface FeedRead<E> {
  pages: ChangePage<E>[];
  changes: Change<E>[];
  quarantined: QuarantineEntry[];
  /** Cursor of the last page, or the starting cursor when there was no page. */
  lastCursor: string | undefined;
}

/** Read the feed from `cursor` to its end, checking every page's shape and entity. */
async function readFeed<E, Op extends Operation>(
  test: ConformanceTestName,
  harness: ConformanceHarness<E, Op>,
  adapter: Adapter<E, Op>,
  cursor: string | undefined,
  where: string,
): Promise<FeedRead<E>> {
  const pageSize = pageSizeOf(harness);
  const pages = await drain(test, where, () => adapter.changes(cursor, { pageSize }));
  const read: FeedRead<E> = { pages, changes: [], quarantined: [], lastCursor: cursor };
  pages.forEach((page, index) => {
    const at = `${where}, page ${index + 1}`;
    if (!Array.isArray(page.changes) || !Array.isArray(page.quarantined)) {
      throw new ConformanceError(test, `${at}: a page must have changes[] and quarantined[]`);
    }
    if (typeof page.cursor !== 'string' || page.cursor.length === 0) {
      throw new ConformanceError(test, `${at}: every page must carry a non-empty cursor`);
    }
    for (const change of page.changes) {
      if (change.kind === 'upsert') validateEntity(test, harness, change.entity, at, change.key);
      if (change.kind === 'rekey') {
        for (const entity of change.entities ?? []) validateEntity(test, harness, entity, at);
      }
    }
    read.changes.push(...page.changes);
    read.quarantined.push(...page.quarantined);
    read.lastCursor = page.cursor;
  });
  return read;
}

function requireKnownKeys(test: ConformanceTestName, keys: readonly string[]): readonly string[] {
  if (keys.length === 0)
    throw new ConformanceError(test, 'knownKeys() is empty: the simulator must hold records');
  return keys;
}

/** Up to `count` keys spread over the list (first, last and between). */
function sampleKeys(keys: readonly string[], count: number): string[] {
  if (keys.length <= count) return [...keys];
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(keys[Math.round((i * (keys.length - 1)) / (count - 1 || 1))]!);
  return [...new Set(out)];
}

/** Compare `actual` to `expected` change identities and say what is missing or extra. */
function compareSequences(
  test: ConformanceTestName,
  where: string,
  expected: string[],
  actual: string[],
): void {
  if (expected.length === actual.length && expected.every((id, i) => id === actual[i])) return;
  const remaining = new Map<string, number>();
  for (const id of expected) remaining.set(id, (remaining.get(id) ?? 0) + 1);
  const extra: string[] = [];
  for (const id of actual) {
    const left = remaining.get(id) ?? 0;
    if (left > 0) remaining.set(id, left - 1);
    else extra.push(id);
  }
  const missing = [...remaining].flatMap(([id, n]) => Array<string>(n).fill(id));
  const parts = [`expected ${expected.length} changes, got ${actual.length}`];
  if (missing.length > 0) parts.push(`gap: missing ${missing.slice(0, 3).join(', ')}`);
  if (extra.length > 0) parts.push(`duplicate or unexpected: ${extra.slice(0, 3).join(', ')}`);
  if (missing.length === 0 && extra.length === 0) parts.push('same changes in a different order');
  throw new ConformanceError(test, `${where}: ${parts.join('; ')}`);
}

/** The read calls the adapter declares, each as a thunk taking a signal (for fault and abort checks). */
function supportedReads<E, Op extends Operation>(
  adapter: Adapter<E, Op>,
  key: string,
  cursor: string | undefined,
  pageSize: number,
): { name: string; call: (signal?: AbortSignal) => Promise<unknown> }[] {
  const caps = adapter.capabilities;
  const reads: { name: string; call: (signal?: AbortSignal) => Promise<unknown> }[] = [];
  if (caps.get) reads.push({ name: 'get', call: (signal) => adapter.get(key, { signal }) });
  if (caps.getMany) reads.push({ name: 'getMany', call: (signal) => adapter.getMany([key], { signal }) });
  if (caps.changes) {
    reads.push({
      name: 'changes',
      call: async (signal) => {
        const pages: ChangePage<E>[] = [];
        for await (const page of adapter.changes(cursor, { pageSize, signal })) pages.push(page);
        return pages;
      },
    });
  }
  if (caps.scan) {
    reads.push({
      name: 'scan',
      call: async (signal) => {
        const pages: ScanPage<E>[] = [];
        for await (const page of adapter.scan({ pageSize, signal })) pages.push(page);
        return pages;
      },
    });
  }
  return reads;
}

/** After a fault is cleared the adapter must work again (no poisoned token, no stuck state). */
async function assertRecovers<E, Op extends Operation>(
  test: ConformanceTestName,
  context: ConformanceContext<E, Op>,
  key: string,
): Promise<void> {
  await context.clearFaults();
  const { adapter } = context;
  try {
    if (adapter.capabilities.get) {
      if ((await adapter.get(key)) === null) throw new Error('get returned null for a known key');
    } else {
      const result = await adapter.check();
      if (!result.ok) throw new Error(`check() not ok: ${describeError(result.error)}`);
    }
  } catch (error) {
    throw new ConformanceError(
      test,
      `after clearFaults() the adapter must work again: ${describeError(error)}`,
    );
  }
}

async function headBefore<E, Op extends Operation>(adapter: Adapter<E, Op>): Promise<string | undefined> {
  return adapter.capabilities.changes ? adapter.head() : undefined;
}

// ---------------------------------------------------------------------------------------------
// The checks
// ---------------------------------------------------------------------------------------------

/** `check()` resolves ok, for the adapter's own system, with a sane latency. */
export const checkCheckOk: ConformanceCheck = async (_harness, { adapter }) => {
  const result = await adapter.check();
  if (!result.ok) throw new ConformanceError('check_ok', `check() not ok: ${describeError(result.error)}`);
  if (result.system !== adapter.system) {
    throw new ConformanceError(
      'check_ok',
      `check().system is ${result.system}, adapter.system is ${adapter.system}`,
    );
  }
  if (!Number.isFinite(result.latencyMs) || result.latencyMs < 0) {
    throw new ConformanceError(
      'check_ok',
      `check().latencyMs must be a finite number ≥ 0, got ${result.latencyMs}`,
    );
  }
  return PASSED;
};

/** With credentials refused, `check()` resolves `{ ok: false, error: auth_failed }` instead of throwing. */
export const checkCheckReportsFailure: ConformanceCheck = async (_harness, context) => {
  const test = 'check_reports_failure';
  await context.inject('unauthorized');
  let result: Awaited<ReturnType<typeof context.adapter.check>>;
  try {
    result = await context.adapter.check();
  } catch (error) {
    throw new ConformanceError(
      test,
      `check() threw instead of resolving { ok: false }: ${describeError(error)}`,
    );
  }
  if (result.ok) throw new ConformanceError(test, 'check() said ok while every request is refused with 401');
  if (!isRegisterbroError(result.error) || result.error.code !== 'auth_failed') {
    throw new ConformanceError(
      test,
      `check().error must be an auth_failed error, got ${describeError(result.error)}`,
    );
  }
  await context.clearFaults();
  const again = await context.adapter.check();
  if (!again.ok)
    throw new ConformanceError(test, `check() not ok after clearFaults(): ${describeError(again.error)}`);
  return PASSED;
};

const isUnsupported = hasCode('unsupported');

/** Capabilities are well-formed, and every call they exclude throws UnsupportedError. */
export const checkCapabilitiesHonoured: ConformanceCheck = async (_harness, context) => {
  const test = 'capabilities_honoured';
  const { adapter } = context;
  const caps = adapter.capabilities;
  for (const flag of ['get', 'getMany', 'changes', 'scan'] as const) {
    if (typeof caps[flag] !== 'boolean')
      throw new ConformanceError(test, `capabilities.${flag} must be a boolean`);
  }
  if (!Array.isArray(caps.apply) || caps.apply.some((type) => typeof type !== 'string')) {
    throw new ConformanceError(test, 'capabilities.apply must be an array of operation type names');
  }
  if (caps.maxBatchSize !== undefined && (!Number.isInteger(caps.maxBatchSize) || caps.maxBatchSize < 1)) {
    throw new ConformanceError(test, 'capabilities.maxBatchSize must be a positive integer when set');
  }
  const key = context.unknownKey;
  const expected = 'UnsupportedError (code unsupported)';
  if (!caps.get) await expectRejection(test, 'get', () => adapter.get(key), expected, isUnsupported);
  if (!caps.getMany)
    await expectRejection(test, 'getMany', () => adapter.getMany([key]), expected, isUnsupported);
  if (!caps.changes) {
    await expectRejection(test, 'head', () => adapter.head(), expected, isUnsupported);
    await expectRejection(
      test,
      'changes',
      () => drain(test, 'changes', () => adapter.changes(undefined)),
      expected,
      isUnsupported,
    );
  }
  if (!caps.scan) {
    await expectRejection(
      test,
      'scan',
      () => drain(test, 'scan', () => adapter.scan()),
      expected,
      isUnsupported,
    );
  }
  // An operation type the adapter does not declare must be refused, never silently dropped.
  const probe = { type: 'conformance_undeclared_operation', target: key } as unknown as Parameters<
    typeof adapter.apply
  >[0];
  await expectRejection(
    test,
    `apply of an undeclared operation type (declared: [${caps.apply.join(', ')}])`,
    () => adapter.apply(probe, { idempotencyKey: 'conformance-undeclared' }),
    expected,
    isUnsupported,
  );
  return PASSED;
};

/** `get` of known keys returns schema-valid entities under the same key. */
export const checkGetKnown: ConformanceCheck = async (harness, context) => {
  const test = 'get_known';
  if (!context.adapter.capabilities.get) return skipped('capabilities.get is false');
  const keys = sampleKeys(requireKnownKeys(test, await context.knownKeys()), 5);
  for (const key of keys) {
    const entity = await context.adapter.get(key);
    if (entity === null) throw new ConformanceError(test, `get(${key}) returned null for a known key`);
    validateEntity(test, harness, entity, `get(${key})`, key);
  }
  return PASSED;
};

/** `get` of a key the register does not know resolves to null (404 is not an error). */
export const checkGetUnknownReturnsNull: ConformanceCheck = async (_harness, context) => {
  const test = 'get_unknown_returns_null';
  if (!context.adapter.capabilities.get) return skipped('capabilities.get is false');
  if ((await context.knownKeys()).includes(context.unknownKey)) {
    throw new ConformanceError(test, 'harness error: unknownKey is among knownKeys()');
  }
  let result: unknown;
  try {
    result = await context.adapter.get(context.unknownKey);
  } catch (error) {
    throw new ConformanceError(test, `get(unknown key) must resolve null, it threw ${describeError(error)}`);
  }
  if (result !== null)
    throw new ConformanceError(test, `get(unknown key) must resolve null, got ${typeof result}`);
  return PASSED;
};

/** `getMany` returns the found entities and lists the missing keys; it batches past maxBatchSize. */
export const checkGetManyFoundAndMissing: ConformanceCheck = async (harness, context) => {
  const test = 'get_many_found_and_missing';
  const { adapter } = context;
  if (!adapter.capabilities.getMany) return skipped('capabilities.getMany is false');
  const known = requireKnownKeys(test, await context.knownKeys());
  const wanted = sampleKeys(known, 3);

  const empty = await adapter.getMany([]);
  if (empty.entities.length !== 0 || empty.missing.length !== 0) {
    throw new ConformanceError(test, 'getMany([]) must return no entities and no missing keys');
  }

  const result = await adapter.getMany([...wanted, context.unknownKey]);
  if (
    !Array.isArray(result.entities) ||
    !Array.isArray(result.missing) ||
    !Array.isArray(result.quarantined)
  ) {
    throw new ConformanceError(test, 'getMany must return entities[], missing[] and quarantined[]');
  }
  if (result.quarantined.length > 0) {
    throw new ConformanceError(
      test,
      `getMany quarantined ${result.quarantined.length} records with no fault armed`,
    );
  }
  const foundKeys = result.entities.map((entity) => {
    validateEntity(test, harness, entity, 'getMany');
    return harness.keyOf(entity);
  });
  const sortedFound = [...foundKeys].sort();
  const sortedWanted = [...wanted].sort();
  if (sortedFound.join('|') !== sortedWanted.join('|')) {
    throw new ConformanceError(
      test,
      `getMany found [${sortedFound.join(', ')}], expected [${sortedWanted.join(', ')}]`,
    );
  }
  if (result.missing.length !== 1 || result.missing[0] !== context.unknownKey) {
    throw new ConformanceError(
      test,
      `getMany missing must be exactly [unknownKey], got [${result.missing.join(', ')}]`,
    );
  }

  const max = adapter.capabilities.maxBatchSize;
  if (max !== undefined && known.length > max) {
    const many = known.slice(0, max + 1);
    const big = await adapter.getMany(many);
    if (big.entities.length !== many.length || big.missing.length !== 0) {
      throw new ConformanceError(
        test,
        `getMany of ${many.length} keys (maxBatchSize ${max}) found ${big.entities.length}, missing ${big.missing.length}: it must split into batches`,
      );
    }
  }
  return PASSED;
};

/** A complete scan covers every known key exactly once; resuming from a page cursor continues it. */
export const checkScanCoversEveryKeyOnce: ConformanceCheck = async (harness, context) => {
  const test = 'scan_covers_every_key_once';
  const { adapter } = context;
  if (!adapter.capabilities.scan) return skipped('capabilities.scan is false');
  const pageSize = pageSizeOf(harness);
  const known = new Set(requireKnownKeys(test, await context.knownKeys()));
  const pages = await drain(test, 'scan', () => adapter.scan({ pageSize }));
  const pageKeys = pages.map((page, index) => {
    if (page.quarantined.length > 0) {
      throw new ConformanceError(test, `scan page ${index + 1} quarantined records with no fault armed`);
    }
    return page.entities.map((entity) => {
      validateEntity(test, harness, entity, `scan page ${index + 1}`);
      return harness.keyOf(entity);
    });
  });
  const seen = new Set<string>();
  for (const key of pageKeys.flat()) {
    if (seen.has(key)) throw new ConformanceError(test, `scan returned ${key} more than once`);
    if (!known.has(key)) throw new ConformanceError(test, `scan returned ${key}, which is not a known key`);
    seen.add(key);
  }
  const missed = [...known].filter((key) => !seen.has(key));
  if (missed.length > 0) {
    throw new ConformanceError(
      test,
      `scan missed ${missed.length} known keys, e.g. ${missed.slice(0, 3).join(', ')}`,
    );
  }
  const firstCursor = pages[0]?.cursor;
  if (pages.length >= 2 && firstCursor !== undefined) {
    const rest = await drain(test, 'resumed scan', () => adapter.scan({ pageSize, cursor: firstCursor }));
    const restKeys = rest.flatMap((page) => page.entities.map((entity) => harness.keyOf(entity))).sort();
    const expected = pageKeys.slice(1).flat().sort();
    if (restKeys.join('|') !== expected.join('|')) {
      throw new ConformanceError(
        test,
        `scan resumed from the first page's cursor returned ${restKeys.length} keys, expected the other ${expected.length}`,
      );
    }
  }
  return PASSED;
};

/** Reading from `head()` on a quiet register yields no change, and every cursor it gives stays put. */
export const checkEmptyFeed: ConformanceCheck = async (harness, context) => {
  const test = 'empty_feed';
  const { adapter } = context;
  if (!adapter.capabilities.changes) return skipped('capabilities.changes is false');
  const head = await adapter.head();
  if (typeof head !== 'string' || head.length === 0)
    throw new ConformanceError(test, 'head() must be a non-empty string');
  const read = await readFeed(test, harness, adapter, head, 'changes(head())');
  if (read.changes.length > 0 || read.quarantined.length > 0) {
    throw new ConformanceError(
      test,
      `changes(head()) on a quiet register returned ${read.changes.length} changes and ${read.quarantined.length} quarantined`,
    );
  }
  for (const page of read.pages) {
    const again = await readFeed(test, harness, adapter, page.cursor, 'changes(cursor of an empty page)');
    if (again.changes.length > 0 || again.quarantined.length > 0) {
      throw new ConformanceError(
        test,
        'a cursor from an empty page must be stable: re-reading it returned changes',
      );
    }
  }
  const head2 = await adapter.head();
  const second = await readFeed(test, harness, adapter, head2, 'changes(second head())');
  if (second.changes.length > 0) throw new ConformanceError(test, 'head() moved on a quiet register');
  return PASSED;
};

/** `2 × pageSize + 1` changes arrive over several pages, all of them, none twice. */
export const checkManyPages: ConformanceCheck = async (harness, context) => {
  const test = 'many_pages';
  const { adapter } = context;
  if (!adapter.capabilities.changes) return skipped('capabilities.changes is false');
  const pageSize = pageSizeOf(harness);
  const head = await adapter.head();
  const expected = await context.produceChanges(2 * pageSize + 1);
  const read = await readFeed(test, harness, adapter, head, 'changes(head)');
  if (read.quarantined.length > 0) {
    throw new ConformanceError(test, `${read.quarantined.length} records quarantined with no fault armed`);
  }
  if (read.changes.length !== expected) {
    throw new ConformanceError(test, `expected ${expected} changes after head, got ${read.changes.length}`);
  }
  const ids = read.changes.map(changeIdentity);
  if (new Set(ids).size !== ids.length && read.changes.every((change) => change.eventId !== undefined)) {
    throw new ConformanceError(test, 'the same eventId was delivered twice');
  }
  const withContent = read.pages.filter((page) => page.changes.length + page.quarantined.length > 0);
  if (withContent.length < 2) {
    throw new ConformanceError(
      test,
      `${expected} changes with pageSize ${pageSize} came in ${withContent.length} page(s)`,
    );
  }
  return PASSED;
};

/**
 * Reading from any stored cursor — in the same adapter, after breaking off an iteration, and in a
 * fresh adapter instance — yields exactly the changes after it: no gap, no duplicate.
 */
export const checkResumeFromCursor: ConformanceCheck = async (harness, context) => {
  const test = 'resume_from_cursor';
  const { adapter } = context;
  if (!adapter.capabilities.changes) return skipped('capabilities.changes is false');
  const pageSize = pageSizeOf(harness);
  const head = await adapter.head();
  await context.produceChanges(2 * pageSize + 1);
  const reference = await readFeed(test, harness, adapter, head, 'changes(head)');
  const referenceIds = reference.changes.map(changeIdentity);
  if (reference.pages.length < 2) {
    throw new ConformanceError(
      test,
      `need at least two pages to test resuming, got ${reference.pages.length}`,
    );
  }

  // Break off after the first page, as a sync that stores its cursor and stops would.
  let firstCursor: string | undefined;
  const firstIds: string[] = [];
  for await (const page of adapter.changes(head, { pageSize })) {
    firstCursor = page.cursor;
    firstIds.push(...page.changes.map(changeIdentity));
    break;
  }
  if (firstCursor === undefined)
    throw new ConformanceError(test, 'the feed yielded no page after producing changes');
  const rest = await readFeed(test, harness, adapter, firstCursor, 'changes(cursor after break)');
  compareSequences(test, 'first page + resume after break', referenceIds, [
    ...firstIds,
    ...rest.changes.map(changeIdentity),
  ]);

  const restarted = context.createAdapter?.();
  try {
    const reader = restarted ?? adapter;
    const label = restarted ? 'a fresh adapter' : 'the adapter';
    let consumed = 0;
    for (const [index, page] of reference.pages.entries()) {
      consumed += page.changes.length;
      const resumed = await readFeed(
        test,
        harness,
        reader,
        page.cursor,
        `${label}, changes(cursor of page ${index + 1})`,
      );
      compareSequences(
        test,
        `${label} resuming from page ${index + 1}'s cursor`,
        referenceIds.slice(consumed),
        resumed.changes.map(changeIdentity),
      );
    }
    // New changes after the stored end cursor: exactly those, nothing older again.
    const more = await context.produceChanges(2);
    const tail = await readFeed(
      test,
      harness,
      reader,
      reference.lastCursor,
      `${label}, changes(last cursor)`,
    );
    if (tail.changes.length !== more) {
      throw new ConformanceError(
        test,
        `after 2 new changes, reading from the last cursor gave ${tail.changes.length}, expected ${more}`,
      );
    }
    const old = new Set(referenceIds);
    const repeated = tail.changes.filter(
      (change) => change.eventId !== undefined && old.has(changeIdentity(change)),
    );
    if (repeated.length > 0) {
      throw new ConformanceError(
        test,
        `reading from the last cursor repeated ${repeated.length} already-read changes`,
      );
    }
  } finally {
    await restarted?.close?.();
  }
  return PASSED;
};

/** Every read call fails with AuthError (auth_failed) while credentials are refused; it recovers after. */
export const checkAuthError: ConformanceCheck = async (harness, context) => {
  const test = 'auth_error';
  const key = requireKnownKeys(test, await context.knownKeys())[0]!;
  const head = await headBefore(context.adapter);
  await context.inject('unauthorized');
  const reads = supportedReads(context.adapter, key, head, pageSizeOf(harness));
  if (reads.length === 0) return skipped('the adapter declares no read call');
  for (const read of reads) {
    const error = await expectRejection(
      test,
      read.name,
      () => read.call(),
      'AuthError (code auth_failed)',
      hasCode('auth_failed'),
    );
    if (isRegisterbroError(error) && error.retryable) {
      throw new ConformanceError(test, `${read.name}: a refused credential is not retryable as is`);
    }
  }
  await assertRecovers(test, context, key);
  return PASSED;
};

/** Every read call fails with RateLimitError carrying retryAfterMs on 429; it recovers after. */
export const checkRateLimitError: ConformanceCheck = async (harness, context) => {
  const test = 'rate_limit_error';
  const key = requireKnownKeys(test, await context.knownKeys())[0]!;
  const head = await headBefore(context.adapter);
  await context.inject('rate_limit');
  const reads = supportedReads(context.adapter, key, head, pageSizeOf(harness));
  if (reads.length === 0) return skipped('the adapter declares no read call');
  for (const read of reads) {
    const error = await expectRejection(
      test,
      read.name,
      () => read.call(),
      'RateLimitError (code rate_limited)',
      hasCode('rate_limited'),
    );
    const retryAfterMs = (error as { retryAfterMs?: unknown }).retryAfterMs;
    if (typeof retryAfterMs !== 'number' || !Number.isFinite(retryAfterMs) || retryAfterMs <= 0) {
      throw new ConformanceError(
        test,
        `${read.name}: RateLimitError.retryAfterMs must be a positive number, got ${String(retryAfterMs)}`,
      );
    }
    if (isRegisterbroError(error) && !error.retryable) {
      throw new ConformanceError(test, `${read.name}: a rate-limit error must be retryable`);
    }
  }
  await assertRecovers(test, context, key);
  return PASSED;
};

/** A malformed body makes every read fail with UpstreamInvalidError — never a silent null or empty page. */
export const checkMalformedBody: ConformanceCheck = async (harness, context) => {
  const test = 'malformed_body';
  const key = requireKnownKeys(test, await context.knownKeys())[0]!;
  const head = await headBefore(context.adapter);
  await context.inject('malformed_body');
  const reads = supportedReads(context.adapter, key, head, pageSizeOf(harness));
  if (reads.length === 0) return skipped('the adapter declares no read call');
  for (const read of reads) {
    await expectRejection(test, read.name, () => read.call(), 'UpstreamInvalidError', isUpstreamInvalid);
  }
  await assertRecovers(test, context, key);
  return PASSED;
};

/**
 * One bad record in a feed page goes to quarantine with an UpstreamInvalidError; the rest of the
 * page is delivered and the cursor moves past the bad record.
 */
export const checkMalformedRecordQuarantined: ConformanceCheck = async (harness, context) => {
  const test = 'malformed_record_quarantined';
  const { adapter } = context;
  if (!adapter.capabilities.changes) return skipped('capabilities.changes is false');
  const pageSize = pageSizeOf(harness);
  const head = await adapter.head();
  const expected = await context.produceChanges(2 * pageSize + 1);
  await context.inject('malformed_record');
  const read = await readFeed(test, harness, adapter, head, 'changes(head)').catch((error: unknown) => {
    if (error instanceof ConformanceError) throw error;
    throw new ConformanceError(test, `one bad record must not fail the feed, got ${describeError(error)}`);
  });
  if (read.quarantined.length !== 1) {
    throw new ConformanceError(test, `expected exactly 1 quarantined record, got ${read.quarantined.length}`);
  }
  const entry = read.quarantined[0]!;
  if (typeof entry.recordType !== 'string' || entry.recordType.length === 0) {
    throw new ConformanceError(test, 'a quarantine entry must name its recordType');
  }
  if (!isUpstreamInvalid(entry.error)) {
    throw new ConformanceError(
      test,
      `the quarantine entry's error must be an UpstreamInvalidError, got ${describeError(entry.error)}`,
    );
  }
  assertNoRawIdentifier(test, entry.error, 'quarantine entry');
  if (entry.key !== undefined && ELEVEN_DIGITS.test(entry.key)) {
    throw new ConformanceError(
      test,
      'a quarantine entry key must be masked (maskFodselsnummer); put the raw key in rawKey',
    );
  }
  if (read.changes.length !== expected - 1) {
    throw new ConformanceError(
      test,
      `the rest must proceed: expected ${expected - 1} good changes, got ${read.changes.length}`,
    );
  }
  const page = read.pages.find((candidate) => candidate.quarantined.length > 0)!;
  if (pageSize > 1 && page.changes.length === 0) {
    throw new ConformanceError(test, 'the page holding the bad record delivered none of its good records');
  }
  const after = await readFeed(
    test,
    harness,
    adapter,
    read.lastCursor,
    'changes(cursor after the bad record)',
  );
  if (after.changes.length > 0 || after.quarantined.length > 0) {
    throw new ConformanceError(
      test,
      'the cursor must advance past the quarantined record: re-reading returned entries',
    );
  }
  return PASSED;
};

/** A signal aborted before the call makes every read reject with AbortedError (code aborted). */
export const checkAbortBeforeCall: ConformanceCheck = async (harness, context) => {
  const test = 'abort_before_call';
  const key = requireKnownKeys(test, await context.knownKeys())[0]!;
  const head = await headBefore(context.adapter);
  const reads = supportedReads(context.adapter, key, head, pageSizeOf(harness));
  if (context.adapter.capabilities.changes) {
    reads.push({ name: 'head', call: (signal) => context.adapter.head({ signal }) });
  }
  if (reads.length === 0) return skipped('the adapter declares no read call');
  for (const read of reads) {
    const signal = AbortSignal.abort();
    await expectRejection(
      test,
      read.name,
      () => read.call(signal),
      'AbortedError (code aborted)',
      hasCode('aborted'),
    );
  }
  return PASSED;
};

/**
 * How long after aborting a call the suite waits for it to settle. Not a performance bound: the
 * abort comes 25 ms into a request the simulator never answers, so an adapter that honours the
 * signal settles at once, and one that only looks at it after a response never settles at all.
 */
const ABORT_GRACE_MS = 3_000;

/**
 * A signal aborted while the register is not answering makes the pending call reject with
 * AbortedError promptly — not after a response, and not never.
 */
export const checkAbortDuringCall: ConformanceCheck = async (harness, context) => {
  const test = 'abort_during_call';
  const key = requireKnownKeys(test, await context.knownKeys())[0]!;
  const head = await headBefore(context.adapter);
  await context.inject('latency');
  const reads = supportedReads(context.adapter, key, head, pageSizeOf(harness));
  if (reads.length === 0) return skipped('the adapter declares no read call');
  try {
    for (const read of reads) {
      const controller = new AbortController();
      const abortTimer = setTimeout(() => controller.abort(), 25);
      let graceTimer: NodeJS.Timeout | undefined;
      const pending = read.call(controller.signal).then(
        (value) => ({ settled: 'resolved' as const, value }),
        (error: unknown) => ({ settled: 'rejected' as const, error }),
      );
      const outcome = await Promise.race([
        pending,
        new Promise<{ settled: 'pending' }>((resolve) => {
          graceTimer = setTimeout(() => resolve({ settled: 'pending' }), ABORT_GRACE_MS);
        }),
      ]);
      clearTimeout(abortTimer);
      clearTimeout(graceTimer);
      if (outcome.settled === 'pending') {
        // Let the held request go so the call can finish before teardown.
        await context.clearFaults();
        await Promise.race([pending, new Promise((resolve) => setTimeout(resolve, ABORT_GRACE_MS).unref())]);
        throw new ConformanceError(
          test,
          `${read.name}: still pending ${ABORT_GRACE_MS} ms after the abort; the signal must cancel the request in flight`,
        );
      }
      if (outcome.settled === 'resolved') {
        throw new ConformanceError(
          test,
          `${read.name}: expected AbortedError (code aborted), but the call resolved`,
        );
      }
      if (!hasCode('aborted')(outcome.error)) {
        throw new ConformanceError(
          test,
          `${read.name}: expected AbortedError (code aborted), got ${describeError(outcome.error)}`,
        );
      }
    }
  } finally {
    await context.clearFaults();
  }
  return PASSED;
};

/** Every entity from get, getMany, scan and the feed parses with the model schema. */
export const checkEntitiesParse: ConformanceCheck = async (harness, context) => {
  const test = 'entities_parse';
  const { adapter } = context;
  const caps = adapter.capabilities;
  const known = requireKnownKeys(test, await context.knownKeys());
  const sample = sampleKeys(known, 10);
  const failures: string[] = [];
  let seen = 0;
  const check = (entity: unknown, where: string) => {
    seen++;
    const parsed = harness.schema.safeParse(entity);
    if (!parsed.success) failures.push(`${where}: ${parsed.error?.message ?? 'no detail'}`);
  };
  if (caps.get) {
    for (const key of sample) {
      const entity = await adapter.get(key);
      if (entity !== null) check(entity, `get(${key})`);
    }
  }
  if (caps.getMany) for (const entity of (await adapter.getMany(sample)).entities) check(entity, 'getMany');
  if (caps.scan) {
    for await (const page of adapter.scan({
      pageSize: pageSizeOf(harness),
    })) {
      for (const entity of page.entities) check(entity, 'scan');
    }
  }
  if (caps.changes) {
    const head = await adapter.head();
    await context.produceChanges(pageSizeOf(harness));
    for await (const page of adapter.changes(head)) {
      for (const change of page.changes) {
        if (change.kind === 'upsert') check(change.entity, `change ${change.key}`);
        if (change.kind === 'rekey')
          for (const entity of change.entities ?? []) check(entity, `rekey ${change.from}`);
      }
    }
  }
  if (seen === 0) throw new ConformanceError(test, 'no call returned any entity to check');
  if (failures.length > 0) {
    throw new ConformanceError(
      test,
      `${failures.length} of ${seen} entities fail the model schema; first: ${failures.slice(0, 3).join(' | ')}`,
    );
  }
  return PASSED;
};

/** Applying one operation twice with the same idempotency key changes the target once. */
export const checkApplyIdempotent: ConformanceCheck = async (_harness, context) => {
  const test = 'apply_idempotent';
  const { adapter } = context;
  if (adapter.capabilities.apply.length === 0)
    return skipped('read-only adapter: capabilities.apply is empty');
  if (!context.sampleOperation) {
    throw new ConformanceError(
      test,
      'a writable adapter must provide sampleOperation() in its conformance context',
    );
  }
  const sample = await context.sampleOperation();
  if (!adapter.capabilities.apply.includes(sample.operation.type)) {
    throw new ConformanceError(
      test,
      `harness error: sample operation type ${sample.operation.type} is not in capabilities.apply`,
    );
  }
  const idempotencyKey = `conformance-${createHash('sha256').update(JSON.stringify(sample.operation)).digest('hex').slice(0, 32)}`;
  const first = await adapter.apply(sample.operation, { idempotencyKey });
  if (first.status !== 'applied')
    throw new ConformanceError(test, `first apply returned ${first.status}, expected applied`);
  const second = await adapter.apply(sample.operation, { idempotencyKey });
  if (second.status !== 'already_applied') {
    throw new ConformanceError(
      test,
      `second apply with the same idempotency key returned ${second.status}, expected already_applied`,
    );
  }
  const restarted = context.createAdapter?.();
  try {
    if (restarted) {
      const third = await restarted.apply(sample.operation, { idempotencyKey });
      if (third.status !== 'already_applied') {
        throw new ConformanceError(
          test,
          `a fresh adapter applying the same key returned ${third.status}: idempotency must not live in memory`,
        );
      }
    }
  } finally {
    await restarted?.close?.();
  }
  const changed = await sample.verify();
  if (changed !== 1)
    throw new ConformanceError(test, `the target changed ${changed} times, expected exactly once`);
  return PASSED;
};

/** Every check, in the order the suite runs them, with its test title. */
export const conformanceChecks: Readonly<
  Record<ConformanceTestName, { title: string; run: ConformanceCheck }>
> = {
  check_ok: { title: 'check() resolves ok for its system', run: checkCheckOk },
  check_reports_failure: {
    title: 'check() reports refused credentials as ok: false',
    run: checkCheckReportsFailure,
  },
  capabilities_honoured: {
    title: 'calls outside the capabilities throw UnsupportedError',
    run: checkCapabilitiesHonoured,
  },
  get_known: { title: 'get of a known key returns a schema-valid entity', run: checkGetKnown },
  get_unknown_returns_null: {
    title: 'get of an unknown key returns null (404)',
    run: checkGetUnknownReturnsNull,
  },
  get_many_found_and_missing: {
    title: 'getMany returns found and missing',
    run: checkGetManyFoundAndMissing,
  },
  scan_covers_every_key_once: {
    title: 'scan pages cover every key exactly once',
    run: checkScanCoversEveryKeyOnce,
  },
  empty_feed: { title: 'empty feed: no changes after head() and a stable cursor', run: checkEmptyFeed },
  many_pages: { title: 'many pages: every change once, over several pages', run: checkManyPages },
  resume_from_cursor: {
    title: 'resume from a stored cursor: no gaps, no duplicates',
    run: checkResumeFromCursor,
  },
  auth_error: { title: '401 → AuthError (auth_failed)', run: checkAuthError },
  rate_limit_error: { title: '429 → RateLimitError with retryAfterMs', run: checkRateLimitError },
  malformed_body: { title: 'malformed body → UpstreamInvalidError', run: checkMalformedBody },
  malformed_record_quarantined: {
    title: 'malformed record in a page → quarantined, rest proceeds, cursor advances',
    run: checkMalformedRecordQuarantined,
  },
  abort_before_call: { title: 'an aborted signal rejects with AbortedError', run: checkAbortBeforeCall },
  abort_during_call: { title: 'aborting a slow call rejects with AbortedError', run: checkAbortDuringCall },
  entities_parse: { title: 'every entity parses with the model schema', run: checkEntitiesParse },
  apply_idempotent: {
    title: 'apply twice with one idempotency key changes the target once',
    run: checkApplyIdempotent,
  },
};

/** Run one check against a fresh context from the harness, always tearing it down. */
export async function runConformanceCheck<E, Op extends Operation>(
  harness: ConformanceHarness<E, Op>,
  name: ConformanceTestName,
): Promise<ConformanceOutcome> {
  const context = await harness.setup();
  try {
    return await conformanceChecks[name].run(harness, context);
  } finally {
    await context.teardown();
  }
}
