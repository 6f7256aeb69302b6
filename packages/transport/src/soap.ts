import { RegisterbroError, type RegisterbroErrorOptions, hasErrorCode } from '@registerbro/model';
import { type ParseXmlOptions, XmlError, parseXml } from './xml.js';

/** SOAP version. */
export type SoapVersion = '1.1' | '1.2';

/** Envelope namespaces: SOAP 1.1 (W3C Note 2000) and SOAP 1.2 (W3C Recommendation 2007). */
export const SOAP_NAMESPACES: Readonly<Record<SoapVersion, string>> = {
  '1.1': 'http://schemas.xmlsoap.org/soap/envelope/',
  '1.2': 'http://www.w3.org/2003/05/soap-envelope',
};

/** Options for {@link buildSoapEnvelope}. */
export interface BuildSoapEnvelopeOptions {
  /** @default '1.1' */
  version?: SoapVersion;
  /** Inner XML of `<soap:Header>`; omitted when undefined. */
  header?: string;
  /** Extra namespace declarations on the envelope: `{ prefix: uri }`. */
  namespaces?: Record<string, string>;
}

/**
 * Wrap inner XML in a SOAP envelope (prefix `soap`). The inner XML is inserted verbatim: escape
 * values with `escapeXml` or build it with `buildXml`.
 *
 * @example
 * buildSoapEnvelope('<m:findEiendom><m:knr>1806</m:knr></m:findEiendom>', { namespaces: { m: 'urn:lib' } })
 */
export function buildSoapEnvelope(body: string, options: BuildSoapEnvelopeOptions = {}): string {
  const version = options.version ?? '1.1';
  const ns = Object.entries(options.namespaces ?? {})
    .map(([prefix, uri]) => ` xmlns:${prefix}="${escapeAttr(uri)}"`)
    .join('');
  const header = options.header === undefined ? '' : `<soap:Header>${options.header}</soap:Header>`;
  return `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="${SOAP_NAMESPACES[version]}"${ns}>${header}<soap:Body>${body}</soap:Body></soap:Envelope>`;
}

function escapeAttr(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * The `Content-Type` for a SOAP request: `text/xml` for 1.1 (send the action in a `SOAPAction`
 * header, see {@link soapHeaders}), `application/soap+xml` with an `action` parameter for 1.2.
 */
export function soapContentType(version: SoapVersion, action?: string): string {
  if (version === '1.1') return 'text/xml; charset=utf-8';
  return action === undefined
    ? 'application/soap+xml; charset=utf-8'
    : `application/soap+xml; charset=utf-8; action="${action}"`;
}

/** Request headers for a SOAP call: `content-type`, plus `soapaction` for 1.1. */
export function soapHeaders(version: SoapVersion, action?: string): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': soapContentType(version, action) };
  if (version === '1.1') headers.soapaction = `"${action ?? ''}"`;
  return headers;
}

/** A parsed SOAP envelope (namespace prefixes removed, as {@link parseXml} returns). */
export interface SoapEnvelope {
  version: SoapVersion;
  header?: Record<string, unknown>;
  body: Record<string, unknown>;
}

/**
 * A SOAP Fault answer. `detail` is the parsed `<detail>`/`<Detail>` (prefixes removed), so callers
 * can look for a fault element by local name, e.g. `'ObjectsNotFoundFaultInfo' in fault.detail`.
 */
export class SoapFaultError extends RegisterbroError {
  readonly version: SoapVersion;
  /** 1.1 `faultcode`, or 1.2 `Code/Value` (with `Subcode/Value` appended after a space when present). */
  readonly faultCode: string;
  /** 1.1 `faultstring`, or the first 1.2 `Reason/Text`. */
  readonly faultString: string;
  readonly detail: Record<string, unknown> | undefined;
  constructor(
    message: string,
    fault: { version: SoapVersion; faultCode: string; faultString: string; detail?: Record<string, unknown> },
    options: RegisterbroErrorOptions = {},
  ) {
    super('soap_fault', message, options);
    this.name = 'SoapFaultError';
    this.version = fault.version;
    this.faultCode = fault.faultCode;
    this.faultString = fault.faultString;
    this.detail = fault.detail;
  }
}

