import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { IdentityErrors } from '../../domain/identity/identity.errors.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { AuthorizationChecks } from '../ports/oidc.port.js';
import { READ_STORE, type CollectionSpec, type Doc, type ReadStore } from '../ports/read-store.port.js';
import { CoreDeps } from '../shared/core-deps.js';

/** Where sign-ins started at an OpenID provider wait for their callback (the read store, shared by every api process). */
export const OIDC_STATES: CollectionSpec = { name: 'sys_oidc_states', indexes: [{ fields: { expiresAt: 1 } }] };

/** A started sign-in, under `pending:<sha256 of its state>`; the state itself is not kept. */
interface PendingDoc extends Doc {
  kind: 'pending';
  provider: string;
  nonce: string;
  codeVerifier: string;
  createdAt: string;
  expiresAt: string;
}

/** A state that came back once, under `spent:<sha256>`: of two callbacks racing with it, one wins. */
interface SpentDoc extends Doc {
  kind: 'spent';
  expiresAt: string;
}

const random = (): string => randomBytes(32).toString('base64url');
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * The state, nonce and PKCE verifier of each authorization request, kept on the server from its start
 * to its callback: single use, expiring (OIDC_STATE_TTL_SECONDS), bound to the provider it was sent
 * to. A state that is unknown, expired, another provider's or spent is refused and changes nothing.
 */
@Injectable()
export class OidcStates implements OnModuleInit {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    private readonly deps: CoreDeps,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.store.ensureCollection(OIDC_STATES);
  }

  /** The unguessable values of a new request (256 bits each), not kept yet. */
  fresh(): AuthorizationChecks {
    return { state: random(), nonce: random(), codeVerifier: random() };
  }

  /** Keeps a request's checks until its callback, or until they expire. */
  async keep(provider: string, checks: AuthorizationChecks): Promise<void> {
    const now = this.deps.clock.now();
    const expiresAt = new Date(now.getTime() + this.deps.settings.oidcStateTtlSeconds * 1000).toISOString();
    await this.docs().put({
      _id: `pending:${sha256(checks.state)}`,
      kind: 'pending',
      provider,
      nonce: checks.nonce,
      codeVerifier: checks.codeVerifier,
      createdAt: now.toISOString(),
      expiresAt,
    });
  }

  /** The checks of the request this state belongs to, handed out once; else OIDC_STATE_INVALID. */
  async take(provider: string, state: string | null): Promise<AuthorizationChecks> {
    const key = state ? sha256(state) : null;
    const pending = key ? await this.docs().findById(`pending:${key}`) : null;
    const now = this.deps.now();
    if (!state || !key || pending?.kind !== 'pending' || pending.provider !== provider || pending.expiresAt <= now) {
      this.deps.logger.info('OpenID callback refused: unknown, expired or spent state', { provider });
      throw invalidState();
    }
    if (!(await this.docs().insertIfAbsent({ _id: `spent:${key}`, kind: 'spent', expiresAt: pending.expiresAt }))) {
      this.deps.logger.warn('OpenID callback refused: its state was used by another callback', { provider });
      throw invalidState();
    }
    await this.docs().delete(pending._id);
    return { state, nonce: pending.nonce, codeVerifier: pending.codeVerifier };
  }

  /** Forgets what has expired (a sign-in never finished, a spent state past its lifetime). */
  async purgeExpired(): Promise<number> {
    await this.store.ensureCollection(OIDC_STATES);
    let purged = 0;
    for (;;) {
      const expired = await this.docs().find({ expiresAt: { $lt: this.deps.now() } }, { limit: 500 });
      for (const doc of expired) await this.docs().delete(doc._id);
      purged += expired.length;
      if (expired.length < 500) return purged;
    }
  }

  private docs() {
    return this.store.collection<PendingDoc | SpentDoc>(OIDC_STATES.name);
  }
}

const invalidState = () =>
  new DomainError(IdentityErrors.oidcStateInvalid, 'The sign-in state is unknown, expired or used; start again');
