/**
 * Which methods a path answers, read off an app's registered routes (Hono's `app.routes`), so a 405 and its `Allow`
 * header follow the route table instead of being written out per path.
 */

/** A registered route as Hono lists it: `ALL` for middleware and catch-alls. */
export interface RegisteredRoute {
  method: string;
  path: string;
}

export interface PathMethods {
  /** The first route template the path matches (`/unsubscribe/:token`). */
  template: string;
  /** Every method the matching templates answer, in registration order. */
  methods: string[];
}

/** `/v1/customers/:customerId` → a matcher for concrete paths (`%2F` stays encoded, as routers see it). */
function templateMatcher(template: string, trailingSlash: boolean): RegExp {
  const source = template
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}${trailingSlash ? '/?' : ''}$`);
}

/**
 * A lookup from a request path to the methods its templates answer (null for an unknown path). Middleware, catch-alls
 * and wildcard paths are left out: they answer any method. `trailingSlash` also matches the path with a final `/`.
 */
export function methodsByPath(
  routes: readonly RegisteredRoute[],
  options: { trailingSlash?: boolean } = {},
): (path: string) => PathMethods | null {
  const known = new Map<string, { matcher: RegExp; methods: Set<string> }>();
  for (const route of routes) {
    if (route.method === 'ALL' || route.path.includes('*')) continue;
    const entry = known.get(route.path) ?? {
      matcher: templateMatcher(route.path, options.trailingSlash ?? false),
      methods: new Set<string>(),
    };
    entry.methods.add(route.method);
    known.set(route.path, entry);
  }
  return (path) => {
    let template: string | null = null;
    const methods = new Set<string>();
    for (const [candidate, { matcher, methods: answered }] of known) {
      if (!matcher.test(path)) continue;
      template ??= candidate;
      answered.forEach((method) => methods.add(method));
    }
    return template === null ? null : { template, methods: [...methods] };
  };
}
