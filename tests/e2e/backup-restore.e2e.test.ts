/**
 * Backups of the embedded stores, end to end: `rentlog backup` against a running server under
 * concurrent commands, then `rentlog restore` into a fresh DATA_DIR, a server started on it, and the
 * restored log and read models checked; restore refusing a live DATA_DIR and a damaged backup; an
 * erasure made after the backup applied again by the restore (the erasure ledger).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
  closeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Doc } from '../../application/ports/read-store.port.js';
import { loadConfig } from '../../infrastructure/config/config.js';
import { DataDirLock } from '../../infrastructure/shared/data-dir-lock.js';
import { openInfrastructure } from '../../bin/composition/infrastructure.js';
import { projectionsOf } from '../../bin/composition/processes.js';
import { Projector } from '../../projections/runner/projector.js';
import { sleep } from '../support/eventually.js';
import { buildOnce, childEnv } from '../support/npm-start.js';
import { PROJECT_ROOT } from '../support/run-node-script.js';
import { silentLogger } from '../support/silent-logger.js';
import { minimalPdf, multipart } from '../support/multipart.js';
import {
  SERVER_ENV,
  killAll,
  post,
  readLog,
  registerProduct,
  startServer,
  untilReady,
  type Answer,
  type Server,
} from '../faults/fault-kit.js';

const WORKERS = 8;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node dist/bin/rentlog.js <args>` on DATA_DIR, without blocking this process (the load goes on meanwhile). */
function rentlog(args: string[], dataDir: string, extra: Record<string, string> = {}): Promise<Run> {
  const child = spawn(process.execPath, ['dist/bin/rentlog.js', ...args], {
    cwd: PROJECT_ROOT,
    env: childEnv({ ...SERVER_ENV, DATA_DIR: dataDir, ...extra }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

async function send(server: Server, method: string, url: string): Promise<number> {
  const res = await fetch(`${server.url}${url}`, { method, headers: { authorization: `Bearer ${server.token}` } });
  await res.text();
  return res.status;
}

interface Sent {
  answer: Answer | null;
}

/** `workers` loops of stock adjustments (each its own key) until `stopped()`; `sent` fills as answers come. */
async function load(server: Server, products: string[], sent: Sent[], stopped: () => boolean): Promise<void> {
  await Promise.all(
    Array.from({ length: WORKERS }, async (_, w) => {
      for (let i = 0; !stopped(); i++) {
        const entry: Sent = { answer: null };
        sent.push(entry);
        entry.answer = await post(
          server,
          `/v1/products/${products[(w + i) % products.length]}/stock`,
          { delta: 1, reason: 'backup under load' },
          randomUUID(),
        );
      }
    }),
  );
}

/** A customer's document, uploaded as a client does; answers its id. */
async function upload(server: Server, customerId: string, pdf: Buffer): Promise<string> {
  const { payload, headers } = multipart([
    { name: 'kind', value: 'passport' },
    { name: 'file', filename: 'passport.pdf', contentType: 'application/pdf', bytes: pdf },
  ]);
  const res = await fetch(`${server.url}/v1/customers/${customerId}/documents`, {
    method: 'POST',
    headers: { ...headers, authorization: `Bearer ${server.token}` },
    body: payload,
  });
  const body = (await res.json()) as { documentId?: string };
  if (res.status !== 201) throw new Error(`upload: ${res.status} ${JSON.stringify(body)}`);
  return body.documentId!;
}

const positionOf = (s: Sent) => (s.answer?.status === 200 ? Number(s.answer.body.position) : null);

/** Every read model of DATA_DIR as the store answers it (personal fields opened), then each rebuilt from position zero. */
const configOf = (dataDir: string, extra: Record<string, string> = {}) =>
  loadConfig({ ...childEnv({ ...SERVER_ENV, ...extra }), DATA_DIR: dataDir } as NodeJS.ProcessEnv);

async function projectedAndRebuilt(dataDir: string, extra: Record<string, string>) {
  const config = configOf(dataDir, extra);
  const infra = await openInfrastructure(config, silentLogger);
  try {
    const projections = projectionsOf(config);
    const docs = async (collection: string) =>
      (await infra.store.collection(collection).find({}, { sort: { _id: 1 } })) as Doc[];
    const projector = new Projector({
      projections,
      events: infra.events,
      store: infra.store,
      logger: silentLogger,
      clock: infra.clock,
      batchSize: config.projectionBatchSize,
    });
    const projected: Record<string, Doc[]> = {};
    const rebuilt: Record<string, Doc[]> = {};
    for (const p of projections) {
      projected[p.name] = await docs(p.collection);
      await projector.rebuild(p.name);
      rebuilt[p.name] = await docs(p.collection);
    }
    return { projected, rebuilt };
  } finally {
    await infra.close();
  }
}

const dirs: string[] = [];
const tempDir = (name: string) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), `rentlog-backup-${name}-`));
  dirs.push(dir);
  return dir;
};

