/**
 * Structured logs: one JSON object per line. No personal data in plain text (a customer id or source_id, often an
 * email, is logged as a short keyed digest, `Secrets.customerRef()`), no tokens (routes are logged by template, never by raw path), no
 * secret, ever: callers pass only the fields below.
 */
import type { LogLevel } from './env.js';

export interface LogFields {
  request_id?: string;
  route?: string;
  method?: string;
  status?: number;
  ms?: number;
  /** A keyed digest of the customer id (`Secrets.customerRef()`), never the id itself. */
  customer?: string;
  reason?: string;
  upstream_status?: number;
  kind?: string;
  bytes?: number;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, none: 100 };

export interface Logger {
  /** Whether lines of `level` are written (so a caller can skip computing what only they would show). */
  enabled(level: Exclude<LogLevel, 'none'>): boolean;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export function createLogger(level: LogLevel): Logger {
  const emit = (at: Exclude<LogLevel, 'none'>, message: string, fields: LogFields = {}) => {
    if (ORDER[at] < ORDER[level]) return;
    const line = JSON.stringify({ level: at, message, ...fields });
    if (at === 'error') console.error(line);
    else if (at === 'warn') console.warn(line);
    else console.log(line);
  };
  return {
    enabled: (at) => ORDER[at] >= ORDER[level],
    debug: (message, fields) => emit('debug', message, fields),
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
  };
}
