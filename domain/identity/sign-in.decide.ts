import { assertNever } from '../shared/domain-error.js';
import type { LockoutPolicy, SignInCommand } from './sign-in.commands.js';
import type { SignInEvent } from './sign-in.events.js';
import { lockOf, type SignInState } from './sign-in.state.js';

export function decideSignIn(command: SignInCommand, state: SignInState): SignInEvent[] {
  switch (command.type) {
    case 'RecordSignInFailure': {
      const { userId, ipAddress, policy, now } = command.data;
      // An attempt while locked was refused before its password was looked at: it counts for nothing.
      if (lockOf(state, now)) return [];
      const failures = state.failures + 1;
      const failed: SignInEvent = { type: 'SignInFailed', data: { userId, ipAddress, failures, failedAt: now } };
      if (failures < policy.threshold) return [failed];
      const lockedUntil =
        failures >= policy.maxFailures
          ? null
          : new Date(Date.parse(now) + lockSeconds(policy, failures) * 1000).toISOString();
      return [failed, { type: 'SignInLockedOut', data: { userId, ipAddress, failures, lockedUntil, lockedAt: now } }];
    }
    case 'ClearSignInFailures':
      if (state.failures === 0 && state.lockedUntil === null) return [];
      return [
        {
          type: 'SignInFailuresCleared',
          data: { userId: command.data.userId, reason: command.data.reason, clearedAt: command.data.now },
        },
      ];
    default:
      return assertNever(command, 'sign-in command');
  }
}

/** The lockout after the n-th consecutive failure: doubling from the first, up to the longest. */
export function lockSeconds(policy: LockoutPolicy, failures: number): number {
  const doublings = Math.min(failures - policy.threshold, 30);
  return Math.min(policy.lockSeconds * 2 ** doublings, policy.maxLockSeconds);
}
