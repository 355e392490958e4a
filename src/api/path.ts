// Kept apart from the HTTP core so browser bundles that do not use ky can still encode ids safely.

/**
 * Builds a path whose interpolated values are each one URL-encoded segment, so an email, a unicode name or `../`
 * stays an id. `.` and `..` cannot be sent as a segment at all (URL parsers resolve them, even percent-encoded),
 * so they are refused, as is an empty id.
 */
export function path(strings: TemplateStringsArray, ...ids: string[]): string {
  return strings.reduce((out, part, i) => {
    if (i === 0) return part;
    const id = ids[i - 1];
    if (typeof id !== 'string' || id === '' || id === '.' || id === '..') {
      throw new TypeError(`Invalid id in path: ${JSON.stringify(id)}`);
    }
    return out + encodeURIComponent(id) + part;
  }, '');
}
