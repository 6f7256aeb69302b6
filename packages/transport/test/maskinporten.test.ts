import { generateKeyPairSync } from 'node:crypto';
import { hasErrorCode } from '@registerbro/model';
import { decodeProtectedHeader, importX509, jwtVerify } from 'jose';
import forge from 'node-forge';
import { afterEach, describe, expect, it } from 'vitest';
import { createMaskinportenTokenProvider } from '../src/index.js';
import { reply, startServer, type TestServer } from './helpers.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pkcs8Pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Verified {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

/** A fake Maskinporten /token endpoint that checks the grant like Digdir documents it. */
async function startTokenEndpoint(
  verifyKey: (header: Record<string, unknown>) => Promise<Parameters<typeof jwtVerify>[1]>,
  options: { expiresIn?: number; delayMs?: number } = {},
) {
  const grants: Verified[] = [];
  let issued = 0;
  const s = await startServer(async (req, res, seen) => {
    const form = new URLSearchParams(seen.body);
    if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') return reply(res, 415);
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      return reply(res, 400, JSON.stringify({ error: 'unsupported_grant_type' }));
    }
    const assertion = form.get('assertion') ?? '';
    try {
      const header = decodeProtectedHeader(assertion) as Record<string, unknown>;
      const { payload } = await jwtVerify(assertion, await verifyKey(header), {
        algorithms: ['RS256'],
        audience: `http://127.0.0.1:${s.port}/`,
        issuer: 'test-client',
      });
      grants.push({ header, payload: payload as Record<string, unknown> });
    } catch (error) {
      return reply(
        res,
        400,
        JSON.stringify({ error: 'invalid_grant', error_description: `Invalid assertion: ${String(error)}` }),
      );
    }
    issued += 1;
    const send = () =>
      reply(
        res,
        200,
        JSON.stringify({
          access_token: `token-${issued}`,
          token_type: 'Bearer',
          expires_in: options.expiresIn ?? 120,
        }),
        { 'content-type': 'application/json' },
      );
    if (options.delayMs) setTimeout(send, options.delayMs);
    else send();
  });
  return { server: s, grants };
}

