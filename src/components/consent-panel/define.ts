/** Script-tag entry for `<vc-consent-panel>` alone (`dist/cdn/vc-consent-panel.js`). */
import { setupLocalization } from '../localization.js';
import { VcConsentPanel } from './consent-panel.js';

setupLocalization();
if (!customElements.get('vc-consent-panel')) customElements.define('vc-consent-panel', VcConsentPanel);

export { VcConsentPanel };
export { setLocale } from '../localization.js';
