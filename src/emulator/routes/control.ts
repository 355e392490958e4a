/**
 * `/_emulator/…`: test controls for other processes (end-to-end and worker tests). No auth, never faulted, not
 * logged as API requests.
 */
import { Hono } from 'hono';
import { readJson } from '../body.js';
import { invalidPayload } from '../errors.js';
import { validateFaultRule } from '../faults.js';
import type { EmulatorRuntime } from '../emulator-runtime.js';
import type { EmulatorEnv, RouteDeps } from '../http-context.js';
import { describe, isPlainObject } from '../validation.js';

export function controlRoutes({ runtime }: RouteDeps): Hono<EmulatorEnv> {
  const { faults, log, options } = runtime;
  const app = new Hono<EmulatorEnv>();

  app.get('/_emulator/health', (c) => c.json({ ok: true }));

  app.post('/_emulator/reset', async (c) => {
    const outcome = await runtime.reset();
    return c.json({ ok: true, ...outcome });
  });

  app.get('/_emulator/faults', (c) => c.json({ rules: faults.list() }));

  // Replaces every rule.
  app.put('/_emulator/faults', async (c) => {
    const body = await readJson(c, options.maxBodyBytes, { anyMediaType: true });
    if (!isPlainObject(body) || !Array.isArray(body.rules))
      throw invalidPayload(`rules: must be an array of fault rules (actual value is ${describe(body)})`);
    faults.set(body.rules.map((rule, index) => validateFaultRule(rule, `rules[${index}].`)));
    return c.json({ rules: faults.list() });
  });

  // Appends one rule.
  app.post('/_emulator/faults', async (c) => {
    faults.add(validateFaultRule(await readJson(c, options.maxBodyBytes, { anyMediaType: true })));
    return c.json({ rules: faults.list() });
  });

  app.delete('/_emulator/faults', (c) => {
    faults.clear();
    return c.json({ rules: [] });
  });

  // The limits in force and the billing cycle's usage; POST starts a new cycle (`{"used": n}` counts n calls in it).
  app.get('/_emulator/quota', (c) => c.json(quotaView(runtime)));

  app.post('/_emulator/quota', async (c) => {
    const empty = !c.req.header('transfer-encoding') && !Number(c.req.header('content-length') ?? 0);
    const body = empty ? {} : await readJson(c, options.maxBodyBytes, { anyMediaType: true });
    if (!isPlainObject(body)) throw invalidPayload(`must be an object (actual value is ${describe(body)})`);
    const used = body.used ?? 0;
    if (!Number.isInteger(used) || (used as number) < 0)
      throw invalidPayload(`used: must be a whole number of calls, 0 or more (actual value is ${describe(used)})`);
    runtime.limiter.clear(used as number);
    return c.json(quotaView(runtime));
  });

  app.get('/_emulator/requests', (c) => c.json({ requests: log.list() }));

  app.delete('/_emulator/requests', (c) => {
    log.clear();
    return c.json({ requests: [] });
  });

  return app;
}

function quotaView({ limiter, options }: EmulatorRuntime) {
  const window = ({ limit, windowMs }: { limit: number; windowMs: number }) => ({ limit, windowMs });
  const cycle = limiter.cycle?.usage();
  return {
    plan: options.plan ?? null,
    rateLimit: window(limiter.server),
    clientRateLimit: window(limiter.client),
    cycle: cycle
      ? {
          ...cycle,
          startedAt: new Date(cycle.startedAt).toISOString(),
          resetsAt: new Date(cycle.resetsAt).toISOString(),
        }
      : null,
  };
}
