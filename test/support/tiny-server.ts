/**
 * A real `node:http` server for the few conditions the emulator cannot produce (ties of `created_at`, a proxy's
 * HTML page, a non-JSON success). Tests talk to it over real HTTP, like to the emulator.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  at: number;
}

export interface TinyServer {
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

export async function tinyServer(
  handler: (request: IncomingMessage, response: ServerResponse, seen: SeenRequest) => unknown,
): Promise<TinyServer> {
  const requests: SeenRequest[] = [];
  const server = createServer((request, response) => {
    const seen = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, at: Date.now() };
    requests.push(seen);
    Promise.resolve(handler(request, response, seen)).catch((error: unknown) => {
      response.statusCode = 500;
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}
