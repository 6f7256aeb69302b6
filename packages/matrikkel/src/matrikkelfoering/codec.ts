/**
 * Matrikkelføring messages: the building data of an approved building case on its way to the
 * matrikkel, as GeoIntegrasjon Matrikkelføring v1 or KS Fiks Matrikkelføring v2 `Byggesak`.
 *
 * Parsing is checked against the schema's structure (element names, ORDER, required elements,
 * enumerations, number and boolean syntax) as transcribed from the XSDs, so a message xmllint
 * rejects is rejected here too, with a message naming the element. Building writes elements in
 * schema order; tests validate the output with xmllint against the real XSDs.
 */
import {
  RegisterbroError,
  UpstreamInvalidError,
  formatMatrikkelnummer,
  isMatrikkelnummer,
  parseMatrikkelnummer,
} from '@registerbro/model';
import { parseXml } from '@registerbro/transport';
import type { FieldSpec, SchemaDescriptor } from './descriptor.js';
import { MATRIKKELFOERING_V1, MATRIKKELFOERING_V2 } from './schemas.js';

/** Which matrikkelføring schema a message follows. */
export type MatrikkelfoeringVersion = 'v1' | 'v2';

/** A value of the message: text, number, boolean, null (xsi:nil), a list or a nested element. */
export type MatrikkelfoeringValue =
  | string
  | number
  | boolean
  | null
  | MatrikkelfoeringValue[]
  | { [name: string]: MatrikkelfoeringValue };

/** A parsed (or to-be-built) message: its version and the `Byggesak` content by element name. */
export interface MatrikkelfoeringMessage {
  version: MatrikkelfoeringVersion;
  byggesak: { [name: string]: MatrikkelfoeringValue };
}

const SCHEMAS: Record<MatrikkelfoeringVersion, SchemaDescriptor> = {
  v1: MATRIKKELFOERING_V1,
  v2: MATRIKKELFOERING_V2,
};
const NS: Record<string, string> = {
  geo: 'http://rep.geointegrasjon.no/Felles/Geometri/xml.schema/2012.01.31',
  kode: 'http://rep.geointegrasjon.no/Felles/Kodeliste/xml.schema/2012.01.31',
};
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

function fields(schema: SchemaDescriptor, type: string): FieldSpec[] {
  const spec = schema.types[type];
  if (!spec) return [];
  return spec.base ? [...fields(schema, spec.base), ...spec.fields] : spec.fields;
}

function invalid(message: string, record?: string): UpstreamInvalidError {
  return new UpstreamInvalidError(`matrikkelføring: ${message}`, {
    system: 'matrikkel',
    code: 'matrikkelfoering_invalid',
    record,
    hint: 'The message does not follow its XSD; fix the producing system (element order and required elements follow the schema).',
  });
}

interface XNode {
  name: string;
  nil: boolean;
  children: XNode[];
  text: string;
  xmlns?: string;
}

const TOKEN =
  /<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<\/([\w.:-]+)\s*>|<([\w.:-]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;

function decode(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) =>
    e === 'lt'
      ? '<'
      : e === 'gt'
        ? '>'
        : e === 'amp'
          ? '&'
          : e === 'quot'
            ? '"'
            : e === 'apos'
              ? "'"
              : String.fromCodePoint(
                  e.startsWith('#x') ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)),
                ),
  );
}

/** An ordered element tree (the document was already checked well-formed and safe by parseXml). */
function orderedTree(xml: string): XNode {
  const root: XNode = { name: '#document', nil: false, children: [], text: '' };
  const stack: XNode[] = [root];
  for (const m of xml.matchAll(TOKEN)) {
    const top = stack[stack.length - 1] as XNode;
    if (m[1] !== undefined) top.text += m[1];
    else if (m[2] !== undefined) stack.pop();
    else if (m[3] !== undefined) {
      const attrs = m[4] ?? '';
      const node: XNode = {
        name: m[3].replace(/^[\w.-]+:/, ''),
        nil: /(?:^|\s)[\w.-]+:nil\s*=\s*["'](?:true|1)["']/.test(attrs),
        children: [],
        text: '',
        xmlns: /(?:^|\s)xmlns\s*=\s*["']([^"']*)["']/.exec(attrs)?.[1],
      };
      top.children.push(node);
      if (m[5] !== '/') stack.push(node);
    } else if (m[6] !== undefined && !m[0].startsWith('<')) top.text += decode(m[6]);
  }
  return root;
}

function readSimple(
  node: XNode,
  field: FieldSpec,
  schema: SchemaDescriptor,
  path: string,
): MatrikkelfoeringValue {
  const text = node.text.trim();
  switch (field.type) {
    case 'xs:integer':
    case 'xs:long':
    case 'xs:int':
      if (!/^[+-]?\d+$/.test(text)) throw invalid(`${path} must be an integer, got "${text.slice(0, 40)}"`);
      return Number(text);
    case 'xs:double':
    case 'xs:decimal':
      if (text === '' || !Number.isFinite(Number(text)))
        throw invalid(`${path} must be a number, got "${text.slice(0, 40)}"`);
      return Number(text);
    case 'xs:boolean':
      if (!/^(true|false|1|0)$/.test(text))
        throw invalid(`${path} must be true or false, got "${text.slice(0, 40)}"`);
      return text === 'true' || text === '1';
    case 'xs:dateTime':
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(text))
        throw invalid(`${path} must be an xs:dateTime, got "${text.slice(0, 40)}"`);
      return text;
    default: {
      const allowed = schema.enums[field.type];
      if (allowed && allowed.length > 0 && !allowed.includes(text)) {
        throw invalid(`${path} must be one of ${allowed.join(', ')}, got "${text.slice(0, 40)}"`);
      }
      return node.text;
    }
  }
}

