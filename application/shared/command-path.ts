import { Inject, Injectable } from '@nestjs/common';
import type { Decider, DomainEvent, Snapshotted } from '../../domain/shared/decider.js';
import { dateOf } from '../../domain/shared/date-range.js';
import { CLOCK, type Clock } from '../ports/clock.port.js';
import {
  DuplicateEventIdError,
  EVENT_STORE,
  WrongExpectedRevisionError,
  type EventStore,
  type NewEvent,
} from '../ports/event-store.port.js';
import { ID_GENERATOR, type IdGenerator } from '../ports/id-generator.port.js';
import { LOGGER, type Logger } from '../ports/logger.port.js';
import { ConcurrencyError, PreconditionFailedError } from './application.errors.js';
import type { CommandContext } from './command-context.js';
import { commandScope, derivedEventId, nextCallIndex } from './command-scope.js';
import { committedEarlier } from './committed-earlier.js';
import { inSpan } from './tracing.js';

export interface Loaded<S> {
  state: S;
  /** Revision of the stream's last event; null when the stream does not exist. */
  revision: bigint | null;
  /** Global position of the stream's last event; null when the stream does not exist. */
  position: bigint | null;
  /** Revision the state was snapshotted at, when it came from a snapshot. */
  snapshotRevision: bigint | null;
}

export interface Handled<S, E> extends Loaded<S> {
  /** What was appended: nothing when the decider decided nothing (then revision and position are the stream's). */
  events: E[];
  /** The ids the appended events were recorded under, in order. */
  eventIds: string[];
}

export interface HandleOptions<S> {
  /** The revision the client pinned with `If-Match` (of this stream): a mismatch is a 412, never retried. */
  expectedRevision?: bigint;
  /** What an earlier `load` in the same command found: the first attempt decides on it without reading again. */
  loaded?: Loaded<S>;
  /** A check of the loaded state before deciding (a customer reaches only its own order); runs on every attempt. */
  guard?: (state: S) => void;
}

const MAX_ATTEMPTS = 20;
/** Folded states kept per process (deciders with `keepFolded`), least recently loaded dropped first. */
const MAX_FOLDED = 1000;
/** Streams known to exist, per process (oldest dropped first). */
const MAX_EXISTING = 10_000;

