import { Inject, Injectable } from '@nestjs/common';
import { sessionDecider } from '../../domain/identity/session.decider.js';
import type { RegisteredUser } from '../../domain/identity/user.state.js';
import { BLIND_INDEX, type BlindIndex } from '../ports/blind-index.port.js';
import { PROJECTIONS, type Projections } from '../ports/projections.port.js';
import { TOKENS, type Tokens } from '../ports/tokens.port.js';
import type { CommandContext } from '../shared/command-context.js';
import { CommandPath } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { accessApplied } from './access-applied.js';
import { asUser, mintRefreshToken, tokenPair, type TokenPair } from './session-tokens.js';

/** The device a session is started from: shown in the user's session list. */
export interface Device {
  userAgent: string | null;
  ipAddress: string | null;
}

/**
 * The device of a sign-in as a keyed hash, per user (the same user agent of two users gives two keys):
 * what the new-device notice compares, in the session's event, without the user agent in the clear.
 */
export const deviceKeyOf = (index: BlindIndex, userId: string, device: Device): string =>
  index.of('session-device', `${userId}\n${device.userAgent ?? ''}`);

/**
 * What every way of signing in ends with, once it knows the user (a password, an external identity):
 * a new session (its own stream, with the device) and its first refresh token, with an access token
 * for it. It answers once the access read model has the session, so the token works at once in every
 * api process.
 */
@Injectable()
export class SignIn {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    @Inject(TOKENS) private readonly tokens: Tokens,
    @Inject(PROJECTIONS) private readonly projections: Projections,
    @Inject(BLIND_INDEX) private readonly index: BlindIndex,
  ) {}

  async startSession(user: RegisteredUser, device: Device, ctx: CommandContext): Promise<TokenPair> {
    const { settings } = this.deps;
    const now = this.deps.clock.now();
    const sessionId = this.deps.ids.uuid();
    const { token, issued } = mintRefreshToken(sessionId, this.deps.ids.uuid(), now, settings.refreshTokenTtlSeconds);
    const started = await this.path.handle(
      sessionDecider,
      sessionId,
      {
        type: 'StartSession',
        data: {
          sessionId,
          userId: user.userId,
          tokenVersion: user.tokenVersion,
          token: issued,
          absoluteExpiresAt: new Date(now.getTime() + settings.sessionMaxAgeSeconds * 1000).toISOString(),
          ...device,
          deviceKey: deviceKeyOf(this.index, user.userId, device),
          now: now.toISOString(),
        },
      },
      asUser(ctx, user),
    );
    await accessApplied(this.projections, started.position, settings.readWaitTimeoutMs, this.deps.logger);
    return tokenPair(this.tokens, user, sessionId, token);
  }
}
