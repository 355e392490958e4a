/**
 * `npm run docs:elements`: writes `docs/elements.md`, the element reference, from `custom-elements.json` (which
 * `npm run build:web` generates with @custom-elements-manifest/analyzer from the components' JSDoc). Per element: its
 * attributes, properties, methods, events, slots, CSS parts and CSS custom properties; then the event classes.
 * `test/build/elements-doc.test.ts` fails when the committed file is not what this script would write.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const MANIFEST = path.join(ROOT, 'custom-elements.json');
export const OUTPUT = path.join(ROOT, 'docs', 'elements.md');

interface Typed {
  text: string;
}
interface Member {
  kind: 'field' | 'method';
  name: string;
  static?: boolean;
  privacy?: 'public' | 'private' | 'protected';
  readonly?: boolean;
  type?: Typed;
  default?: string;
  description?: string;
  attribute?: string;
  reflects?: boolean;
  return?: { type?: Typed };
  parameters?: { name: string; type?: Typed; optional?: boolean }[];
}
interface Named {
  name: string;
  description?: string;
  type?: Typed;
}
interface Declaration {
  kind: string;
  name: string;
  tagName?: string;
  customElement?: boolean;
  summary?: string;
  description?: string;
  superclass?: { name: string };
  members?: Member[];
  attributes?: (Named & { fieldName?: string; default?: string })[];
  events?: Named[];
  slots?: Named[];
  cssParts?: Named[];
  cssProperties?: (Named & { default?: string })[];
}
interface Manifest {
  modules: { path: string; declarations?: Declaration[] }[];
}

/** One table cell: one line, pipes escaped. */
const cell = (text: string | undefined) =>
  (text ?? '')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
    .trim();
const code = (text: string | undefined) => (text ? `\`${cell(text)}\`` : '');
const prose = (text: string | undefined) => (text ?? '').replace(/\s*\n\s*/g, ' ').trim();

