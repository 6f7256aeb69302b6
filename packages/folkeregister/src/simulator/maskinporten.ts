import { createPublicKey, type KeyObject, randomUUID, verify } from 'node:crypto';
import type { SimRequest, SimResponse } from '@registerbro/testkit';

/**
 * A small Maskinporten token endpoint for the simulator (RFC 7523 JWT grant, as Digdir runs it):
 * the client posts `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<JWT>`, the
 * JWT is RS256-signed with the client's key and carries `iss` (client id), `aud`, `scope`, `iat`,
 * `exp` and `jti`. A valid grant gets an opaque access token with the requested scope.
 *
 * @see https://docs.digdir.no/docs/Maskinporten/maskinporten_protocol_jwtgrant
 */
export interface MaskinportenSimOptions {
  /** Registered clients: client id → public key (PEM or KeyObject) that verifies its grants. */
  clients: Readonly<Record<string, string | KeyObject>>;
  /** `expires_in` of issued tokens, seconds. @default 120 */
  expiresInSeconds?: number;
  /** Accepted `aud` values. @default the simulator's own origin with a trailing slash */
  audience?: readonly string[];
}

/** What a successful grant gives: an access token with its scopes and expiry. */
export interface IssuedToken {
  token: string;
  scopes: string[];
  clientId: string;
  expiresAt: number;
}

const oauthError = (status: number, error: string, description: string): SimResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ error, error_description: description }),
});

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Handle one token request. `issue` stores the token where the API's bearer check finds it.
 * @param audiences accepted `aud` values
 */
export function handleTokenRequest(
  request: SimRequest,
  options: MaskinportenSimOptions,
  audiences: readonly string[],
  issue: (token: IssuedToken) => void,
  now: () => number = Date.now,
): SimResponse {
  if (request.method !== 'POST') return oauthError(405, 'invalid_request', 'POST only');
  const form = new URLSearchParams(request.body);
  if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
    return oauthError(
      400,
      'unsupported_grant_type',
      'grant_type must be urn:ietf:params:oauth:grant-type:jwt-bearer',
    );
  }
  const assertion = form.get('assertion') ?? '';
  const parts = assertion.split('.');
  if (parts.length !== 3) return oauthError(400, 'invalid_grant', 'assertion is not a JWT');
  const [h, p, s] = parts as [string, string, string];
  const header = decodePart(h);
  const claims = decodePart(p);
  if (!header || !claims) return oauthError(400, 'invalid_grant', 'assertion cannot be decoded');
  if (header.alg !== 'RS256') return oauthError(400, 'invalid_grant', 'only RS256 grants are accepted');
  const clientId = typeof claims.iss === 'string' ? claims.iss : '';
  const key = options.clients[clientId];
  if (!key) return oauthError(400, 'invalid_client', 'unknown client (iss)');
  const publicKey = typeof key === 'string' ? createPublicKey(key) : key;
  if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, 'base64url'))) {
    return oauthError(400, 'invalid_grant', 'invalid signature');
  }
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.some((a) => typeof a === 'string' && audiences.includes(a))) {
    return oauthError(400, 'invalid_grant', 'invalid audience');
  }
  const nowSeconds = Math.floor(now() / 1000);
  const iat = typeof claims.iat === 'number' ? claims.iat : Number.NaN;
  const exp = typeof claims.exp === 'number' ? claims.exp : Number.NaN;
  if (!(exp > nowSeconds) || !(iat <= nowSeconds + 10) || exp - iat > 120) {
    return oauthError(
      400,
      'invalid_grant',
      'the grant is expired, from the future or lives longer than 120 s',
    );
  }
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
  if (scopes.length === 0) return oauthError(400, 'invalid_scope', 'no scope requested');
  const expiresIn = options.expiresInSeconds ?? 120;
  const token = `mp-${randomUUID()}`;
  issue({ token, scopes, clientId, expiresAt: now() + expiresIn * 1000 });
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      access_token: token,
      token_type: 'Bearer',
      expires_in: expiresIn,
      scope: scopes.join(' '),
    }),
  };
}
