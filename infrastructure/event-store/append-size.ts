/**
 * How big an append is, counted as EventStoreDB counts it against its `MaxAppendSize` (24.10.4 and
 * later, `Event.SizeOnDisk` in Streams.Append.cs and Streams.BatchAppend.cs): per event, the UTF-8
 * bytes of its data and of its metadata (both JSON, serialized exactly as @eventstore/db-client does)
 * plus two bytes a UTF-16 unit of its type; the append is refused when the sum is over the limit.
 * 24.10.0 to 24.10.3 count the data alone (`data?.Length ?? 0 + metadata?.Length ?? 0 + ...`: C#'s
 * `??` binds looser than `+`), so this count is never below any 24.10 server's: what Rentlog lets
 * through, the server takes.
 */
export const DEFAULT_MAX_APPEND_BYTES = 1024 * 1024;

export interface SizedEvent {
  type: string;
  /** JSON.stringify of the data and of the metadata. */
  data: string;
  metadata: string;
}

export function eventSize(event: SizedEvent): number {
  return Buffer.byteLength(event.data, 'utf8') + Buffer.byteLength(event.metadata, 'utf8') + event.type.length * 2;
}

export function appendSize(events: readonly SizedEvent[]): number {
  let size = 0;
  for (const event of events) size += eventSize(event);
  return size;
}
