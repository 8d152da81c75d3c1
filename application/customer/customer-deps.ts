import type { RegisterCustomer } from '../../domain/customer/customer.commands.js';
import { decideCustomer } from '../../domain/customer/customer.decide.js';
import { customerStream, type CustomerEvent } from '../../domain/customer/customer.events.js';
import { evolveCustomer, initialCustomerState, type CustomerState } from '../../domain/customer/customer.state.js';
import type { CommandContext } from '../shared/command-context.js';
import { decideAndAppend, type EventSourcingDeps, type Evolver } from '../shared/event-sourcing.js';

export const customerEvolver: Evolver<CustomerState, CustomerEvent> = { initialState: initialCustomerState, evolve: evolveCustomer };

export type NewCustomer = Omit<RegisterCustomer['data'], 'now'>;

/** Registers a customer record (staff do it, and so does a self-registering user). */
export async function registerCustomer(deps: EventSourcingDeps, input: NewCustomer, ctx: CommandContext) {
  const command: RegisterCustomer = { type: 'RegisterCustomer', data: { ...input, now: deps.clock.now().toISOString() } };
  const result = await decideAndAppend(deps, customerStream(input.customerId), customerEvolver, (state) => decideCustomer(command, state), { ...ctx, expectedRevision: undefined });
  return { customerId: input.customerId, position: result.position!, revision: result.revision! };
}
