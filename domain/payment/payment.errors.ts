export const PaymentErrors = {
  alreadyRequested: 'PAYMENT_ALREADY_REQUESTED',
  notFound: 'PAYMENT_NOT_FOUND',
  invalid: 'PAYMENT_INVALID',
  /** Capture needs an authorized payment with some of its authorization left. */
  notCapturable: 'PAYMENT_NOT_CAPTURABLE',
  captureExceedsAuthorized: 'CAPTURE_EXCEEDS_AUTHORIZED',
  /** Refund needs captured money not yet refunded. */
  notRefundable: 'PAYMENT_NOT_REFUNDABLE',
  refundExceedsCaptured: 'REFUND_EXCEEDS_CAPTURED',
  /** An authorization or a decline for a payment the provider already settled the other way. */
  notPending: 'PAYMENT_NOT_PENDING',
  webhookSignatureInvalid: 'WEBHOOK_SIGNATURE_INVALID',
  providerNotFound: 'PAYMENT_PROVIDER_NOT_FOUND',
  /** The provider answered a server error on every attempt: nothing was recorded. */
  gatewayError: 'PAYMENT_GATEWAY_ERROR',
  /** The provider did not answer (timed out, refused, 503) on every attempt: nothing was recorded; retry later. */
  gatewayUnavailable: 'PAYMENT_GATEWAY_UNAVAILABLE',
} as const;

export type PaymentErrorCode = (typeof PaymentErrors)[keyof typeof PaymentErrors];
