/**
 * Writes `dist/lib/react.d.ts` (React 19: `JSX.IntrinsicElements`) and `dist/lib/vue.d.ts` (Vue 3:
 * `GlobalComponents`) from `custom-elements.json`: every element's attributes, named and typed as the analyzer read
 * them from the element classes. Run by `scripts/package-build.mjs`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The manifest's TypeScript type text, as an attribute value type: `string | undefined` → `string`. */
function attributeType(text = 'string') {
  const parts = text
    .split('|')
    .map((part) => part.trim())
    .filter((part) => part && part !== 'undefined' && part !== 'null');
  if (parts.length === 0) return 'string';
  // Numbers, and objects given as JSON (e.g. `labels`), also arrive as attribute text.
  return [
    ...new Set(parts.flatMap((part) => (part === 'number' || isTypeName(part) ? [part, 'string'] : [part]))),
  ].join(' | ');
}

/** A named type of the package (`Labels`), which the typings import from its entry. */
const isTypeName = (part) => /^[A-Z][A-Za-z0-9]*$/.test(part);

/** `import type { Labels } from './index.js';` for the named types the attributes use, if any. */
function typeImports(elements, more = []) {
  const names = new Set([...more, ...elements.flatMap((element) => element.attributes.flatMap((a) => a.types))]);
  return names.size ? `import type { ${[...names].sort().join(', ')} } from './index.js';\n` : '';
}

export function elementsOf(manifest) {
  return manifest.modules
    .flatMap((module) => (module.declarations ?? []).map((declaration) => ({ module, declaration })))
    .filter(({ declaration }) => declaration.tagName)
    .map(({ declaration }) => ({
      tag: declaration.tagName,
      className: declaration.name,
      attributes: (declaration.attributes ?? []).map((attribute) => ({
        name: attribute.name,
        type: attributeType(attribute.type?.text),
        types: attributeType(attribute.type?.text).split(' | ').filter(isTypeName),
        description: attribute.description ?? '',
      })),
      events: (declaration.events ?? []).map((event) => ({ name: event.name, type: event.type?.text ?? 'Event' })),
    }))
    .sort((a, b) => a.tag.localeCompare(b.tag));
}

const doc = (text, indent) =>
  text ? `${indent}/** ${text.replace(/\*\//g, '*\\/').replace(/\s*\n\s*/g, ' ')} */\n` : '';
const propsName = (className) => `${className}Attributes`;
/** Vue declares props in camelCase and matches a template's `worker-url` to `workerUrl` (vue-tsc checks it that way). */
const camelCase = (name) => name.replace(/-([a-z0-9])/g, (_, letter) => letter.toUpperCase());

function attributesInterfaces(elements, naming = (name) => name) {
  return elements
    .map(
      (element) =>
        `/** The attributes of \`<${element.tag}>\` (from custom-elements.json). Events (${element.events.map((event) => `\`${event.name}\``).join(', ')}) are listened to with \`addEventListener\` on the element (e.g. through a ref), not with \`on…\` props. */\n` +
        `export interface ${propsName(element.className)} {\n` +
        element.attributes
          .map((attribute) => `${doc(attribute.description, '  ')}  '${naming(attribute.name)}'?: ${attribute.type};\n`)
          .join('') +
        `}\n`,
    )
    .join('\n');
}

export function reactTypings(elements) {
  return `/**
 * React 19 JSX typings for the vc-consent elements. Generated from custom-elements.json by scripts/framework-typings.mjs.
 * Use: \`import type {} from 'vc-consent/react';\` once in your project (or \`"types": ["vc-consent/react"]\` in tsconfig).
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
${typeImports(
  elements,
  elements.map((element) => element.className),
)}
${attributesInterfaces(elements)}
declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
${elements.map((element) => `      '${element.tag}': DetailedHTMLProps<HTMLAttributes<${element.className}>, ${element.className}> & ${propsName(element.className)};`).join('\n')}
    }
  }
}
`;
}

export function vueTypings(elements) {
  return `/**
 * Vue 3 typings for the vc-consent elements in templates (\`GlobalComponents\`, read by vue-tsc / Volar). Generated from
 * custom-elements.json by scripts/framework-typings.mjs. Use: \`import type {} from 'vc-consent/vue';\` once (or
 * \`"types": ["vc-consent/vue"]\` in tsconfig), and tell Vue's compiler the tags are custom elements
 * (\`compilerOptions.isCustomElement: (tag) => tag.startsWith('vc-')\`).
 */
import type { DefineComponent } from 'vue';
${typeImports(elements)}
${attributesInterfaces(elements, camelCase)}
declare module 'vue' {
  interface GlobalComponents {
${elements.map((element) => `    '${element.tag}': DefineComponent<${propsName(element.className)}>;`).join('\n')}
  }
}
`;
}

export function writeFrameworkTypings(root) {
  const manifest = JSON.parse(readFileSync(path.join(root, 'custom-elements.json'), 'utf8'));
  const elements = elementsOf(manifest);
  if (elements.length === 0) throw new Error('framework-typings: custom-elements.json declares no elements');
  const lib = path.join(root, 'dist/lib');
  writeFileSync(path.join(lib, 'react.d.ts'), reactTypings(elements));
  writeFileSync(path.join(lib, 'vue.d.ts'), vueTypings(elements));
  // Runtime stubs, so an accidental `import 'vc-consent/react'` resolves to nothing instead of failing.
  writeFileSync(path.join(lib, 'react.js'), 'export {};\n');
  writeFileSync(path.join(lib, 'vue.js'), 'export {};\n');
}
