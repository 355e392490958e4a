/**
 * A write is answered only once the changes made so far are on disk: a 2xx to a write means it survives a crash.
 * Reads do not wait (a big import's reads would queue behind its syncs); an async action is `DONE` only once its rows
 * are on disk, so a read that shows it done shows nothing that could be lost. Without a data file this costs nothing.
 */
import type { MiddlewareHandler } from 'hono';
import type { EmulatorRuntime } from './emulator-runtime.js';
import { errorResponse, internalError } from './errors.js';
import type { EmulatorEnv } from './http-context.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function durableAnswers(runtime: EmulatorRuntime): MiddlewareHandler<EmulatorEnv> {
  return async (c, next) => {
    await next();
    if (READS.has(c.req.method)) return;
    try {
      await runtime.durable();
    } catch {
      // The change is in memory but not on disk: say so rather than acknowledge it (the log refuses writes from now).
      c.res = errorResponse(internalError(), c.get('requestId'));
    }
  };
}
