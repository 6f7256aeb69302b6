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
});
