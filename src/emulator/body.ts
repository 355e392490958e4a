/**
 * Request bodies: read from the Node request stream with the size limit counted as bytes arrive (a 413 leaves the
 * connection usable for the answer), JSON checked for its media type and syntax.
 */
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { Context } from 'hono';
import { invalidPayload, payloadTooLarge, unsupportedMediaType } from './errors.js';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

/** The raw body as a Node stream: the Node request itself when running on @hono/node-server. */
export function bodyStream(c: Context): Readable {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming) return incoming;
  return c.req.raw.body ? Readable.fromWeb(c.req.raw.body as WebReadableStream) : Readable.from([]);
}

export function readLimited(stream: Readable, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const cleanup = () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) {
        cleanup();
        stream.pause();
        reject(payloadTooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    // A client that goes away mid-body is a bad request, not a server failure.
    const onError = () => {
      cleanup();
      reject(invalidPayload('The request body ended early'));
    };
    const onClose = () => {
      if (!stream.readableEnded) onError();
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
    if (stream.readableEnded) onEnd();
  });
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Parses a JSON body: 415 for another media type, 400 `invalid_payload` for an empty or malformed one.
 * `anyMediaType` (control routes) reads the body as JSON whatever it is labelled, so a bare `curl -d` works.
 */
export async function readJson(
  c: Context,
  maxBytes: number,
  options: { anyMediaType?: boolean } = {},
): Promise<unknown> {
  const contentType = options.anyMediaType ? 'application/json' : c.req.header('content-type');
  const raw = await readLimited(bodyStream(c), maxBytes);
  const text = raw.toString('utf8');
  if (contentType !== undefined && !JSON_TYPE.test(contentType)) throw unsupportedMediaType(contentType);
  if (text.trim() === '') throw invalidPayload('The payload cannot be empty');
  if (contentType === undefined) throw unsupportedMediaType(undefined);
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    throw invalidPayload(`Invalid JSON: ${(error as Error).message}`);
  }
  if (nestedDeeperThan(value, MAX_JSON_DEPTH))
    throw invalidPayload(`The payload is nested more than ${MAX_JSON_DEPTH} levels deep`);
  return value;
}

/**
 * How deep a body may nest. Far beyond any real customer or metadata, and far below what would overflow the stack
 * of the recursive code that later validates, stores and answers it (`JSON.stringify` included).
 */
export const MAX_JSON_DEPTH = 64;

/** Walks the parsed value without recursion, so the check itself cannot overflow. */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length) {
    const [node, depth] = pending.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
}
