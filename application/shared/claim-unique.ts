import type { Decider, DomainEvent } from '../../domain/shared/decider.js';
import type { ClaimState, ClaimUniqueValue, UniqueValueClaimed } from '../../domain/shared/unique-claim.js';
import type { CommandContext } from './command-context.js';
import type { CommandPath } from './command-path.js';

/**
 * Claims a unique value (its claim stream's `key`) for a new owner, and answers the owner id to
 * register under. A claim whose owner was never registered (a crash between the claim and the owner's
 * first event) is re-used: the retried registration becomes that owner. Anyone else's claim throws
 * the claim decider's "taken" error.
 */
export async function claimUnique(
  path: CommandPath,
  claim: Decider<ClaimUniqueValue, UniqueValueClaimed, ClaimState>,
  key: string,
  owner: { newId: string; decider: Decider<unknown, DomainEvent, unknown> },
  ctx: CommandContext,
): Promise<string> {
  const loaded = await path.load(claim, key);
  const holder = loaded.state.claimedBy;
  const ownerId = holder !== null && !(await path.exists(owner.decider, holder)) ? holder : owner.newId;
  await path.handle(claim, key, { type: 'ClaimUniqueValue', data: { ownerId } }, ctx, { loaded });
  return ownerId;
}
