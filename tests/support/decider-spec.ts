import { DomainError } from '../../domain/shared/domain-error.js';

export interface Decider<C, E, S> {
  decide(command: C, state: S): E[];
  evolve(state: S, event: E): S;
  initialState(): S;
}

/**
 * Given/when/then for pure deciders (after Emmett's DeciderSpecification):
 * `spec.given([events]).when(command).then([events])` or `.thenThrows('ERROR_CODE')`.
 */
export function deciderSpec<C, E, S>(decider: Decider<C, E, S>) {
  return {
    given(events: E[]) {
      return {
        when(command: C) {
          const run = (): E[] => decider.decide(command, events.reduce(decider.evolve, decider.initialState()));
          return {
            then(expected: E[]): void {
              expect(run()).toEqual(expected);
            },
            thenThrows(code: string): void {
              let thrown: unknown;
              try {
                run();
              } catch (error) {
                thrown = error;
              }
              expect(thrown).toBeInstanceOf(DomainError);
              expect((thrown as DomainError).code).toBe(code);
            },
          };
        },
      };
    },
  };
}
