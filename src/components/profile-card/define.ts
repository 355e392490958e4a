/** Script-tag entry for `<vc-profile-card>` alone (`dist/cdn/vc-profile-card.js`). */
import { setupLocalization } from '../localization.js';
import { VcProfileCard } from './profile-card.js';

setupLocalization();
if (!customElements.get('vc-profile-card')) customElements.define('vc-profile-card', VcProfileCard);

export { VcProfileCard };
export { setLocale } from '../localization.js';
