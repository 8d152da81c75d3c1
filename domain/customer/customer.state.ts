import { assertNever } from '../shared/domain-error.js';
import { defaultPreferences, type CustomerEvent, type CustomerPreferences } from './customer.events.js';

export type CustomerState =
  | { status: 'unregistered' }
  | {
      status: 'registered';
      customerId: string;
      name: string;
      email: string;
      phone: string | null;
      address: string | null;
      userId: string | null;
      preferences: CustomerPreferences;
    }
  | { status: 'erased'; customerId: string; userId: string | null; erasedAt: string };

export const initialCustomerState = (): CustomerState => ({ status: 'unregistered' });

export function evolveCustomer(state: CustomerState, event: CustomerEvent): CustomerState {
  if (state.status === 'erased') return state; // erased for good
  switch (event.type) {
    case 'CustomerRegistered': {
      const { registeredAt: _at, ...facts } = event.data;
      return { status: 'registered', ...facts, preferences: defaultPreferences() };
    }
    case 'CustomerUpdated': {
      if (state.status !== 'registered') return state;
      const { customerId: _id, updatedAt: _at, ...changes } = event.data;
      return { ...state, ...changes };
    }
    case 'CustomerErased':
      return { status: 'erased', ...event.data };
    case 'DocumentUploaded':
      return state; // the documents are the read model's (and the blob store's), not the decider's
    default:
      return assertNever(event, 'customer event');
  }
}
