import { DomainError } from './domain-error.js';
import { MoneyErrors } from './shared.errors.js';

/** Integer minor units with an ISO 4217 currency. Never floating point. */
export interface Money {
  readonly amount: number;
  readonly currency: string;
}

export function money(amount: number, currency: string): Money {
  if (!Number.isSafeInteger(amount))
    throw new DomainError(MoneyErrors.invalid, `Amount ${amount} is not an integer number of minor units`);
  return { amount, currency };
}

/** A non-negative amount in the deployment's currency. */
export function assertPrice(value: Money, currency: string, field: string): void {
  if (value.currency !== currency) {
    throw new DomainError(
      MoneyErrors.currency,
      `${field}: currency ${value.currency} is not accepted; this shop works in ${currency}`,
      [{ field, message: `currency must be ${currency}` }],
    );
  }
  if (!Number.isSafeInteger(value.amount) || value.amount < 0) {
    throw new DomainError(MoneyErrors.invalid, `${field}: amount must be a non-negative integer in minor units`, [
      { field, message: 'amount must be a non-negative integer' },
    ]);
  }
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amount + b.amount, a.currency);
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amount - b.amount, a.currency);
}

export function multiply(a: Money, factor: number): Money {
  if (!Number.isSafeInteger(factor)) throw new DomainError(MoneyErrors.invalid, `Factor ${factor} must be an integer`);
  return money(a.amount * factor, a.currency);
}

export function equals(a: Money, b: Money): boolean {
  return a.amount === b.amount && a.currency === b.currency;
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency)
    throw new DomainError(MoneyErrors.currency, `Cannot combine ${a.currency} with ${b.currency}`);
}
