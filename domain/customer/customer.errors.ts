export const CustomerErrors = {
  alreadyRegistered: 'CUSTOMER_ALREADY_REGISTERED',
  notFound: 'CUSTOMER_NOT_FOUND',
  invalid: 'CUSTOMER_INVALID',
} as const;

export type CustomerErrorCode = (typeof CustomerErrors)[keyof typeof CustomerErrors];
