import { paymentDecider } from '../../domain/payment/payment.decider.js';
import { paymentEventTypes, type PaymentEvent } from '../../domain/payment/payment.events.js';
import type { PaymentState } from '../../domain/payment/payment.state.js';
import { systemContext } from '../shared/command-context.js';
import type { Workflow } from '../shared/workflow.js';
import { RecordOrderPaymentCommand } from './record-order-payment.command.js';

/**
 * Every change of a payment, brought onto its order. The payment handlers do it at once; this mends a
 * crash in between, and records what the provider's webhooks bring. The state of an instance is the
 * payment, folded with the payment decider's own `evolve`.
 */
export const orderPaymentsWorkflow: Workflow<PaymentEvent, PaymentState> = {
  name: 'order-payments',
  inputs: paymentEventTypes,
  instanceOf: (event) => event.data.paymentId,
  initialState: paymentDecider.initialState,
  evolve: (state, event) => paymentDecider.evolve(state, event),
  decide: (event, payment) =>
    payment.status === 'none'
      ? []
      : [
          new RecordOrderPaymentCommand(
            payment,
            { eventId: event.id, revision: event.revision },
            systemContext(event.metadata.correlationId, event.id),
          ),
        ],
};
