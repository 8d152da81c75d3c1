import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildOnce } from '../support/npm-start.js';
import {
  acknowledged,
  adjust,
  adjustmentsOf,
  detachAll,
  faultTest,
  injectFault,
  killAll,
  kill9,
  readLog,
  ready,
  registerProduct,
  settleAll,
  startServer,
  straceUnavailable,
  untilReady,
  type Adjustment,
} from './fault-kit.js';

/**
 * fsync fails with EIO on a running server (strace -e inject), then the server is killed and
 * restarted. Commands during the fault answer 503 STORAGE_FAILED with Retry-After, readiness says
 * why, the process keeps refusing writes after the fault ends (fail-stop), and after the restart every
 * command resent with its key answers once: a batch whose commit reached the disk (SQLite recovers
 * its WAL frames) is found by its event ids and answered, never appended again.
 */
const skip = straceUnavailable();
const maybe = faultTest('the fsync EIO fault test', skip);

afterEach(async () => {
  detachAll();
  await killAll();
});

beforeAll(() => {
  if (!skip) buildOnce();
}, 120_000);

maybe(
  `fsync EIO on a running server, then kill -9: fail-stop, readiness false, 0 lost, 0 doubled${skip ? ` (skipped: ${skip})` : ''}`,
  async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-faults-eio-'));
    try {
      let server = await startServer(dataDir);
      await untilReady(server);
      const productId = await registerProduct(server);
      const fault = await injectFault(server.pid, ['fsync', 'fdatasync'], 'EIO');
      const during: Adjustment[] = Array.from({ length: 8 }, (_, i) => ({ key: `eio-${i}`, productId, answers: [] }));
      await Promise.all(during.map((a) => adjust(server, a)));
      for (const a of during) {
        expect(a.answers[0]?.status).toBe(503);
        expect(a.answers[0]?.headers.get('retry-after')).toMatch(/^\d+$/);
      }
      expect(during.map((a) => a.answers[0]?.body.code)).toContain('STORAGE_FAILED');
      const duringFault = await ready(server);
      expect(duringFault.status).toBe(503);
      expect(JSON.stringify(duringFault.body)).toMatch(/SQLITE_IOERR/);

      await fault.detach();
      // Fail-stop: the disk answers again, the process still acknowledges nothing until restarted.
      const after: Adjustment = { key: 'eio-after', productId, answers: [] };
      expect((await adjust(server, after))?.status).toBe(503);
      expect((await ready(server)).status).toBe(503);

      await kill9(server);
      server = await startServer(dataDir);
      await untilReady(server);
      const recovered = adjustmentsOf(readLog(dataDir), productId).length; // phantom commits among them
      const statuses = await settleAll(server, [...during, after]);
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
      expect([...during, after].every(acknowledged)).toBe(true);
      expect(adjustmentsOf(readLog(dataDir), productId)).toHaveLength(during.length + 1);
      process.stderr.write(
        `fsync EIO: ${recovered} of ${during.length} failed commands were on disk after the restart; each answered once\n`,
      );
      await kill9(server);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
  120_000,
);