/** A domain command's `type` (`PlaceOrder`), for its span's name. */
const typeOf = (command: unknown): string | undefined => {
  const type = typeof command === 'object' && command !== null ? (command as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? type : undefined;
};

/** A command's position: the last of everything it appended, on every stream it touched (units released, an order's payment). */
export const latest = (...positions: Array<bigint | null | undefined>): bigint =>
  positions.reduce<bigint>((max, p) => (p !== null && p !== undefined && p > max ? p : max), 0n);

/** `If-Match` checked before a command touches other streams: a 412 when the stream has moved on. */
export function assertExpectedRevision(
  streamId: string,
  loaded: Loaded<unknown>,
  expectedRevision: bigint | undefined,
): void {
  if (expectedRevision !== undefined && loaded.revision !== expectedRevision)
    throw new PreconditionFailedError(streamId, expectedRevision, loaded.revision);
}

/** `product-<id>` keeps its snapshots in `productsnapshot-<id>`. */
export const snapshotStreamOf = (streamId: string): string => streamId.replace(/^([a-z]+)-/, '$1snapshot-');

/**
 * The only way events are written (Emmett's `DeciderCommandHandler`): load the aggregate (its latest
 * snapshot and the events after it), decide with its decider, append with the revision the decision
 * was taken on. A concurrent writer makes the append fail; the decision is then taken again on the
 * fresh state (deciders are pure, so retrying is safe), unless the client pinned a revision with
 * `If-Match`, which is a 412. Snapshots are appended through here too, with the same metadata.
 */
@Injectable()
export class CommandPath {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  private readonly folded = new Map<string, Loaded<unknown>>();
  private readonly existing = new Set<string>();

  /** The aggregate as it stands, checked by `guard` (which throws when the caller may not see it). */
  async load<C, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    id: string,
    guard?: (state: S) => void,
  ): Promise<Loaded<S>> {
    const streamId = decider.streamOf(id);
    const kept = this.keptState(decider, streamId);
    if (kept) return this.loadAfter(decider, streamId, kept, guard);
    let state = decider.initialState();
    let base: { revision: bigint; position: bigint } | null = null;
    if (decider.snapshots) {
      const [latest] = await this.store.readStream(snapshotStreamOf(streamId), { direction: 'backwards', maxCount: 1 });
      const snapshot = latest?.type === 'Snapshotted' ? (latest.data as Snapshotted['data']) : undefined;
      if (snapshot?.version === decider.snapshots.version) {
        state = snapshot.state as S;
        base = { revision: BigInt(snapshot.revision), position: BigInt(snapshot.position) };
      }
    }
    const tail = await this.store.readStream(streamId, base ? { fromRevision: base.revision + 1n } : undefined);
    for (const event of tail) state = decider.evolve(state, event as unknown as E);
    const last = tail.at(-1);
    const loaded: Loaded<S> = {
      state,
      revision: last?.revision ?? base?.revision ?? null,
      position: last?.position ?? base?.position ?? null,
      snapshotRevision: base?.revision ?? null,
    };
    this.keep(decider, streamId, loaded);
    guard?.(state);
    return loaded;
  }

  /** The kept state and the events appended after it (by any process): the same state a full load gives. */
  private async loadAfter<C, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    streamId: string,
    kept: Loaded<S>,
    guard?: (state: S) => void,
  ): Promise<Loaded<S>> {
    const tail =
      kept.revision === null
        ? await this.store.readStream(streamId)
        : await this.store.readStream(streamId, { fromRevision: kept.revision + 1n });
    let state = kept.state;
    for (const event of tail) state = decider.evolve(state, event as unknown as E);
    const last = tail.at(-1);
    const loaded: Loaded<S> = last
      ? { state, revision: last.revision, position: last.position, snapshotRevision: kept.snapshotRevision }
      : kept;
    this.keep(decider, streamId, loaded);
    guard?.(state);
    return loaded;
  }

  /** The state this process keeps folded for the stream (deciders with `keepFolded`), as last seen. */
  private keptState<S>(decider: Decider<unknown, DomainEvent, S>, streamId: string): Loaded<S> | undefined {
    return decider.snapshots?.keepFolded ? (this.folded.get(streamId) as Loaded<S> | undefined) : undefined;
  }

  /** Keeps a folded state unless a later one is kept already (a slower concurrent load). */
  private keep<S>(decider: Decider<unknown, DomainEvent, S>, streamId: string, loaded: Loaded<S>): void {
    if (!decider.snapshots?.keepFolded || loaded.revision === null) return;
    const current = this.folded.get(streamId);
    if (current?.revision != null && current.revision > loaded.revision) return;
    this.folded.delete(streamId);
    this.folded.set(streamId, loaded);
    if (this.folded.size > MAX_FOLDED) this.folded.delete(this.folded.keys().next().value!);
  }

  /**
   * Whether the aggregate's stream has any event (one event read, nothing folded). A stream once seen
   * is remembered: Rentlog never deletes a stream (an erasure appends to it), so the answer stays true.
   */
  async exists(decider: Decider<unknown, DomainEvent, unknown>, id: string): Promise<boolean> {
    const streamId = decider.streamOf(id);
    if (this.existing.has(streamId)) return true;
    const found = (await this.store.readStream(streamId, { maxCount: 1 })).length > 0;
    if (found) {
      this.existing.add(streamId);
      if (this.existing.size > MAX_EXISTING) this.existing.delete(this.existing.values().next().value!);
    }
    return found;
  }

  /**
   * Load, decide `command` (or the command made from the state), append; retried on a concurrent writer.
   * One span, `command <type>`, covers it (the append's span is the event codec's, below it).
   */
  handle<C, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    id: string,
    command: C | ((state: S) => C),
    ctx: CommandContext,
    options: HandleOptions<S> = {},
  ): Promise<Handled<S, E>> {
    const streamId = decider.streamOf(id);
    const attributes = { 'rentlog.stream': streamId, 'rentlog.correlation_id': ctx.correlationId };
    return inSpan(`command ${typeOf(command) ?? streamId.replace(/-.*$/, '')}`, { attributes }, (span) =>
      this.decideAndAppend(decider, id, streamId, command, ctx, options, (decided) => {
        const type = typeOf(decided);
        if (type) span.updateName(`command ${type}`);
      }),
    );
  }

  private async decideAndAppend<C, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    id: string,
    streamId: string,
    command: C | ((state: S) => C),
    ctx: CommandContext,
    options: HandleOptions<S>,
    onDecided: (command: C) => void,
  ): Promise<Handled<S, E>> {
    // Under an Idempotency-Key the event ids derive from it, so a repeat of an attempt that did commit
    // finds its events instead of deciding again (settled by event ids, never guessed).
    const derived = nextCallIndex(streamId);
    const ids = derived ? (i: number) => derivedEventId(derived.seed, streamId, derived.call, i) : undefined;
    if (derived?.retry) {
      const committed = await committedEarlier(this.store, this.logger, decider, streamId, ids!, options.guard);
      if (committed) return committed;
    }
    let loaded = options.loaded;
    // A state kept folded in this process is decided on without reading the stream first: the append
    // carries its revision, so it commits only if nothing came after it. Any other outcome (a refusal,
    // nothing to append, a conflict) is taken again on the state read from the store.
    let unread = loaded === undefined && options.expectedRevision === undefined && !options.guard;
    for (let attempt = 1; ; attempt++) {
      if (unread) {
        loaded = this.keptState(decider, streamId);
        if (!loaded) unread = false;
      }
      loaded ??= await this.load(decider, id, options.guard);
      assertExpectedRevision(streamId, loaded, options.expectedRevision);
      let events: E[];
      try {
        const decided = typeof command === 'function' ? (command as (state: S) => C)(loaded.state) : command;
        onDecided(decided);
        events = decider.decide(decided, loaded.state);
      } catch (error) {
        if (!unread) throw error;
        unread = false;
        loaded = undefined;
        continue;
      }
      if (events.length === 0) {
        if (!unread) return { ...loaded, events, eventIds: [] };
        unread = false;
        loaded = undefined;
        continue;
      }
      try {
        const recorded = this.toNewEvents(events, ctx, ids);
        const result = await this.store.append(streamId, recorded, loaded.revision ?? 'no_stream');
        const handled: Handled<S, E> = {
          state: events.reduce(decider.evolve, loaded.state),
          events,
          eventIds: recorded.map((e) => e.id),
          revision: result.nextRevision,
          position: result.position,
          snapshotRevision: loaded.snapshotRevision,
        };
        // What the stream now folds to, when this append is what follows the state decided on.
        if (handled.revision === (loaded.revision ?? -1n) + BigInt(events.length))
          this.keep(decider, streamId, {
            state: handled.state,
            revision: handled.revision,
            position: handled.position,
            snapshotRevision: handled.snapshotRevision,
          });
        await this.snapshotIfDue(decider, streamId, handled, ctx);
        return handled;
      } catch (error) {
        // The ids are in the stream already (the SQLite adapter refuses them): an attempt with this seed
        // committed, its outcome unknown to this one (a workflow command sent again after a crash).
        if (ids && error instanceof DuplicateEventIdError) {
          const committed = await committedEarlier(this.store, this.logger, decider, streamId, ids, options.guard);
          if (committed) return committed;
          throw error;
        }
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        // Another request with the same key (a concurrent retry) may be the writer that got there first.
        const committed = ids
          ? await committedEarlier(this.store, this.logger, decider, streamId, ids, options.guard)
          : null;
        if (committed) return committed;
        if (options.expectedRevision !== undefined)
          throw new PreconditionFailedError(
            streamId,
            options.expectedRevision,
            error.actual === 'no_stream' ? null : error.actual,
          );
        if (attempt >= MAX_ATTEMPTS) throw new ConcurrencyError(streamId);
        unread = false;
        loaded = undefined;
      }
    }
  }

  private toNewEvents(events: DomainEvent[], ctx: CommandContext, ids?: (i: number) => string): NewEvent[] {
    const occurredAt = this.clock.now().toISOString();
    return events.map((event, i) => ({
      id: ids ? ids(i) : this.ids.uuid(),
      type: event.type,
      data: event.data,
      metadata: {
        correlationId: ctx.correlationId,
        causationId: ctx.causationId,
        actor: ctx.actor,
        occurredAt,
        ...(ctx.reason === undefined ? {} : { reason: ctx.reason }),
      },
    }));
  }

  /** A snapshot is a cache (the stream stays the truth): one that cannot be written is logged, the command stands. */
  private async snapshotIfDue<C, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    streamId: string,
    handled: Handled<S, E>,
    ctx: CommandContext,
  ): Promise<void> {
    const policy = decider.snapshots;
    if (!policy || handled.revision === null || handled.position === null) return;
    if (handled.revision - (handled.snapshotRevision ?? -1n) < BigInt(policy.every)) return;
    const today = dateOf(this.clock.now().toISOString());
    const snapshot: Snapshotted = {
      type: 'Snapshotted',
      data: {
        version: policy.version,
        revision: String(handled.revision),
        position: String(handled.position),
        state: policy.compact(handled.state, today),
      },
    };
    try {
      // Snapshot ids stay random: they must not take ids from the request's derived sequence.
      const recorded = commandScope.exit(() => this.toNewEvents([snapshot], ctx));
      await this.store.append(snapshotStreamOf(streamId), recorded, 'any');
      // What a full load now starts from: the compacted state at this revision.
      this.keep(decider as Decider<unknown, DomainEvent, S>, streamId, {
        state: snapshot.data.state as S,
        revision: handled.revision,
        position: handled.position,
        snapshotRevision: handled.revision,
      });
    } catch (error) {
      this.logger.warn('snapshot not written; the stream is replayed instead', {
        streamId,
        error: (error as Error).message,
      });
    }
  }
}
