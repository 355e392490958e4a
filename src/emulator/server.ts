/**
 * Starting and stopping an emulator: a plain Node HTTP server around the Hono app (via @hono/node-server's request
 * listener), so `close()` can end keep-alive sockets and a fault can destroy a socket.
 */
import { getRequestListener } from '@hono/node-server';
import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import type { FaultRule } from './faults.js';
import { resolveOptions, type EmulatorOptions } from './options.js';
import type { RecordedRequest } from './request-log.js';
import { EmulatorRuntime, type ResetOutcome } from './emulator-runtime.js';

export interface RunningEmulator {
  /** e.g. 'http://127.0.0.1:41234' (no trailing slash). */
  url: string;
  port: number;
  /** Also cancels jobs and flushes persistence; closes keep-alive sockets. */
  close(): Promise<void>;
  /** Back to the seed: data, jobs, faults and the request log; with webhooks, once the receiver has heard of it. */
  reset(): Promise<ResetOutcome>;
  setFaults(rules: FaultRule[]): void;
  clearFaults(): void;
  requests(): RecordedRequest[];
  clearRequests(): void;
}

/** Thrown when the port is taken, so callers (main.ts) can say so in one line. */
export class PortInUseError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(`Port ${port} on ${host} is already in use`);
    this.name = 'PortInUseError';
  }
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(host, port) : error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const resolved = resolveOptions(options);
  const runtime = new EmulatorRuntime(resolved);
  await runtime.init();
  const app = createApp(runtime);
  const server = createServer(withoutBodyHeadersOnEmptyAnswers(getRequestListener(app.fetch)));
  let address: AddressInfo;
  try {
    address = await listen(server, resolved.port, resolved.host);
  } catch (error) {
    await runtime.close();
    throw error;
  }
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await runtime.close();
        await stopped;
      })();
      return closing;
    },
    reset: () => runtime.reset(),
    setFaults: (rules) => runtime.faults.set(rules),
    clearFaults: () => runtime.faults.clear(),
    requests: () => runtime.log.list(),
    clearRequests: () => runtime.log.clear(),
  };
}

/**
 * A 204 or 304 has no body, so it names no media type. @hono/node-server labels every answer without a
 * `Content-Type` as `text/plain`, with no option to turn that off, so the header is dropped as the status is written.
 */
function withoutBodyHeadersOnEmptyAnswers(listener: RequestListener): RequestListener {
  return (request, response) => {
    const writeHead = response.writeHead.bind(response) as (...args: unknown[]) => ServerResponse;
    response.writeHead = ((status: number, ...rest: unknown[]) => {
      if (status === 204 || status === 304) {
        response.removeHeader('content-type');
        for (const headers of rest)
          if (headers && typeof headers === 'object' && !Array.isArray(headers))
            for (const name of Object.keys(headers))
              if (name.toLowerCase() === 'content-type') delete (headers as Record<string, unknown>)[name];
      }
      return writeHead(status, ...rest);
    }) as ServerResponse['writeHead'];
    return listener(request, response);
  };
}
