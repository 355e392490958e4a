/**
 * Seeded random HTTP requests for the dev stack (fast-check arbitraries, sampled by seed, so every run sends the same
 * sequence): odd methods, paths with `../`, unicode, emails and real tokens, huge or many headers, malformed JSON,
 * binary bodies, bodies trickled slowly or cut off, connections dropped at any byte.
 */
import fc from 'fast-check';
import { encodeRequest, type Delivery } from './raw-http.js';

export interface FuzzTarget {
  port: number;
  /** Path prefixes worth aiming at (routes of that server). */
  prefixes: string[];
  /** Extra header sets the fuzz may send (real credentials, cookies). */
  headerSets: Array<Array<[string, string]>>;
}

export interface FuzzRequest {
  port: number;
  bytes: Buffer;
  delivery: Delivery;
}

const ODD_SEGMENTS = [
  '..',
  '../..',
  '%2e%2e%2f',
  '%00',
  '%',
  'bob@example.com',
  'bob%40example.com',
  'chlo%C3%A9.dupont%2Bnews%40example.fr',
  '田中',
  '%F0%9F%92%A5',
  'cust_',
  '{token}',
  '',
  'x'.repeat(3_000),
];

const BODIES = [
  '',
  '{',
  '{"a":',
  '[[[[[[[[',
  '['.repeat(10_000),
  'null',
  '"text"',
  '{"__proto__":{"polluted":true}}',
  'customer=bob&next=account.html',
  'customer=%FF%FE&next=../../etc/passwd',
  '{"email":"bob@example.com","name":"\u0000\uD800"}',
];

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-16',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'text/csv',
  'text/plain',
  '*/*',
  '',
];

function requestArbitrary(targets: FuzzTarget[], secrets: string[]): fc.Arbitrary<FuzzRequest> {
  const segment = fc.oneof(
    fc.constantFrom(...ODD_SEGMENTS, ...secrets),
    fc.string({ maxLength: 24, unit: 'grapheme' }).map(encodeURIComponent),
  );
  const body = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...BODIES).map((text) => Buffer.from(text)) },
    { weight: 3, arbitrary: fc.json({ maxDepth: 4 }).map((text) => Buffer.from(text)) },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 4_096 }).map((bytes) => Buffer.from(bytes)) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 1_500_000 }).map((size) => Buffer.alloc(size, 'a')) },
  );
  const extraHeaders = fc.array(
    fc.oneof(
      fc.tuple(
        fc.constant('X-Pad'),
        fc.integer({ min: 1, max: 80_000 }).map((n) => 'a'.repeat(n)),
      ),
      fc.tuple(
        fc.constantFrom('Origin', 'Accept-Language', 'Range', 'Expect', 'Upgrade'),
        fc.string({ maxLength: 40 }),
      ),
      fc.tuple(
        fc.constant('Cookie'),
        fc.constantFrom(...secrets).map((s) => `demo_session=${s}`),
      ),
      fc.tuple(
        fc.constant('Authorization'),
        fc.constantFrom(...secrets).map((s) => `Bearer ${s}`),
      ),
    ),
    { maxLength: 4 },
  );
  const delivery: fc.Arbitrary<Delivery> = fc.oneof(
    { weight: 6, arbitrary: fc.constant<Delivery>({ kind: 'complete' }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('cut' as const),
        cutAt: fc.nat({ max: 4_000 }),
        lingerMs: fc.nat({ max: 200 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('slow' as const),
        pieces: fc.integer({ min: 2, max: 8 }),
        gapMs: fc.integer({ min: 10, max: 300 }),
        dropAtEnd: fc.boolean(),
      }),
    },
  );
  return fc
    .record({
      target: fc.constantFrom(...targets),
      method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND', 'get', 'BREW'),
      prefix: fc.nat(),
      segments: fc.array(segment, { maxLength: 3 }),
      query: fc.option(fc.string({ maxLength: 30 }).map((text) => `?${encodeURIComponent(text)}&token=x`)),
      headerSet: fc.nat(),
      extra: extraHeaders,
      contentType: fc.constantFrom(...CONTENT_TYPES),
      framing: fc.constantFrom('length', 'chunked', 'none'),
      body,
      delivery,
    })
    .map((r) => {
      const base = r.target.prefixes[r.prefix % r.target.prefixes.length]!;
      const path = `${base}${r.segments.map((s) => `/${s}`).join('')}${r.query ?? ''}`;
      const headerSet = r.target.headerSets.length
        ? r.target.headerSets[r.headerSet % r.target.headerSets.length]!
        : [];
      const headers: Array<[string, string]> = [['Host', `127.0.0.1:${r.target.port}`], ...headerSet, ...r.extra];
      if (r.contentType) headers.push(['Content-Type', r.contentType]);
      let payload = r.body;
      if (r.framing === 'length') headers.push(['Content-Length', String(payload.length)]);
      if (r.framing === 'chunked') {
        headers.push(['Transfer-Encoding', 'chunked']);
        payload = Buffer.concat([
          Buffer.from(`${payload.length.toString(16)}\r\n`),
          payload,
          Buffer.from('\r\n0\r\n\r\n'),
        ]);
      }
      if (r.framing === 'none') payload = Buffer.alloc(0);
      const bytes = encodeRequest({
        method: r.method,
        path,
        headers: [...headers, ['Connection', 'close']],
        body: payload,
      });
      return { port: r.target.port, bytes, delivery: r.delivery };
    });
}

/** The `batch`-th batch of `size` requests of the sequence seeded by `seed`. */
export function fuzzBatch(targets: FuzzTarget[], secrets: string[], seed: number, batch: number, size: number) {
  return fc.sample(requestArbitrary(targets, secrets), { seed: seed + batch, numRuns: size });
}
