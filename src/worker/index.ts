/**
 * Cloudflare Workers entry (`wrangler.toml`: `main = "src/worker/index.ts"`). Everything lives in `app.ts`.
 */
import { createApp } from './app.js';

const app = createApp();

export default {
  fetch: app.fetch,
};

// The per-customer Durable Object class must be exported from the entry module (`CUSTOMER_OBJECTS` in wrangler.toml).
export { CustomerObject } from './customer-object.js';
export type { Env } from './env.js';
