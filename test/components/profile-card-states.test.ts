import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../../src/embed.js';
import type { VcProfileCard } from '../../src/index.js';
import { addressLines } from '../../src/components/profile-card/address.js';
import { DEMO_CUSTOMERS } from '../../src/emulator/seed.js';
import {
  $,
  $$,
  clearFaults,
  itInEveryView,
  resetEmulator,
  sessionToken,
  setFaults,
  testEnv,
  text,
  until,
  untilText,
} from '../support/browser/components.js';

const { alice, bob, yuki } = DEMO_CUSTOMERS;
const active = (el: VcProfileCard) => el.shadowRoot!.activeElement as HTMLElement | null;
const confirmInput = (el: VcProfileCard) => $<HTMLInputElement>(el, '#confirm')!;

async function mount(customer: string, lang = 'en', theme = 'light'): Promise<VcProfileCard> {
  const { workerUrl } = await testEnv();
  return fixture<VcProfileCard>(html`<vc-profile-card
    lang=${lang}
    theme=${theme}
    worker-url=${workerUrl}
    session-token=${await sessionToken(customer)}
  ></vc-profile-card>`);
}

async function card(customer: string, lang = 'en', theme = 'light'): Promise<VcProfileCard> {
  const el = await mount(customer, lang, theme);
  await until(el, '[part~=details]');
  return el;
}

/** Opens the delete confirmation and submits a word that is not the one asked for. */
async function mistype(el: VcProfileCard): Promise<HTMLElement> {
  $(el, '[part~=delete]')!.click();
  await waitUntil(() => active(el)?.id === 'confirm', 'focus on the confirmation field');
  confirmInput(el).value = 'nope';
  $(el, 'form [type=submit]')!.click();
  return until(el, '#confirm-e');
}

