/**
 * The web components for npm and frameworks: classes, events and types. Importing this module defines no element and
 * sets up no localization; import `vc-consent/embed` for both, or define the tags yourself:
 *
 *   import { VcConsentPanel, setupLocalization } from 'vc-consent';
 *   setupLocalization();
 *   customElements.define('vc-consent-panel', VcConsentPanel);
 */
export { VcConsentPanel } from './components/consent-panel/consent-panel.js';
export { VcProfileCard } from './components/profile-card/profile-card.js';
export { VcUnsubscribe } from './components/unsubscribe/unsubscribe.js';
export * from './components/events.js';
export { setupLocalization, setLocale, normalizeLocale } from './components/localization.js';
export type { VcLocale } from './components/localization.js';
export type { Labels, LabelText } from './components/labels.js';
export { isVoucherifyError, VoucherifyError } from './api/errors.js';
export type { VoucherifyErrorKind } from './api/errors.js';
export type * from './api/edge-types.js';
