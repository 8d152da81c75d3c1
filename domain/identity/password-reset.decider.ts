import type { Decider } from '../shared/decider.js';
import { equalInConstantTime } from '../shared/constant-time.js';
import { DomainError, assertNever } from '../shared/domain-error.js';
import { IdentityErrors } from './identity.errors.js';
import type { PasswordResetCommand } from './password-reset.commands.js';
import { passwordResetStream, type PasswordResetEvent } from './password-reset.events.js';

export type PasswordResetState =
  | { status: 'none' }
  | { status: 'requested'; resetId: string; userId: string; secretHash: string; expiresAt: string; requestedAt: string }
  | { status: 'completed'; userId: string };

/** One answer for a token that is unknown, wrong, spent, expired or outdated: no hint which. */
const invalid = () =>
  new DomainError(IdentityErrors.passwordResetTokenInvalid, 'The reset link is not valid any more; ask for a new one');

function decide(command: PasswordResetCommand, state: PasswordResetState): PasswordResetEvent[] {
  switch (command.type) {
    case 'RequestPasswordReset': {
      if (state.status !== 'none') throw new DomainError(IdentityErrors.invalid, 'This reset exists already');
      const { now, ...facts } = command.data;
      return [{ type: 'PasswordResetRequested', data: { ...facts, requestedAt: now } }];
    }
    case 'CompletePasswordReset': {
      const { secretHash, passwordChangedAt, now } = command.data;
      if (state.status !== 'requested' || !equalInConstantTime(state.secretHash, secretHash)) throw invalid();
      if (Date.parse(state.expiresAt) <= Date.parse(now)) throw invalid();
      if (passwordChangedAt !== null && passwordChangedAt > state.requestedAt) throw invalid();
      return [
        { type: 'PasswordResetCompleted', data: { resetId: state.resetId, userId: state.userId, completedAt: now } },
      ];
    }
    default:
      return assertNever(command, 'password reset command');
  }
}

function evolve(state: PasswordResetState, event: PasswordResetEvent): PasswordResetState {
  switch (event.type) {
    case 'PasswordResetRequested': {
      const { resetId, userId, secretHash, expiresAt, requestedAt } = event.data;
      return { status: 'requested', resetId, userId, secretHash, expiresAt, requestedAt };
    }
    case 'PasswordResetCompleted':
      return { status: 'completed', userId: event.data.userId };
    default:
      return assertNever(event, 'password reset event');
  }
}

export const passwordResetDecider: Decider<PasswordResetCommand, PasswordResetEvent, PasswordResetState> = {
  streamOf: passwordResetStream,
  initialState: () => ({ status: 'none' }),
  evolve,
  decide,
};
