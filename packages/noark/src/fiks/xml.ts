import { UpstreamInvalidError } from '@registerbro/model';

/**
 * Small helpers for writing Fiks Arkiv XML in schema order with explicit prefixes, and for reading
 * the parsed form (namespace prefixes removed, attributes as `@_name`, text as `#text`, every value a
 * string) that `parseXml` from `@registerbro/transport` returns.
 */

/** Namespaces of Fiks Arkiv V1, by the prefixes our encoder writes. */
export const NS = {
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  mdk: 'https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/metadatakatalog/v1',
  as: 'https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/arkivstruktur/v1',
  asn: 'https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/arkivstruktur/noekler/v1',
  am: 'https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/arkivmelding/opprett/v1',
  amo: 'https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/arkivmelding/oppdater/v1',
  kv: 'https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/arkivmelding/opprett/kvittering/v1',
  avs: 'https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/avskrivning/opprett/v1',
  dob: 'https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/dokumentobjekt/opprett/v1',
  mh: 'https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/mappe/hent/v1',
  mhr: 'https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/mappe/hent/resultat/v1',
  rh: 'https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/registrering/hent/v1',
  rhr: 'https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/registrering/hent/resultat/v1',
  sok: 'https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/sok/v1',
  sru: 'https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/sokeresultat/utvidet/v1',
  srn: 'https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/sokeresultat/noekler/v1',
  fb: 'https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/feil/feilmelding/v1',
  fu: 'https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/feil/ugyldigforespoersel/v1',
  fi: 'https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/feil/ikkefunnet/v1',
  fs: 'https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/feil/serverfeil/v1',
} as const;

/** A namespace prefix our encoder declares. */
export type Prefix = keyof typeof NS;

/** Escape text for element content and attribute values. */
export function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** `<p:name>inner</p:name>`, or nothing when `inner` is undefined. */
export function el(p: Prefix, name: string, inner: string | undefined, attrs = ''): string {
  if (inner === undefined) return '';
  return `<${p}:${name}${attrs}>${inner}</${p}:${name}>`;
}

/** A text element, or nothing when the value is undefined. */
export function tx(p: Prefix, name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : el(p, name, esc(String(value)));
}

/** `xsi:type` attribute for a derived type in the element's own namespace. */
export function xsiType(p: Prefix, type: string): string {
  return ` xsi:type="${p}:${type}"`;
}

/** The root element with every namespace it uses declared. */
export function root(p: Prefix, name: string, inner: string, prefixes: readonly Prefix[]): string {
  const decls = ['xsi', p, ...prefixes]
    .filter((x, i, all) => all.indexOf(x) === i)
    .map((x) => ` xmlns:${x}="${NS[x as Prefix]}"`)
    .join('');
  return `<?xml version="1.0" encoding="utf-8"?>\n<${p}:${name}${decls}>${inner}</${p}:${name}>`;
}

/** Concatenate element strings. */
export function join(parts: readonly string[]): string {
  return parts.join('');
}

// ---- reading ---------------------------------------------------------------------------------

/** A parsed XML node: an object of children, or a string. */
export type Node = Record<string, unknown>;

/** Context for error messages: which message and record. */
export interface ReadContext {
  messageType: string;
  record?: string;
}

/** The typed error for a message that breaks its schema, naming the message type and record. */
export function invalid(ctx: ReadContext, message: string): UpstreamInvalidError {
  return new UpstreamInvalidError(`Fiks Arkiv ${ctx.messageType}: ${message}`, {
    system: 'noark',
    record: ctx.record,
    hint: 'The message does not follow the Fiks Arkiv V1 schema; check the sender against the XSD.',
  });
}

/** The children of a repeated element as an array (absent → empty). */
export function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** The node at `key` as an object, or undefined. */
export function obj(node: Node | undefined, key: string): Node | undefined {
  const v = node?.[key];
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return obj({ [key]: v[0] }, key);
  if (typeof v === 'object') return v as Node;
  return { '#text': String(v) };
}

/** The text of a simple element (attributes allowed), or undefined. */
export function text(node: Node | undefined, key: string): string | undefined {
  const v = node?.[key];
  if (v === undefined || v === null) return undefined;
  const one = Array.isArray(v) ? v[0] : v;
  if (typeof one === 'string') return one;
  if (typeof one === 'object' && one !== null) {
    const t = (one as Node)['#text'];
    return t === undefined ? '' : String(t);
  }
  return String(one);
}

/** The text of a required simple element; throws {@link invalid} when missing or empty. */
export function reqText(node: Node | undefined, key: string, ctx: ReadContext): string {
  const v = text(node, key);
  if (v === undefined || v === '') throw invalid(ctx, `<${key}> is required`);
  return v;
}

/** A required complex element; throws {@link invalid} when missing. */
export function reqObj(node: Node | undefined, key: string, ctx: ReadContext): Node {
  const v = obj(node, key);
  if (!v) throw invalid(ctx, `<${key}> is required`);
  return v;
}

/** An `xs:int` element, or undefined. */
export function int(node: Node | undefined, key: string, ctx: ReadContext): number | undefined {
  const v = text(node, key);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v.trim())) throw invalid(ctx, `<${key}> must be an integer`);
  return Number(v);
}

/** An `xs:boolean` element, or undefined. */
export function bool(node: Node | undefined, key: string, ctx: ReadContext): boolean | undefined {
  const v = text(node, key);
  if (v === undefined) return undefined;
  const t = v.trim();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  throw invalid(ctx, `<${key}> must be a boolean`);
}

/** The `xsi:type` of a node (prefix stripped), if any. */
export function typeOf(node: Node | undefined): string | undefined {
  const t = node?.['@_type'];
  if (typeof t !== 'string') return undefined;
  const i = t.indexOf(':');
  return i < 0 ? t : t.slice(i + 1);
}

/** Children of a repeated element, each as an object. */
export function objs(node: Node | undefined, key: string): Node[] {
  return list(node?.[key]).map((v) =>
    typeof v === 'object' && v !== null ? (v as Node) : { '#text': String(v) },
  );
}

/** Texts of a repeated simple element. */
export function texts(node: Node | undefined, key: string): string[] {
  return list(node?.[key]).map((v) =>
    typeof v === 'object' && v !== null ? String((v as Node)['#text'] ?? '') : String(v),
  );
}

/** Decode bytes that may be UTF-16 (KS's own examples are UTF-16LE with a BOM) or UTF-8. */
export function decodeXmlBytes(input: string | Uint8Array): string {
  if (typeof input === 'string') return input.replace(/^\uFEFF/, '');
  if (input.length >= 2 && input[0] === 0xff && input[1] === 0xfe) {
    return new TextDecoder('utf-16le').decode(input.subarray(2));
  }
  if (input.length >= 2 && input[0] === 0xfe && input[1] === 0xff) {
    return new TextDecoder('utf-16be').decode(input.subarray(2));
  }
  return new TextDecoder('utf-8').decode(input).replace(/^\uFEFF/, '');
}
