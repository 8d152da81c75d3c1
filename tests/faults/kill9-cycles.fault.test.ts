import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sleep } from '../support/eventually.js';
import { buildOnce } from '../support/npm-start.js';
import {
  acknowledged,
  adjust,
  adjustmentsOf,
  kill9,
  killAll,
  load,
  readLog,
  registerProduct,
  settleAll,
  startServer,
  untilReady,
  type Adjustment,
} from './fault-kit.js';

/**
 * kill -9 under concurrent load, CYCLES times on one data directory: after every restart each
 * acknowledged command is in the log, each command in flight at the kill is resent with its key and
 * answers (never 409 for a key a dead process held), and no command is in the log twice.
 */
const CYCLES = 4;
const WORKERS = 16;
const LOAD_MS = 1500;

afterEach(async () => {
  await killAll();
});

beforeAll(buildOnce, 120_000);

it(`${CYCLES} kill -9 cycles under ${WORKERS} concurrent clients: 0 lost, 0 doubled, no key left pending`, async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-faults-kill9-'));
  try {
    let server = await startServer(dataDir);
    const products = [await registerProduct(server), await registerProduct(server), await registerProduct(server)];
    const all: Adjustment[] = [];
    let inFlight = 0;
    let phantoms = 0;
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const killAt = sleep(LOAD_MS).then(() => kill9(server));
      const round = await load(server, products, WORKERS, killAt);
      all.push(...round);
      await killAt;
      inFlight += round.filter((a) => !acknowledged(a)).length;
      const before = products.reduce((n, p) => n + adjustmentsOf(readLog(dataDir), p).length, 0);
      phantoms += before - all.filter(acknowledged).length; // committed, never answered
      server = await startServer(dataDir);
      await untilReady(server);
      // Acknowledged before the kill: in the log (by the position it answered).
      const log = readLog(dataDir);
      const positions = new Set(log.map((e) => e.position));
      for (const a of all.filter(acknowledged)) {
        const ok = a.answers.find((x) => x?.status === 200)!;
        expect(positions.has(Number(ok.body.position))).toBe(true);
      }
      // In flight at the kill: resent with the same key until answered; a dead process's key never says 409.
      const statuses = await settleAll(server, all);
      expect(statuses.filter((s) => s === 409)).toEqual([]);
      expect(all.every(acknowledged)).toBe(true);
    }
    // Every key took effect exactly once; repeating an acknowledged key replays its answer.
    const log = readLog(dataDir);
    for (const productId of products) {
      const mine = all.filter((a) => a.productId === productId);
      expect(adjustmentsOf(log, productId)).toHaveLength(mine.length);
    }
    const sample = all.slice(0, 20);
    for (const a of sample) {
      const again = await adjust(server, a);
      expect(again?.status).toBe(200);
      expect(again?.headers.get('idempotent-replayed')).toBe('true');
    }
    // The worker may record an audit checkpoint at any time (AUDIT_CHECKPOINT_INTERVAL_SECONDS=1 in a
    // run that hunts checkpoint bugs): the replays add nothing else.
    const commandsOnly = (events: ReturnType<typeof readLog>) =>
      events.filter((e) => !e.streamId.startsWith('auditcheckpoint-'));
    expect(commandsOnly(readLog(dataDir))).toHaveLength(commandsOnly(log).length);
    expect(all.length).toBeGreaterThan(CYCLES * WORKERS);
    expect(inFlight).toBeGreaterThan(0); // the kills did catch commands half-way
    process.stderr.write(
      `kill -9: ${CYCLES} cycles, ${all.length} commands, ${inFlight} in flight at a kill (${phantoms} of them had committed), ${log.length} events\n`,
    );
    await kill9(server);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 240_000);
