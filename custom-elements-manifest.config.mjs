/** `cem analyze` (run by `npm run build:web`): writes `custom-elements.json` at the repository root. */
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
            if (declaration.events) declaration.events = declaration.events.filter((event) => event.name?.startsWith('vc-'));
            // Internal state declared in `static properties` (`{state: true}`) is no attribute.
            const internal = new Set((declaration.members ?? []).filter((member) => member.privacy === 'private').map((member) => member.name));
            if (declaration.attributes) declaration.attributes = declaration.attributes.filter((attribute) => !internal.has(attribute.fieldName));
          }
        }
      },
    },
  ],
};
