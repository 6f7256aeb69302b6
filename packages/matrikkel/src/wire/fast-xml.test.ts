import { hostileBody, malformedBody } from '@registerbro/testkit';
import { SoapFaultError, buildSoapEnvelope, parseXml } from '@registerbro/transport';
import { describe, expect, it } from 'vitest';
import { parseFastXml, parseSoapResponse } from './fast-xml.js';

const isArray = (name: string) => name === 'item' || name === 'entry';
const SAMPLE = `<?xml version="1.0" encoding="UTF-8"?><!-- c --><S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>
<s:r xmlns:s="urn:s" xmlns:d="urn:d" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><s:return>
<d:item xsi:type="m:Grunneiendom"><d:id><d:value>0042</d:value></d:id><d:navn>Ærlig &amp; Ø &#248;&#xE6;</d:navn><d:cdata><![CDATA[<rå>]]></d:cdata><d:tom/><d:nil xsi:nil="true"/>
<d:liste><d:x>1</d:x><d:x>2</d:x></d:liste></d:item></s:return><s:empty></s:empty></s:r></S:Body></S:Envelope>`;

describe('parseFastXml', () => {
  it('gives exactly what transport parseXml gives', () => {
    expect(parseFastXml(SAMPLE, { isArray })).toEqual(parseXml(SAMPLE, { isArray }));
    const item =
      (
        parseFastXml(SAMPLE, { isArray }) as {
          Envelope: { Body: { r: { return: { item: Record<string, unknown>[] } } } };
        }
      ).Envelope.Body.r.return.item[0] ?? {};
    expect(item.id).toEqual({ value: '0042' });
    expect(item.navn).toBe('Ærlig & Ø øæ');
    expect(item.cdata).toBe('<rå>');
  });

  it('refuses hostile, cut-off and broken documents with the XmlError codes', () => {
    const code = (text: string) => {
      try {
        parseFastXml(text);
        return 'accepted';
      } catch (error) {
        return (error as { code: string }).code;
      }
    };
    expect(code(hostileBody('text/xml', 'external_entity'))).toBe('xml_external_entity');
    expect(code(hostileBody('text/xml', 'billion_laughs'))).toBe('xml_entity_expansion');
    expect(code(hostileBody('text/xml', 'deep'))).toBe('xml_too_deep');
    expect(code(hostileBody('text/xml', 'garbage'))).toBe('xml_malformed');
    expect(code(malformedBody('text/xml', SAMPLE))).toBe('xml_malformed');
    expect(code(SAMPLE.slice(0, SAMPLE.length / 2))).toBe('xml_malformed');
    expect(code('<a><b></a></b>')).toBe('xml_malformed');
    expect(code('<a>&unknown;</a>')).toBe('xml_malformed');
    expect(code('<a/><b/>')).toBe('xml_malformed');
    expect(code('<a>x</a>')).toBe('accepted');
    expect(() => parseFastXml('<a>x</a>', { maxBytes: 3 })).toThrow(/larger than 3 bytes/);
  });

  it('reads a SOAP Fault as SoapFaultError with its detail', () => {
    const envelope = buildSoapEnvelope(
      '<soap:Fault><faultcode>soap:Server</faultcode><faultstring>Feil</faultstring><detail><ex:ServiceException xmlns:ex="urn:ex"><ex:category>c</ex:category></ex:ServiceException></detail></soap:Fault>',
    );
    let error: unknown;
    try {
      parseSoapResponse(envelope);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SoapFaultError);
    expect(error).toMatchObject({
      faultCode: 'soap:Server',
      faultString: 'Feil',
      detail: { ServiceException: { category: 'c' } },
    });
    expect(() => parseSoapResponse('<html/>')).toThrow(/not a SOAP envelope/);
  });
});
