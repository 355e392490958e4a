/**
 * Regional and legacy language tags fall back to the language the elements are translated into (`pt-PT` and `pt-BR`
 * → `pt`, `de-CH` → `de`, `iw` → `he`), unknown ones to English, while dates keep the full tag; a date that cannot be
 * read shows as a dash, never as the raw text that came.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/embed.js';
import type { VcConsentPanel } from '../../src/index.js';
import { formatDate, normalizeLocale } from '../../src/components/localization.js';
import { resetEmulator, sessionToken, testEnv, until } from '../support/browser/components.js';
import { DEMO_CUSTOMERS } from '../../src/emulator/seed.js';

describe('locale fallback', () => {
  it('maps regional and legacy tags to a translated language, and unknown ones to none', () => {
    const cases: Array<[string, string | undefined]> = [
      ['pt-PT', 'pt'],
      ['pt-BR', 'pt'],
      ['pt_BR', 'pt'],
      ['de-CH', 'de'],
      ['de-AT', 'de'],
      ['fr-CA', 'fr'],
      ['es-419', 'es'],
      ['ar-EG', 'ar'],
      ['iw', 'he'],
      ['he-IL', 'he'],
      ['sv-FI', 'sv'],
      ['zh-CN', undefined],
      ['', undefined],
    ];
    for (const [tag, locale] of cases) expect(normalizeLocale(tag), tag).to.equal(locale);
  });

  it('a panel in de-CH speaks German with Swiss dates; one in zh-CN speaks English', async () => {
    await resetEmulator();
    const { workerUrl } = await testEnv();
    const token = await sessionToken(DEMO_CUSTOMERS.alice.id);
    const swiss = await fixture<VcConsentPanel>(html`<vc-consent-panel
      lang="de-CH"
      worker-url=${workerUrl}
      session-token=${token}
    ></vc-consent-panel>`);
    await until(swiss, 'fieldset');
    expect(swiss._i18n.locale).to.equal('de');
    expect(swiss._i18n.tag).to.equal('de-CH');
    swiss.remove();
    const chinese = await fixture<VcConsentPanel>(html`<vc-consent-panel
      lang="zh-CN"
      worker-url=${workerUrl}
      session-token=${token}
    ></vc-consent-panel>`);
    await until(chinese, 'fieldset');
    expect(chinese._i18n.locale).to.equal('en');
    chinese.remove();
  });

  it('a date that cannot be read is a dash', () => {
    expect(formatDate('de-CH', '2025-01-06T09:05:00Z', { dateStyle: 'medium', timeZone: 'UTC' })).to.equal(
      '06.01.2025',
    );
    expect(formatDate('ar', 'not a date', { dateStyle: 'medium' })).to.equal('—');
    expect(formatDate('en', '2025-13-45', { dateStyle: 'medium' })).to.equal('—');
  });
});
