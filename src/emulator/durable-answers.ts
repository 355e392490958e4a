/**
 * No answer leaves before the changes made so far are on disk: a 2xx to a write means the write survives a crash,
 * and nothing a read shows can be lost afterwards. Without a data file this costs nothing.
 */
import type { MiddlewareHandler } from 'hono';
import type { EmulatorRuntime } from './emulator-runtime.js';
import { errorResponse, internalError } from './errors.js';
import type { EmulatorEnv } from './http-context.js';

export function durableAnswers(runtime: EmulatorRuntime): MiddlewareHandler<EmulatorEnv> {
  return async (c, next) => {
    await next();
    try {
      await runtime.durable();
    } catch {
      // The change is in memory but not on disk: say so rather than acknowledge it (the log refuses writes from now).
      c.res = errorResponse(internalError(), c.get('requestId'));
    }
  };
}
