import { EventEmitter } from 'node:events';
import { REPEAT_WINDOW_MS, untilStopSignal } from '../../../bin/composition/signals.js';
import { silentLogger } from '../../support/silent-logger.js';

/** A process that only emits signals and records exits; time is whatever the test says. */
function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  let now = 0;
  return {
    source: { on: emitter.on.bind(emitter), exit: (code: number) => void exits.push(code) },
    send: (signal: NodeJS.Signals) => emitter.emit(signal, signal),
    advance: (ms: number) => (now += ms),
    now: () => now,
    exits,
  };
}

describe('untilStopSignal', () => {
  it('resolves on the first signal and takes the copy npm forwards at once as the same stop', async () => {
    const p = fakeProcess();
    const stopped = untilStopSignal(silentLogger, p.source, p.now);
    p.send('SIGINT'); // the terminal's Ctrl-C to the process group
    p.advance(5);
    p.send('SIGINT'); // npm forwarding it
    await expect(stopped).resolves.toBe('SIGINT');
    expect(p.exits).toEqual([]);
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('stops at once on a %s that comes later, while a shutdown hangs', async (signal, code) => {
    const p = fakeProcess();
    const stopped = untilStopSignal(silentLogger, p.source, p.now);
    p.send('SIGTERM');
    await stopped;
    p.advance(REPEAT_WINDOW_MS);
    p.send(signal);
    expect(p.exits).toEqual([code]);
  });
});
