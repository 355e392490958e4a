/** `GET /v1/async-actions/{id}` and the list (without results). */
import { Hono } from 'hono';
import { notFound } from '../errors.js';
import { pathParam, queryParams, type EmulatorEnv, type RouteDeps } from '../http-context.js';
import { renderAsyncAction } from '../jobs.js';
import { QueryReader } from '../validation.js';

export function asyncActionRoutes({ runtime }: RouteDeps): Hono<EmulatorEnv> {
  const { jobs } = runtime;
  const app = new Hono<EmulatorEnv>();

  app.get('/v1/async-actions', (c) => {
    const query = new QueryReader(queryParams(c));
    const limit = query.integer('limit', 1, 100) ?? 10;
    const endDate = query.date('end_date');
    const { actions, hasMore } = jobs.list(limit, endDate);
    return c.json({
      object: 'list',
      data_ref: 'async_actions',
      async_actions: actions.map((action) => renderAsyncAction(action, false)),
      has_more: hasMore,
    });
  });

  app.get('/v1/async-actions/:asyncActionId', (c) => {
    const id = pathParam(c, 3);
    const action = jobs.get(id);
    if (!action) throw notFound('async_action', id);
    return c.json(renderAsyncAction(action));
  });

  return app;
}
