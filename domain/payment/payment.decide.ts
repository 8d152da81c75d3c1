import { assertNever } from '../shared/domain-error.js';
import type { PaymentCommand } from './payment.commands.js';
import type { PaymentEvent } from './payment.events.js';
import { recordAuthorization, recordCapturedTotal, recordFailure, recordRefundedTotal } from './payment.outcomes.js';
import { capture, refund, request, requireExisting } from './payment.rules.js';
import type { PaymentState } from './payment.state.js';

/**
 * The payment decider. Commands from staff and customers (payment.rules.ts) refuse what the state
 * does not allow; outcomes reported by the provider (payment.outcomes.ts) that already happened
 * decide nothing, so that a redelivered webhook, or a webhook racing the provider's synchronous
 * answer, is harmless.
 */
export function decidePayment(command: PaymentCommand, state: PaymentState): PaymentEvent[] {
  switch (command.type) {
    case 'RequestPayment':
      return request(command, state);
    case 'CapturePayment':
      return capture(command, state);
    case 'RefundPayment':
      return refund(command, state);
    case 'RecordAuthorization':
      return recordAuthorization(command, requireExisting(state));
    case 'RecordFailure':
      return recordFailure(command, requireExisting(state));
    case 'RecordCapturedTotal':
      return recordCapturedTotal(command, requireExisting(state));
    case 'RecordRefundedTotal':
      return recordRefundedTotal(command, requireExisting(state));
    default:
      return assertNever(command, 'payment command');
  }
}
