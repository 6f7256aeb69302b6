import { type SystemName, UpstreamInvalidError } from '@registerbro/model';
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

/** Why an XML document was refused. */
export type XmlErrorCode =
  | 'xml_malformed'
  | 'xml_external_entity'
  | 'xml_entity_expansion'
  | 'xml_too_deep'
  | 'xml_too_large';

/**
 * An XML document we refused: malformed, hostile (external entities, entity expansion), too deep
 * or too large. An `UpstreamInvalidError` (so the record is quarantined) with a redacted excerpt.
 */
export class XmlError extends UpstreamInvalidError {
  override readonly code: XmlErrorCode;
  constructor(
    code: XmlErrorCode,
    message: string,
    options: { system?: SystemName; record?: string; excerpt?: string; cause?: unknown; hint?: string } = {},
  ) {
    super(message, { ...options, code });
    this.name = 'XmlError';
    this.code = code;
  }
}

/** Options for {@link parseXml}. */
export interface ParseXmlOptions {
  /** Decide which elements are always arrays (called with the local name and the dotted path). */
  isArray?: (name: string, jpath: string) => boolean;
  /** Dotted paths (`Envelope.Body.items.item`, without namespace prefixes) that are always arrays. */
  arrayPaths?: Iterable<string>;
  /** Deepest element nesting accepted. @default 100 */
  maxDepth?: number;
  /** Largest document accepted, in UTF-8 bytes. @default 52_428_800 (50 MB) */
  maxBytes?: number;
  /** The register the document came from, for errors. */
  system?: SystemName;
  /** The record the document concerns, for errors (11-digit runs are masked). */
  record?: string;
}

const DEFAULT_MAX_DEPTH = 100;
const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;

/**
 * Scan tags once, without building anything, to refuse hostile documents before the parser sees
 * them: the depth check needs no recursion, so a 10 000-deep document fails in microseconds.
 *
 * DTD policy: a DOCTYPE with an external identifier (SYSTEM/PUBLIC, in the doctype or in any
 * entity declaration) is refused as `xml_external_entity`; a DOCTYPE that declares any entity is
 * refused as `xml_entity_expansion`. None of the registers we talk to use DTDs, SOAP forbids them,
 * and refusing all entity declarations removes billion-laughs style expansion entirely rather than
 * bounding it. A bare `<!DOCTYPE root>` is harmless and accepted.
 */
function prescan(text: string, maxDepth: number, fail: (code: XmlErrorCode, message: string) => never): void {
  let depth = 0;
  let roots = 0;
  let i = text.indexOf('<');
  const n = text.length;
  while (i !== -1 && i < n) {
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end === -1) fail('xml_malformed', 'unterminated comment');
      i = text.indexOf('<', end + 3);
      continue;
    }
    if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i + 9);
      if (end === -1) fail('xml_malformed', 'unterminated CDATA section');
      i = text.indexOf('<', end + 3);
      continue;
    }
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end === -1) fail('xml_malformed', 'unterminated processing instruction');
      i = text.indexOf('<', end + 2);
      continue;
    }
    if (text.startsWith('<!DOCTYPE', i)) {
      const end = doctypeEnd(text, i);
      if (end === -1) fail('xml_malformed', 'unterminated DOCTYPE');
      const doctype = text.slice(i, end + 1);
      if (/\b(SYSTEM|PUBLIC)\b/.test(doctype)) {
        fail(
          'xml_external_entity',
          'the document declares an external DTD or entity (SYSTEM/PUBLIC), which is refused',
        );
      }
      if (/<!ENTITY\b/.test(doctype)) {
        fail(
          'xml_entity_expansion',
          'the document declares DTD entities, which are refused to rule out entity expansion (billion laughs)',
        );
      }
      i = text.indexOf('<', end + 1);
      continue;
    }
    if (text.startsWith('<!', i)) {
      fail('xml_malformed', 'unexpected markup declaration outside a DOCTYPE');
    }
    const end = tagEnd(text, i + 1);
    if (end === -1) fail('xml_malformed', 'unterminated tag');
    if (text.charCodeAt(i + 1) === 47 /* / */) {
      depth -= 1;
      i = text.indexOf('<', end + 1);
      continue;
    }
    // XMLValidator accepts several root elements; a document has exactly one.
    if (depth === 0 && ++roots > 1) fail('xml_malformed', 'more than one root element');
    if (text.charCodeAt(end - 1) !== 47) {
      depth += 1;
      if (depth > maxDepth) fail('xml_too_deep', `elements are nested deeper than ${maxDepth} levels`);
    }
    i = text.indexOf('<', end + 1);
  }
}