describe('<vc-profile-card> states', () => {
  beforeEach(clearFaults);
  after(async () => {
    await setViewport({ width: 800, height: 600 });
    await resetEmulator();
  });

  describe('Escape', () => {
    it('cancels the edit form and returns focus to "edit"', async () => {
      const el = await card(bob.id);
      $(el, '[part~=edit]')!.click();
      await waitUntil(() => active(el)?.getAttribute('name') === 'name', 'focus on the first field');
      await sendKeys({ type: 'Bobby' });
      await sendKeys({ press: 'Escape' });
      await waitUntil(() => active(el) === $(el, '[part~=edit]'), 'focus back on edit');
      expect($(el, 'form')).to.equal(null);
      expect($(el, '[part~=details]')!.textContent).to.contain(bob.name);
    });

    it('cancels the delete confirmation and returns focus to "delete my data"', async () => {
      const el = await card(bob.id);
      $(el, '[part~=delete]')!.click();
      await waitUntil(() => active(el)?.id === 'confirm', 'focus on the confirmation field');
      await sendKeys({ type: 'DEL' });
      await sendKeys({ press: 'Escape' });
      await waitUntil(() => active(el)?.getAttribute('part') === 'button delete', 'focus back on delete');
      expect($(el, 'form')).to.equal(null);
    });
  });

  describe('delete confirmation', () => {
    it('marks out the word to type, in every language, and its error does not repeat the label', async () => {
      const words: Record<string, string> = {
        en: 'DELETE',
        ar: 'حذف',
        de: 'LÖSCHEN',
        es: 'ELIMINAR',
        fr: 'SUPPRIMER',
        he: 'מחיקה',
        it: 'ELIMINA',
        ja: '削除',
        nl: 'VERWIJDEREN',
        pl: 'USUŃ',
        pt: 'EXCLUIR',
        sv: 'RADERA',
      };
      const errors = new Set<string>();
      for (const [lang, word] of Object.entries(words)) {
        const el = await card(yuki.id, lang);
        const error = await mistype(el);
        const label = $(el, 'label[for=confirm]')!;
        expect(label.querySelector('strong')?.textContent, lang).to.equal(word);
        expect(label.textContent, lang).not.to.contain('\0');
        expect(label.textContent!.replace(word, '').trim(), lang).not.to.equal('');
        const said = error.textContent!.trim();
        expect(said, lang).not.to.contain(word);
        expect(said, lang).not.to.contain(label.textContent!.replace(word, '').trim());
        errors.add(said);
        if (lang === 'en') expect(said).to.equal('What you typed does not match.');
      }
      expect(errors.size, 'a translated error in each language').to.equal(Object.keys(words).length);
    });
  });

  describe('an account that no longer exists', () => {
    it('says so when loading, without a pointless "try again"', async () => {
      await setFaults([{ method: 'GET', path: '/v1/customers/*', kind: 'status', status: 404 }]);
      const el = await mount(alice.id);
      await untilText(el, 'This account no longer exists.');
      expect(text(el)).not.to.contain('not found');
      expect($(el, '[part~=retry]')).to.equal(null);
    });

    it('says so when saving', async () => {
      const el = await card(bob.id);
      $(el, '[part~=edit]')!.click();
      await until(el, 'form');
      $<HTMLInputElement>(el, 'input[name=name]')!.value = 'Robert';
      await setFaults([{ method: 'PUT', path: '/v1/customers/*', kind: 'status', status: 404 }]);
      $(el, 'form [type=submit]')!.click();
      await untilText(el, 'Your details have not been saved. This account no longer exists.');
      expect(text(el)).not.to.contain('not found');
    });

    it('in Arabic too', async () => {
      await setFaults([{ method: 'GET', path: '/v1/customers/*', kind: 'status', status: 404 }]);
      await untilText(await mount(alice.id, 'ar'), 'هذا الحساب لم يعد موجودًا.');
    });
  });

  describe('layout', () => {
    it('sets "try again" apart from the error', async () => {
      await setFaults([{ method: 'GET', path: '/v1/customers/*', kind: 'status', status: 400, times: 1 }]);
      const el = await mount(alice.id);
      const retry = await until(el, '[part~=retry]');
      const error = $(el, '[role=alert]')!;
      expect(retry.getBoundingClientRect().top - error.getBoundingClientRect().bottom).to.be.at.least(8);
    });

    it('shows "Not provided" in the size of the other values', async () => {
      const el = await card(yuki.id);
      const missing = $$(el, 'dd').find((dd) => dd.textContent!.includes('Not provided'))!;
      const given = $$(el, 'dd').find((dd) => dd.textContent!.includes(yuki.email))!;
      const size = (node: Element) => getComputedStyle(node).fontSize;
      expect(size(missing.firstElementChild!)).to.equal(size(given.firstElementChild!));
    });

    it("orders the address as the customer's country writes it", async () => {
      const address = { line_1: 'L1', line_2: 'L2', postal_code: 'PC', city: 'City', state: 'ST' };
      const cases: Array<[string[], string[]]> = [
        [
          ['US', 'United States', 'u.s.a.'],
          ['L1', 'L2', 'City, ST PC'],
        ],
        [
          ['GB', 'United Kingdom', 'uk'],
          ['L1', 'L2', 'City', 'ST', 'PC'],
        ],
        [
          ['DE', 'Germany', 'FR', 'France', 'Elsewhere'],
          ['L1', 'L2', 'PC City', 'ST'],
        ],
        [
          ['JP', 'Japan', '日本'],
          ['PC', 'ST City', 'L1', 'L2'],
        ],
        [
          ['BR', 'Brazil', 'Brasil'],
          ['L1', 'L2', 'City - ST', 'PC'],
        ],
      ];
      for (const [countries, lines] of cases) {
        for (const country of countries) {
          expect(addressLines({ ...address, country }), country).to.deep.equal([...lines, country]);
        }
      }
      // Missing parts leave no stray separators; no country keeps the usual order.
      expect(addressLines({ city: 'Austin', postal_code: '78701', country: 'US' })).to.deep.equal([
        'Austin 78701',
        'US',
      ]);
      expect(addressLines({ state: 'SP', country: 'BR' })).to.deep.equal(['SP', 'BR']);
      expect(addressLines({ line_1: 'a', postal_code: '1', city: 'b' })).to.deep.equal(['a', '1 b']);
      expect(addressLines(null)).to.deep.equal([]);

      const lines = (el: VcProfileCard) =>
        $$(el, 'dd bdi')
          .find((bdi) => bdi.querySelector('br'))!
          .innerText.split('\n')
          .map((line) => line.trim());
      expect(lines(await card(bob.id))).to.deep.equal(['123 Main St.', 'New York, NY 10001', 'United States']);
      expect(lines(await card(alice.id))).to.deep.equal(['Torstraße 1', '10119 Berlin', 'Germany']);
    });
  });

  describe('accessibility (en and ar, light and dark, desktop and phone)', () => {
    itInEveryView(async ({ lang, theme }) => {
      const el = await card(yuki.id, lang, theme);
      await mistype(el);
      await expect(el).to.be.accessible();
      await sendKeys({ press: 'Escape' });
      $(el, '[part~=edit]')!.click();
      await until(el, 'form');
      await expect(el).to.be.accessible();

      await setFaults([{ method: 'GET', path: '/v1/customers/*', kind: 'status', status: 400, times: 1 }]);
      const failed = await mount(alice.id, lang, theme);
      await until(failed, '[part~=retry]');
      await expect(failed).to.be.accessible();
      await setFaults([{ method: 'GET', path: '/v1/customers/*', kind: 'status', status: 404 }]);
      const gone = await mount(alice.id, lang, theme);
      await until(gone, '[role=alert]');
      await expect(gone).to.be.accessible();
      await clearFaults();
    });
  });
});
