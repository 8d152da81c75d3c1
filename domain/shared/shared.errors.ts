export const MoneyErrors = {
  invalid: 'MONEY_INVALID',
  currency: 'CURRENCY_NOT_SUPPORTED',
} as const;

export const DateErrors = {
  invalid: 'DATE_INVALID',
} as const;
