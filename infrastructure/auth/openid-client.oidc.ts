import * as client from 'openid-client';
import type { Logger } from '../../application/ports/logger.port.js';
import {
  OidcCodeError,
  OidcUnavailableError,
  type AuthorizationChecks,
  type ExternalClaims,
  type Oidc,
} from '../../application/ports/oidc.port.js';

export interface OidcProviderSettings {
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Space-separated, `openid` among them. */
  scopes: string;
  /** This API's callback for the provider, as registered there. */
  redirectUri: string;
}

/**
 * The relying party on `openid-client`: each provider is discovered once (from its issuer; a failed
 * discovery is tried again on the next request), the client authenticates with client_secret_basic,
 * the authorization request carries a PKCE S256 challenge, state and nonce, and the callback is
 * validated by openid-client (state, `iss`, the code exchanged with the verifier, the ID token's
 * signature, issuer, audience, expiry and nonce). The email and name come from the userinfo endpoint
 * when the provider has one (its `sub` must be the ID token's), else from the ID token.
 */
export class OpenIdClientOidc implements Oidc {
  private readonly providers: Map<string, OidcProviderSettings>;
  private readonly discovered = new Map<string, Promise<client.Configuration>>();

  constructor(
    providers: OidcProviderSettings[],
    private readonly logger: Logger,
    private readonly timeoutSeconds = 10,
  ) {
    this.providers = new Map(providers.map((p) => [p.name, p]));
  }

  has(provider: string): boolean {
    return this.providers.has(provider);
  }

  async authorizationUrl(provider: string, checks: AuthorizationChecks): Promise<string> {
    const settings = this.settings(provider);
    const config = await this.configuration(settings);
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: settings.redirectUri,
      scope: settings.scopes,
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
      state: checks.state,
      nonce: checks.nonce,
    });
    return url.href;
  }

  async exchange(provider: string, callback: URLSearchParams, checks: AuthorizationChecks): Promise<ExternalClaims> {
    const settings = this.settings(provider);
    const config = await this.configuration(settings);
    const current = new URL(settings.redirectUri);
    current.search = callback.toString();
    try {
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
      const id = tokens.claims()!;
      const info =
        config.serverMetadata().userinfo_endpoint && tokens.access_token
          ? await client.fetchUserInfo(config, tokens.access_token, id.sub)
          : undefined;
      const source = info && typeof info.email === 'string' ? info : id;
      const name = info?.name ?? id.name;
      return {
        subject: id.sub,
        email: typeof source.email === 'string' ? source.email : null,
        emailVerified: source.email_verified === true,
        name: typeof name === 'string' ? name : null,
      };
    } catch (error) {
      throw this.failure(provider, error);
    }
  }

  private settings(provider: string): OidcProviderSettings {
    const settings = this.providers.get(provider);
    if (!settings) throw new Error(`No OpenID provider ${provider} is configured`);
    return settings;
  }

  private async configuration(settings: OidcProviderSettings): Promise<client.Configuration> {
    let pending = this.discovered.get(settings.name);
    if (!pending) {
      const issuer = new URL(settings.issuer);
      pending = client.discovery(
        issuer,
        settings.clientId,
        { client_secret: settings.clientSecret },
        client.ClientSecretBasic(settings.clientSecret),
        {
          timeout: this.timeoutSeconds,
          // http is allowed by configuration for loopback issuers outside production only.
          execute: issuer.protocol === 'http:' ? [client.allowInsecureRequests] : [],
        },
      );
      this.discovered.set(settings.name, pending);
    }
    try {
      return await pending;
    } catch (error) {
      if (this.discovered.get(settings.name) === pending) this.discovered.delete(settings.name);
      this.logger.warn('OpenID provider discovery failed', { provider: settings.name, error: describe(error) });
      throw new OidcUnavailableError(`The identity provider ${settings.name} cannot be reached; try again later`);
    }
  }

  /** A provider that is down (network, timeout, 5xx) or a code that does not check out. */
  private failure(provider: string, error: unknown): Error {
    const status =
      error instanceof client.ClientError && error.cause instanceof Response ? error.cause.status : undefined;
    const unreachable =
      error instanceof TypeError ||
      (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) ||
      (status !== undefined && status >= 500);
    this.logger.info('OpenID sign-in refused', { provider, unreachable, error: describe(error) });
    if (unreachable)
      return new OidcUnavailableError(`The identity provider ${provider} cannot be reached; try again later`);
    if (error instanceof client.AuthorizationResponseError)
      return new OidcCodeError(
        /^[a-z_]{1,64}$/.test(error.error)
          ? `The identity provider answered ${error.error} instead of a code`
          : 'The identity provider answered an error instead of a code',
      );
    return new OidcCodeError('The authorization code is not valid, spent or expired; sign in again');
  }
}

/** An error as the log shows it: its class, code and message (no tokens, no claims). */
function describe(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const { code, error: oauthError } = error as { code?: unknown; error?: unknown };
  return { name: error.name, message: error.message, ...(code ? { code } : {}), ...(oauthError ? { oauthError } : {}) };
}
