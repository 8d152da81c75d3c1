import type { LockoutPolicy, SignInCommand } from '../../../domain/identity/sign-in.commands.js';
import { lockSeconds } from '../../../domain/identity/sign-in.decide.js';
import { signInDecider } from '../../../domain/identity/sign-in.decider.js';
import type { SignInEvent } from '../../../domain/identity/sign-in.events.js';
import { lockOf } from '../../../domain/identity/sign-in.state.js';
import { deciderSpec } from '../../support/decider-spec.js';

const policy: LockoutPolicy = { threshold: 3, lockSeconds: 60, maxLockSeconds: 600, maxFailures: 6 };
const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, seconds)).toISOString();
const fail = (seconds: number): SignInCommand => ({
  type: 'RecordSignInFailure',
  data: { userId: 'u1', ipAddress: '192.0.2.1', policy, now: at(seconds) },
});
const failed = (failures: number, seconds: number): SignInEvent => ({
  type: 'SignInFailed',
  data: { userId: 'u1', ipAddress: '192.0.2.1', failures, failedAt: at(seconds) },
});
const locked = (failures: number, seconds: number, until: string | null): SignInEvent => ({
  type: 'SignInLockedOut',
  data: { userId: 'u1', ipAddress: '192.0.2.1', failures, lockedUntil: until, lockedAt: at(seconds) },
});
const fold = (events: SignInEvent[]) => events.reduce(signInDecider.evolve, signInDecider.initialState());

describe('Sign-in guard decider', () => {
  const spec = deciderSpec(signInDecider);

  it('counts failures below the threshold without locking', () => {
    spec
      .given([failed(1, 0)])
      .when(fail(1))
      .then([failed(2, 1)]);
  });

  it('locks at the threshold for the first lockout', () => {
    spec
      .given([failed(1, 0), failed(2, 1)])
      .when(fail(2))
      .then([failed(3, 2), locked(3, 2, at(62))]);
  });

  it('counts nothing while locked', () => {
    spec
      .given([failed(1, 0), failed(2, 1), failed(3, 2), locked(3, 2, at(62))])
      .when(fail(30))
      .then([]);
  });

  it('doubles the lockout after it ended, up to the longest', () => {
    const history = [failed(1, 0), failed(2, 1), failed(3, 2), locked(3, 2, at(62))];
    spec
      .given(history)
      .when(fail(62))
      .then([failed(4, 62), locked(4, 62, at(182))]);
    expect([3, 4, 5, 6, 7, 8].map((f) => lockSeconds(policy, f))).toEqual([60, 120, 240, 480, 600, 600]);
  });

  it('locks until unlocked at the ceiling of consecutive failures', () => {
    const history: SignInEvent[] = [failed(5, 0), locked(5, 0, at(240))];
    spec
      .given(history)
      .when(fail(300))
      .then([failed(6, 300), locked(6, 300, null)]);
    const state = fold([...history, failed(6, 300), locked(6, 300, null)]);
    expect(lockOf(state, '2099-01-01T00:00:00.000Z')).toEqual({ until: null });
  });

  it('clears failures and locks, and clears nothing twice', () => {
    const clear: SignInCommand = {
      type: 'ClearSignInFailures',
      data: { userId: 'u1', reason: 'unlocked', now: at(5) },
    };
    spec
      .given([failed(1, 0)])
      .when(clear)
      .then([{ type: 'SignInFailuresCleared', data: { userId: 'u1', reason: 'unlocked', clearedAt: at(5) } }]);
    spec.given([]).when(clear).then([]);
    expect(
      fold([
        failed(3, 0),
        locked(3, 0, null),
        { type: 'SignInFailuresCleared', data: { userId: 'u1', reason: 'unlocked', clearedAt: at(5) } },
      ]),
    ).toEqual(signInDecider.initialState());
  });

  it('tells a lock that ended from one that holds', () => {
    const state = fold([failed(3, 0), locked(3, 0, at(60))]);
    expect(lockOf(state, at(59))).toEqual({ until: at(60) });
    expect(lockOf(state, at(60))).toBeNull();
  });
});
