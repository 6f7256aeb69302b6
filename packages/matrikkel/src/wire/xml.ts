/**
 * Namespaces and small XML writers for the Matrikkel SOAP API (matrikkelapi/wsapi/v1).
 *
 * Every schema of the API is `elementFormDefault="qualified"`: each child element lives in the
 * namespace of the schema that declares its *type's* field, so a Grunneiendom mixes the domain
 * namespace (`id`, `versjon`) with the matrikkelenhet namespace (`matrikkelnummer`). We write with
 * fixed prefixes declared once on the payload element, so the Body's payload is a standalone,
 * schema-valid document (see FACTS.md, "Namespaces").
 */

/** The API's namespace root. */
export const MATRIKKEL_NS = 'http://matrikkel.statkart.no/matrikkelapi/wsapi/v1';

/** Prefix → namespace of every schema the client and the simulator write. */
export const NAMESPACES = {
  d: `${MATRIKKEL_NS}/domain`,
  m: `${MATRIKKEL_NS}/domain/matrikkelenhet`,
  mk: `${MATRIKKEL_NS}/domain/matrikkelenhet/koder`,
  k: `${MATRIKKEL_NS}/domain/kommune`,
  a: `${MATRIKKEL_NS}/domain/adresse`,
  b: `${MATRIKKEL_NS}/domain/bygning`,
  bk: `${MATRIKKEL_NS}/domain/bygning/koder`,
  p: `${MATRIKKEL_NS}/domain/person`,
  g: `${MATRIKKEL_NS}/domain/geometri`,
  gk: `${MATRIKKEL_NS}/domain/geometri/koder`,
  e: `${MATRIKKEL_NS}/domain/endringslogg`,
  u: `${MATRIKKEL_NS}/domain/util`,
  f: `${MATRIKKEL_NS}/domain/forretning`,
  ex: `${MATRIKKEL_NS}/exception`,
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
} as const;

/** The services this package calls, by the name in their URL (`{name}ServiceWS`). */
export type MatrikkelServiceName =
  | 'Store'
  | 'Matrikkelenhet'
  | 'Adresse'
  | 'Bygning'
  | 'Endringslogg'
  | 'Kommune'
  | 'Person'
  | 'Forretning';

/** Namespace of a service's request and response elements. */
export function serviceNamespace(service: MatrikkelServiceName): string {
  return `${MATRIKKEL_NS}/service/${service.toLowerCase()}`;
}

const NS_DECLARATIONS = Object.entries(NAMESPACES)
  .map(([prefix, uri]) => ` xmlns:${prefix}="${uri}"`)
  .join('');

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Escape text for element content and attribute values. */
export function esc(text: string | number | boolean): string {
  const s = String(text);
  return /[&<>"']/.test(s) ? s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c) : s;
}

/** `<tag>text</tag>`, or nothing when `value` is undefined. */
export function leaf(tag: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${tag}>${esc(value)}</${tag}>`;
}

/** `<tag>children</tag>`, or nothing when `children` is undefined. */
export function node(tag: string, children: string | undefined, xsiType?: string): string {
  if (children === undefined) return '';
  return xsiType ? `<${tag} xsi:type="${xsiType}">${children}</${tag}>` : `<${tag}>${children}</${tag}>`;
}

/** An id element `{value}` (the value is always in the domain namespace). */
export function idEl(tag: string, value: string | number, xsiType?: string): string {
  return node(tag, `<d:value>${esc(value)}</d:value>`, xsiType);
}

/**
 * The payload element of a SOAP Body: `<s:{name} xmlns:s="{service ns}" …all prefixes…>`. The
 * service's own elements (request parameters, `return`) take the `s` prefix.
 */
export function payload(service: MatrikkelServiceName, name: string, inner: string): string {
  return `<s:${name} xmlns:s="${serviceNamespace(service)}"${NS_DECLARATIONS}>${inner}</s:${name}>`;
}

/** Payload element in the exception namespace (the `detail` of a SOAP Fault). */
export function faultPayload(name: string, inner: string, xsiType?: string): string {
  const type = xsiType ? ` xsi:type="${xsiType}"` : '';
  return `<ex:${name}${NS_DECLARATIONS}${type}>${inner}</ex:${name}>`;
}

/** `{timestamp: xs:dateTime}` content. */
export function timestamp(tag: string, iso: string | undefined): string {
  return iso === undefined ? '' : `<${tag}><d:timestamp>${esc(iso)}</d:timestamp></${tag}>`;
}

/** `{date: xs:date}` content. */
export function localDate(tag: string, isoDate: string | undefined): string {
  return isoDate === undefined ? '' : `<${tag}><d:date>${esc(isoDate)}</d:date></${tag}>`;
}
