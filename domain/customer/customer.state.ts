import { assertNever } from '../shared/domain-error.js';
import type { CustomerEvent } from './customer.events.js';

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
    };

export const initialCustomerState = (): CustomerState => ({ status: 'unregistered' });

export function evolveCustomer(_state: CustomerState, event: CustomerEvent): CustomerState {
  switch (event.type) {
    case 'CustomerRegistered': {
      const { registeredAt: _at, ...facts } = event.data;
      return { status: 'registered', ...facts };
    }
    default:
      return assertNever(event.type, 'customer event');
  }
}
