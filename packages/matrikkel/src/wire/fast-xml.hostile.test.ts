import { hostileBody, malformedBody } from '@registerbro/testkit';
import { XmlError, buildSoapEnvelope } from '@registerbro/transport';
import { describe, expect, it } from 'vitest';
import { parseFastXml, parseSoapResponse } from './fast-xml.js';

const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';

/** The code of the XmlError `run` throws, or 'accepted'. Anything but an XmlError fails the test. */
function codeOf(run: () => unknown): string {
  try {
    run();
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(XmlError);
    expect((error as XmlError).system).toBe('matrikkel');
    return (error as XmlError).code;
  }
}

const billionLaughs = hostileBody('text/xml', 'billion_laughs');
const deep10k = `<?xml version="1.0"?>${'<a>'.repeat(10_000)}x${'</a>'.repeat(10_000)}`;
const longDoctype = `<!DOCTYPE r [${' '.repeat(500)}<!ENTITY e SYSTEM "file:///etc/passwd">]><r>&e;</r>`;

/** [what, input, expected XmlError code]. Every crafted input of review finding 8 plus the usual ones. */
const HOSTILE: [string, string, string][] = [
  // Prototype keys (finding 8).
  ['element <constructor>', '<a><constructor>x</constructor></a>', 'xml_malformed'],
  ['element <__proto__>', '<a><__proto__><polluted>1</polluted></__proto__></a>', 'xml_malformed'],
  ['element <prototype>', '<a><prototype>1</prototype></a>', 'xml_malformed'],
  ['prefixed <p:__proto__>', '<a xmlns:p="urn:p"><p:__proto__>1</p:__proto__></a>', 'xml_malformed'],
  ['attribute __proto__', '<a __proto__="1"/>', 'xml_malformed'],
  ['attribute p:constructor', '<a xmlns:p="urn:p" p:constructor="1"/>', 'xml_malformed'],
  // Duplicate attributes.
  ['duplicate attribute', '<a x="1" x="2"/>', 'xml_malformed'],
  ['duplicate prefixed attribute', '<a xmlns:p="urn:p" p:x="1" p:x="2"/>', 'xml_malformed'],
  ['same expanded attribute name', '<a xmlns:p="urn:p" xmlns:q="urn:p" p:x="1" q:x="2"/>', 'xml_malformed'],
  ['duplicate namespace declaration', '<a xmlns:p="urn:p" xmlns:p="urn:q"/>', 'xml_malformed'],
  // Characters outside XML 1.0 Char, literal and referenced.
  ['literal U+0000', '<a>\u0000</a>', 'xml_malformed'],
  ['literal U+0001 in an attribute', '<a x="\u0001"/>', 'xml_malformed'],
  ['literal U+001F', '<a>x\u001fy</a>', 'xml_malformed'],
  ['literal U+FFFE', '<a>\uFFFE</a>', 'xml_malformed'],
  ['literal U+FFFF', '<a>\uFFFF</a>', 'xml_malformed'],
  ['literal lone high surrogate', '<a>\uD800</a>', 'xml_malformed'],
  ['literal lone low surrogate', '<a>x\uDC00y</a>', 'xml_malformed'],
  ['reversed surrogate pair', '<a>\uDC00\uD800</a>', 'xml_malformed'],
  ['&#0;', '<a>&#0;</a>', 'xml_malformed'],
  ['&#1;', '<a>&#1;</a>', 'xml_malformed'],
  ['&#x1F;', '<a>&#x1F;</a>', 'xml_malformed'],
  ['&#xD800; (lone surrogate)', '<a>&#xD800;</a>', 'xml_malformed'],
  ['&#xDFFF;', '<a>&#xDFFF;</a>', 'xml_malformed'],
  ['&#xFFFE;', '<a>&#xFFFE;</a>', 'xml_malformed'],
  ['&#x110000; (beyond Unicode)', '<a>&#x110000;</a>', 'xml_malformed'],
  ['&#1; in an attribute', '<a x="&#1;"/>', 'xml_malformed'],
  ['character reference in a name', '<a&#65;/>', 'xml_malformed'],
  // Namespaces.
  ['undeclared element prefix', '<p:a/>', 'xml_malformed'],
  ['undeclared attribute prefix', '<a q:x="1"/>', 'xml_malformed'],
  ['prefix declared on a sibling only', '<r><a xmlns:p="urn:p"/><p:b/></r>', 'xml_malformed'],
  ['prefix used after its scope closed', '<r><a xmlns:p="urn:p"><p:b/></a><p:c/></r>', 'xml_malformed'],
  ['empty local name <a:/>', '<a:/>', 'xml_malformed'],
  ['empty local name, declared prefix', '<a:b xmlns:a="urn:a"><a:/></a:b>', 'xml_malformed'],
  ['two colons', '<a:b:c xmlns:a="urn:a"/>', 'xml_malformed'],
  ['local name starting with a digit', '<a:1 xmlns:a="urn:a"/>', 'xml_malformed'],
  ['undeclaring a prefix', '<a xmlns:p=""/>', 'xml_malformed'],
  ['binding xmlns', '<a xmlns:xmlns="urn:x"/>', 'xml_malformed'],
  ['rebinding xml', '<a xmlns:xml="urn:x"/>', 'xml_malformed'],
  [
    'binding a prefix to the xml namespace',
    '<a xmlns:p="http://www.w3.org/XML/1998/namespace"/>',
    'xml_malformed',
  ],
  ['xmlns as an element prefix', '<xmlns:a/>', 'xml_malformed'],
  // DTDs: external entities and expansion.
  ['DOCTYPE with SYSTEM entity (XXE)', hostileBody('text/xml', 'external_entity'), 'xml_external_entity'],
  ['DOCTYPE SYSTEM', '<!DOCTYPE r SYSTEM "http://evil.example/x.dtd"><r/>', 'xml_external_entity'],
  ['DOCTYPE PUBLIC', '<!DOCTYPE r PUBLIC "-//X//EN" "http://evil.example/x.dtd"><r/>', 'xml_external_entity'],
  ['SYSTEM entity behind a long internal subset', longDoctype, 'xml_external_entity'],
  [
    'parameter entity',
    '<!DOCTYPE r [<!ENTITY % p SYSTEM "http://evil.example/p">%p;]><r/>',
    'xml_external_entity',
  ],
  ['internal ENTITY', '<!DOCTYPE r [<!ENTITY e "x">]><r>&e;</r>', 'xml_entity_expansion'],
  ['billion laughs', billionLaughs, 'xml_entity_expansion'],
  ['bare DOCTYPE', '<!DOCTYPE r><r/>', 'xml_malformed'],
  ['DOCTYPE after the root', '<r/><!DOCTYPE r>', 'xml_malformed'],
  ['markup declaration in content', '<r><!ELEMENT r ANY></r>', 'xml_malformed'],
  ['undefined entity', '<a>&unknown;</a>', 'xml_malformed'],
  ['HTML entity', '<a>&nbsp;</a>', 'xml_malformed'],
  ['bare &', '<a>x & y</a>', 'xml_malformed'],
  ['unterminated reference', '<a>&#65</a>', 'xml_malformed'],
  // Depth and size.
  ['10 000 deep', deep10k, 'xml_too_deep'],
  ['100 000 deep (testkit)', hostileBody('text/xml', 'deep'), 'xml_too_deep'],
  // Structure.
  ['unclosed tag', '<a><b>x</b>', 'xml_malformed'],
  ['unclosed root', '<a>', 'xml_malformed'],
  ['mismatched tags', '<a><b></a></b>', 'xml_malformed'],
  ['end tag only', '</a>', 'xml_malformed'],
  ['unterminated start tag', '<a><b x="1"</a>', 'xml_malformed'],
  ['unterminated attribute value', '<a x="1/>', 'xml_malformed'],
  ['< in an attribute value', '<a x="<"/>', 'xml_malformed'],
  ['unquoted attribute', '<a x=1/>', 'xml_malformed'],
  ['attribute without a value', '<a x/>', 'xml_malformed'],
  ['attributes without whitespace', '<a x="1"y="2"/>', 'xml_malformed'],
  ['NBSP as attribute separator', '<a\u00a0x="1"/>', 'xml_malformed'],
  ['two roots', '<a/><b/>', 'xml_malformed'],
  ['text before the root', 'x<a/>', 'xml_malformed'],
  ['text after the root', '<a/>x', 'xml_malformed'],
  ['no root', '<?xml version="1.0"?><!-- only -->', 'xml_malformed'],
  ['empty document', '', 'xml_malformed'],
  ['CDATA outside the root', '<![CDATA[x]]><a/>', 'xml_malformed'],
  ['unterminated CDATA', '<a><![CDATA[x</a>', 'xml_malformed'],
  ['"]]>" in text', '<a>x]]>y</a>', 'xml_malformed'],
  ['"--" in a comment', '<a><!-- a -- b --></a>', 'xml_malformed'],
  ['comment ending in "--->"', '<a><!-- a ---></a>', 'xml_malformed'],
  ['unterminated comment', '<a><!-- x </a>', 'xml_malformed'],
  ['XML declaration not first', ' <?xml version="1.0"?><a/>', 'xml_malformed'],
  ['second XML declaration', '<?xml version="1.0"?><a><?xml version="1.0"?></a>', 'xml_malformed'],
  ['processing instruction without a target', '<a><? x?></a>', 'xml_malformed'],
  ['end tag with attributes', '<a></a x="1">', 'xml_malformed'],
  ['testkit garbage', hostileBody('text/xml', 'garbage'), 'xml_malformed'],
  ['testkit malformed body', malformedBody('text/xml', '<a><b>1</b><c>2</c></a>'), 'xml_malformed'],
];

