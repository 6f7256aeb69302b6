import { type FolkeregisterAdapter, createFolkeregisterAdapter } from '@registerbro/folkeregister';
import { type MatrikkelAdapter, createMatrikkelAdapter } from '@registerbro/matrikkel';
import { createHttpFiksArkivTransport, createNoarkAdapter } from '@registerbro/noark';
import {
  type AuthProvider,
  basicAuth,
  bearerAuth,
  createMaskinportenTokenProvider,
} from '@registerbro/transport';
import { type ArchiveBridge, createArchiveBridge } from './archive-bridge.js';
import { type Config, httpClientOptions, secretFromEnv } from './config.js';

/**
 * Turns the validated configuration into the three adapters. Secrets are read from the
 * environment here and in `store.ts`, and nowhere else.
 */

/** The adapters a sync needs. */
export interface Adapters {
  folkeregister: FolkeregisterAdapter;
  matrikkel: MatrikkelAdapter;
  archive: ArchiveBridge;
  close(): Promise<void>;
}

function folkeregisterAuth(config: Config, env: NodeJS.ProcessEnv): AuthProvider {
  const auth = config.folkeregister.auth;
  if (auth.kind === 'token') {
    const token = secretFromEnv(
      env,
      'folkeregister.auth.tokenEnv',
      auth.tokenEnv,
      'the Folkeregisteret bearer token',
    );
    return { headers: async () => ({ authorization: `Bearer ${token}` }) };
  }
  const pem = secretFromEnv(
    env,
    'folkeregister.auth.keyEnv',
    auth.keyEnv,
    'the PKCS#8 PEM private key of the organisation certificate',
  );
  return bearerAuth(
    createMaskinportenTokenProvider({
      tokenEndpoint: auth.tokenEndpoint,
      ...(auth.audience ? { audience: auth.audience } : {}),
      clientId: auth.clientId,
      scope: auth.scope,
      key: { pkcs8Pem: pem, kid: auth.kid },
    }),
  );
}

/** Create the adapters from the configuration; secrets from `env`. */
export function createAdapters(config: Config, env: NodeJS.ProcessEnv = process.env): Adapters {
  const folkeregister = createFolkeregisterAdapter({
    baseURL: config.folkeregister.baseURL,
    rettighetspakke: config.folkeregister.rettighetspakke,
    auth: folkeregisterAuth(config, env),
    http: httpClientOptions(config.folkeregister.http),
  });
  const m = config.matrikkel;
  const matrikkel = createMatrikkelAdapter({
    baseURL: m.baseURL,
    kommunenummer: m.kommunenummer ?? config.tenant,
    username: secretFromEnv(env, 'matrikkel.usernameEnv', m.usernameEnv, 'the Matrikkel user name'),
    password: secretFromEnv(env, 'matrikkel.passwordEnv', m.passwordEnv, 'the Matrikkel password'),
    ...(m.adresseApiURL ? { adresseApiURL: m.adresseApiURL } : {}),
    ...(m.eiendomApiURL ? { eiendomApiURL: m.eiendomApiURL } : {}),
    http: httpClientOptions(m.http),
  });
  const n = config.noark;
  let noarkAuth: AuthProvider | undefined;
  // The schema lets both or neither through.
  if (n.usernameEnv && n.passwordEnv) {
    noarkAuth = basicAuth(
      secretFromEnv(env, 'noark.usernameEnv', n.usernameEnv, 'the archive user name'),
      secretFromEnv(env, 'noark.passwordEnv', n.passwordEnv, 'the archive password'),
    );
  }
  const noark = createNoarkAdapter({
    baseURL: n.baseURL,
    fagsystem: n.fagsystem,
    http: httpClientOptions(n.http),
    ...(noarkAuth ? { auth: noarkAuth } : {}),
    ...(n.fiksURL
      ? {
          fiks: {
            transport: createHttpFiksArkivTransport({
              baseURL: n.fiksURL,
              http: httpClientOptions(n.http),
              ...(noarkAuth ? { auth: noarkAuth } : {}),
            }),
            system: n.fagsystem,
          },
        }
      : {}),
  });
  const archive = createArchiveBridge(noark);
  return {
    folkeregister,
    matrikkel,
    archive,
    async close() {
      await Promise.allSettled([folkeregister.close?.(), matrikkel.close?.(), archive.close?.()]);
    },
  };
}
