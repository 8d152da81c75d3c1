import { Draining } from '../../../api/http/platform/draining.js';
import { shutDown, type Stoppable } from '../../../bin/composition/shutdown.js';
import { silentLogger } from '../../support/silent-logger.js';

/** The order of a graceful stop: readiness false first, the drain delay, the parts in order, within a bound. */
describe('shutDown', () => {
  const recorder = () => {
    const seen: string[] = [];
    const part = (name: string, ms = 0): Stoppable => ({
      stop: async () => {
        seen.push(`${name} stopping (draining: ${draining.since !== undefined})`);
        await new Promise((r) => setTimeout(r, ms));
        seen.push(`${name} stopped`);
      },
    });
    const draining = new Draining();
    return { seen, part, draining };
  };

  it('marks the process draining before anything stops, waits the delay, then stops the parts one after the other', async () => {
    const { seen, part, draining } = recorder();
    const started = Date.now();
    let stoppedAfter = 0;
    const outcome = await shutDown({
      draining,
      drainDelayMs: 200,
      timeoutMs: 5000,
      parts: [part('worker', 20), { stop: async () => void (stoppedAfter = Date.now() - started) }, part('projector')],
      logger: silentLogger,
      now: () => new Date('2030-01-01T09:00:00.000Z'),
    });
    expect(outcome).toBe('clean');
    expect(draining.since).toBe('2030-01-01T09:00:00.000Z');
    expect(stoppedAfter).toBeGreaterThanOrEqual(190); // the second part stopped only after the delay
    expect(seen).toEqual([
      'worker stopping (draining: true)',
      'worker stopped',
      'projector stopping (draining: true)',
      'projector stopped',
    ]);
  });

  it('answers "timed out" when the parts do not stop within the bound, without waiting for them', async () => {
    const { seen, part, draining } = recorder();
    const outcome = await shutDown({
      draining,
      drainDelayMs: 0,
      timeoutMs: 100,
      parts: [part('api', 400), part('projector')],
      logger: silentLogger,
    });
    expect(outcome).toBe('timed out');
    expect(seen).toEqual(['api stopping (draining: true)']);
  });
});
