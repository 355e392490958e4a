/**
 * The script-tag entry (`dist/cdn/vc-consent.js` and its IIFE twin `vc-consent.iife.js`, global `VcConsent`):
 * registers every `vc-*` element and sets up their localization. Also what `import 'vc-consent/embed'` does.
 */
export * from './components/consent-panel/define.js';
export * from './components/profile-card/define.js';
export * from './components/unsubscribe/define.js';
export * from './components/events.js';
export { isVoucherifyError } from './api/errors.js';
