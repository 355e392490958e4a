/** Script-tag entry for `<vc-unsubscribe>` alone (`dist/cdn/vc-unsubscribe.js`). */
import { setupLocalization } from '../localization.js';
import { VcUnsubscribe } from './unsubscribe.js';

setupLocalization();
if (!customElements.get('vc-unsubscribe')) customElements.define('vc-unsubscribe', VcUnsubscribe);

export { VcUnsubscribe };
export { setLocale } from '../localization.js';
