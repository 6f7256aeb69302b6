import { hasErrorCode } from '@registerbro/model';
import { describe, expect, it } from 'vitest';
import { XmlError, buildXml, escapeXml, parseXml } from '../src/index.js';

// Synthetic, Tenor-style (birth month + 80): never a real person.
const SYNTHETIC_FNR = '01818012345';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(XmlError);
    expect(hasErrorCode(error, 'upstream_invalid')).toBe(false);
    return (error as XmlError).code;
  }
  throw new Error('expected the call to throw');
}

describe('parseXml', () => {
  it('keeps identifiers as strings with their leading zeros and decodes character references', () => {
    const doc = parseXml(
      `<?xml version="1.0" encoding="UTF-8"?><p:person xmlns:p="urn:x" p:versjon="007"><p:id>${SYNTHETIC_FNR}</p:id><p:knr>0301</p:knr><p:navn>Tr&#248;nd &amp; &#xE6;rlig</p:navn><p:tom/><p:flagg>true</p:flagg></p:person>`,
    );
    expect(doc).toEqual({
      person: {
        '@_versjon': '007',
        id: SYNTHETIC_FNR,
        knr: '0301',
        navn: 'Trønd & ærlig',
        tom: '',
        flagg: 'true',
      },
    });
  });

  it('makes listed paths arrays even with one element, and honours isArray', () => {
    const xml = '<r><l><i>1</i></l><m><j>a</j><j>b</j></m></r>';
    expect(parseXml(xml, { arrayPaths: ['r.l.i'] })).toEqual({
      r: { l: { i: ['1'] }, m: { j: ['a', 'b'] } },
    });
    expect(parseXml(xml, { isArray: (name) => name === 'm' })).toEqual({
      r: { l: { i: '1' }, m: [{ j: ['a', 'b'] }] },
    });
  });

  it('keeps text and attributes side by side', () => {
    expect(parseXml('<a lang="nb"> tekst </a>')).toEqual({ a: { '@_lang': 'nb', '#text': 'tekst' } });
  });

  it('accepts a bare DOCTYPE without entities', () => {
    expect(parseXml('<!DOCTYPE r><r>1</r>')).toEqual({ r: '1' });
  });

  it('rejects malformed XML with xml_malformed and a redacted excerpt', () => {
    let error: unknown;
    try {
      parseXml(`<r><id>${SYNTHETIC_FNR}</id><a></r>`, { system: 'matrikkel', record: SYNTHETIC_FNR });
    } catch (e) {
      error = e;
    }
    const x = error as XmlError;
    expect(x.code).toBe('xml_malformed');
    expect(x.system).toBe('matrikkel');
    expect(x.excerpt).toContain('<r><id>***********</id>');
    expect(JSON.stringify(x) + x.message + (x.excerpt ?? '') + (x.record ?? '')).not.toContain(SYNTHETIC_FNR);
    expect(codeOf(() => parseXml('<r>'))).toBe('xml_malformed');
    expect(codeOf(() => parseXml('<r attr="x></r>'))).toBe('xml_malformed');
    expect(codeOf(() => parseXml('<r/><s/>'))).toBe('xml_malformed');
  });

  describe('hostile input', () => {
    it('rejects an external entity (SYSTEM)', { timeout: 1_000 }, () => {
      const xml = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><r>&xxe;</r>';
      expect(codeOf(() => parseXml(xml))).toBe('xml_external_entity');
    });

    it('rejects an external DTD and a PUBLIC parameter entity', { timeout: 1_000 }, () => {
      expect(codeOf(() => parseXml('<!DOCTYPE r SYSTEM "http://evil.test/x.dtd"><r/>'))).toBe(
        'xml_external_entity',
      );
      expect(
        codeOf(() => parseXml('<!DOCTYPE r [<!ENTITY % p PUBLIC "-//X//EN" "http://evil.test/p">%p;]><r/>')),
      ).toBe('xml_external_entity');
    });

    it('rejects billion laughs', { timeout: 1_000 }, () => {
      const lols = ['<!ENTITY lol "lol">'];
      for (let i = 1; i <= 9; i++) {
        const prev = `&lol${i === 1 ? '' : i - 1};`;
        lols.push(`<!ENTITY lol${i} "${prev.repeat(10)}">`);
      }
      const xml = `<?xml version="1.0"?><!DOCTYPE lolz [${lols.join('')}]><lolz>&lol9;</lolz>`;
      expect(codeOf(() => parseXml(xml))).toBe('xml_entity_expansion');
    });

    it('rejects a 10 000-deep document before parsing', { timeout: 1_000 }, () => {
      const xml = `${'<a>'.repeat(10_000)}x${'</a>'.repeat(10_000)}`;
      expect(codeOf(() => parseXml(xml))).toBe('xml_too_deep');
    });

    it('accepts exactly maxDepth levels and rejects one more', { timeout: 1_000 }, () => {
      const nest = (n: number) => `${'<a>'.repeat(n)}x${'</a>'.repeat(n)}`;
      expect(() => parseXml(nest(5), { maxDepth: 5 })).not.toThrow();
      expect(codeOf(() => parseXml(nest(6), { maxDepth: 5 }))).toBe('xml_too_deep');
      // self-closing elements and comments / CDATA with angle brackets do not count as depth
      expect(() =>
        parseXml(`<a><b/><!-- <c><c><c> --><![CDATA[<d><d><d>]]><e x="<f>">t</e></a>`, { maxDepth: 2 }),
      ).not.toThrow();
    });

    it('rejects a document over maxBytes', { timeout: 1_000 }, () => {
      const xml = `<r>${'ø'.repeat(600)}</r>`;
      expect(codeOf(() => parseXml(xml, { maxBytes: 1_000 }))).toBe('xml_too_large');
      expect(() => parseXml(xml, { maxBytes: 2_000 })).not.toThrow();
    });
  });
});

describe('buildXml / escapeXml', () => {
  it('round-trips through parseXml with escaping', () => {
    const value = { person: { '@_id': '007', navn: 'Ærlig & <Ø>', nr: ['01', '02'] } };
    const xml = buildXml(value, { declaration: true });
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(xml).toContain('&amp; &lt;Ø&gt;');
    expect(parseXml(xml)).toEqual(value);
  });

  it('escapes the five XML specials', () => {
    expect(escapeXml(`a&b<c>d"e'f`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f');
  });
});
