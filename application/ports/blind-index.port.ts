export const BLIND_INDEX = Symbol('BlindIndex');

/**
 * Keyed hashes of personal values (a "blind index"): what a lookup by email needs, without the email
 * ever being part of a stream id. The same value gives the same key for a purpose, and nothing about
 * the value can be learnt from the key without the secret.
 */
export interface BlindIndex {
  of(purpose: string, value: string): string;
}
