import { Inject, Injectable } from '@nestjs/common';
import { CoreDeps } from '../shared/core-deps.js';
import type { PaymentCommand } from '../../domain/payment/payment.commands.js';
import { decidePayment } from '../../domain/payment/payment.decide.js';
import { paymentStream, type PaymentEvent } from '../../domain/payment/payment.events.js';
import { requireExisting } from '../../domain/payment/payment.rules.js';
import { evolvePayment, initialPaymentState, type Payment, type PaymentState } from '../../domain/payment/payment.state.js';
import { PreconditionFailedError } from '../shared/application.errors.js';
import { PAYMENT_GATEWAY, type PaymentGateway } from '../ports/payment-gateway.port.js';
import type { CommandContext } from '../shared/command-context.js';
import { decideAndAppend, loadStream, type Evolver } from '../shared/event-sourcing.js';

export const paymentEvolver: Evolver<PaymentState, PaymentEvent> = { initialState: initialPaymentState, evolve: evolvePayment };

export interface PaymentResult {
  state: Payment;
  events: PaymentEvent[];
  revision: bigint;
  position: bigint;
}

/** What every payment handler needs, injected once. */
@Injectable()
export class PaymentDeps extends CoreDeps {
  /** The one port beyond CoreDeps' (property injection keeps CoreDeps' constructor as it is). */
  @Inject(PAYMENT_GATEWAY) readonly gateway!: PaymentGateway;

  /** Decides one command on the payment's stream and appends what it decided (nothing for a repeated outcome). */
  async run(paymentId: string, command: PaymentCommand, ctx: CommandContext): Promise<PaymentResult> {
    const result = await decideAndAppend(this, paymentStream(paymentId), paymentEvolver, (state) => decidePayment(command, state), ctx);
    return { state: requireExisting(result.state), events: result.events, revision: result.revision!, position: result.position! };
  }

  /**
   * The payment as it stands, for a dry run before the provider is asked to move money; honours
   * `If-Match` here, since afterwards what the provider did must be recorded whatever moved.
   */
  async load(paymentId: string, ctx: CommandContext): Promise<Payment> {
    const loaded = await loadStream(this.store, paymentStream(paymentId), paymentEvolver);
    if (ctx.expectedRevision !== undefined && loaded.revision !== ctx.expectedRevision) {
      throw new PreconditionFailedError(paymentStream(paymentId), ctx.expectedRevision, loaded.revision);
    }
    return requireExisting(loaded.state);
  }
}

/** The context for appending after the provider acted: no `If-Match` pin (it was checked before). */
export const unpinned = (ctx: CommandContext): CommandContext => ({ ...ctx, expectedRevision: undefined });
