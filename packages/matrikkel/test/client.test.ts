import { hasErrorCode } from '@registerbro/model';
import type { AuthProvider } from '@registerbro/transport';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MatrikkelFaultError, createMatrikkelClient, isMatrikkelFault } from '../src/index.js';

const HOST = 'https://prodtest.matrikkel.test';
const N = 'http://matrikkel.statkart.no/matrikkelapi/wsapi/v1';

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => {
  expect(nock.isDone()).toBe(true);
  nock.cleanAll();
});

const client = (auth?: AuthProvider) =>
  createMatrikkelClient({
    baseURL: HOST,
    ...(auth ? { auth } : { username: 'bruker', password: 'passord' }),
    http: { retries: 2, backoff: { baseMs: 1, maxMs: 2 }, circuitBreaker: false, shared: false },
  });

// A getObjects answer written the way a newer server does: other prefixes, a default namespace, extra fields.
const RESPONSE = `<?xml version="1.0"?><S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>
<ns9:getObjectsResponse xmlns:ns9="${N}/service/store" xmlns:ns2="${N}/domain" xmlns:ns5="${N}/domain/matrikkelenhet" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<ns9:return><ns2:item xsi:type="ns5:Grunneiendom"><ns2:id><ns2:value>42</ns2:value></ns2:id><ns2:versjon>3</ns2:versjon>
<matrikkelnummer xmlns="${N}/domain/matrikkelenhet"><kommuneId><ns2:value>77</ns2:value></kommuneId><gardsnummer>12</gardsnummer><bruksnummer>3</bruksnummer></matrikkelnummer>
<ns5:nyttFeltFraSystemVersjon4>x</ns5:nyttFeltFraSystemVersjon4></ns2:item></ns9:return></ns9:getObjectsResponse></S:Body></S:Envelope>`;

function fault(subtype: string, category: string, ids = ''): string {
  return `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>Feil</faultstring><detail><ns3:ServiceException xmlns:ns3="${N}/exception" xmlns:d="${N}/domain" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="ns3:${subtype}"><ns3:category>${category}</ns3:category><ns3:stackTraceText>x</ns3:stackTraceText>${ids}</ns3:ServiceException></detail></soap:Fault></soap:Body></soap:Envelope>`;
}

describe('Matrikkel SOAP client', () => {
  it('sends typed ids and the MatrikkelContext with Basic auth, and parses by local name whatever the prefixes', async () => {
    nock(HOST)
      .post(
        '/matrikkelapi/wsapi/v1/StoreServiceWS',
        (body: string) =>
          body.includes('xsi:type="m:MatrikkelenhetId"') &&
          /<d:locale>no_NO_B<\/d:locale><d:brukOriginaleKoordinater>false<\/d:brukOriginaleKoordinater><d:koordinatsystemKodeId><d:value>11<\/d:value><\/d:koordinatsystemKodeId><d:systemVersion>/.test(
            body,
          ),
      )
      .matchHeader('authorization', `Basic ${Buffer.from('bruker:passord').toString('base64')}`)
      .matchHeader('content-type', /text\/xml/)
      .reply(200, RESPONSE, { 'content-type': 'text/xml;charset=UTF-8' });
    const c = client();
    const items = await c.getObjects([{ type: 'MatrikkelenhetId', value: '42' }]);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      '@_type': 'ns5:Grunneiendom',
      id: { value: '42' },
      matrikkelnummer: { gardsnummer: '12' },
    });
    c.close();
  });

  it('turns ObjectsNotFoundFaultInfo into a MatrikkelFaultError with the missing ids, without retrying', async () => {
    nock(HOST)
      .post('/matrikkelapi/wsapi/v1/StoreServiceWS')
      .reply(
        500,
        fault(
          'ObjectsNotFoundFaultInfo',
          ':ServiceException:ApplicationException:FinderException:',
          '<ns3:idsNotFound><d:item><d:value>7</d:value></d:item></ns3:idsNotFound>',
        ),
        {
          'content-type': 'text/xml',
        },
      );
    const c = client();
    const error = await c.getObjects([{ type: 'MatrikkelenhetId', value: '7' }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MatrikkelFaultError);
    expect(isMatrikkelFault(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'soap_fault',
      subtype: 'ObjectsNotFoundFaultInfo',
      idsNotFound: ['7'],
      notFound: true,
      retryable: false,
    });
    c.close();
  });

  it('retries a SystemException fault and succeeds', async () => {
    nock(HOST)
      .post('/matrikkelapi/wsapi/v1/StoreServiceWS')
      .reply(500, fault('ServiceFaultInfo', ':ServiceException:SystemException:'), {
        'content-type': 'text/xml',
      })
      .post('/matrikkelapi/wsapi/v1/StoreServiceWS')
      .reply(200, RESPONSE, { 'content-type': 'text/xml' });
    const c = client();
    expect(await c.getObjects([{ type: 'MatrikkelenhetId', value: '42' }])).toHaveLength(1);
    c.close();
  });

  it('takes any AuthProvider: a bearer token instead of Basic', async () => {
    nock(HOST)
      .post('/matrikkelapi/wsapi/v1/EndringsloggServiceWS')
      .matchHeader('authorization', 'Bearer token-1')
      .reply(
        200,
        `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><e:findSisteEndringIdResponse xmlns:e="${N}/service/endringslogg" xmlns:d="${N}/domain"><e:return><d:value>987654</d:value></e:return></e:findSisteEndringIdResponse></soap:Body></soap:Envelope>`,
        { 'content-type': 'text/xml' },
      );
    const c = client({ headers: async () => ({ authorization: 'Bearer token-1' }) });
    expect(await c.findSisteEndringId()).toBe('987654');
    c.close();
  });

  it('reads a 200 HTML login page as an auth failure, and refuses a hostile body', async () => {
    nock(HOST)
      .post('/matrikkelapi/wsapi/v1/EndringsloggServiceWS')
      .reply(200, '<!DOCTYPE html><html><body>Logg inn</body></html>', { 'content-type': 'text/html' })
      .post('/matrikkelapi/wsapi/v1/EndringsloggServiceWS')
      .reply(200, '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a SYSTEM "file:///etc/passwd">]><x>&a;</x>', {
        'content-type': 'text/xml',
      });
    const c = client();
    await expect(c.findSisteEndringId()).rejects.toSatisfy((e) => hasErrorCode(e, 'auth_failed'));
    await expect(c.findSisteEndringId()).rejects.toSatisfy((e) => hasErrorCode(e, 'xml_external_entity'));
    c.close();
  });
});
