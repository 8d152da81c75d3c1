import type { Command } from '@nestjs/cqrs';
import type { Recorded } from '../../application/ports/event-store.port.js';
import type { Workflow } from '../../application/shared/workflow.js';

/**
 * Given/when/then for workflows (after Emmett's workflow specifications): the instance's earlier
 * events, then one input event, then the commands it gives.
 */
export function workflowSpec<E extends { type: string; data: unknown }, S>(workflow: Workflow<E, S>) {
  return {
    given(events: Array<Recorded<E>>) {
      return {
        when(event: Recorded<E>) {
          const state = [...events, event].reduce(workflow.evolve, workflow.initialState());
          return {
            then(expected: Array<Command<unknown>>): void {
              expect(workflow.decide(event, state)).toEqual(expected);
            },
          };
        },
      };
    },
  };
}
