/** Schema, row mapping and error helpers for the SQLite event store. */
import type Database from 'better-sqlite3';
import type { EventMetadata, RecordedEvent } from '../../application/ports/event-store.port.js';

/**
 * One table. `position` is the gap-free global position (AUTOINCREMENT never reuses a value, and a
 * rolled-back insert also rolls back the sequence, so committed positions are 1, 2, 3, ...).
 * UNIQUE (stream_id, revision) is the index that serves stream reads and "current revision".
 */
export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS events (
  position    INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_id   TEXT    NOT NULL,
  revision    INTEGER NOT NULL,
  event_id    TEXT    NOT NULL UNIQUE,
  type        TEXT    NOT NULL,
  data        TEXT    NOT NULL,
  metadata    TEXT    NOT NULL,
  recorded_at TEXT    NOT NULL,
  UNIQUE (stream_id, revision)
);
CREATE TABLE IF NOT EXISTS write_probe (
  id          INTEGER PRIMARY KEY,
  probed_at   TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tombstones (
  stream_id   TEXT PRIMARY KEY,
  deleted_at  TEXT NOT NULL
) WITHOUT ROWID;
`;

export const MAX_REVISION = 9223372036854775807n;

export interface EventRow {
  position: bigint;
  stream_id: string;
  revision: bigint;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

export interface SeenEventRow {
  stream_id: string;
  revision: bigint;
  position: bigint;
}

const COLUMNS = 'position, stream_id, revision, event_id, type, data, metadata, recorded_at';

export function prepareStatements(db: Database.Database) {
  return {
    currentRevision: db.prepare<[string], { rev: bigint | null }>(
      'SELECT MAX(revision) AS rev FROM events WHERE stream_id = ?',
    ),
    byEventId: db.prepare<[string], SeenEventRow>(
      'SELECT stream_id, revision, position FROM events WHERE event_id = ?',
    ),
    eventAt: db.prepare<[string, bigint], { event_id: string; position: bigint }>(
      'SELECT event_id, position FROM events WHERE stream_id = ? AND revision = ?',
    ),
    isTombstoned: db.prepare<[string], { one: bigint }>('SELECT 1 AS one FROM tombstones WHERE stream_id = ?'),
    tombstone: db.prepare<[string, string]>(
      'INSERT INTO tombstones (stream_id, deleted_at) VALUES (?, ?) ON CONFLICT (stream_id) DO NOTHING',
    ),
    insert: db.prepare<[string, bigint, string, string, string, string, string]>(
      `INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    streamForwards: db.prepare<[string, bigint, number], EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`,
    ),
    /** The same without LIMIT: a bound LIMIT parameter makes this common read about three times slower. */
    streamForwardsAll: db.prepare<[string, bigint], EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC`,
    ),
    streamBackwards: db.prepare<[string, bigint, number], EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
    ),
    allForwards: db.prepare<[bigint, number], EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position ASC LIMIT ?`,
    ),
    allBackwards: db.prepare<[bigint, number], EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE position < ? ORDER BY position DESC LIMIT ?`,
    ),
    head: db.prepare<[], { head: bigint }>('SELECT COALESCE(MAX(position), 0) AS head FROM events'),
    ping: db.prepare<[], { ok: bigint }>('SELECT 1 AS ok'),
    probe: db.prepare<[string]>('INSERT OR REPLACE INTO write_probe (id, probed_at) VALUES (1, ?)'),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;

export function rowToEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    streamId: row.stream_id,
    revision: row.revision,
    position: row.position,
    type: row.type,
    data: JSON.parse(row.data) as unknown,
    metadata: JSON.parse(row.metadata) as EventMetadata,
    recordedAt: row.recorded_at,
  };
}

/** SQLITE_BUSY / SQLITE_LOCKED (and their extended codes): another connection holds the lock. */
export function isBusyError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** SQLite's LIMIT: a negative value means no limit. */
export function limitOf(maxCount: number | undefined): number {
  return maxCount === undefined ? -1 : Math.max(0, Math.floor(maxCount));
}
