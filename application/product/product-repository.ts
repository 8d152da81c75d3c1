import type { ProductCommand } from '../../domain/product/product.commands.js';
import { decideProduct } from '../../domain/product/product.decide.js';
import { productStream } from '../../domain/product/product.events.js';
import { pruneProductState, type ProductState } from '../../domain/product/product.state.js';
import { dateOf } from '../../domain/shared/date-range.js';
import type { CommandContext } from '../shared/command-context.js';
import { decideAndAppend, type Decided, type EventSourcingDeps, type Loaded } from '../shared/event-sourcing.js';
import { productEvolver } from './product-evolver.js';
import type { ProductEvent } from '../../domain/product/product.events.js';

/** A snapshot every this many events keeps loading a busy product cheap. */
export const SNAPSHOT_EVERY = 50;
const SNAPSHOT_SCHEMA = 1;

export const productSnapshotStream = (productId: string): string => `productsnapshot-${productId}`;

interface Snapshot {
  schema: number;
  revision: string;
  position: string;
  state: ProductState;
}

/**
 * Loads a product from its latest snapshot plus the events after it. Bookings that ended before the
 * snapshot's day are pruned from it, so a product with thousands of past rentals decides on a small
 * state without replaying them. The snapshot is only a cache: the product stream stays the truth.
 */
export async function loadProduct(deps: EventSourcingDeps, productId: string): Promise<Loaded<ProductState> & { snapshotRevision: bigint | null }> {
  const [snapshotEvent] = await deps.store.readStream(productSnapshotStream(productId), { direction: 'backwards', maxCount: 1 });
  const snapshot = snapshotEvent?.data as Snapshot | undefined;
  const usable = snapshot?.schema === SNAPSHOT_SCHEMA ? snapshot : undefined;
  const from = usable ? BigInt(usable.revision) + 1n : 0n;
  const tail = await deps.store.readStream(productStream(productId), { fromRevision: from });
  let state = usable ? usable.state : productEvolver.initialState();
  for (const event of tail) state = productEvolver.evolve(state, { type: event.type, data: event.data } as ProductEvent);
  const last = tail.at(-1);
  return {
    state,
    revision: last?.revision ?? (usable ? BigInt(usable.revision) : null),
    position: last?.position ?? (usable ? BigInt(usable.position) : null),
    snapshotRevision: usable ? BigInt(usable.revision) : null,
  };
}

/** Decide a product command on the snapshot-backed state, append, and snapshot when due. */
export async function decideOnProduct(
  deps: EventSourcingDeps,
  productId: string,
  command: (state: ProductState) => ProductCommand,
  ctx: CommandContext,
): Promise<Decided<ProductState, ProductEvent>> {
  let snapshotRevision: bigint | null = null;
  const result = await decideAndAppend(deps, productStream(productId), productEvolver, (state) => decideProduct(command(state), state), ctx, async () => {
    const loaded = await loadProduct(deps, productId);
    snapshotRevision = loaded.snapshotRevision;
    return loaded;
  });
  if (result.events.length > 0 && result.revision !== null && result.revision - (snapshotRevision ?? -1n) >= BigInt(SNAPSHOT_EVERY)) {
    const today = dateOf(deps.clock.now().toISOString());
    const snapshot: Snapshot = { schema: SNAPSHOT_SCHEMA, revision: String(result.revision), position: String(result.position), state: pruneProductState(result.state, today) };
    await deps.store.append(productSnapshotStream(productId), [{ id: deps.ids.uuid(), type: 'ProductSnapshotted', data: snapshot, metadata: { correlationId: ctx.correlationId, causationId: ctx.causationId, actor: ctx.actor, occurredAt: new Date(deps.clock.now()).toISOString(), schemaVersion: 1 } }], 'any');
  }
  return result;
}