/** Index of the `>` closing a tag that starts before `from`, skipping quoted attribute values. */
function tagEnd(text: string, from: number): number {
  let quote = 0;
  for (let j = from; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 62) return j;
  }
  return -1;
}

/** Index of the `>` closing a DOCTYPE, allowing an internal subset in `[...]`. */
function doctypeEnd(text: string, from: number): number {
  let quote = 0;
  let bracket = 0;
  for (let j = from + 9; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 91) bracket += 1;
    else if (c === 93) bracket -= 1;
    else if (c === 62 && bracket <= 0) return j;
  }
  return -1;
}

function makeParser(options: ParseXmlOptions, maxDepth: number): XMLParser {
  const arrayPaths = options.arrayPaths ? new Set(options.arrayPaths) : undefined;
  const isArray = options.isArray;
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    textNodeName: '#text',
    removeNSPrefix: true,
    // Values stay strings: identifiers keep their leading zeros; zod converts types.
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    processEntities: true,
    htmlEntities: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    maxNestedTags: maxDepth,
    isArray: (name, jpath, _isLeaf, isAttribute) => {
      if (isAttribute) return false;
      const path = String(jpath);
      return (arrayPaths?.has(path) ?? false) || (isArray?.(name, path) ?? false);
    },
  });
}

/**
 * Parse XML safely and losslessly with fast-xml-parser: namespace prefixes removed, attributes as
 * `@_name`, text as `#text`, every value a string, `&#248;` decoded to `ø`. Hostile or broken
 * input throws {@link XmlError} (see the `XmlErrorCode`s) before any expensive work.
 *
 * @example
 * const doc = parseXml('<a:Person xmlns:a="urn:x"><a:id>01018012345</a:id></a:Person>');
 * // { Person: { '@_xmlns:a'?: …, id: '01018012345' } }
 */
export function parseXml(text: string, options: ParseXmlOptions = {}): Record<string, unknown> {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const fail = (code: XmlErrorCode, detail: string, cause?: unknown): never => {
    const who = options.system ? `${options.system}: ` : '';
    throw new XmlError(code, `${who}refused an XML document: ${detail}`, {
      system: options.system,
      record: options.record,
      excerpt: text.slice(0, 200),
      cause,
      hint:
        code === 'xml_too_large'
          ? 'Page the request into smaller documents or raise maxBytes.'
          : 'The register sent XML we cannot use; the record is quarantined. Report the excerpt to the register.',
    });
  };
  // Cheap bound first: a UTF-8 byte is at least a third of a UTF-16 unit's worth.
  if (text.length > maxBytes || (text.length * 3 > maxBytes && Buffer.byteLength(text, 'utf8') > maxBytes)) {
    fail('xml_too_large', `it is larger than ${maxBytes} bytes`);
  }
  prescan(text, maxDepth, fail);
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) {
    fail('xml_malformed', `${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
  }
  try {
    return makeParser(options, maxDepth).parse(text) as Record<string, unknown>;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code: XmlErrorCode = /entit/i.test(message)
      ? 'xml_entity_expansion'
      : /nest|depth/i.test(message)
        ? 'xml_too_deep'
        : 'xml_malformed';
    return fail(code, message, error);
  }
}

/** Options for {@link buildXml}. */
export interface BuildXmlOptions {
  /** Prepend `<?xml version="1.0" encoding="UTF-8"?>`. @default false */
  declaration?: boolean;
  /** Indent the output. @default false */
  format?: boolean;
}

/**
 * Build XML from the same shape {@link parseXml} returns (`@_name` attributes, `#text` text).
 * Text and attribute values are escaped.
 *
 * @example
 * buildXml({ person: { '@_id': '7', navn: 'Ærlig & Ø' } }) // <person id="7"><navn>Ærlig &amp; Ø</navn></person>
 */
export function buildXml(value: Record<string, unknown>, options: BuildXmlOptions = {}): string {
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    textNodeName: '#text',
    format: options.format ?? false,
    processEntities: true,
    suppressBooleanAttributes: false,
  });
  const xml = String(builder.build(value));
  return options.declaration
    ? `<?xml version="1.0" encoding="UTF-8"?>${options.format ? '\n' : ''}${xml}`
    : xml;
}

/** Escape text for an XML text node or attribute value (`& < > " '`). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  );
}
