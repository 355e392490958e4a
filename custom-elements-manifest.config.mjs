/**
 * `cem analyze` (run by `npm run build:web`): writes `custom-elements.json` at the repository root. Module paths point at
 * the shipped files (`dist/lib/…/*.js`, tsc's output of `src/…/*.ts`), not at the sources, which are not published.
 */
import path from 'node:path';

/** `src/a/b.ts`, `/src/a/b.js` or `../c.js` (relative to `from`) → `dist/lib/a/b.js`. */
function shipped(value, from) {
  let file = value.replace(/^\//, '');
  if (file.startsWith('.') && from) file = path.posix.join(path.posix.dirname(from), file);
  return file.startsWith('src/') ? `dist/lib/${file.slice(4).replace(/\.ts$/, '.js')}` : value;
}

/** Every `path` and `module` in the manifest, rewritten with `shipped()`. */
function rewritePaths(node, from) {
  if (Array.isArray(node)) return node.forEach((item) => rewritePaths(item, from));
  if (!node || typeof node !== 'object') return;
  for (const key of ['path', 'module']) if (typeof node[key] === 'string') node[key] = shipped(node[key], from);
  for (const value of Object.values(node)) if (value && typeof value === 'object') rewritePaths(value, from);
}

export default {
  globs: ['src/components/**/*.ts'],
  exclude: ['src/components/**/*.styles.ts'],
  outdir: '.',
  litelement: true,
  plugins: [
    {
      // Events are documented with `@fires`; drop the nameless guesses the analyzer makes from `dispatchEvent(new X(…))`.
      name: 'vc-documented-events-only',
      packageLinkPhase({ customElementsManifest }) {
        for (const module of customElementsManifest.modules) {
          for (const declaration of module.declarations ?? []) {
            if (declaration.events)
              declaration.events = declaration.events.filter((event) => event.name?.startsWith('vc-'));
            // Internal state declared in `static properties` (`{state: true}`) is no attribute.
            const internal = new Set(
              (declaration.members ?? []).filter((member) => member.privacy === 'private').map((member) => member.name),
            );
            if (declaration.attributes)
              declaration.attributes = declaration.attributes.filter((attribute) => !internal.has(attribute.fieldName));
          }
        }
        for (const module of customElementsManifest.modules) {
          const from = module.path;
          rewritePaths(module, from);
        }
      },
    },
  ],
};
