import { IdentityErrors } from '../../domain/identity/identity.errors.js';
import { DomainError } from '../../domain/shared/domain-error.js';

export const OIDC = Symbol('Oidc');

/**
 * What one authorization request is checked against when its answer comes back: the `state` sent
 * (CSRF), the `nonce` the ID token must carry (replay), the PKCE code verifier whose S256 challenge
 * the request carried. Kept on the server until the callback, used once.
 */
export interface AuthorizationChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** What the provider vouches for about the person who signed in there. */
export interface ExternalClaims {
  /** The provider's id of the person (`sub`): stable, unique at that provider. */
  subject: string;
  email: string | null;
  /** True only when the provider says so (`email_verified: true`). */
  emailVerified: boolean;
  name: string | null;
}

/**
 * OpenID Connect relying party (authorization code flow with PKCE): the configured providers, each
 * discovered once from its issuer.
 */
export interface Oidc {
  has(provider: string): boolean;
  /** Where to send the browser: the provider's authorization endpoint with this request's state, nonce and PKCE challenge (S256). */
  authorizationUrl(provider: string, checks: AuthorizationChecks): Promise<string>;
  /**
   * The callback's parameters (`code`, `state`, `iss`, or the provider's `error`) checked and the code
   * exchanged with the verifier; the ID token's signature, issuer, audience, expiry and nonce verified.
   * Throws OidcCodeError when that fails, OidcUnavailableError when the provider cannot be reached.
   */
  exchange(provider: string, callback: URLSearchParams, checks: AuthorizationChecks): Promise<ExternalClaims>;
}

/** The provider answered an error instead of a code, or the code did not give verified claims. */
export class OidcCodeError extends DomainError {
  constructor(detail: string) {
    super(IdentityErrors.oidcCodeInvalid, detail);
    this.name = 'OidcCodeError';
  }
}

/** The provider could not be reached, or answered with a server error. */
export class OidcUnavailableError extends DomainError {
  constructor(detail: string) {
    super(IdentityErrors.oidcProviderUnavailable, detail);
    this.name = 'OidcUnavailableError';
  }
}
