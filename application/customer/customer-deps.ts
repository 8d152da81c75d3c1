import { Inject, Injectable } from '@nestjs/common';
import type { RegisterCustomer } from '../../domain/customer/customer.commands.js';
import { decideCustomer } from '../../domain/customer/customer.decide.js';
import { customerStream, type CustomerEvent } from '../../domain/customer/customer.events.js';
import { evolveCustomer, initialCustomerState, type CustomerState } from '../../domain/customer/customer.state.js';
import { CLOCK, type Clock } from '../ports/clock.port.js';
import { EVENT_STORE, type EventStore } from '../ports/event-store.port.js';
import { ID_GENERATOR, type IdGenerator } from '../ports/id-generator.port.js';
import type { CommandContext } from '../shared/command-context.js';
import { decideAndAppend, type EventSourcingDeps, type Evolver } from '../shared/event-sourcing.js';

export const customerEvolver: Evolver<CustomerState, CustomerEvent> = { initialState: initialCustomerState, evolve: evolveCustomer };

/** What every customer command handler needs, injected once. */
@Injectable()
export class CustomerDeps implements EventSourcingDeps {
  constructor(
    @Inject(EVENT_STORE) readonly store: EventStore,
    @Inject(CLOCK) readonly clock: Clock,
    @Inject(ID_GENERATOR) readonly ids: IdGenerator,
  ) {}
}

export type NewCustomer = Omit<RegisterCustomer['data'], 'now'>;

/** Registers a customer record (staff do it, and so does a self-registering user). */
export async function registerCustomer(deps: EventSourcingDeps, input: NewCustomer, ctx: CommandContext) {
  const command: RegisterCustomer = { type: 'RegisterCustomer', data: { ...input, now: deps.clock.now().toISOString() } };
  const result = await decideAndAppend(deps, customerStream(input.customerId), customerEvolver, (state) => decideCustomer(command, state), { ...ctx, expectedRevision: undefined });
  return { customerId: input.customerId, position: result.position!, revision: result.revision! };
}
