/**
 * A worker that drives the client inside workerd (bundled by esbuild, run by Miniflare in workerd.test.ts): the
 * same calls a Cloudflare Worker would make, answered as JSON for the test to check.
 */
import { VoucherifyClientSide } from '../../src/api/client-side.js';
import { isVoucherifyError } from '../../src/api/errors.js';
import { VoucherifyServerSide } from '../../src/api/server.js';

interface Env {
  API_URL: string;
  CUSTOMER_ID: string;
}

export default {
  async fetch(_request: Request, env: Env): Promise<Response> {
    const server = VoucherifyServerSide({
      baseUrl: env.API_URL,
      applicationId: 'emulator-app-id',
      secretKey: 'emulator-app-token',
    });
    const client = VoucherifyClientSide({
      baseUrl: env.API_URL,
      clientApplicationId: 'emulator-client-id',
      clientSecretKey: 'emulator-client-token',
      origin: 'https://localhost',
    });
    const customer = await server.getCustomer(env.CUSTOMER_ID);
    const consents = await client.listConsents();
    const csv = new Blob(['Source_id,Name\nworkerd-blob,From a Blob\n']);
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('Source_id,Name\n'));
        controller.enqueue(encoder.encode('workerd-stream,From a stream\n'));
        controller.close();
      },
    });
    const imports = [await server.importCustomersUsingCsv(csv), await server.importCustomersUsingCsv(stream)];
    const actions = [];
    for (const { async_action_id } of imports)
      actions.push(await server.waitForAsyncAction(async_action_id, { intervalMs: 20 }));
    const imported = [
      (await server.getCustomer('workerd-blob')).name,
      (await server.getCustomer('workerd-stream')).name,
    ];
    let notFound: unknown;
    try {
      await server.getCustomer('nobody@example.com');
    } catch (error) {
      notFound = isVoucherifyError(error) ? { kind: error.kind, status: error.status, key: error.key } : String(error);
    }
    return Response.json({
      customer: customer.id,
      consents: consents.consents.total,
      statuses: actions.map((action) => action.status),
      imported,
      notFound,
    });
  },
};
