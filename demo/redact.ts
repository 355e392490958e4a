/**
 * Keeps tokens out of the dev stack's logs: whatever `npm start` prints (the worker's lines, the emulator's and the demo
 * shop's errors, its own messages) passes through `redactTokens` first. A token in a log is a working credential:
 * unsubscribe links never expire, and anyone reading a pasted log could use a session.
 */

const REDACTED = '[redacted]';

const PATTERNS: Array<[RegExp, string]> = [
  // The worker's link routes carry the token as their first path segment (route templates like `{token}` stay).
  [/(\/(?:unsubscribe|preferences|confirm)\/)(?!\{token\})[^/\s?#"'<>]+/gi, `$1${REDACTED}`],
  // Every token the kit mints is a compact JWS, wherever it shows up (query strings, bodies, error messages).
  [/\beyJ[\w-]+\.[\w-]+\.[\w-]*/g, REDACTED],
  [/\b(Bearer\s+)[^\s"',;]+/gi, `$1${REDACTED}`],
  // The demo shop's session cookie, in a Cookie or Set-Cookie header.
  [/\b(demo_session=)[^\s;"',]+/gi, `$1${REDACTED}`],
  [/([?&](?:token|access_token|session)=)[^&\s"'#]+/gi, `$1${REDACTED}`],
];

export function redactTokens(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** Redacts everything written to `stream` from now on (console.log/error included). */
export function redactWrites(stream: NodeJS.WriteStream): void {
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString() : null;
    return write(text === null ? chunk : redactTokens(text), ...rest);
  }) as typeof stream.write;
}
