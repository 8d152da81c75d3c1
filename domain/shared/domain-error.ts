/** What kind of rule broke: the input makes no sense, the thing is missing, or the current state forbids it. */
export type DomainErrorKind = 'invalid' | 'not_found' | 'conflict';

/**
 * A broken business rule: a stable code the API maps to a problem response in one place,
 * a human detail, optional per-field or per-item problems, and its kind (default: conflict).
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    detail: string,
    readonly errors?: ReadonlyArray<Record<string, unknown>>,
    readonly kind: DomainErrorKind = 'conflict',
  ) {
    super(detail);
    this.name = 'DomainError';
  }
}

export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
}