describe('parseFastXml refuses hostile and broken input with a typed XmlError', () => {
  it.each(HOSTILE)('%s', (_what, input, code) => {
    expect(codeOf(() => parseFastXml(input))).toBe(code);
  });

  it('refuses a document over maxBytes as xml_too_large, counting UTF-8 bytes', () => {
    expect(codeOf(() => parseFastXml('<a>x</a>', { maxBytes: 7 }))).toBe('xml_too_large');
    // 4 characters but 8 UTF-8 bytes of content.
    expect(codeOf(() => parseFastXml('<a>øøøø</a>', { maxBytes: 12 }))).toBe('xml_too_large');
    expect(parseFastXml('<a>øøøø</a>', { maxBytes: 15 })).toEqual({ a: 'øøøø' });
  });

  it('names the masked record and keeps a short excerpt in the error', () => {
    let error: unknown;
    try {
      parseFastXml(`<a>${'\u0000'.repeat(500)}</a>`, { record: 'matrikkelenhet 1806-1/2/0/0' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(XmlError);
    expect(error).toMatchObject({ code: 'xml_malformed', record: 'matrikkelenhet 1806-1/2/0/0' });
    expect((error as XmlError).message).toMatch(/U\+0000 at offset 3/);
  });
});

describe('parseFastXml keeps ordinary input that looks like the hostile cases', () => {
  it('reads Object.prototype member names as ordinary, own keys', () => {
    const doc = parseFastXml(
      '<a><toString>x</toString><hasOwnProperty>y</hasOwnProperty><valueOf>1</valueOf><valueOf>2</valueOf></a>',
    );
    expect(doc).toEqual({ a: { toString: 'x', hasOwnProperty: 'y', valueOf: ['1', '2'] } });
    const a = doc.a as Record<string, unknown>;
    expect(Object.hasOwn(a, 'toString')).toBe(true);
    expect(Object.getPrototypeOf(a)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('accepts legal characters, references and surrogate pairs', () => {
    expect(parseFastXml('<a>&#9;&#xA;x&#x1F600;&#128512;\uD83D\uDE00&#xFFFD;&#xE000;</a>')).toEqual({
      a: 'x😀😀😀\uFFFD\uE000',
    });
    expect(parseFastXml('<a x="&#x10FFFF;"/>')).toEqual({ a: { '@_x': '\u{10FFFF}' } });
  });

  it('resolves prefixes declared on the element itself and inherited from ancestors', () => {
    expect(
      parseFastXml('<p:a xmlns:p="urn:p" p:x="1"><p:b xmlns:q="urn:q" q:y="2"><q:c/></p:b></p:a>'),
    ).toEqual({ a: { '@_x': '1', b: { '@_y': '2', c: '' } } });
    expect(parseFastXml('<a xml:lang="no">x</a>')).toEqual({ a: { '@_lang': 'no', '#text': 'x' } });
    expect(parseFastXml('<a xmlns="urn:d"><b>1</b></a>')).toEqual({ a: { b: '1' } });
  });

  it('accepts the XML declaration, comments, processing instructions and whitespace around the root', () => {
    expect(
      parseFastXml('<?xml version="1.0" encoding="UTF-8"?>\n<!-- c -->\n<?pi x?><a>1</a>\n<!-- d -->\n'),
    ).toEqual({ a: '1' });
    // A byte order mark first, but nowhere else.
    expect(parseFastXml('\uFEFF<?xml version="1.0"?><a>1</a>')).toEqual({ a: '1' });
    expect(codeOf(() => parseFastXml('<a/>\uFEFF'))).toBe('xml_malformed');
  });
});

describe('parseSoapResponse checks the envelope namespace binding of the root', () => {
  const body = '<r xmlns="urn:r"><v>1</v></r>';

  it('reads SOAP 1.1 and 1.2 envelopes', () => {
    expect(parseSoapResponse(buildSoapEnvelope(body))).toEqual({ version: '1.1', body: { r: { v: '1' } } });
    expect(parseSoapResponse(buildSoapEnvelope(body, { version: '1.2' }))).toEqual({
      version: '1.2',
      body: { r: { v: '1' } },
    });
    expect(parseSoapResponse(`<Envelope xmlns="${SOAP11}"><Body>${body}</Body></Envelope>`).body).toEqual({
      r: { v: '1' },
    });
  });

  const NOT_SOAP: [string, string][] = [
    ['SOAP namespace only in a comment', `<!-- ${SOAP11} --><Envelope><Body>${body}</Body></Envelope>`],
    [
      'SOAP namespace only in an attribute value',
      `<S:Envelope xmlns:S="urn:not-soap" note="${SOAP11}"><S:Body>${body}</S:Body></S:Envelope>`,
    ],
    [
      'SOAP namespace bound to an unused prefix',
      `<S:Envelope xmlns:S="urn:not-soap" xmlns:soap="${SOAP11}"><S:Body>${body}</S:Body></S:Envelope>`,
    ],
    ['SOAP namespace in a child only', `<Envelope><Body xmlns="${SOAP11}">${body}</Body></Envelope>`],
    ['Body in another namespace', `<S:Envelope xmlns:S="${SOAP11}"><Body>${body}</Body></S:Envelope>`],
    [
      'Body of the other SOAP version',
      `<S:Envelope xmlns:S="${SOAP11}" xmlns:T="${SOAP12}"><T:Body/></S:Envelope>`,
    ],
    ['no Body', `<S:Envelope xmlns:S="${SOAP11}"><S:Header/></S:Envelope>`],
    ['root not named Envelope', `<S:Enveloppe xmlns:S="${SOAP11}"><S:Body>${body}</S:Body></S:Enveloppe>`],
    ['Envelope nested in another root', `<x><S:Envelope xmlns:S="${SOAP11}"><S:Body/></S:Envelope></x>`],
    ['an HTML login page', '<html><head><title>Logg inn</title></head></html>'],
  ];
  it.each(NOT_SOAP)('refuses %s', (_what, text) => {
    expect(() => parseSoapResponse(text)).toThrow(/not a SOAP envelope/);
    expect(codeOf(() => parseSoapResponse(text))).toBe('xml_malformed');
  });
});
