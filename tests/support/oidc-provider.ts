import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type ProviderType from 'oidc-provider';

/**
 * oidc-provider warns on Node 20 (it asks for 22; it runs correctly here) and about its in-memory
 * store: expected of a peer that lives for one test file, so those two lines are kept out of the
 * test output; any other warning passes through.
 */
/* eslint-disable no-console -- the peer's own console, not Rentlog's */
async function quietly<T>(make: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).startsWith('oidc-provider WARNING')) warn(...args);
  };
  try {
    return await make();
  } finally {
    console.warn = warn;
  }
}
/* eslint-enable no-console */

/** A person with an account at the test provider: what its ID token and userinfo say. */
export interface ProviderAccount {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

export interface TestOpenIdProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Adds (or changes) an account at the provider. */
  account(account: ProviderAccount): void;
  /**
   * Follows an authorization URL as a browser would, with cookies of its own: the provider's
   * authorization endpoint, its login interaction (signing in as `sub` and granting the scopes asked
   * for), and back; answers the URL the provider redirects to (the callback with `code` and `state`).
   */
  signIn(authorizationUrl: string, sub: string): Promise<URL>;
  close(): Promise<void>;
}

/**
 * A real OpenID provider (`oidc-provider`) on 127.0.0.1 and an ephemeral port, with one confidential
 * client whose redirect URI is the app's callback. PKCE is required of every client. Its login and
 * consent pages are replaced by an interaction that signs in the account the test names, through the
 * provider's own interaction API (`interactionDetails`, a `Grant`, `interactionFinished`).
 */
export async function startOpenIdProvider(redirectUri: string): Promise<TestOpenIdProvider> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accounts = new Map<string, ProviderAccount>();
  const clientId = 'rentlog';
  const clientSecret = 'test-client-secret-of-some-length';
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const Provider = await quietly(async () => (await import('oidc-provider')).default);
  const provider: ProviderType = await quietly(
    async () =>
      new Provider(issuer, {
        clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri] }],
        jwks: { keys: [{ ...signingKey, kid: 'test-key', use: 'sig', alg: 'RS256' }] },
        pkce: { required: () => true },
        claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
        findAccount: (_ctx, sub) => {
          const account = accounts.get(sub);
          return account && { accountId: sub, claims: () => ({ ...account }) };
        },
        features: { devInteractions: { enabled: false } },
        ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
        cookies: { keys: ['test-cookie-key-for-the-provider'] },
      }),
  );
  const handle = provider.callback();
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', issuer);
    if (!url.pathname.startsWith('/interaction/')) return void handle(req, res);
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      const accountId = url.searchParams.get('login') ?? '';
      const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope));
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
    })().catch((error: Error) => {
      res.statusCode = 500;
      res.end(error.message);
    });
  });
  return {
    issuer,
    clientId,
    clientSecret,
    account: (account) => void accounts.set(account.sub, account),
    async signIn(authorizationUrl, sub) {
      const cookies = new Map<string, string>();
      let next = new URL(authorizationUrl);
      for (let hop = 0; hop < 10; hop++) {
        if (next.href.startsWith(redirectUri)) return next;
        if (next.pathname.startsWith('/interaction/')) next.searchParams.set('login', sub);
        const res = await fetch(next, {
          redirect: 'manual',
          headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
        });
        for (const cookie of res.headers.getSetCookie()) {
          const [pair] = cookie.split(';');
          cookies.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
        }
        const location = res.headers.get('location');
        if (res.status < 300 || res.status >= 400 || !location)
          throw new Error(`The provider answered ${res.status} at ${next.pathname}: ${await res.text()}`);
        next = new URL(location, next);
      }
      throw new Error('The provider did not redirect back to the callback');
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}
