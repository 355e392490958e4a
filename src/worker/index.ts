/**
 * Cloudflare Workers entry (`wrangler.toml`: `main = "src/worker/index.ts"`). Everything lives in `app.ts`.
 */
import { createApp } from './app.js';

const app = createApp();

export default {
  fetch: app.fetch,
};

export type { Env } from './env.js';
