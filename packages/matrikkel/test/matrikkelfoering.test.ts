import { readFileSync } from 'node:fs';
import { specPath, validateXml } from '@registerbro/testkit';
import { describe, expect, it } from 'vitest';
import { buildMatrikkelfoering, parseMatrikkelfoering, summarizeMatrikkelfoering } from '../src/index.js';

const example = (name: string) => readFileSync(specPath('matrikkel', 'examples', name), 'utf8');
const V1_XSD = specPath('matrikkel', 'schema', 'gi-matrikkelfoering-v1', 'matrikkelfoering.xsd');
const V2_XSD = specPath(
  'matrikkel',
  'schema',
  'fiks-matrikkelfoering-v2',
  'no.ks.fiks.matrikkelfoering.v2.grunnlag.xsd',
);

describe('matrikkelføring contract tests (specs/matrikkel/examples)', () => {
  it('parses the GeoIntegrasjon v1 example, rebuilds it schema-valid, and round-trips', async () => {
    const xml = example('gi-matrikkelfoering-v1-byggesak-standard.xml');
    expect((await validateXml(xml, V1_XSD)).valid).toBe(true);
    const message = parseMatrikkelfoering(xml);
    expect(message.version).toBe('v1');
    const summary = summarizeMatrikkelfoering(message);
    expect(summary.saksnummer).toBe('2019/367244');
    expect(summary.matrikkelnummer).toEqual(['0233-2/45/0/0']);
    expect(summary.bygninger.length).toBeGreaterThan(0);
    const rebuilt = buildMatrikkelfoering(message);
    const result = await validateXml(rebuilt, V1_XSD);
    expect(result.valid, result.errors).toBe(true);
    expect(parseMatrikkelfoering(rebuilt)).toEqual(message);
  });

  it('parses the KS Fiks v2 example (grunnlag N3), rebuilds it schema-valid, and round-trips', async () => {
    const xml = example('fiks-matrikkelfoering-v2-grunnlag-N3.xml');
    const message = parseMatrikkelfoering(xml);
    expect(message.version).toBe('v2');
    expect(summarizeMatrikkelfoering(message).saksnummer).toBe('2023/327');
    const rebuilt = buildMatrikkelfoering(message);
    const result = await validateXml(rebuilt, V2_XSD);
    expect(result.valid, result.errors).toBe(true);
    expect(parseMatrikkelfoering(rebuilt)).toEqual(message);
  });

  it('rejects the NEGATIVE example (wrong element order) with a clear error, as xmllint does', async () => {
    const xml = example('NEGATIVE-gi-matrikkelfoering-v1-feil-rekkefolge.xml');
    expect((await validateXml(xml, V1_XSD)).valid).toBe(false);
    let error: unknown;
    try {
      parseMatrikkelfoering(xml);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'matrikkelfoering_invalid', system: 'matrikkel' });
    expect((error as Error).message).toMatch(
      /\/Byggesak\/adresse is out of order .*tittel must come before adresse/,
    );
  });

  it('refuses hostile XML and reports bad values and missing elements by path', () => {
    expect(() => parseMatrikkelfoering('<!DOCTYPE x [<!ENTITY a "aaaa">]><Byggesak/>')).toThrow(/entit/i);
    const xml = example('gi-matrikkelfoering-v1-byggesak-standard.xml');
    expect(() =>
      parseMatrikkelfoering(xml.replace('<saksaar>2019</saksaar>', '<saksaar>tjue</saksaar>')),
    ).toThrow(/\/Byggesak\/saksnummer\/saksaar must be an integer/);
    expect(() => parseMatrikkelfoering(xml.replace(/<tittel>[^<]*<\/tittel>/, ''))).toThrow(
      /tittel is missing: the required tittel must come before saksnummer/,
    );
    expect(() => parseMatrikkelfoering(xml.replace('>Ny<', '>Kanskje<'))).toThrow(
      /must be one of Eksisterende, Ny, Endret, Fjernet/,
    );
    const message = parseMatrikkelfoering(xml);
    delete message.byggesak.registrertDato;
    expect(() => buildMatrikkelfoering(message)).toThrow(/registrertDato is required/);
  });
});
