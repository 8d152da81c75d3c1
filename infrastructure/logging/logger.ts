import { isSpanContextValid, trace } from '@opentelemetry/api';
import winston from 'winston';
import type { Logger } from '../../application/ports/logger.port.js';
import { logContext } from '../../application/shared/log-context.js';

const addContext = winston.format((info) => {
  const ctx = logContext.getStore();
  if (ctx) for (const [key, value] of Object.entries(ctx)) if (!(key in info)) info[key] = value;
  // Inside a span (tracing on): its trace and span ids, to find the line from the trace and back.
  const span = trace.getActiveSpan()?.spanContext();
  if (span && isSpanContextValid(span) && !('trace_id' in info)) {
    info.trace_id = span.traceId;
    info.span_id = span.spanId;
  }
  return info;
});

/**
 * Level and message lead every line, so that a person reading a terminal sees them first (the URL
 * of `npm start`, say); the other fields follow in the order they were given. Object.assign keeps
 * the first position of a key and copies winston's symbol keys too.
 */
const levelAndMessageFirst = winston.format((info) =>
  Object.assign({ level: info.level, message: info.message }, info),
);

export interface LoggerOptions {
  level?: string;
  /** Where lines go; defaults to stdout. Tests pass a stream to read them back. */
  stream?: NodeJS.WritableStream;
  silent?: boolean;
}

/** JSON lines through winston: `{"level","message",...meta,"service","timestamp",...context}`. */
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
      levelAndMessageFirst(),
      winston.format.json({ deterministic: false }),
    ),
    transports: [transport],
  }) as unknown as Logger;
}
