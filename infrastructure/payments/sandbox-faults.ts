import { PaymentGatewayError } from '../../application/ports/payment-gateway.port.js';

export type SandboxOperation = 'authorize' | 'capture' | 'refund' | 'status';
export type SandboxFault = PaymentGatewayError['kind'];

export interface SandboxCall {
  operation: SandboxOperation;
  paymentId: string;
  idempotencyKey?: string;
  /** The failure answered instead of the result, or null. */
  fault: SandboxFault | null;
}

const messages: Record<SandboxFault, string> = {
  timeout: 'the sandbox provider did not answer in time',
  unavailable: 'the sandbox provider answered 503 Service Unavailable',
  server_error: 'the sandbox provider answered 500 Internal Server Error',
};

/**
 * Failures the sandbox answers, for tests only: the composition root never makes one from
 * configuration, so no deployment can turn them on. Queued per operation (`fail`), or answered to
 * every call until cleared (`failAlways`). A `timeout` on a capture or refund is the worst case: the
 * provider did it and the answer was lost, so only the idempotency key keeps a retry from doing it twice.
 * Every call is logged in `calls`.
 */
export class SandboxFaults {
  readonly calls: SandboxCall[] = [];
  private readonly queued = new Map<SandboxOperation, SandboxFault[]>();
  private readonly always = new Map<SandboxOperation, SandboxFault>();

  fail(operation: SandboxOperation, ...faults: SandboxFault[]): this {
    this.queued.set(operation, [...(this.queued.get(operation) ?? []), ...faults]);
    return this;
  }

  failAlways(operation: SandboxOperation, fault: SandboxFault): this {
    this.always.set(operation, fault);
    return this;
  }

  clear(): void {
    this.queued.clear();
    this.always.clear();
    this.calls.length = 0;
  }

  /** The fault for this call (logged with it), or null. */
  take(call: Omit<SandboxCall, 'fault'>): SandboxFault | null {
    const fault = this.queued.get(call.operation)?.shift() ?? this.always.get(call.operation) ?? null;
    this.calls.push({ ...call, fault });
    return fault;
  }
}

export const faultError = (fault: SandboxFault): PaymentGatewayError => new PaymentGatewayError(fault, messages[fault]);