function table(head: string[], rows: string[][]): string {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

function section(title: string, head: string[], rows: string[][], none: string): string {
  return `### ${title}\n\n${rows.length ? table(head, rows) : none}\n`;
}

const isPublic = (member: Member) =>
  member.privacy !== 'private' && member.privacy !== 'protected' && !member.name.startsWith('#');

function element(declaration: Declaration, modulePath: string): string {
  const tag = declaration.tagName!;
  const members = (declaration.members ?? []).filter(isPublic);
  const fields = new Map(members.filter((member) => member.kind === 'field').map((member) => [member.name, member]));
  const out: string[] = [];
  out.push(`## \`<${tag}>\`\n`);
  out.push(`Class \`${declaration.name}\` (\`${modulePath}\`), exported by \`vc-consent\`.\n`);
  const about = prose(declaration.summary || declaration.description);
  if (about) out.push(`${about}\n`);

  const attributes = declaration.attributes ?? [];
  out.push(
    section(
      'Attributes',
      ['Attribute', 'Property', 'Type', 'Default', 'Description'],
      attributes.map((attribute) => {
        const field = attribute.fieldName ? fields.get(attribute.fieldName) : undefined;
        const reflects = field?.reflects ? ' Reflected to the attribute.' : '';
        return [
          code(attribute.name),
          code(attribute.fieldName),
          code(attribute.type?.text ?? field?.type?.text),
          code(attribute.default ?? field?.default),
          cell(`${prose(attribute.description ?? field?.description)}${reflects}`),
        ];
      }),
      'None.',
    ),
  );

  const withAttribute = new Set(attributes.map((attribute) => attribute.fieldName));
  const properties = members.filter((member) => member.kind === 'field' && !withAttribute.has(member.name));
  out.push(
    section(
      'Properties',
      ['Property', 'Type', 'Default', 'Description'],
      properties.map((member) => [
        code(`${member.static ? `${declaration.name}.` : ''}${member.name}`) + (member.readonly ? ' (read-only)' : ''),
        code(member.type?.text),
        code(member.default),
        cell(member.description),
      ]),
      'None besides the attributes above (each attribute has its property).',
    ),
  );

  const methods = members.filter((member) => member.kind === 'method');
  out.push(
    section(
      'Methods',
      ['Method', 'Returns', 'Description'],
      methods.map((member) => [
        code(
          `${member.static ? `${declaration.name}.` : ''}${member.name}(${(member.parameters ?? []).map((parameter) => `${parameter.name}${parameter.optional ? '?' : ''}`).join(', ')})`,
        ),
        code(member.return?.type?.text),
        cell(member.description),
      ]),
      'None.',
    ),
  );

  out.push(
    section(
      'Events',
      ['Event', 'Type', 'Description'],
      (declaration.events ?? []).map((event) => [code(event.name), code(event.type?.text), cell(event.description)]),
      'None.',
    ),
  );
  out.push(
    section(
      'Slots',
      ['Slot', 'Description'],
      (declaration.slots ?? []).map((slot) => [slot.name ? code(slot.name) : '(default)', cell(slot.description)]),
      'None.',
    ),
  );
  out.push(
    section(
      'CSS parts',
      ['Part', 'Description'],
      (declaration.cssParts ?? []).map((part) => [code(part.name), cell(part.description)]),
      'None.',
    ),
  );
  out.push(
    section(
      'CSS custom properties',
      ['Custom property', 'Description'],
      (declaration.cssProperties ?? []).map((property) => [
        code(property.name),
        cell(`${prose(property.description)}${property.default ? ` Default: \`${property.default}\`.` : ''}`),
      ]),
      'None.',
    ),
  );
  return out.join('\n');
}

/** The Markdown of `docs/elements.md` for a manifest: the same manifest always gives the same text. */
export function renderElementsDoc(manifest: Manifest): string {
  const elements: { declaration: Declaration; modulePath: string }[] = [];
  const events: Declaration[] = [];
  for (const module of manifest.modules) {
    for (const declaration of module.declarations ?? []) {
      if (declaration.customElement && declaration.tagName) elements.push({ declaration, modulePath: module.path });
      else if (declaration.kind === 'class' && declaration.superclass?.name === 'Event') events.push(declaration);
    }
  }
  // The analyzer lists modules in the order the file system gives them, which differs between checkouts.
  elements.sort((a, b) => a.declaration.tagName!.localeCompare(b.declaration.tagName!));
  events.sort((a, b) => a.name.localeCompare(b.name));
  const out: string[] = [
    '<!-- Generated by `npm run docs:elements` from custom-elements.json (built by `npm run build:web`). Do not edit: change the JSDoc in src/components/ and regenerate. -->',
    '',
    '# Element reference',
    '',
    'Every attribute, property, method, event, slot, CSS part and CSS custom property of the three elements, as',
    "recorded in the package's `custom-elements.json` (editors and framework tooling read the same file through the",
    "package's `customElements` field). How the elements behave, how to load and style them: [components.md](components.md).",
    '',
    ...elements.map(({ declaration }) => `- [\`<${declaration.tagName}>\`](#${declaration.tagName})`),
    ...(events.length ? ['- [Event classes](#event-classes)'] : []),
    '',
  ];
  for (const { declaration, modulePath } of elements) out.push(element(declaration, modulePath));
  if (events.length) {
    out.push('## Event classes\n');
    out.push(
      'Every event is an `Event` subclass exported by `vc-consent`, bubbling and composed, and typed in `GlobalEventHandlersEventMap`.\n',
    );
    out.push(
      `${table(
        ['Class', 'Description'],
        events.map((event) => [code(event.name), cell(event.summary || event.description)]),
      )}\n`,
    );
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

export function readManifest(file = MANIFEST): Manifest {
  if (!existsSync(file)) throw new Error(`${path.relative(ROOT, file)} not found: run \`npm run build:web\` first`);
  return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const text = renderElementsDoc(readManifest());
  mkdirSync(path.dirname(OUTPUT), { recursive: true });
  writeFileSync(OUTPUT, text);
  console.log(`docs:elements: wrote ${path.relative(ROOT, OUTPUT)} (${text.length} characters)`);
}
