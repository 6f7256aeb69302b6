import { hasErrorCode } from '@registerbro/model';
import { describe, expect, it } from 'vitest';
import {
  SOAP_NAMESPACES,
  type SoapFaultError,
  buildSoapEnvelope,
  isSoapFaultError,
  parseSoapEnvelope,
  soapContentType,
  soapHeaders,
} from '../src/index.js';

function fault(fn: () => unknown): SoapFaultError {
  try {
    fn();
  } catch (error) {
    expect(hasErrorCode(error, 'soap_fault')).toBe(true);
    expect(isSoapFaultError(error)).toBe(true);
    return error as SoapFaultError;
  }
  throw new Error('expected a SOAP fault');
}

describe('SOAP envelopes', () => {
  it('builds a 1.1 envelope that parses back, with header and namespaces', () => {
    const xml = buildSoapEnvelope('<m:findEiendom><m:knr>0301</m:knr></m:findEiendom>', {
      header: '<m:ctx>1</m:ctx>',
      namespaces: { m: 'urn:lib' },
    });
    expect(xml).toContain(`xmlns:soap="${SOAP_NAMESPACES['1.1']}"`);
    expect(parseSoapEnvelope(xml)).toEqual({
      version: '1.1',
      header: { ctx: '1' },
      body: { findEiendom: { knr: '0301' } },
    });
  });

  it('detects 1.2 by namespace, whatever the prefix', () => {
    const xml = `<env:Envelope xmlns:env="${SOAP_NAMESPACES['1.2']}"><env:Body><x>1</x></env:Body></env:Envelope>`;
    expect(parseSoapEnvelope(xml)).toEqual({ version: '1.2', body: { x: '1' } });
    const built = buildSoapEnvelope('<y/>', { version: '1.2' });
    expect(parseSoapEnvelope(built).version).toBe('1.2');
  });

  it('rejects a document that is not a SOAP envelope', () => {
    expect(() => parseSoapEnvelope('<Envelope xmlns="urn:other"><Body/></Envelope>')).toThrow(/namespace/);
    expect(() => parseSoapEnvelope('<html><body/></html>')).toThrow(/Envelope/);
  });

  it('turns a SOAP 1.1 Fault into SoapFaultError with the detail parsed', () => {
    const xml = `<s:Envelope xmlns:s="${SOAP_NAMESPACES['1.1']}"><s:Body><s:Fault>
      <faultcode>s:Client</faultcode><faultstring xml:lang="no">Fant ikke objektene</faultstring>
      <detail><ns2:ObjectsNotFoundFaultInfo xmlns:ns2="http://matrikkel.no/wsapi/v1/service"><ns2:ids>12</ns2:ids></ns2:ObjectsNotFoundFaultInfo></detail>
      </s:Fault></s:Body></s:Envelope>`;
    const error = fault(() => parseSoapEnvelope(xml, { system: 'matrikkel' }));
    expect(error.version).toBe('1.1');
    expect(error.faultCode).toBe('s:Client');
    expect(error.faultString).toBe('Fant ikke objektene');
    expect(error.detail).toEqual({ ObjectsNotFoundFaultInfo: { ids: '12' } });
    expect(error.system).toBe('matrikkel');
    expect(error.message).toContain('Fant ikke objektene');
  });

  it('turns a SOAP 1.2 Fault (Code/Value, Subcode, Reason/Text, Detail) into SoapFaultError', () => {
    const xml = `<env:Envelope xmlns:env="${SOAP_NAMESPACES['1.2']}"><env:Body><env:Fault>
      <env:Code><env:Value>env:Receiver</env:Value><env:Subcode><env:Value>m:Busy</env:Value></env:Subcode></env:Code>
      <env:Reason><env:Text xml:lang="en">Busy, person 01818012345</env:Text><env:Text xml:lang="nb">Opptatt</env:Text></env:Reason>
      <env:Detail><m:info xmlns:m="urn:m">x</m:info></env:Detail>
      </env:Fault></env:Body></env:Envelope>`;
    const error = fault(() => parseSoapEnvelope(xml));
    expect(error.version).toBe('1.2');
    expect(error.faultCode).toBe('env:Receiver m:Busy');
    expect(error.faultString).toBe('Busy, person 01818012345');
    expect(error.message).not.toContain('01818012345');
    expect(error.detail).toEqual({ info: 'x' });
  });

  it('content types and headers', () => {
    expect(soapContentType('1.1', 'urn:a')).toBe('text/xml; charset=utf-8');
    expect(soapContentType('1.2', 'urn:a')).toBe('application/soap+xml; charset=utf-8; action="urn:a"');
    expect(soapHeaders('1.1', 'urn:a')).toEqual({
      'content-type': 'text/xml; charset=utf-8',
      soapaction: '"urn:a"',
    });
  });
});
