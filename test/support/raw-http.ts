/**
 * HTTP by hand over node:net, for what no HTTP client sends: requests cut off mid-body, bodies trickled in slowly,
 * connections dropped at any byte. Each call settles within its own deadline whatever the server does.
 */
import { connect } from 'node:net';

/** What to do with a request's bytes: send them all, stop after `cutAt` bytes and drop, or trickle them. */
export type Delivery =
  | { kind: 'complete' }
  | { kind: 'cut'; cutAt: number; lingerMs: number }
  | { kind: 'slow'; pieces: number; gapMs: number; dropAtEnd: boolean };

export interface RawRequest {
  method: string;
  path: string;
  headers: Array<[string, string]>;
  body: Buffer;
}

/** The request's bytes: request line, headers, blank line, body (framing headers are the caller's). */
export function encodeRequest(request: RawRequest): Buffer {
  const head = [`${request.method} ${request.path} HTTP/1.1`, ...request.headers.map(([k, v]) => `${k}: ${v}`)];
  return Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), request.body]);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends `bytes` to 127.0.0.1:`port` as `delivery` says; resolves once the connection is gone (never rejects). */
export function sendRaw(port: number, bytes: Buffer, delivery: Delivery, deadlineMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(done, deadlineMs);
    socket.on('error', done);
    socket.on('close', done);
    socket.on('data', () => undefined); // read (and drop) whatever the server answers, so it is never blocked
    socket.once('connect', () => {
      void (async () => {
        if (delivery.kind === 'complete') {
          socket.end(bytes); // half-close: the server answers, then closes
          return;
        }
        if (delivery.kind === 'cut') {
          socket.write(bytes.subarray(0, delivery.cutAt));
          await sleep(delivery.lingerMs);
          return done();
        }
        const size = Math.ceil(bytes.length / delivery.pieces);
        for (let at = 0; at < bytes.length && !socket.destroyed; at += size) {
          socket.write(bytes.subarray(at, at + size));
          await sleep(delivery.gapMs);
        }
        if (delivery.dropAtEnd) done();
        else socket.end();
      })();
    });
  });
}

/** Runs `task` over `items` with at most `concurrency` at once. */
export async function inPool<T>(items: T[], concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/**
 * A request that announces a body it never finishes: `Content-Length` larger than what is sent, or a chunked body cut
 * inside a chunk, then the connection is dropped.
 */
export function halfSentRequest(
  index: number,
  target: { method: string; path: string; headers: Array<[string, string]> },
): Buffer {
  const body = Buffer.from(`{"partial":"${'x'.repeat(index % 200)}`);
  const chunked = index % 2 === 1;
  const framing: Array<[string, string]> = chunked
    ? [['Transfer-Encoding', 'chunked']]
    : [['Content-Length', String(body.length + 1 + (index % 5000))]];
  const payload = chunked ? Buffer.concat([Buffer.from(`${(body.length + 50).toString(16)}\r\n`), body]) : body;
  return encodeRequest({
    method: target.method,
    path: target.path,
    headers: [['Host', '127.0.0.1'], ['Content-Type', 'application/json'], ...target.headers, ...framing],
    body: payload,
  });
}
