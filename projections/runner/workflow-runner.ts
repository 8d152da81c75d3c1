import type { LeaseToken } from '../../application/ports/lease-store.port.js';
import type { Command } from '@nestjs/cqrs';
import type { Tracer } from '@opentelemetry/api';
import type { EventStore, Recorded, RecordedEvent } from '../../application/ports/event-store.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import type { Doc, DocWrite, ReadStore } from '../../application/ports/read-store.port.js';
import { ConcurrencyError } from '../../application/shared/application.errors.js';
import {
  commandScope,
  derivedUuid,
  newCommandScope,
  type CommandScope,
} from '../../application/shared/command-scope.js';
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
  /** Tracing on: a span per input event, under which its commands run (event-spans.ts). */
  tracer?: Tracer;
  /** The workflow's lease (several workers): each commit carries its token (see DurableSubscriber). */
  lease?: () => LeaseToken | null;
}

interface InstanceDoc extends Doc {
  state: unknown;
  _position: string;
}

/**
 * Runs a workflow on the durable subscriber. Per batch: each input event is folded into its instance's
 * state, its commands are sent in order, and the states are committed with the checkpoint (so the
 * checkpoint moves per batch, and a crash re-delivers at most the batch in hand: commands are
 * idempotent). An event it cannot apply is parked, since it would fail again for ever: a command the
 * domain refuses, and an event the workflow or the command's handler cannot read (malformed data in
 * the log: a TypeError or RangeError). Any other failure (a store, the network) retries the batch
 * with backoff.
 */
export class WorkflowRunner<E extends { type: string; data: unknown }, S> extends DurableSubscriber {
  constructor(options: WorkflowRunnerOptions<E, S>) {
    const { workflow, store } = options;
    const collection = workflowCollection(workflow.name);
    const inputs = new Set<string>(workflow.inputs);
    super({
      checkpoint: `workflow:${workflow.name}`,
      events: options.events,
      types: inputs,
      store,
      logger: options.logger,
      batchSize: options.batchSize ?? 100,
      maxBackoffMs: options.maxBackoffMs,
      tracer: options.tracer,
      park: options.park,
      lease: options.lease,
      prepare: () => store.ensureCollection({ name: collection }),
      handle: async (batch, park, within, redelivered): Promise<DocWrite[]> => {
        const relevant = batch.filter((e) => inputs.has(e.type)) as unknown as Array<Recorded<E>>;
        if (relevant.length === 0) return [];
        const parkIt = (event: Recorded<E>, error: Error) => park(event as unknown as RecordedEvent, error);
        const instances = new Map<Recorded<E>, string>();
        for (const event of relevant) {
          try {
            instances.set(event, workflow.instanceOf(event));
          } catch (error) {
            await parkIt(event, asError(error));
          }
        }
        const ids = [...new Set(instances.values())];
        const docs = new Map((await store.collection<InstanceDoc>(collection).findByIds(ids)).map((d) => [d._id, d]));
        const changed = new Set<string>();
        for (const [event, id] of instances) {
          const doc = docs.get(id);
          if (doc && BigInt(doc._position) >= event.position) continue; // folded already
          let state: S;
          let commands: Command<unknown>[];
          try {
            state = workflow.evolve(doc ? (doc.state as S) : workflow.initialState(), event);
            commands = workflow.decide(event, state);
          } catch (error) {
            await parkIt(event, asError(error)); // pure code on the event: it would throw again
            continue;
          }
          for (const [index, command] of commands.entries()) {
            try {
              await within(event, () =>
                logContext.run(
                  { workflow: workflow.name, correlationId: event.metadata.correlationId, causationId: event.id },
                  () =>
                    commandScope.run(workflowScope(workflow.name, event.id, index, redelivered), () =>
                      options.send(command),
                    ),
                ),
              );
            } catch (error) {
              if (!cannotApply(error)) throw error;
              await parkIt(event, asError(error));
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

/**
 * The command scope of a workflow's command: its event ids (and new ids) derive from the workflow, the
 * input event and the command's index, as an Idempotency-Key's do, so the store recognises a command
 * that a crash before the checkpoint made it send twice; on a redelivered batch the command path first
 * looks for the events the earlier attempt committed.
 */
export const workflowScope = (
  workflow: string,
  eventId: string,
  index: number,
  redelivered: boolean,
): CommandScope => ({
  ...newCommandScope(),
  seed: derivedUuid('workflow', workflow, eventId, String(index)),
  retry: redelivered,
});

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/**
 * An error that will come again however often the event is retried: the domain refusing the command
 * (but not contention, which settles), or the event's data not being what the code reads (a malformed
 * event: `Cannot read properties of undefined`, `x is not iterable`). By name too: errors from another
 * realm (a VM context, a native addon) fail `instanceof`.
 */
function cannotApply(error: unknown): boolean {
  if (error instanceof ConcurrencyError) return false;
  if (error instanceof DomainError) return true;
  const name = (error as { name?: unknown } | null)?.name;
  return error instanceof TypeError || error instanceof RangeError || name === 'TypeError' || name === 'RangeError';
}
