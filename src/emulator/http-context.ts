/** The Hono environment the emulator's middleware and routes share, and small request helpers. */
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import type { EmulatorRuntime } from './emulator-runtime.js';
import type { ForgottenCustomer } from './store.js';

export type AuthKind = 'server' | 'client' | 'none';

export type EmulatorEnv = {
  Bindings: HttpBindings;
  Variables: {
    requestId: string;
    auth: AuthKind;
    /** Set when a fault destroyed the connection: nothing is answered. */
    dropped: boolean;
    /** Set by a permanent deletion: this request's log entry is redacted too. */
    forgotten: ForgottenCustomer | undefined;
  };
};

export type EmulatorContext = Context<EmulatorEnv>;

/** Shared by route modules. */
export interface RouteDeps {
  runtime: EmulatorRuntime;
}

/** The request target as the client sent it: path still percent-encoded, query without `?`. */
export function rawTarget(c: Context): { path: string; query: string } {
  let target = (c.env as Partial<HttpBindings> | undefined)?.incoming?.url;
  if (!target || !target.startsWith('/')) {
    const url = new URL(c.req.url);
    target = url.pathname + url.search;
  }
  const queryAt = target.indexOf('?');
  return queryAt === -1
    ? { path: target, query: '' }
    : { path: target.slice(0, queryAt), query: target.slice(queryAt + 1) };
}

/**
 * The `index`-th raw path segment, percent-decoded exactly once (so `a%252F` is `a%2F` and `..%2Fx` is the id
 * `../x`, never a path). A segment that is not valid percent-encoding is used as sent.
 */
export function pathParam(c: Context, index: number): string {
  const segment = rawTarget(c).path.split('/')[index] ?? '';
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function queryParams(c: Context): URLSearchParams {
  return new URLSearchParams(rawTarget(c).query);
}

/** How the write was made, for activities' `event_source.channel` and `group_id`. */
export function writeContext(c: EmulatorContext, channel: 'API' | 'CLIENT_API' = 'API') {
  return { requestId: c.get('requestId'), channel };
}
