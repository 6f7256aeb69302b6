import { readFileSync, readdirSync } from 'node:fs';
import { specPath } from '@registerbro/testkit';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  REL,
  TgDokumentobjektWireSchema,
  TgErrorWireSchema,
  TgListWireSchema,
  TgMalWireSchema,
} from '../src/wire/tg.js';

const dir = specPath('arkiv', 'noark5-tg', 'examples');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

/** Which wire schema each chapter-6 example is an instance of, by what its file name says it is. */
function schemaFor(file: string): z.ZodType {
  if (file.includes('feil')) return TgErrorWireSchema;
  if (file.includes('liste')) return TgListWireSchema;
  if (file.includes('mal')) return TgMalWireSchema;
  if (file.includes('dokumentobjekt')) return TgDokumentobjektWireSchema;
  throw new Error(`no schema known for ${file}`);
}

describe('Noark 5 TG examples parse with the wire schemas', () => {
  it('finds the examples', () => expect(files.length).toBeGreaterThanOrEqual(4));

  it.each(files)('%s', (file) => {
    const json = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as Record<string, unknown>;
    const result = schemaFor(file).safeParse(json);
    expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
    const links = (json._links ?? {}) as Record<string, unknown>;
    // Every relation but self is a rel.arkivverket.no relation.
    for (const rel of Object.keys(links)) if (rel !== 'self') expect(rel.startsWith(REL)).toBe(true);
  });

  it('a list without count is refused', () => {
    expect(TgListWireSchema.safeParse({ results: [] }).success).toBe(false);
  });
});
