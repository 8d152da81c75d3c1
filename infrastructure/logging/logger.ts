import winston from 'winston';
import type { Logger } from '../../application/ports/logger.port.js';
import { logContext } from '../../application/shared/log-context.js';

const addContext = winston.format((info) => {
  const ctx = logContext.getStore();
  if (ctx) for (const [key, value] of Object.entries(ctx)) if (!(key in info)) info[key] = value;
  return info;
});

export interface LoggerOptions {
  level?: string;
  /** Where lines go; defaults to stdout. Tests pass a stream to read them back. */
  stream?: NodeJS.WritableStream;
  silent?: boolean;
}

/** JSON lines through winston: `{"level","message","timestamp","service",...context}`. */
export function createLogger(service: string, options: LoggerOptions = {}): Logger {
  const transport = options.stream
    ? new winston.transports.Stream({ stream: options.stream })
    : new winston.transports.Console();
  return winston.createLogger({
    level: options.level ?? 'info',
    silent: options.silent ?? false,
    defaultMeta: { service },
    format: winston.format.combine(
      addContext(),
      winston.format.timestamp(),
      winston.format.errors({ stack: true }),
      winston.format.json(),
    ),
    transports: [transport],
  }) as unknown as Logger;
}
