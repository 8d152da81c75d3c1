import type { Command } from '@nestjs/cqrs';
import type { EventStore, Recorded, RecordedEvent } from '../../application/ports/event-store.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import type { Doc, DocWrite, ReadStore } from '../../application/ports/read-store.port.js';
import { ConcurrencyError } from '../../application/shared/application.errors.js';
import { logContext } from '../../application/shared/log-context.js';
import type { Workflow } from '../../application/shared/workflow.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { DurableSubscriber } from './durable-subscriber.js';

/** Where a workflow keeps its instances' states: `wf_<name>` (one document per instance). */
export const workflowCollection = (name: string): string => `wf_${name.replace(/[^A-Za-z0-9]/g, '_')}`;

export interface WorkflowRunnerOptions<E extends { type: string; data: unknown }, S> {
  workflow: Workflow<E, S>;
  events: EventStore;
  store: ReadStore;
  logger: Logger;
  /** Sends a command (the command bus). */
  send: (command: Command<unknown>) => Promise<unknown>;
  park?: (event: RecordedEvent, error: Error) => Promise<void>;
  batchSize?: number;
  maxBackoffMs?: number;
}

interface InstanceDoc extends Doc {
  state: unknown;
  _position: string;
}

/**
 * Runs a workflow on the durable subscriber. Per batch: each input event is folded into its instance's
 * state, its commands are sent in order, and the states are committed with the checkpoint (so the
 * checkpoint moves per batch, and a crash re-delivers at most the batch in hand: commands are
 * idempotent). A command the domain refuses parks the event (it would be refused again for ever);
 * any other failure retries the batch with backoff.
 */
export class WorkflowRunner<E extends { type: string; data: unknown }, S> extends DurableSubscriber {
  constructor(options: WorkflowRunnerOptions<E, S>) {
    const { workflow, store } = options;
    const collection = workflowCollection(workflow.name);
    const inputs = new Set<string>(workflow.inputs);
    super({
      checkpoint: `workflow:${workflow.name}`,
      events: options.events,
      store,
      logger: options.logger,
      batchSize: options.batchSize ?? 100,
      maxBackoffMs: options.maxBackoffMs,
      park: options.park,
      prepare: () => store.ensureCollection({ name: collection }),
      handle: async (batch, park): Promise<DocWrite[]> => {
        const relevant = batch.filter((e) => inputs.has(e.type)) as unknown as Array<Recorded<E>>;
        if (relevant.length === 0) return [];
        const ids = [...new Set(relevant.map((e) => workflow.instanceOf(e)))];
        const docs = new Map((await store.collection<InstanceDoc>(collection).findByIds(ids)).map((d) => [d._id, d]));
        const changed = new Set<string>();
        for (const event of relevant) {
          const id = workflow.instanceOf(event);
          const doc = docs.get(id);
          if (doc && BigInt(doc._position) >= event.position) continue; // folded already
          const state = workflow.evolve(doc ? (doc.state as S) : workflow.initialState(), event);
          for (const command of workflow.decide(event, state)) {
            try {
              await logContext.run(
                { workflow: workflow.name, correlationId: event.metadata.correlationId, causationId: event.id },
                () => options.send(command),
              );
            } catch (error) {
              if (!(error instanceof DomainError) || error instanceof ConcurrencyError) throw error;
              await park(event as unknown as RecordedEvent, error);
            }
          }
          docs.set(id, { _id: id, state, _position: String(event.position) });
          changed.add(id);
        }
        return [...changed].map((id) => ({ collection, id, doc: docs.get(id)! }));
      },
    });
  }
}
