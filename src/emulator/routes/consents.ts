/** Consent definitions and a customer's consent decisions, server side (`/v1`) and client side (`/client/v1`). */
import { Hono } from 'hono';
import { readJson } from '../body.js';
import { notFound } from '../errors.js';
import { pathParam, writeContext, type EmulatorContext, type EmulatorEnv, type RouteDeps } from '../http-context.js';

const throwNotFound = (idOrSourceId: string): never => {
  throw notFound('customer', idOrSourceId);
};

export function consentRoutes({ runtime }: RouteDeps): Hono<EmulatorEnv> {
  const { store, options } = runtime;
  const app = new Hono<EmulatorEnv>();

  const definitions = (c: EmulatorContext) => c.json(store.consents.render());
  app.get('/v1/consents', definitions);
  app.get('/client/v1/consents', definitions);

  /** 204 on success; activities record what changed. */
  const update = (segment: number, channel: 'API' | 'CLIENT_API') => async (c: EmulatorContext) => {
    const idOrSourceId = pathParam(c, segment);
    const live = () => store.resolve(idOrSourceId) ?? throwNotFound(idOrSourceId);
    live();
    const decisions = store.consents.validate(await readJson(c, options.maxBodyBytes));
    // Found again once the body has arrived, and written in the same step: another write may have come in meanwhile.
    store.setConsents(live(), decisions, writeContext(c, channel));
    return c.body(null, 204);
  };
  app.put('/v1/customers/:customerId/consents', update(3, 'API'));
  app.put('/client/v1/customers/:customerId/consents', update(4, 'CLIENT_API'));

  return app;
}
