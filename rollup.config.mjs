/**
 * Script-tag bundles of the web components (`npm run build:web` runs it after `lit-localize build`):
 *
 * - `dist/cdn/vc-consent.js`: every element, ES module;
 * - `dist/cdn/vc-consent-panel.js`, `vc-profile-card.js`, `vc-unsubscribe.js`: one element each, ES modules;
 * - `dist/cdn/locales/<lang>.js`: the translations, loaded by the ES modules on demand (`import('./locales/de.js')`);
 * - `dist/cdn/vc-consent.iife.js`: every element and every translation in one classic script (global `VcConsent`).
 *
 * Each ES module is self-contained (Lit included, no shared chunks), so any one of them works alone and its size is
 * its real cost. The budget test (`test/build/budgets.test.ts`) checks the sizes.
 */
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { readFileSync } from 'node:fs';
import esbuild from 'rollup-plugin-esbuild';

const LOCALE_MODULE = /generated\/locales\/([a-z]{2,3})\.js$/;
// The translated locales, as lit-localize's config names them.
const TARGETS = JSON.parse(readFileSync(new URL('./lit-localize.json', import.meta.url), 'utf8')).targetLocales;

const typescript = () =>
  esbuild({ target: 'es2022', tsconfig: 'tsconfig.json', loaders: { '.ts': 'ts' }, minify: false, sourceMap: false });

// `module: false` for the IIFE, or terser drops its global (`var VcConsent = …`) as an unused top-level binding.
// Members named `_like` are internal to the elements (shared between their modules, never public API, never reactive
// properties): they are shortened as `#private` ones are. Lit's `_$…` names and @lit/localize's `_resolve`/`_reject`
// are left as they are. No code here reads a function's `length`, so unused trailing parameters may go.
const minify = (module = true) =>
  terser({
    ecma: 2022,
    module,
    compress: { passes: 2, keep_fargs: false },
    mangle: { properties: { regex: /^_[a-z]/, reserved: ['_resolve', '_reject'] } },
    format: { comments: false },
  });

/**
 * Lit templates are not touched by terser: drop the indentation of our own `css` and `html` literals. CSS is squeezed
 * (comments, spaces around braces, semicolons, commas and after colons — never before a colon, which can be a
 * descendant combinator); in templates only the whitespace that follows `>` or precedes `<` on a new line, or indents an
 * attribute or a closing `>` on a line of its own, goes, so `msg()` texts (whose hash is their id) are never changed.
 */
const BLOCKS = 'p|div|li|ul|ol|section|fieldset|form|dl|dt|dd|h[1-6]|details|summary';
const BLOCK_OPEN_BREAK = new RegExp(`(<(?:${BLOCKS})(?:\\s[^<>]*)?>)\\n`, 'g');
const BLOCK_CLOSE_BREAK = new RegExp(`\\n(</(?:${BLOCKS})>)`, 'g');

function compactTemplates() {
  const squeeze = (text) =>
    text
      .replace(/\/\*[^]*?\*\//g, '')
      .replace(/\s+/g, ' ')
      .replace(/ ?([{};,]) ?/g, '$1')
      .replace(/: /g, ':')
      .replace(/;}/g, '}')
      .trim();
  return {
    name: 'vc-compact-templates',
    transform(code, id) {
      if (!/\/src\/components\/.*\.ts$/.test(id)) return null;
      return {
        code: code
          .replace(/css`([^`$]*)`/g, (_, text) => `css\`${squeeze(text)}\``)
          .replace(/>\n\s+/g, '>\n')
          .replace(/\n\s+</g, '\n<')
          // an attribute or binding on a line of its own (`.checked=${…}`, `@click=…`), or a tag's closing `>`
          .replace(/\n\s+(?=[.?@]?[a-zA-Z][\w-]*=|\/?>)/g, '\n')
          // a line break right inside a block's own tags renders as nothing (the line box starts or ends there)
          .replace(BLOCK_OPEN_BREAK, '$1')
          .replace(BLOCK_CLOSE_BREAK, '$1'),
        map: null,
      };
    },
  };
}

/** ES builds: a locale import becomes a file beside the bundle. */
function externalLocales() {
  return {
    name: 'vc-external-locales',
    resolveId(source) {
      const match = LOCALE_MODULE.exec(source);
      return match ? { id: `vc-locale:${match[1]}`, external: true } : null;
    },
  };
}

/** Locale files must stand alone: `str` (a three-field object) is inlined, anything else is refused. */
function standaloneLocales() {
  const STR = '\0vc-str';
  return {
    name: 'vc-standalone-locales',
    resolveId(source, importer) {
      if (!importer) return null;
      if (source === '@lit/localize') return STR;
      throw new Error(`${importer} imports ${source}: translated messages must not contain HTML (use str\`\` only)`);
    },
    load(id) {
      return id === STR ? 'export const str = (strings, ...values) => ({ strTag: true, strings, values });' : null;
    },
  };
}

const es = (input, file) => ({
  input,
  plugins: [externalLocales(), nodeResolve(), compactTemplates(), typescript(), minify()],
  output: {
    file: `dist/cdn/${file}`,
    format: 'es',
    paths: (id) => (id.startsWith('vc-locale:') ? `./locales/${id.slice(10)}.js` : id),
  },
});

export default [
  es('src/embed.ts', 'vc-consent.js'),
  es('src/components/consent-panel/define.ts', 'vc-consent-panel.js'),
  es('src/components/profile-card/define.ts', 'vc-profile-card.js'),
  es('src/components/unsubscribe/define.ts', 'vc-unsubscribe.js'),
  ...TARGETS.map((locale) => ({
    input: `src/generated/locales/${locale}.ts`,
    plugins: [standaloneLocales(), typescript(), minify()],
    output: { file: `dist/cdn/locales/${locale}.js`, format: 'es' },
  })),
  {
    input: 'src/embed.ts',
    plugins: [nodeResolve(), compactTemplates(), typescript(), minify(false)],
    output: { file: 'dist/cdn/vc-consent.iife.js', format: 'iife', name: 'VcConsent', inlineDynamicImports: true },
  },
];
