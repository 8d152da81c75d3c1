import type { Logger } from '../../application/ports/logger.port.js';

/** What `untilStopSignal` needs of `process` (tests pass their own). */
export interface SignalSource {
  on(signal: 'SIGINT' | 'SIGTERM', listener: (signal: NodeJS.Signals) => void): unknown;
  exit(code: number): never | void;
}

/** A repeat within this many milliseconds is the same stop request arriving twice. */
export const REPEAT_WINDOW_MS = 1000;

const exitCodes = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Resolves on the first SIGINT or SIGTERM, for a graceful stop. Under `npm start` a Ctrl-C reaches
 * Rentlog twice at once (from the terminal to the process group, and forwarded by npm), so a repeat
 * within REPEAT_WINDOW_MS is ignored; a signal after that stops the process at once (128 + signal
 * number), for a shutdown that hangs.
 */
export function untilStopSignal(
  logger: Logger,
  source: SignalSource = process,
  now: () => number = Date.now,
): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let firstAt: number | undefined;
    const onSignal = (signal: NodeJS.Signals) => {
      if (firstAt === undefined) {
        firstAt = now();
        logger.info('shutting down', { signal });
        resolve(signal);
        return;
      }
      if (now() - firstAt < REPEAT_WINDOW_MS) return;
      logger.warn('stopping at once: a second signal during shutdown', { signal });
      source.exit(exitCodes[signal as keyof typeof exitCodes] ?? 1);
    };
    source.on('SIGINT', onSignal);
    source.on('SIGTERM', onSignal);
  });
}