function readComplex(
  node: XNode,
  type: string,
  schema: SchemaDescriptor,
  path: string,
): { [name: string]: MatrikkelfoeringValue } {
  const spec = fields(schema, type);
  const out: { [name: string]: MatrikkelfoeringValue } = {};
  let at = 0;
  const required = (f: FieldSpec) => !f.optional && !f.list;
  for (const child of node.children) {
    const j = spec.findIndex((f, k) => k >= at && f.name === child.name);
    if (j < 0) {
      const earlier = spec.findIndex((f) => f.name === child.name);
      const expected = spec
        .slice(at)
        .map((f) => f.name)
        .slice(0, 6);
      throw invalid(
        earlier >= 0
          ? `${path}/${child.name} is out of order: it must come before ${spec[at - 1]?.name ?? 'the elements before it'} (schema order: ${spec.map((f) => f.name).join(', ')})`
          : `${path}/${child.name} is not expected here; expected one of ${expected.join(', ') || '(nothing more)'}`,
      );
    }
    const skipped = spec.slice(at, j).find(required);
    if (skipped) {
      throw invalid(
        `${path}/${child.name} is out of order or ${path}/${skipped.name} is missing: the required ${skipped.name} must come before ${child.name} (schema order: ${spec.map((f) => f.name).join(', ')})`,
      );
    }
    const field = spec[j] as FieldSpec;
    const childPath = `${path}/${child.name}`;
    let value: MatrikkelfoeringValue;
    if (child.nil) {
      if (!field.nillable) throw invalid(`${childPath} may not be nil`);
      value = null;
    } else if (schema.types[field.type]) value = readComplex(child, field.type, schema, childPath);
    else value = readSimple(child, field, schema, childPath);
    if (field.list) {
      const list = (out[field.name] as MatrikkelfoeringValue[] | undefined) ?? [];
      list.push(value);
      out[field.name] = list;
      at = j;
    } else {
      out[field.name] = value;
      at = j + 1;
    }
  }
  const missing = spec.slice(at).find(required);
  if (missing) throw invalid(`${path}/${missing.name} is required but missing`);
  return out;
}

/**
 * Parse a matrikkelføring message (v1 or v2, told apart by the root namespace). Hostile or
 * malformed XML throws XmlError; a message that breaks its schema throws UpstreamInvalidError
 * (`matrikkelfoering_invalid`) naming the element.
 */
export function parseMatrikkelfoering(xml: string): MatrikkelfoeringMessage {
  // The safe parser first: refuses DTDs, entity expansion, deep and huge documents, broken XML.
  parseXml(xml, { system: 'matrikkel', record: 'matrikkelføring' });
  const doc = orderedTree(xml);
  const root = doc.children[0];
  if (root?.name !== 'Byggesak') {
    throw invalid(`the root element must be Byggesak, got ${root?.name ?? 'nothing'}`);
  }
  const version = (Object.keys(SCHEMAS) as MatrikkelfoeringVersion[]).find(
    (v) => SCHEMAS[v].namespace === root.xmlns,
  );
  if (!version)
    throw invalid(
      `unknown namespace ${root.xmlns ?? '(none)'}; expected ${Object.values(SCHEMAS)
        .map((s) => s.namespace)
        .join(' or ')}`,
    );
  const schema = SCHEMAS[version];
  return { version, byggesak: readComplex(root, schema.rootType, schema, '/Byggesak') };
}

