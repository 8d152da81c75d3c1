export const CustomerErrors = {
  alreadyRegistered: 'CUSTOMER_ALREADY_REGISTERED',
  notFound: 'CUSTOMER_NOT_FOUND',
  invalid: 'CUSTOMER_INVALID',
  documentNotFound: 'CUSTOMER_DOCUMENT_NOT_FOUND',
} as const;

export type CustomerErrorCode = (typeof CustomerErrors)[keyof typeof CustomerErrors];
