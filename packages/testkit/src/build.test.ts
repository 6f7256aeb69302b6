import { describe, expect, it } from 'vitest';
import {
  addDays,
  emptyWorld,
  isoDate,
  nextSystemId,
  propertyKey,
  randomDate,
  rectangle,
  ringArea,
  toMs,
} from './build.js';
import { createRandom } from './random.js';

describe('date arithmetic', () => {
  it('agrees with Date for every day from 1890 to 2040', () => {
    const wrong: string[] = [];
    for (let ms = Date.UTC(1890, 0, 1); ms < Date.UTC(2040, 0, 1); ms += 86_400_000) {
      const expected = new Date(ms).toISOString().slice(0, 10);
      if (isoDate(ms) !== expected || toMs(expected) !== ms) wrong.push(expected);
    }
    expect(wrong).toEqual([]);
  });

  it('adds days across leap years and draws dates in range', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(toMs('2026-01-01T00:00:00.000Z')).toBe(Date.UTC(2026, 0, 1));
    const r = createRandom(1);
    for (let i = 0; i < 200; i++) {
      const d = randomDate(r, '2020-01-01', '2020-01-31');
      expect(d >= '2020-01-01' && d <= '2020-01-31').toBe(true);
    }
  });
});

describe('helpers', () => {
  it('formats keys and rings', () => {
    expect(propertyKey('1806', 12, 3)).toBe('1806-12/3/0/0');
    const ring = rectangle(0, 0, 20, 10);
    expect(ring[0]).toEqual(ring[4]);
    expect(ringArea(ring)).toBe(200);
  });

  it('hands out distinct uuid-like systemIDs, deterministic per seed', () => {
    const a = emptyWorld('s', '1806', 'Narvik', '2026-01-01T00:00:00.000Z');
    const b = emptyWorld('s', '1806', 'Narvik', '2026-01-01T00:00:00.000Z');
    const ids = Array.from({ length: 1000 }, () => nextSystemId(a));
    expect(Array.from({ length: 1000 }, () => nextSystemId(b))).toEqual(ids);
    expect(new Set(ids).size).toBe(1000);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