describe('createMaskinportenTokenProvider', () => {
  it('signs a correct RS256 grant with kid, caches the token and shares one request', async () => {
    const endpoint = await startTokenEndpoint(async () => publicKey, { delayMs: 20 });
    server = endpoint.server;
    const tokens = createMaskinportenTokenProvider({
      tokenEndpoint: `${server.url}/token`,
      clientId: 'test-client',
      scope: ['skatteetaten:folkeregister', 'kartverk:matrikkel'],
      resource: 'https://api.example.test',
      key: { pkcs8Pem, kid: 'key-1' },
    });
    const results = await Promise.all([tokens.getToken(), tokens.getToken(), tokens.getToken()]);
    expect(results).toEqual(['token-1', 'token-1', 'token-1']);
    expect(await tokens.getToken()).toBe('token-1');
    expect(server.requests).toHaveLength(1);
    const grant = endpoint.grants[0];
    expect(grant?.header).toEqual({ alg: 'RS256', kid: 'key-1' });
    const p = grant?.payload ?? {};
    expect(p.scope).toBe('skatteetaten:folkeregister kartverk:matrikkel');
    expect(p.resource).toEqual(['https://api.example.test']);
    expect(Number(p.exp) - Number(p.iat)).toBeLessThanOrEqual(120);
    expect(Number(p.exp)).toBeGreaterThan(Number(p.iat));
    expect(String(p.jti)).toMatch(/^[0-9a-f-]{36}$/);
    expect(Object.keys(p).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'resource', 'scope']);

    tokens.invalidate();
    expect(await tokens.getToken()).toBe('token-2');
    expect(endpoint.grants[1]?.payload.jti).not.toBe(p.jti);
  });

  it('fetches a new token once the cached one is within the refresh margin', async () => {
    const endpoint = await startTokenEndpoint(async () => publicKey, { expiresIn: 10 });
    server = endpoint.server;
    const tokens = createMaskinportenTokenProvider({
      tokenEndpoint: `${server.url}/token`,
      clientId: 'test-client',
      scope: 'a:b',
      key: { pkcs8Pem, kid: 'key-1' },
      refreshMarginMs: 30_000,
    });
    expect(await tokens.getToken()).toBe('token-1');
    expect(await tokens.getToken()).toBe('token-2');
  });

  it('sends the certificate chain as x5c for a PKCS#12 virksomhetssertifikat', async () => {
    const forgeKey = forge.pki.privateKeyFromPem(
      privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    );
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
    cert.serialNumber = '01';
    cert.validity.notBefore = new Date(Date.now() - 60_000);
    cert.validity.notAfter = new Date(Date.now() + 86_400_000);
    const attrs = [
      { name: 'commonName', value: 'Registerbro test' },
      { name: 'organizationName', value: 'Test kommune' },
    ];
    cert.setSubject(attrs);
    cert.setIssuer(attrs);
    cert.sign(forgeKey, forge.md.sha256.create());
    const p12Der = forge.asn1
      .toDer(forge.pkcs12.toPkcs12Asn1(forgeKey, [cert], 'passord-1', { algorithm: '3des' }))
      .getBytes();
    const pkcs12 = Buffer.from(p12Der, 'binary');

    const endpoint = await startTokenEndpoint(async (header) => {
      const x5c = header.x5c as string[];
      const pem = `-----BEGIN CERTIFICATE-----\n${x5c[0]?.match(/.{1,64}/g)?.join('\n')}\n-----END CERTIFICATE-----`;
      return importX509(pem, 'RS256');
    });
    server = endpoint.server;
    const tokens = createMaskinportenTokenProvider({
      tokenEndpoint: `${server.url}/token`,
      clientId: 'test-client',
      scope: 'a:b',
      key: { pkcs12, passphrase: 'passord-1' },
    });
    expect(await tokens.getToken()).toBe('token-1');
    expect(endpoint.grants[0]?.header.kid).toBeUndefined();
    expect(endpoint.grants[0]?.header.x5c).toHaveLength(1);

    expect(() =>
      createMaskinportenTokenProvider({
        tokenEndpoint: `${server?.url}/token`,
        clientId: 'test-client',
        scope: 'a:b',
        key: { pkcs12, passphrase: 'wrong' },
      }),
    ).toThrow(/PKCS#12/);
  });

  it('turns a refused grant into AuthError without the assertion', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const endpoint = await startTokenEndpoint(async () => other.publicKey);
    server = endpoint.server;
    const tokens = createMaskinportenTokenProvider({
      tokenEndpoint: `${server.url}/token`,
      clientId: 'test-client',
      scope: 'a:b',
      key: { pkcs8Pem, kid: 'key-1' },
    });
    let error: unknown;
    try {
      await tokens.getToken();
    } catch (e) {
      error = e;
    }
    expect(hasErrorCode(error, 'auth_failed')).toBe(true);
    expect((error as Error).message).toContain('invalid_grant');
    const assertion = new URLSearchParams(server.requests[0]?.body).get('assertion') ?? 'missing';
    const everything = `${JSON.stringify(error)} ${String(error)} ${(error as Error).stack} ${String((error as Error).cause)}`;
    expect(everything).not.toContain(assertion);
    expect(everything).not.toContain(assertion.split('.')[2]);
  });

  it('requires a kid for a bare PKCS#8 key', () => {
    expect(() =>
      createMaskinportenTokenProvider({
        tokenEndpoint: 'https://test.maskinporten.no/token',
        clientId: 'c',
        scope: 's',
        key: { pkcs8Pem },
      }),
    ).toThrow(/kid/);
  });

  it('an aborted caller stops waiting', async () => {
    const endpoint = await startTokenEndpoint(async () => publicKey, { delayMs: 200 });
    server = endpoint.server;
    const tokens = createMaskinportenTokenProvider({
      tokenEndpoint: `${server.url}/token`,
      clientId: 'test-client',
      scope: 'a:b',
      key: { pkcs8Pem, kid: 'key-1' },
    });
    const controller = new AbortController();
    const waiting = tokens.getToken(controller.signal).catch((e: unknown) => e);
    const other = tokens.getToken();
    controller.abort();
    expect(hasErrorCode(await waiting, 'aborted')).toBe(true);
    expect(await other).toBe('token-1');
  });
});
