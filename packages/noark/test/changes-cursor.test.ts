import { generateMunicipality } from '@registerbro/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNoarkAdapter, type NoarkAdapter } from '../src/adapter.js';
import { createNoarkSimulator, type NoarkSimulator } from '../src/simulator/index.js';

/**
 * The changes cursor keeps `oppdatertDato` as the archive wrote it (review finding 4): truncating
 * `.1234Z` to `.123Z` made pageSize 1 return the same case with the same cursor forever, and
 * re-basing an offset timestamp moved the position.
 */

// Sub-millisecond, tied, offset and zone-less timestamps, all within one millisecond or equal.
const STAMPS = [
  '2026-03-01T10:00:00.1234Z',
  '2026-03-01T10:00:00.1234Z',
  '2026-03-01T10:00:00.1235Z',
  '2026-03-01T10:00:00.123Z',
  '2026-03-01T11:00:00.1231+01:00',
  '2026-03-01T10:00:00.12349Z',
  '2026-03-01T10:00:00.1234567Z',
  '2026-03-01T10:00:00.1234',
  '2026-03-01T09:01:00.12341-00:59',
];

/** The exact instant of a stamp, in nanoseconds since the epoch (zone-less counts as UTC). */
function instantNs(stamp: string): bigint {
  const m = /^(.*?:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$/.exec(stamp);
  if (!m) throw new Error(`bad stamp ${stamp}`);
  const seconds = Date.parse(`${m[1]}${m[3] ?? 'Z'}`);
  const fraction = BigInt((m[2] ?? '').padEnd(9, '0').slice(0, 9));
  return BigInt(seconds) * 1_000_000n + fraction;
}

let sim: NoarkSimulator;
let adapter: NoarkAdapter;
const world = generateMunicipality({ seed: 'sub-millisecond', people: 40 });
const cases = [...world.cases.values()];

beforeAll(async () => {
  cases.forEach((kase, i) => {
    kase.updatedAt = STAMPS[i % STAMPS.length] as string;
  });
  sim = await createNoarkSimulator({ world });
  adapter = createNoarkAdapter({
    baseURL: sim.tgBaseURL,
    http: { shared: false, retries: 0 },
  });
});

afterAll(async () => {
  await adapter?.close?.();
  await sim?.close();
});

/** Follow changes from `cursor` one case per page, with a hard stop instead of hanging. */
async function follow(cursor: string | undefined) {
  const seen: { id: string; at: string; cursor: string }[] = [];
  const limit = cases.length * 2 + 5;
  let pages = 0;
  for await (const page of adapter.changes(cursor, { pageSize: 1 })) {
    pages += 1;
    if (pages > limit) throw new Error(`changes did not terminate: ${pages} pages for ${cases.length} cases`);
    for (const c of page.changes)
      if (c.kind === 'upsert') seen.push({ id: c.entity.systemId, at: c.at ?? '', cursor: page.cursor });
    expect(page.quarantined).toEqual([]);
  }
  return seen;
}

describe('changes with sub-millisecond, tied and offset oppdatertDato', () => {
  it('terminates with pageSize 1 and returns every case exactly once, in time order', async () => {
    const seen = await follow(undefined);
    const ids = seen.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(cases.map((c) => c.systemId)));
    // The archive's own string reaches the cursor and the change unchanged.
    for (const s of seen) {
      expect(STAMPS).toContain(s.at);
      expect(s.cursor).toBe(`noark:v1:${s.at}|${s.id}`);
    }
    // Ordered by the exact instant, then systemID.
    for (let i = 1; i < seen.length; i++) {
      const a = seen[i - 1]!;
      const b = seen[i]!;
      const ta = instantNs(a.at);
      const tb = instantNs(b.at);
      expect(ta < tb || (ta === tb && a.id < b.id)).toBe(true);
    }
    expect(await adapter.head()).toBe(seen.at(-1)?.cursor);
  });

  it('resumes from any stored cursor without gaps or repeats', async () => {
    const all = await follow(undefined);
    for (const k of [0, 3, Math.floor(all.length / 2), all.length - 2]) {
      const rest = await follow(all[k]!.cursor);
      expect(rest.map((s) => s.id)).toEqual(all.slice(k + 1).map((s) => s.id));
    }
    expect(await follow(all.at(-1)!.cursor)).toEqual([]);
  });

  it('a cursor the adapter made with a millisecond timestamp (before this fix) still works', async () => {
    const all = await follow(undefined);
    // 10:00:00.123Z is before every stamp above except itself and the .1231 one.
    const legacy = 'noark:v1:2026-03-01T10:00:00.123Z|00000000-0000-0000-0000-000000000000';
    const rest = await follow(legacy);
    const expected = all.filter((s) => instantNs(s.at) >= instantNs('2026-03-01T10:00:00.123Z'));
    expect(rest.map((s) => s.id)).toEqual(expected.map((s) => s.id));
  });
});
