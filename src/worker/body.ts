/**
 * Request bodies with a size cap: read at most `limit` bytes (a declared `Content-Length` over the cap is refused
 * before anything is read), then parse. Every failure is a 4xx in Voucherify's shape, never a 5xx.
 */
import { invalidPayload, tooLarge, unsupportedMediaType } from './errors.js';
import { WireError } from '../api/wire-error.js';

/** Small JSON bodies of the customer routes (`PUT /v1/me`, `PUT /v1/me/consents`). */
export const CUSTOMER_JSON_MAX_BYTES = 16 * 1024;
/** Unsubscribe POSTs carry one key/value pair; a mailbox provider's multipart envelope fits easily. */
export const UNSUBSCRIBE_BODY_MAX_BYTES = 4 * 1024;

/** One entry of a parsed `Accept` header, as `hono/accepts` hands it to a `match` function. */
export interface AcceptEntry {
  type: string;
  q: number;
}

/** The highest `q` an `Accept` header gives `type` (0 when it is not named). */
export const acceptRank = (entries: readonly AcceptEntry[], type: string): number =>
  Math.max(0, ...entries.filter((entry) => entry.type.toLowerCase() === type).map((entry) => entry.q));

export function mediaType(request: Request): string {
  return (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

function declaredLength(request: Request): number | null {
  const raw = request.headers.get('content-length');
  if (raw === null) return null;
  const value = Number(raw);
  return Number.isInteger(value) && value >= 0 ? value : null;
}

export async function readCapped(request: Request, limit: number): Promise<Uint8Array> {
  const declared = declaredLength(request);
  if (declared !== null && declared > limit) {
    await request.body?.cancel().catch(() => undefined);
    throw tooLarge(limit);
  }
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(limit);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof WireError) throw error;
    throw invalidPayload('The request body could not be read.');
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Reads a JSON object body (`Content-Type: application/json`, at most `limit` bytes). */
export async function readJsonObject(
  request: Request,
  limit = CUSTOMER_JSON_MAX_BYTES,
): Promise<Record<string, unknown>> {
  if (mediaType(request) !== 'application/json')
    throw unsupportedMediaType('a JSON body with Content-Type: application/json');
  const bytes = await readCapped(request, limit);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalidPayload('The body is not valid UTF-8.');
  }
  if (text.trim() === '') throw invalidPayload('The payload cannot be empty.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidPayload('The body is not valid JSON.');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw invalidPayload('The body must be a JSON object.');
  return parsed as Record<string, unknown>;
}

/** Parses a form body (urlencoded or multipart) already read into bytes. */
export async function parseForm(bytes: Uint8Array, contentType: string): Promise<Map<string, string>> {
  const form = new Map<string, string>();
  if (bytes.byteLength === 0) return form;
  try {
    const data = await new Response(bytes as Uint8Array<ArrayBuffer>, {
      headers: { 'content-type': contentType },
    }).formData();
    for (const [name, value] of data.entries()) if (typeof value === 'string' && !form.has(name)) form.set(name, value);
  } catch {
    throw invalidPayload('The form body could not be parsed.');
  }
  return form;
}
