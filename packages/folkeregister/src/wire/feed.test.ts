import { describe, expect, it } from 'vitest';
import { parseFeedPage } from './feed.js';

const event = (seq: number, id = '12345678901', type = 'endringINavn') => ({
  sekvensnummer: seq,
  hendelse: { folkeregisteridentifikator: id, hendelsetype: type },
});

describe('parseFeedPage', () => {
  it('keeps unknown hendelsetype values as they are', () => {
    const page = parseFeedPage([event(1, '12345678901', 'nyTypeFraSkatteetaten')], 1);
    expect(page.events[0]?.hendelse.hendelsetype).toBe('nyTypeFraSkatteetaten');
    expect(page.lastSekvensnummer).toBe(1);
  });

  it('splits off bad events and infers the sequence number of unreadable ones from their position', () => {
    const page = parseFeedPage(
      [
        { sekvensnummer: 'x', hendelse: { folkeregisteridentifikator: '12345678901', hendelsetype: 'a' } },
        event(11),
        { sekvensnummer: 12, hendelse: { folkeregisteridentifikator: 42, hendelsetype: 'a' } },
        event(13),
        { hendelse: { folkeregisteridentifikator: '12345678901' } },
      ],
      10,
    );
    expect(page.events.map((e) => e.sekvensnummer)).toEqual([11, 13]);
    expect(page.invalid.map((i) => [i.index, i.sekvensnummer])).toEqual([
      [0, 10],
      [2, 12],
      [4, 14],
    ]);
    expect(page.invalid[0]?.folkeregisteridentifikator).toBe('12345678901');
    expect(page.invalid[0]?.error.record).toBe('hendelse 10 (***********)');
    // The cursor must move past trailing bad events too, or the feed would loop on them.
    expect(page.lastSekvensnummer).toBe(14);
  });

  it('a page holding something that is not an event object is refused whole (no guessing)', () => {
    for (const junk of [null, 'garbage', 7, [[]]]) {
      expect(() => parseFeedPage([event(1), junk], 1)).toThrowError(/non-object/);
    }
  });

  it('an empty page has no last sequence number; a non-array is a typed error', () => {
    expect(parseFeedPage([], 5)).toEqual({ events: [], invalid: [], lastSekvensnummer: undefined });
    expect(() => parseFeedPage({ kode: 'FREG-001' }, 5)).toThrowError(/not a JSON array/);
  });

  it('an invalid event claiming a far-ahead sequence number is refused, not trusted (the cursor stays)', () => {
    const bad = { sekvensnummer: 900_000, hendelse: { hendelsetype: 5 } };
    expect(() => parseFeedPage([event(1), event(2), bad], 1)).toThrowError(/sequence number/);
    // Between two valid events it must fit the room they leave.
    expect(() => parseFeedPage([event(1), bad, event(3)], 1)).toThrowError(/sequence number/);
  });

  it('a replayed or stale sequence number on an invalid event is refused, never replaced by a guess', () => {
    const stale = { sekvensnummer: 1, hendelse: { folkeregisteridentifikator: '12345678901' } };
    expect(() => parseFeedPage([event(1), event(2), stale, event(3)], 1)).toThrowError(/sequence number/);
    // An unreadable number with no room left for it between its neighbours: refused too.
    const unreadable = { hendelse: { folkeregisteridentifikator: '12345678901' } };
    expect(() => parseFeedPage([event(1), unreadable, event(2)], 1)).toThrowError(/sequence number/);
  });

  it('an invalid event keeps its own number when it fits; an unreadable one takes the lowest it can have', () => {
    const page = parseFeedPage(
      [
        event(1),
        { sekvensnummer: 5, hendelse: {} },
        event(10),
        { hendelse: {} },
        event(20),
        { hendelse: {} },
      ],
      1,
    );
    expect(page.events.map((e) => e.sekvensnummer)).toEqual([1, 10, 20]);
    // 11 is the lowest number the unreadable one can have: resuming after it re-reads, never skips.
    expect(page.invalid.map((i) => i.sekvensnummer)).toEqual([5, 11, 21]);
    expect(page.lastSekvensnummer).toBe(21);
  });

  it('near-miss identifiers in a bad event never reach the error, its excerpt or its record', () => {
    const base = '01818012345'; // Tenor-style (month + 80), and not even valid: only the shape matters here
    for (const near of [
      `${base}6`,
      base.slice(0, 10),
      `${base.slice(0, 6)}-${base.slice(6)}`,
      `${base.slice(0, 6)} ${base.slice(6)}`,
    ]) {
      const page = parseFeedPage([{ sekvensnummer: 1, hendelse: { folkeregisteridentifikator: near } }], 1);
      const bad = page.invalid[0];
      expect(bad?.folkeregisteridentifikator).toBe(near);
      const shown = JSON.stringify([
        bad?.error.message,
        bad?.error.record,
        bad?.error.excerpt,
        bad?.error.toJSON(),
      ]);
      expect(shown).not.toContain(base.slice(0, 6));
      expect(shown).not.toContain(near);
    }
  });
});
