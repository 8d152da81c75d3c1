/**
 * A broken business rule: a stable code the API maps to a problem response in one place,
 * a human detail, and optional per-field or per-item problems.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    detail: string,
    readonly errors?: ReadonlyArray<Record<string, unknown>>,
  ) {
    super(detail);
    this.name = 'DomainError';
  }
}

export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
}
