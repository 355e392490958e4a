/**
 * The built script-tag bundles (`dist/cdn/`, made by `npm run build:web`, which `npm test` runs first) in the browser:
 * a single-element entry with its on-demand translations, and both twins in pages under a strict Content Security
 * Policy (no inline script, no inline style). Skipped when nothing is built.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { testEnv, text } from '../support/browser/components.js';

const STRICT_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self' http://127.0.0.1:*; img-src 'self'";

/** A same-origin page (srcdoc) with a strict CSP, holding `body`. */
async function strictPage(head: string, body: string): Promise<Window> {
  const frame = document.createElement('iframe');
  frame.srcdoc = `<!doctype html><html><head>
    <meta http-equiv="Content-Security-Policy" content="${STRICT_CSP}">
    ${head}</head><body>
    <div id="inline-style-probe" style="color: rgb(255, 0, 0)">probe</div>
    ${body}</body></html>`;
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  await loaded;
  return frame.contentWindow!;
}

describe('built bundles', function () {
  before(async function () {
    const response = await fetch('/dist/cdn/vc-consent.js', { method: 'HEAD' });
    if (!response.ok) this.skip();
  });

  afterEach(() => {
    for (const frame of document.querySelectorAll('iframe')) frame.remove();
  });

  it('vc-consent-panel.js registers its element alone and fetches German from locales/de.js', async () => {
    await import(/* @vite-ignore */ `${location.origin}/dist/cdn/vc-consent-panel.js`);
    expect(customElements.get('vc-consent-panel')).to.exist;
    expect(customElements.get('vc-profile-card')).to.equal(undefined);
    const { workerUrl } = await testEnv();
    const el = document.createElement('vc-consent-panel');
    el.setAttribute('lang', 'de');
    el.setAttribute('worker-url', workerUrl);
    document.body.append(el);
    await waitUntil(() => text(el).includes('Auswahl speichern'), 'German texts', { timeout: 8000 });
    const fetched = performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname);
    expect(fetched).to.include('/dist/cdn/locales/de.js');
    el.remove();
  });

  it('the ES module works under a strict CSP and loads Arabic on demand', async () => {
    const { workerUrl } = await testEnv();
    const win = await strictPage(
      '<script type="module" src="/dist/cdn/vc-consent.js"></script>',
      `<vc-consent-panel lang="ar" worker-url="${workerUrl}"></vc-consent-panel>`,
    );
    const el = win.document.querySelector('vc-consent-panel')!;
    await waitUntil(() => el.shadowRoot && text(el).includes('حفظ الاختيارات'), 'Arabic texts', { timeout: 8000 });
    expect(el.getAttribute('dir')).to.equal('rtl');
    // The CSP is enforced (the inline style is blocked) and the element is styled all the same.
    expect(win.getComputedStyle(win.document.getElementById('inline-style-probe')!).color).not.to.equal(
      'rgb(255, 0, 0)',
    );
    expect(win.getComputedStyle(el).display).to.equal('block');
    expect(win.getComputedStyle(el.shadowRoot!.querySelector('[part~=base]')!).borderTopStyle).to.equal('solid');
  });

  it('the IIFE twin works as a classic script under a strict CSP, every translation inline', async () => {
    const win = await strictPage(
      '<script src="/dist/cdn/vc-consent.iife.js"></script>',
      '<vc-unsubscribe lang="ja" token="x" worker-url="http://127.0.0.1:9"></vc-unsubscribe>',
    );
    expect((win as unknown as { VcConsent: Record<string, unknown> }).VcConsent.VcUnsubscribe).to.be.a('function');
    const el = win.document.querySelector('vc-unsubscribe')!;
    await waitUntil(() => el.shadowRoot && text(el).includes('マーケティングメールの配信を停止'), 'Japanese texts', {
      timeout: 8000,
    });
    const fetched = win.performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname);
    expect(fetched.some((path) => path.includes('/locales/'))).to.equal(false);
    expect(win.getComputedStyle(el.shadowRoot!.querySelector('[part~=unsubscribe]')!).cursor).to.equal('pointer');
  });
});
