import type { Decider } from './decider.js';
import { DomainError } from './domain-error.js';

/**
 * Uniqueness across streams (a SKU, a user's email, a customer's email): EventStoreDB has no unique
 * index, so each value is a tiny stream of its own, claimed once for an owner. The stream id is made
 * from a key the application derives from the value: the normalised SKU, or a keyed hash (HMAC) of an
 * email or of an external identity (provider and subject), so that no personal data is ever part of a stream id.
 */
export type ClaimScope = 'sku' | 'user-email' | 'customer-email' | 'external-identity';

export interface UniqueValueClaimed {
  type: 'UniqueValueClaimed';
  data: { scope: ClaimScope; ownerId: string };
}

export interface ClaimUniqueValue {
  type: 'ClaimUniqueValue';
  data: { ownerId: string };
}

export type ClaimState = { claimedBy: string | null };

const streamCategory: Record<ClaimScope, string> = {
  sku: 'sku',
  'user-email': 'useremailclaim',
  'customer-email': 'customeremailclaim',
  'external-identity': 'externalidentityclaim',
};

/** The claim decider of one scope; `taken` is the error when another owner holds the value. */
export function uniqueClaimDecider(
  scope: ClaimScope,
  taken: () => DomainError,
): Decider<ClaimUniqueValue, UniqueValueClaimed, ClaimState> {
  return {
    streamOf: (key) => `${streamCategory[scope]}-${key}`,
    initialState: () => ({ claimedBy: null }),
    evolve: (_state, event) => ({ claimedBy: event.data.ownerId }),
    decide: ({ data }, state) => {
      if (state.claimedBy === data.ownerId) return [];
      if (state.claimedBy !== null) throw taken();
      return [{ type: 'UniqueValueClaimed', data: { scope, ownerId: data.ownerId } }];
    },
  };
}
