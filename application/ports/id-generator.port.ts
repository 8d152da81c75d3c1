export const ID_GENERATOR = Symbol('IdGenerator');

export interface IdGenerator {
  /** A new random UUID (v4). */
  uuid(): string;
}
