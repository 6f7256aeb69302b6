import { readdirSync, readFileSync } from 'node:fs';
import { specPath, validateXml } from '@registerbro/testkit';
import { describe, expect, it } from 'vitest';
import { FIKS_ARKIV_CODECS } from '../src/fiks/codec.js';
import { fiksArkivXsdFile } from '../src/fiks/message-types.js';

const examplesDir = specPath('arkiv', 'fiks-arkiv', 'examples');
const schemaDir = specPath('arkiv', 'fiks-arkiv', 'schema', 'V1');
const files = readdirSync(examplesDir).filter((f) => f.endsWith('.xml'));

describe('KS Fiks Arkiv V1 examples round-trip through the codec', () => {
  it('finds the examples', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  it.each(files)('%s', async (file) => {
    const type = file.split('--')[0] ?? '';
    const codec = (
      FIKS_ARKIV_CODECS as Record<string, (typeof FIKS_ARKIV_CODECS)[keyof typeof FIKS_ARKIV_CODECS]>
    )[type];
    expect(codec, `a codec for ${type}`).toBeDefined();
    if (!codec) return;
    const xsd = `${schemaDir}/${fiksArkivXsdFile(type)}`;
    const bytes = readFileSync(`${examplesDir}/${file}`);
    // The example itself is valid (KS's validator produced it).
    const decoded = (codec.decode as (x: Uint8Array) => unknown)(bytes);
    const encoded = (codec.encode as (b: unknown) => string)(decoded);
    const result = await validateXml(encoded, xsd);
    expect(result.valid, result.errors).toBe(true);
    // A second trip changes nothing: nothing the codec reads is lost on the way out.
    expect((codec.decode as (x: string) => unknown)(encoded)).toEqual(decoded);
  });
});
