/**
 * The consent panel's time from script start to interactive, against a plain hand-written HTML form with the same
 * consents, in the same Chromium, in one run (`npm run bench -- panel`). Both pages are served by the same local
 * server; the panel loads its definitions from the emulator with client keys (as on a storefront), the plain form has
 * them written into its HTML (the fastest a server-rendered page can be). "Interactive" = the first switch exists and
 * is enabled; the clock is the page's own `performance.now()` (0 = navigation start).
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, SEED_CONSENTS, SEED_CONSENT_GROUPS } from '../../src/emulator/index.js';
import { launchBrowser } from '../support/chromium.js';
import type { BenchSection } from './run.js';

const RUNS = 15;
const root = fileURLToPath(new URL('../..', import.meta.url));

function panelPage(emulatorUrl: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>panel</title>
<script type="module" src="/cdn/vc-consent-panel.js"></script>
<script type="module" src="/probe-panel.js"></script></head><body>
<vc-consent-panel client-application-id="emulator-client-id" client-token="emulator-client-token" api-url="${emulatorUrl}" customer="bob@example.com"></vc-consent-panel>
</body></html>`;
}

/** The same consents as a plain form, the way a shop would hand-write it. */
function plainPage(): string {
  const byId = new Map(SEED_CONSENTS.map((consent) => [consent.id, consent]));
  const groups = SEED_CONSENT_GROUPS.map(
    (group) =>
      `<fieldset><legend>${group.name}</legend><p>${group.description}</p>${group.consents
        .map((id) => byId.get(id)!)
        .map(
          (consent) =>
            `<div><input type="checkbox" role="switch" id="${consent.id}" name="${consent.id}"><label for="${consent.id}">${consent.name}</label><p>${consent.description}</p></div>`,
        )
        .join('')}</fieldset>`,
  ).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>plain</title>
<script type="module" src="/probe-plain.js"></script></head><body>
<form method="post" action="/save">${groups}<button type="button">Accept all</button><button type="button">Opt out of everything</button><button>Save choices</button></form>
</body></html>`;
}

// Each probe records when a switch is there and usable, without polling the page from outside.
const PROBE_PANEL = `
const done = (t) => { window.__interactive = t; };
const check = () => {
  const input = document.querySelector('vc-consent-panel')?.shadowRoot?.querySelector('input[role=switch]');
  if (input && !input.disabled) return done(performance.now());
  requestAnimationFrame(check);
};
check();`;
const PROBE_PLAIN = `
const input = document.querySelector('input[role=switch]');
window.__interactive = input && !input.disabled ? performance.now() : NaN;`;

async function serve(emulatorUrl: string): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    void (async () => {
      const url = request.url ?? '/';
      const send = (type: string, body: string | Buffer) => {
        response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
        response.end(body);
      };
      if (url === '/panel.html') return send('text/html', panelPage(emulatorUrl));
      if (url === '/plain.html') return send('text/html', plainPage());
      if (url === '/probe-panel.js') return send('text/javascript', PROBE_PANEL);
      if (url === '/probe-plain.js') return send('text/javascript', PROBE_PLAIN);
      if (url.startsWith('/cdn/') && !url.includes('..')) {
        return send('text/javascript', await readFile(path.join(root, 'dist', url)));
      }
      response.writeHead(404).end();
    })().catch(() => response.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, server };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export default async function panelBench(): Promise<BenchSection> {
  const emulator = await startEmulator({ port: 0, quiet: true });
  const site = await serve(emulator.url);
  const browser = await launchBrowser();
  try {
    const times: Record<'panel' | 'plain', number[]> = { panel: [], plain: [] };
    // Alternate the two pages so a busy moment on the machine hits both; a fresh context each time (cold cache).
    for (let run = 0; run < RUNS; run += 1) {
      for (const kind of ['plain', 'panel'] as const) {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(`${site.url}/${kind}.html`);
        await page.waitForFunction(
          () => (window as unknown as { __interactive?: number }).__interactive !== undefined,
          null,
          { timeout: 10_000 },
        );
        times[kind].push(await page.evaluate(() => (window as unknown as { __interactive: number }).__interactive));
        await context.close();
      }
    }
    const panel = median(times.panel);
    const plain = median(times.plain);
    return {
      title: 'Consent panel: script start to interactive, against a plain HTML form (Chromium, cold cache)',
      rows: [
        {
          page: 'plain hand-written form (consents in the HTML)',
          'median ms': plain.toFixed(1),
          'min ms': Math.min(...times.plain).toFixed(1),
          runs: RUNS,
        },
        {
          page: '<vc-consent-panel> (script + definitions from the emulator)',
          'median ms': panel.toFixed(1),
          'min ms': Math.min(...times.panel).toFixed(1),
          runs: RUNS,
        },
        { page: 'ratio panel / plain', 'median ms': `${(panel / plain).toFixed(2)}×`, 'min ms': '', runs: '' },
      ],
      notes: [
        'The panel pays for its script and one API round trip (GET /client/v1/consents); the plain form has neither.',
      ],
    };
  } finally {
    await browser.close();
    site.server.close();
    await emulator.close();
  }
}
