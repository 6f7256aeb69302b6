import { describe, expect, it } from 'vitest';
import { createRandom, hashString } from './random.js';

describe('createRandom', () => {
  it('gives the same stream for the same seed, numbers and strings alike', () => {
    const a = createRandom(42);
    const b = createRandom('42');
    const xs = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(xs);
    expect(new Set(xs).size).toBe(20);
  });

  it('gives different streams for different seeds and forks', () => {
    const base = createRandom('narvik');
    expect(createRandom('ballangen').next()).not.toBe(createRandom('narvik').next());
    expect(base.fork('a').next()).not.toBe(base.fork('b').next());
    expect(base.fork('a').next()).toBe(createRandom('narvik').fork('a').next());
  });

  it('keeps int() within bounds and covers them', () => {
    const r = createRandom(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const n = r.int(3, 7);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(7);
      seen.add(n);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
  });

  it('follows weights and refuses an empty pick', () => {
    const r = createRandom('w');
    let heavy = 0;
    for (let i = 0; i < 1000; i++) if (r.weighted(['a', 'b'], [9, 1]) === 'a') heavy++;
    expect(heavy).toBeGreaterThan(800);
    expect(r.weighted(['only'], [0])).toBe('only');
    expect(() => r.pick([])).toThrow(/empty/);
  });

  it('hashes strings stably', () => {
    expect(hashString('1806')).toBe(hashString('1806'));
    expect(hashString('1806')).not.toBe(hashString('1854'));
  });
});
