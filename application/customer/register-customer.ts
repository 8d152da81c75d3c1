import { customerDecider, customerEmailClaimDecider } from '../../domain/customer/customer.decider.js';
import type { RegisterCustomer } from '../../domain/customer/customer.commands.js';
import { normaliseEmail } from '../../domain/identity/user-email.js';
import type { BlindIndex } from '../ports/blind-index.port.js';
import { claimUnique } from '../shared/claim-unique.js';
import type { CommandContext } from '../shared/command-context.js';
import type { CommandPath } from '../shared/command-path.js';

export type NewCustomer = Omit<RegisterCustomer['data'], 'customerId' | 'now'>;

/**
 * Registers a customer record (staff do it, and so does a self-registering user): its email is claimed
 * first (a keyed hash of it), so two records never share one. Answers the id it was registered under
 * (a claim left by a crash is re-used, with its id).
 */
export async function registerCustomer(
  deps: { path: CommandPath; index: BlindIndex; newId: string; now: string },
  input: NewCustomer,
  ctx: CommandContext,
): Promise<{ customerId: string; position: bigint; revision: bigint }> {
  const command = (customerId: string): RegisterCustomer => ({
    type: 'RegisterCustomer',
    data: { ...input, customerId, now: deps.now },
  });
  customerDecider.decide(command('validation'), customerDecider.initialState()); // an invalid record claims nothing
  const key = deps.index.of('customer-email', normaliseEmail(input.email));
  const customerId = await claimUnique(
    deps.path,
    customerEmailClaimDecider,
    key,
    { newId: deps.newId, decider: customerDecider },
    ctx,
  );
  const result = await deps.path.handle(customerDecider, customerId, command(customerId), ctx);
  return { customerId, position: result.position!, revision: result.revision! };
}
