import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isFodselsnummer, parseFodselsnummer } from '../src/identifiers/fodselsnummer.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'node_modules' || name === 'dist' ? [] : files(full);
    return /\.(ts|md|txt|json)$/.test(name) ? [full] : [];
  });
}

describe('no real-looking fødselsnummer in this package', () => {
  const sources = [
    path.join(root, 'README.md'),
    ...['src', 'test', 'scripts'].flatMap((d) => files(path.join(root, d))),
  ];

  it('scans the README, sources, tests and scripts', () => {
    expect(sources.length).toBeGreaterThan(20);
  });

  it('every valid eleven-digit number written here is synthetic (month + 80)', () => {
    const offenders: string[] = [];
    let synthetic = 0;
    for (const file of sources) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/(?<![0-9])([0-9]{6}) ?([0-9]{5})(?![0-9])/g)) {
        const value = `${match[1]}${match[2]}`;
        if (!isFodselsnummer(value)) continue;
        if (parseFodselsnummer(value).synthetic) synthetic++;
        else offenders.push(`${path.relative(root, file)} (offset ${match.index})`);
      }
    }
    expect(offenders).toEqual([]);
    expect(synthetic).toBeGreaterThan(0);
  });

  it("the README's example parses as documented", () => {
    expect(parseFodselsnummer('178590 10067')).toEqual({
      value: '17859010067',
      kind: 'fnr',
      synthetic: true,
      birthDate: '1990-05-17',
      controlRule: 'classic',
      sex: 'female',
    });
  });
});