const PREFIX: Record<string, string> = { mf: '', geo: 'geo:', kode: 'kode:' };

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function buildError(message: string): RegisterbroError {
  return new RegisterbroError('matrikkelfoering_invalid', `matrikkelføring: ${message}`, {
    system: 'matrikkel',
    hint: 'Fill in the element (see the XSD) before building the message.',
  });
}

function writeComplex(
  value: { [name: string]: MatrikkelfoeringValue },
  type: string,
  schema: SchemaDescriptor,
  path: string,
): string {
  let out = '';
  for (const field of fields(schema, type)) {
    const v = value[field.name];
    const tag = `${PREFIX[field.ns] ?? ''}${field.name}`;
    const childPath = `${path}/${field.name}`;
    if (v === undefined) {
      if (!field.optional && !field.list) throw buildError(`${childPath} is required`);
      continue;
    }
    const items = field.list ? (Array.isArray(v) ? v : [v]) : [v];
    for (const item of items) {
      if (item === null) {
        if (!field.nillable) throw buildError(`${childPath} may not be null`);
        out += `<${tag} xsi:nil="true"/>`;
      } else if (schema.types[field.type]) {
        if (typeof item !== 'object' || Array.isArray(item))
          throw buildError(`${childPath} must be an object`);
        out += `<${tag}>${writeComplex(item, field.type, schema, childPath)}</${tag}>`;
      } else {
        if (typeof item === 'object') throw buildError(`${childPath} must be a simple value`);
        out += `<${tag}>${escapeText(String(item))}</${tag}>`;
      }
    }
  }
  return out;
}

/** Build a matrikkelføring message in schema order. Missing required elements throw `matrikkelfoering_invalid`. */
export function buildMatrikkelfoering(message: MatrikkelfoeringMessage): string {
  const schema = SCHEMAS[message.version];
  const body = writeComplex(message.byggesak, schema.rootType, schema, '/Byggesak');
  return `<?xml version="1.0" encoding="utf-8"?><Byggesak xmlns="${schema.namespace}" xmlns:xsi="${XSI}" xmlns:geo="${NS.geo}" xmlns:kode="${NS.kode}">${body}</Byggesak>`;
}

/** The parts of a message the rest of Registerbro joins on. */
export interface MatrikkelfoeringSummary {
  /** `YYYY/N`. */
  saksnummer: string;
  /** Units named in eiendomsidentifikasjon, as `kkkk-g/b/f/s` (raw text when the kommune is unknown). */
  matrikkelnummer: string[];
  bygninger: { bygningsnummer?: string; bygningstype?: string; endring?: string }[];
  vedtaksdato?: string;
}

function obj(v: MatrikkelfoeringValue | undefined): { [name: string]: MatrikkelfoeringValue } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {};
}

function list(v: MatrikkelfoeringValue | undefined): MatrikkelfoeringValue[] {
  return Array.isArray(v) ? v : [];
}

/** Saksnummer, units and buildings of a message. */
export function summarizeMatrikkelfoering(message: MatrikkelfoeringMessage): MatrikkelfoeringSummary {
  const b = message.byggesak;
  const sak = obj(b.saksnummer);
  const opplysninger = obj(b.matrikkelopplysninger);
  const matrikkelnummer = list(obj(opplysninger.eiendomsidentifikasjon).matrikkelnummer).map((m) => {
    const o = obj(m);
    const text = `${String(o.kommunenummer ?? '')}-${String(o.gaardsnummer ?? 0)}/${String(o.bruksnummer ?? 0)}/${String(o.festenummer ?? 0)}/${String(o.seksjonsnummer ?? 0)}`;
    return isMatrikkelnummer(text) ? formatMatrikkelnummer(parseMatrikkelnummer(text)) : text;
  });
  const bygninger = list(obj(opplysninger.bygning).bygning).map((raw) => {
    const g = obj(raw);
    const nummer = g.bygningsnummer ?? obj(g.byggIdent).bygningsnummer;
    return {
      ...(nummer !== undefined && nummer !== null ? { bygningsnummer: String(nummer) } : {}),
      ...(obj(g.bygningstype).kode !== undefined ? { bygningstype: String(obj(g.bygningstype).kode) } : {}),
      ...(typeof g.endring === 'string' ? { endring: g.endring } : {}),
    };
  });
  const vedtaksdato = obj(b.vedtak).vedtaksdato;
  return {
    saksnummer: `${String(sak.saksaar ?? '')}/${String(sak.sakssekvensnummer ?? '')}`,
    matrikkelnummer,
    bygninger,
    ...(typeof vedtaksdato === 'string' ? { vedtaksdato } : {}),
  };
}
