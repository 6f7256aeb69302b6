import { type KeyObject, createPrivateKey, randomUUID } from 'node:crypto';
import { AuthError, ConfigError, UpstreamInvalidError } from '@registerbro/model';
import { SignJWT } from 'jose';
import forge from 'node-forge';
import { abortable, throwIfAborted } from './async.js';
import type { TokenProvider } from './auth.js';
import { type HttpClient, createHttpClient } from './http-client.js';

/** The signing key for the JWT grant. */
export type MaskinportenKey =
  /** A PKCS#8 PEM RSA key; `kid` is the key id registered for the client (required). */
  | { pkcs8Pem: string; kid?: string }
  /**
   * A PKCS#12 file (virksomhetssertifikat). The certificate chain is sent as `x5c` unless `kid`
   * is given (a pre-registered certificate).
   */
  | { pkcs12: Buffer; passphrase: string; kid?: string };

/** Options for {@link createMaskinportenTokenProvider}. */
export interface MaskinportenOptions {
  /** The token endpoint, e.g. `https://test.maskinporten.no/token`. */
  tokenEndpoint: string;
  /**
   * The `aud` claim: Maskinporten's issuer identifier (not the token endpoint URL).
   * @default the token endpoint's origin with a trailing slash (`https://test.maskinporten.no/`)
   */
  audience?: string;
  /** The client id (the `iss` claim). */
  clientId: string;
  /** Scopes requested; an array is joined with spaces. */
  scope: string | string[];
  key: MaskinportenKey;
  /** The target API (`resource` claim, sent as a one-element array as Digdir documents). */
  resource?: string;
  /** Fetch a new token this long before the cached one expires. @default 30_000 */
  refreshMarginMs?: number;
  /** Lifetime of the JWT grant; Maskinporten accepts at most 120 s. @default 60 */
  grantLifetimeSeconds?: number;
  /** Timeout of the token request. @default 10_000 */
  timeoutMs?: number;
}

interface SigningMaterial {
  key: KeyObject;
  header: { alg: 'RS256'; kid?: string; x5c?: string[] };
}

/**
 * A {@link TokenProvider} for Maskinporten (Digdir's server-to-server OAuth2, RFC 7523 JWT
 * grant): signs a short-lived RS256 grant, exchanges it for an access token, caches the token
 * until `expires_in` minus a margin, and shares one request among concurrent callers.
 *
 * Spec: https://docs.digdir.no/docs/Maskinporten/maskinporten_protocol_jwtgrant and
 * https://docs.digdir.no/docs/Maskinporten/maskinporten_protocol_token
 *
 * @example
 * const tokens = createMaskinportenTokenProvider({ tokenEndpoint: 'https://test.maskinporten.no/token',
 *   clientId, scope: ['skatteetaten:folkeregister'], key: { pkcs8Pem, kid } });
 * const client = createHttpClient({ system: 'folkeregister', baseURL, auth: bearerAuth(tokens) });
 */
export function createMaskinportenTokenProvider(options: MaskinportenOptions): TokenProvider {
  const material = loadKey(options.key);
  const audience = options.audience ?? `${new URL(options.tokenEndpoint).origin}/`;
  const scope = Array.isArray(options.scope) ? options.scope.join(' ') : options.scope;
  const refreshMarginMs = options.refreshMarginMs ?? 30_000;
  const lifetime = Math.min(120, Math.max(1, options.grantLifetimeSeconds ?? 60));
  const http: HttpClient = createHttpClient({
    system: 'maskinporten',
    baseURL: options.tokenEndpoint,
    timeoutMs: options.timeoutMs ?? 10_000,
    shared: false,
    circuitBreaker: false,
    mapError: (response) => {
      if (response.status === 429) return undefined; // keep the RateLimitError with its Retry-After
      // Digdir answers OAuth2 errors as { error, error_description }; never echo the request.
      let detail = '';
      try {
        const body = response.json() as { error?: unknown; error_description?: unknown };
        detail = [body.error, body.error_description].filter((v) => typeof v === 'string').join(': ');
      } catch {
        detail = '';
      }
      return new AuthError(
        `maskinporten: the token endpoint answered ${response.status}${detail ? ` (${detail.slice(0, 300)})` : ''}`,
        {
          system: 'maskinporten',
          status: response.status,
          retryable: response.status >= 500,
          hint: 'Check the client id, the scopes granted to it, the key id / certificate, and the clock (iat within 10 s).',
        },
      );
    },
  });

  let cached: { token: string; refreshAt: number } | undefined;
  let inflight: Promise<string> | undefined;

  async function fetchToken(): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = { scope };
    if (options.resource !== undefined) claims.resource = [options.resource];
    const assertion = await new SignJWT(claims)
      .setProtectedHeader(material.header)
      .setAudience(audience)
      .setIssuer(options.clientId)
      .setIssuedAt(now)
      .setExpirationTime(now + lifetime)
      .setJti(randomUUID())
      .sign(material.key);
    // https://docs.digdir.no/docs/Maskinporten/maskinporten_protocol_token
    const response = await http.request({
      method: 'POST',
      path: '',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion,
      }).toString(),
    });
    const body = response.json() as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== 'string' || body.access_token === '') {
      throw new UpstreamInvalidError('maskinporten: the token response has no access_token', {
        system: 'maskinporten',
        issues: [{ path: ['access_token'], message: 'missing' }],
      });
    }
    const expiresInMs =
      (typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in) || 0) * 1000;
    cached = { token: body.access_token, refreshAt: Date.now() + Math.max(0, expiresInMs - refreshMarginMs) };
    return body.access_token;
  }

  return {
    async getToken(signal?: AbortSignal): Promise<string> {
      const aborted = { signal, system: 'maskinporten', message: 'maskinporten: getToken was aborted' };
      throwIfAborted(signal, aborted);
      if (cached && Date.now() < cached.refreshAt) return cached.token;
      if (!inflight) {
        inflight = fetchToken().finally(() => {
          inflight = undefined;
        });
      }
      // The shared request goes on for the other callers; only this caller stops waiting.
      return abortable(inflight, aborted);
    },
    invalidate(): void {
      cached = undefined;
    },
  };
}

