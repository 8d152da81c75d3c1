import { Inject, Injectable } from '@nestjs/common';
import { sessionDecider } from '../../domain/identity/session.decider.js';
import { PROJECTIONS, type Projections } from '../ports/projections.port.js';
import { READ_STORE, type ReadStore } from '../ports/read-store.port.js';
import type { CommandContext } from '../shared/command-context.js';
import { CommandPath, latest } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { accessApplied } from './access-applied.js';
import { ACCESS_READ_MODEL, type SessionAccessDoc } from './access.view.js';

/**
 * Ending a user's other sessions when a credential changes (a new password, MFA turned on or off): a
 * credential that leaked stops being useful anywhere else, while the session that made the change
 * goes on. Answers once the access read model has it (so the access tokens fail at once), with the
 * latest position of `after` and the endings.
 */
@Injectable()
export class UserSessions {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(PROJECTIONS) private readonly projections: Projections,
  ) {}

  async endOthers(
    userId: string,
    keepSessionId: string,
    reason: 'password_changed' | 'mfa_changed',
    after: bigint | null,
    ctx: CommandContext,
  ): Promise<bigint | null> {
    const others = await this.store
      .collection<SessionAccessDoc>(ACCESS_READ_MODEL)
      .find({ kind: 'session', userId, active: true });
    let position = after;
    for (const session of others.filter((s) => s.sessionId !== keepSessionId)) {
      const ended = await this.path.handle(
        sessionDecider,
        session.sessionId,
        { type: 'EndSession', data: { reason, now: this.deps.now() } },
        ctx,
      );
      position = latest(position, ended.position);
    }
    await accessApplied(this.projections, position, this.deps.settings.readWaitTimeoutMs, this.deps.logger);
    return position;
  }
}
