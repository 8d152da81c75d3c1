/** What every event of the domain is: a type and its data (metadata is added on the way to the store). */
export interface DomainEvent {
  readonly type: string;
  readonly data: unknown;
}

/**
 * An aggregate as a decider (Emmett's `Decider`, Dudycz's samples/decider): plain functions over plain
 * data, and the stream that holds it. The application's one command path loads the stream (or a
 * snapshot and the events after it), folds `evolve`, calls `decide`, and appends what it decided.
 */
export interface Decider<Command, Event extends DomainEvent, State> {
  /** The stream of the aggregate with this id: `<category>-<id>`, never personal data. */
  streamOf(id: string): string;
  initialState(): State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State): Event[];
  /** Set for aggregates whose streams grow long: the command path snapshots them. */
  snapshots?: SnapshotPolicy<State>;
}

export interface SnapshotPolicy<State> {
  /** A snapshot when this many events were appended since the last one. */
  every: number;
  /** Bump when the state's shape changes: snapshots of another version are ignored (the stream is replayed). */
  version: number;
  /** The state as it needs to be kept from `today` on (past bookings dropped, say). */
  compact(state: State, today: string): State;
  /**
   * The folded state may stay in the process's memory between commands (only for states without personal
   * data): a load then reads just the events after the revision it holds, so the stream stays the truth.
   */
  keepFolded?: boolean;
}

/** The list of an event union's types, checked complete by the compiler (a Record needs every key). */
export const eventTypes = <T extends string>(all: Record<T, true>): readonly T[] => Object.keys(all) as T[];

/** A snapshot as stored (in `<category>snapshot-<id>`): the state after `revision` of the aggregate's stream. */
export interface Snapshotted {
  type: 'Snapshotted';
  data: { version: number; revision: string; position: string; state: unknown };
}