function loadKey(key: MaskinportenKey): SigningMaterial {
  if ('pkcs8Pem' in key) {
    if (key.kid === undefined) {
      throw new ConfigError('maskinporten: a PKCS#8 key needs the kid registered for the client', {
        system: 'maskinporten',
        key: 'key.kid',
        hint: 'Register the public key with Digdir and pass its kid, or use a PKCS#12 certificate.',
      });
    }
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey({ key: key.pkcs8Pem, format: 'pem' });
    } catch (error) {
      throw new ConfigError('maskinporten: the PKCS#8 key could not be read', {
        system: 'maskinporten',
        key: 'key.pkcs8Pem',
        cause: new Error(error instanceof Error ? error.message : 'unreadable key'),
      });
    }
    return { key: privateKey, header: { alg: 'RS256', kid: key.kid } };
  }
  return loadPkcs12(key.pkcs12, key.passphrase, key.kid);
}

function loadPkcs12(file: Buffer, passphrase: string, kid: string | undefined): SigningMaterial {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(file.toString('binary')));
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, passphrase);
  } catch {
    // Never keep forge's error: it is not needed and must not tempt anyone to log the input.
    throw new ConfigError(
      'maskinporten: the PKCS#12 file could not be opened (wrong passphrase or not PKCS#12)',
      {
        system: 'maskinporten',
        key: 'key.pkcs12',
      },
    );
  }
  const oids = forge.pki.oids;
  const keyBags = [
    ...(p12.getBags({ bagType: oids.pkcs8ShroudedKeyBag as string })[oids.pkcs8ShroudedKeyBag as string] ??
      []),
    ...(p12.getBags({ bagType: oids.keyBag as string })[oids.keyBag as string] ?? []),
  ];
  const privateKey = keyBags.find((bag) => bag.key)?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!privateKey) {
    throw new ConfigError('maskinporten: the PKCS#12 file holds no private key', {
      system: 'maskinporten',
      key: 'key.pkcs12',
    });
  }
  const certs = (p12.getBags({ bagType: oids.certBag as string })[oids.certBag as string] ?? [])
    .map((bag) => bag.cert)
    .filter((cert): cert is forge.pki.Certificate => cert !== undefined);
  // x5c starts with the certificate of the signing key, then the rest of the chain.
  const modulus = privateKey.n.toString(16);
  const leafFirst = [...certs].sort((a, b) => Number(isLeaf(b, modulus)) - Number(isLeaf(a, modulus)));
  if (kid === undefined && leafFirst.length === 0) {
    throw new ConfigError('maskinporten: the PKCS#12 file holds no certificate and no kid was given', {
      system: 'maskinporten',
      key: 'key.pkcs12',
    });
  }
  const x5c = leafFirst.map((cert) =>
    forge.util.encode64(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes()),
  );
  const keyObject = createPrivateKey({ key: forge.pki.privateKeyToPem(privateKey), format: 'pem' });
  return { key: keyObject, header: kid === undefined ? { alg: 'RS256', x5c } : { alg: 'RS256', kid } };
}

function isLeaf(cert: forge.pki.Certificate, modulus: string): boolean {
  const publicKey = cert.publicKey as forge.pki.rsa.PublicKey;
  return publicKey.n?.toString(16) === modulus;
}
