/**
 * The `multipart/form-data` body of `POST /v1/customers/importCSV` (one field, `file`).
 *
 * A Blob or File goes through `FormData`. A web stream, a Node stream or any async iterable of bytes is framed as
 * a stream: the parts are written around the file's chunks as they are read, so a file of any size is never held
 * in memory (fetch sends it with `duplex: 'half'`; browsers need HTTP/2 for that, so pass them a File).
 */

import { randomHex } from './hex.js';

/** A CSV file: a Blob/File, a web `ReadableStream`, or an async iterable of bytes such as a Node `Readable`. */
export type CsvSource = Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>;

export interface CsvMultipart {
  body: FormData | ReadableStream<Uint8Array>;
  /** The `content-type` to send, when fetch cannot work it out from the body. */
  contentType?: string;
}

const DEFAULT_FILENAME = 'customers.csv';

export function csvMultipart(file: CsvSource, filename?: string): CsvMultipart {
  if (typeof Blob === 'function' && file instanceof Blob) {
    const form = new FormData();
    const name = filename ?? (typeof File === 'function' && file instanceof File ? file.name : DEFAULT_FILENAME);
    form.append('file', file, name);
    return { body: form };
  }
  if (!isStreamSource(file)) {
    throw new TypeError('importCustomersUsingCsv needs a Blob, a File, a ReadableStream or an async iterable of bytes');
  }
  const boundary = `----vc-consent-${randomHex(16)}`;
  const encoder = new TextEncoder();
  const head = encoder.encode(
    `--${boundary}\r\n` +
      `Content-Disposition: form-data; name="file"; filename="${escapeQuoted(filename ?? DEFAULT_FILENAME)}"\r\n` +
      'Content-Type: text/csv\r\n\r\n',
  );
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
  const chunks = iterate(file);
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(head);
      },
      async pull(controller) {
        for (;;) {
          const { done, value } = await chunks.next();
          if (done) {
            controller.enqueue(tail);
            controller.close();
            return;
          }
          const bytes = typeof value === 'string' ? encoder.encode(value) : value;
          if (bytes.byteLength > 0) {
            controller.enqueue(bytes);
            return;
          }
        }
      },
      async cancel(reason) {
        await chunks.return?.(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

function isStreamSource(file: unknown): file is ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string> {
  if (typeof file !== 'object' || file === null) return false;
  return (
    (typeof ReadableStream === 'function' && file instanceof ReadableStream) ||
    typeof (file as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function'
  );
}

/** One iterator over either kind of stream (browsers' `ReadableStream` is not always async-iterable). */
function iterate(
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>,
): AsyncIterator<Uint8Array | string> {
  if (typeof ReadableStream === 'function' && source instanceof ReadableStream) {
    const reader = source.getReader();
    return {
      next: () => reader.read() as Promise<IteratorResult<Uint8Array>>,
      async return(reason?: unknown) {
        await reader.cancel(reason);
        return { done: true, value: undefined };
      },
    };
  }
  return (source as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
}

// A filename is a quoted-string in Content-Disposition: quotes and line breaks are percent-encoded, as browsers do.
function escapeQuoted(value: string): string {
  return value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
