/**
 * Credentials for {@link createHttpClient}: something that yields request headers, and may be told
 * that the credentials it gave were refused.
 */
export interface AuthProvider {
  /** Headers to add to the next request (e.g. `{ authorization: 'Bearer …' }`). */
  headers(signal?: AbortSignal): Promise<Record<string, string>>;
  /**
   * Drop any cached credential. The HTTP client calls this once after a 401 and retries the
   * request with fresh headers before it gives up with an `AuthError`.
   */
  invalidate?(): void;
}

/** Something that hands out access tokens, e.g. {@link createMaskinportenTokenProvider}. */
export interface TokenProvider {
  /** A valid access token; cached tokens are returned until they are about to expire. */
  getToken(signal?: AbortSignal): Promise<string>;
  /** Forget the cached token so the next `getToken` fetches a new one. */
  invalidate(): void;
}

/**
 * HTTP Basic authentication (RFC 7617). The credentials are encoded once and never appear in
 * errors or logs.
 *
 * @example
 * createHttpClient({ system: 'matrikkel', baseURL, auth: basicAuth('user', 'secret') })
 */
export function basicAuth(username: string, password: string): AuthProvider {
  const value = `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
  return {
    headers: async () => ({ authorization: value }),
  };
}

/**
 * Bearer-token authentication from a {@link TokenProvider}. On a 401 the HTTP client calls
 * `invalidate()` once and retries, so an access token revoked early is replaced transparently.
 *
 * @example
 * createHttpClient({ system: 'folkeregister', baseURL, auth: bearerAuth(maskinporten) })
 */
export function bearerAuth(tokens: TokenProvider): AuthProvider {
  return {
    headers: async (signal) => ({ authorization: `Bearer ${await tokens.getToken(signal)}` }),
    invalidate: () => tokens.invalidate(),
  };
}