beforeAll(buildOnce, 120_000);

afterEach(killAll);

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('backup and restore of the embedded stores', () => {
  it('backs up a server under concurrent commands; the restore serves every event acknowledged before, gap-free, and its read models equal a rebuild', async () => {
    const source = tempDir('source');
    const backup = path.join(tempDir('backups'), 'b1');
    const server = await startServer(source);
    const products = [await registerProduct(server), await registerProduct(server), await registerProduct(server)];
    const customer = await post(server, '/v1/customers', { name: 'Ada Lovelace', email: 'ada@rentlog.example' });
    expect(customer?.status).toBe(201);
    const customerId = customer!.body.customerId as string;
    const kept = await post(server, '/v1/customers', { name: 'Grace Hopper', email: 'grace@rentlog.example' });
    const keptId = kept!.body.customerId as string;
    const pdf = minimalPdf('Grace Hopper passport');
    const keptDocument = await upload(server, keptId, pdf);
    const erasedDocument = await upload(server, customerId, minimalPdf('Ada Lovelace passport'));

    const sent: Sent[] = [];
    let stopped = false;
    const loading = load(server, products, sent, () => stopped);
    await sleep(500);
    const before = sent.map(positionOf).filter((p): p is number => p !== null); // acknowledged before the backup began
    const run = await rentlog(['backup', backup], source);
    const duringBackup = sent.length;
    await sleep(200);
    stopped = true;
    await loading;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/backed up .* events \(last position \d+\)/);
    expect(before.length).toBeGreaterThan(0);
    expect(sent.filter((s) => s.answer?.status === 200).length).toBeGreaterThan(before.length); // load went on meanwhile

    // Restore refuses the live DATA_DIR, --force or not, and leaves it alone.
    const live = await rentlog(['restore', backup, '--force'], source);
    expect(live.code).toBe(3);
    expect(live.stderr).toMatch(/restore refused: A Rentlog process is using .* stop every process on it first/);

    // An erasure after the backup: the ledger (outside the backup) makes the restore erase again.
    expect(await send(server, 'DELETE', `/v1/customers/${customerId}`)).toBe(202);
    const sourceLog = readLog(source);
    process.kill(server.pid, 'SIGTERM');
    await server.started.exited;

    // A fresh DATA_DIR: the operator puts the master key back (a backup holds none), then restores.
    const target = tempDir('target');
    copyFileSync(path.join(source, 'master.key'), path.join(target, 'master.key'));
    const ledger = { ERASURE_LEDGER_FILE: path.join(source, 'erasures.log') };
    const restored = await rentlog(['restore', backup], target, ledger);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    // The customer's key and its email's sign-in key (the customer has no user account).
    expect(restored.stdout).toMatch(/erasure ledger: 2 data keys destroyed again/);
    expect(readdirSync(path.join(backup, 'blobs'))).toHaveLength(2); // both customers' documents were backed up

    // The restored log: a prefix of the source's, gap-free, holding every event acknowledged before the backup.
    const manifest = JSON.parse(readFileSync(path.join(backup, 'manifest.json'), 'utf8')) as {
      eventStore: { lastPosition: string };
      readStore: { checkpoints: Record<string, string> };
    };
    const last = Number(manifest.eventStore.lastPosition);
    // The read store, copied first, is at most as far as the log copied after it (behind is fine).
    const checkpoints = Object.values(manifest.readStore.checkpoints).map(Number);
    expect(checkpoints.length).toBeGreaterThan(5);
    expect(checkpoints.filter((p) => p > last)).toEqual([]);
    const log = readLog(target);
    expect(log.map((e) => e.position)).toEqual(log.map((_, i) => i + 1));
    expect(log.slice(0, last)).toEqual(sourceLog.slice(0, last));
    const positions = new Set(log.slice(0, last).map((e) => e.position));
    expect(before.filter((p) => !positions.has(p))).toEqual([]);
    expect(last).toBeLessThan(sourceLog.length); // commands after the backup began are not in it
    // After the backup's last event: only the erasure the restore applied again.
    expect(log.slice(last).map((e) => e.type)).toContain('CustomerErased');
    const keys = new Database(path.join(target, 'keys.db'), { readonly: true });
    const key = keys
      .prepare('SELECT wrapped, destroyed_at FROM data_keys WHERE subject = ?')
      .get(`customer:${customerId}`);
    keys.close();
    expect(key).toEqual({ wrapped: null, destroyed_at: expect.any(String) });

    // A server on the restore: it serves, its projections catch up, and each read model equals its rebuild.
    const again = await startServer(target);
    await untilReady(again);
    const customerNow = await fetch(`${again.url}/v1/customers/${customerId}`, {
      headers: { authorization: `Bearer ${again.token}` },
    });
    expect(((await customerNow.json()) as { erased?: boolean }).erased).toBe(true);
    // The files came back with their keys: the kept customer's document opens, the erased one's is gone.
    const content = async (documentId: string) =>
      fetch(`${again.url}/v1/documents/${documentId}/content`, { headers: { authorization: `Bearer ${again.token}` } });
    const keptContent = await content(keptDocument);
    expect(keptContent.status).toBe(200);
    expect(Buffer.from(await keptContent.arrayBuffer())).toEqual(pdf);
    expect((await content(erasedDocument)).status).toBe(404);
    const grace = await fetch(`${again.url}/v1/customers/${keptId}`, {
      headers: { authorization: `Bearer ${again.token}` },
    });
    expect(((await grace.json()) as { name?: string }).name).toBe('Grace Hopper');
    process.kill(again.pid, 'SIGTERM');
    await again.started.exited;
    const { projected, rebuilt } = await projectedAndRebuilt(target, ledger);
    expect(Object.keys(projected).length).toBeGreaterThan(3);
    expect(projected.products).toHaveLength(3);
    expect(rebuilt).toEqual(projected);
    process.stderr.write(
      `backup under load: ${duringBackup} commands sent by then, ${before.length} acknowledged before it began, ` +
        `${last} events in it of ${sourceLog.length} at the stop\n`,
    );
  }, 120_000);

  it('refuses a damaged backup (a checksum that does not match) and touches nothing', async () => {
    // A DATA_DIR with its stores and one data key (made in this process: no server needed to back it up).
    const source = tempDir('source');
    const infra = await openInfrastructure(configOf(source), silentLogger);
    await infra.keyVault.key(`customer:${randomUUID()}`);
    await infra.close();
    const backup = path.join(tempDir('backups'), 'b');
    expect((await rentlog(['backup', backup], source)).code).toBe(0);

    const damaged = path.join(tempDir('backups'), 'damaged');
    cpSync(backup, damaged, { recursive: true });
    const fd = openSync(path.join(damaged, 'events.db'), 'r+');
    writeSync(fd, Buffer.from([0x42]), 0, 1, 200); // one byte inside the first page
    closeSync(fd);
    const target = tempDir('target');
    copyFileSync(path.join(source, 'master.key'), path.join(target, 'master.key'));
    const refused = await rentlog(['restore', damaged], target);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/restore refused: events\.db does not match the manifest .* the backup is damaged/);
    expect(readdirSync(target).sort()).toEqual(['master.key']);

    // The intact backup restores; a second restore onto it refuses a non-empty DATA_DIR without --force.
    expect((await rentlog(['restore', backup], target)).code).toBe(0);
    expect(existsSync(path.join(target, 'events.db'))).toBe(true);
    const twice = await rentlog(['restore', backup], target);
    expect(twice.code).toBe(5);
    expect(twice.stderr).toMatch(/is not empty .* pass --force/);
    // --force over a store left with its WAL (as kill -9 leaves one): SQLite must not replay that WAL onto the restored file.
    const events = path.join(target, 'events.db');
    const stale = new Database(events);
    stale.pragma('journal_mode = WAL');
    stale.pragma('wal_autocheckpoint = 0');
    stale.exec('CREATE TABLE stale_after_restore (x)');
    copyFileSync(`${events}-wal`, `${events}-wal.kept`);
    stale.close();
    renameSync(`${events}-wal.kept`, `${events}-wal`);
    expect((await rentlog(['restore', backup, '--force'], target)).code).toBe(0);
    expect(existsSync(`${events}-wal`)).toBe(false);
    const reopened = new Database(events);
    reopened.pragma('journal_mode = WAL'); // as the event store opens it
    expect(reopened.prepare("SELECT name FROM sqlite_master WHERE name = 'stale_after_restore'").all()).toEqual([]);
    reopened.close();

    // Without the master key that wrapped its data keys, a restore refuses (a backup holds none).
    const keyless = tempDir('keyless');
    const noKey = await rentlog(['restore', backup], keyless);
    expect(noKey.code).toBe(5);
    expect(noKey.stderr).toMatch(/wrapped by master key [0-9a-f]{16}, which is not configured/);
    mkdirSync(keyless, { recursive: true });
    expect(readdirSync(keyless).filter((n) => n !== 'rentlog.lock')).toEqual([]);
  }, 90_000);

  it('a server refuses to start on a DATA_DIR a restore holds', async () => {
    const dataDir = tempDir('held');
    const lock = DataDirLock.exclusive(dataDir);
    try {
      const run = await rentlog(['start', 'all'], dataDir, { PORT: '0' });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/is being restored .* start Rentlog once the restore has ended/);
    } finally {
      lock.release();
    }
  }, 30_000);
});
