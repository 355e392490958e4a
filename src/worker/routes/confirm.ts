/**
 * Double opt-in (`/confirm/<token>`): a sign-up records its consent choices only once the person opens the link mailed
 * to them and confirms.
 * - `GET` shows what will be recorded for which (masked) address, with a plain POST form. It changes nothing: mail
 *   scanners follow links.
 * - `POST` records the choices through the customer's Durable Object (creating the customer for a new address),
 *   writing only what differs from the stored state, once per link; using the link again changes nothing.
 */
import { Hono } from 'hono';
import type { EdgeConfirmResult } from '../../api/edge-types.js';
import { UNSUBSCRIBE_BODY_MAX_BYTES, readCapped } from '../body.js';
import type { Customer } from '../../api/types.js';
import { findCustomer, flattenDefinitions, loadDefinitions } from '../consents.js';
import type { AppContext, AppEnv } from '../context.js';
import { setupOf, loggedCustomer } from '../context.js';
import { writeFor } from '../customer-object.js';
import { upstreamFailure } from '../errors.js';
import { cors, route } from '../middleware.js';
import type { VerifiedConfirm } from '../link-tokens.js';
import type { OptInDetails } from '../pages/unsubscribe.js';
import { answer, limitByAddress, page, verifyPathToken, wantsJson } from './unsubscribe.js';

/** An expired or unreadable confirmation link gets its own page (nothing recorded; sign up again). */
const PAGES = {
  token_retired: 'optin_expired',
  invalid_token: 'optin_invalid',
  invalid_payload: 'optin_invalid',
} as const;

const verify = (c: AppContext): Promise<VerifiedConfirm> =>
  verifyPathToken(
    c,
    'confirmation',
    (secrets, token) => secrets.verifyConfirm(token),
    (verified) => verified.email,
  );

/** The consents of a confirmation by name (as Voucherify names them), split into given and declined. */
async function details(c: AppContext, token: VerifiedConfirm): Promise<OptInDetails> {
  const setup = setupOf(c);
  const definitions = await loadDefinitions({ api: setup.secrets.api, config: setup.config }).catch(
    (error: unknown) => {
      throw upstreamFailure(error);
    },
  );
  const names = new Map(flattenDefinitions(definitions).consents.map((consent) => [consent.id, consent.name]));
  const named = (given: boolean) =>
    Object.entries(token.consents)
      .filter(([id, value]) => value === given && names.has(id))
      .map(([id]) => names.get(id)!);
  return { email: token.email, given: named(true), declined: named(false) };
}

/**
 * The customer of a confirmation, created (`source_id` = the email) when there is none yet. Created before the write so
 * that the write, and its ledger records, happen in the customer's own Durable Object; creating twice is harmless
 * (Voucherify upserts by `source_id`).
 */
async function customerFor(c: AppContext, email: string): Promise<Customer> {
  const { api } = setupOf(c).secrets;
  try {
    return (await findCustomer(api, email)) ?? (await api.createCustomer({ source_id: email, email }));
  } catch (error) {
    throw upstreamFailure(error);
  }
}

export function confirmRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // Confirming changes state from a browser: the worker's own page, or the shop's pages by script.
  app.use('/confirm/:token', cors({ enforce: true, allowSelf: true, methods: 'GET, POST, OPTIONS' }));

  app.get('/confirm/:token', route('GET /confirm/{token}'), (c) =>
    answer(
      c,
      false,
      async () => {
        await limitByAddress(c);
        const token = await verify(c);
        return page(c, 'optin', 200, { optIn: await details(c, token) });
      },
      PAGES,
    ),
  );

  app.post('/confirm/:token', route('POST /confirm/{token}'), (c) => {
    const json = wantsJson(c);
    return answer(
      c,
      json,
      async () => {
        await limitByAddress(c);
        const token = await verify(c);
        await readCapped(c.req.raw, UNSUBSCRIBE_BODY_MAX_BYTES); // the form's body says nothing: the token does
        const customer = await customerFor(c, token.email);
        const outcome = await writeFor(c, customer.id, { kind: 'confirm', consents: token.consents, jti: token.jti });
        const { log } = setupOf(c);
        log.info('double opt-in', {
          request_id: c.get('state').requestId,
          customer: await loggedCustomer(c),
          reason: outcome.confirmed ? 'confirmed' : 'already-confirmed',
        });
        if (json) {
          const result: EdgeConfirmResult = {
            confirmed: true,
            already_confirmed: !outcome.confirmed,
            confirmed_at: outcome.confirmedAt,
          };
          return c.json(result);
        }
        if (!outcome.confirmed) return page(c, 'optin_used', 200, { optIn: { date: outcome.confirmedAt } });
        return page(c, 'optin_done', 200, { optIn: { ...(await details(c, token)), date: outcome.confirmedAt } });
      },
      PAGES,
    );
  });

  return app;
}
