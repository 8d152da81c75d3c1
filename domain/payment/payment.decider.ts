import type { Decider } from '../shared/decider.js';
import type { PaymentCommand } from './payment.commands.js';
import { decidePayment } from './payment.decide.js';
import { paymentStream, type PaymentEvent } from './payment.events.js';
import { evolvePayment, initialPaymentState, type PaymentState } from './payment.state.js';

export const paymentDecider: Decider<PaymentCommand, PaymentEvent, PaymentState> = {
  streamOf: paymentStream,
  initialState: initialPaymentState,
  evolve: evolvePayment,
  decide: decidePayment,
};