/**
 * Parse a SOAP 1.1 or 1.2 envelope, detecting the version by the envelope namespace. A `Fault`
 * in the body throws {@link SoapFaultError}; anything that is not a SOAP envelope throws
 * `XmlError` (`xml_malformed`).
 */
export function parseSoapEnvelope(text: string, options: ParseXmlOptions = {}): SoapEnvelope {
  const doc = parseXml(text, options);
  const envelope = doc.Envelope;
  const version = detectVersion(text);
  const notSoap = (detail: string): never => {
    throw new XmlError(
      'xml_malformed',
      `${options.system ? `${options.system}: ` : ''}not a SOAP envelope: ${detail}`,
      {
        system: options.system,
        record: options.record,
        excerpt: text.slice(0, 200),
        hint: 'The endpoint answered something other than SOAP; check the URL and the SOAP version.',
      },
    );
  };
  if (envelope === undefined || typeof envelope !== 'object' || envelope === null)
    notSoap('no Envelope element');
  if (version === undefined) notSoap('unknown envelope namespace');
  const env = envelope as Record<string, unknown>;
  const body = asObject(env.Body);
  if (body === undefined) notSoap('no Body element');
  const header = asObject(env.Header);
  const soapVersion = version as SoapVersion;
  const fault = asObject((body as Record<string, unknown>).Fault);
  if (fault !== undefined) throw toFaultError(fault, soapVersion, options);
  return header === undefined
    ? { version: soapVersion, body: body as Record<string, unknown> }
    : { version: soapVersion, header, body: body as Record<string, unknown> };
}

function detectVersion(text: string): SoapVersion | undefined {
  const match = /<(?:([A-Za-z_][\w.-]*):)?Envelope\b([^>]*)>/.exec(text);
  if (!match) return undefined;
  const prefix = match[1];
  const attrs = match[2] ?? '';
  const nsAttr = prefix === undefined ? 'xmlns' : `xmlns:${prefix}`;
  const ns = new RegExp(`(?:^|\\s)${nsAttr.replace(/[.]/g, '\\.')}\\s*=\\s*["']([^"']*)["']`).exec(
    attrs,
  )?.[1];
  if (ns === SOAP_NAMESPACES['1.1']) return '1.1';
  if (ns === SOAP_NAMESPACES['1.2']) return '1.2';
  return undefined;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return asObject(value[0]);
  if (value === '' || value === null) return {};
  if (typeof value === 'object') return value as Record<string, unknown>;
  return { '#text': String(value) };
}

function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return textOf(value[0]);
  if (typeof value === 'object') return textOf((value as Record<string, unknown>)['#text']);
  return String(value);
}

function toFaultError(
  fault: Record<string, unknown>,
  version: SoapVersion,
  options: ParseXmlOptions,
): SoapFaultError {
  let faultCode: string;
  let faultString: string;
  let detail: Record<string, unknown> | undefined;
  if (version === '1.1') {
    faultCode = textOf(fault.faultcode);
    faultString = textOf(fault.faultstring);
    detail = asObject(fault.detail);
  } else {
    const code = asObject(fault.Code);
    faultCode = textOf(code?.Value);
    const subcode = textOf(asObject(code?.Subcode)?.Value);
    if (subcode !== '') faultCode = `${faultCode} ${subcode}`;
    faultString = textOf(asObject(fault.Reason)?.Text);
    detail = asObject(fault.Detail);
  }
  const who = options.system ? `${options.system}: ` : '';
  return new SoapFaultError(
    `${who}SOAP fault ${faultCode}: ${faultString}`,
    { version, faultCode, faultString, detail },
    {
      system: options.system,
      record: options.record,
      hint: /Server|Receiver/.test(faultCode)
        ? 'The register failed to process the call; see faultString and detail.'
        : 'The register refused the request; see faultString and detail.',
    },
  );
}

/** True when `value` is a {@link SoapFaultError} (by code and shape, so it works across package copies). */
export function isSoapFaultError(value: unknown): value is SoapFaultError {
  return (
    hasErrorCode(value, 'soap_fault') && typeof (value as { faultCode?: unknown }).faultCode === 'string'
  );
}
