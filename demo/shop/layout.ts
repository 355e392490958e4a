/**
 * The demo's shared page chrome: navigation plus the locale and theme switcher every page carries. Static pages in
 * `demo/pages/` hold a `<!-- demo:header -->` marker that the server replaces with it; server-rendered pages use
 * `layout()`. No inline script or style anywhere: the demo runs under a strict CSP, like a careful shop would.
 */
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Locale } from '../../src/locales.js';

const PAGES = [
  ['/', 'Storefront'],
  ['/account.html', 'Account'],
  ['/emails', 'Sent emails'],
  ['/backoffice.html', 'Back office'],
] as const;

// Every supported locale, by its own name (the compiler keeps this in step with the locale list), in menu order.
const LOCALE_NAMES: Record<Locale, string> = {
  en: 'English',
  de: 'Deutsch',
  fr: 'Français',
  es: 'Español',
  it: 'Italiano',
  pl: 'Polski',
  pt: 'Português',
  nl: 'Nederlands',
  sv: 'Svenska',
  ja: '日本語',
  ar: 'العربية',
  he: 'עברית',
};

export function header(current: string): string {
  const links = PAGES.map(
    ([href, label]) => `<li><a href="${href}"${href === current ? ' aria-current="page"' : ''}>${label}</a></li>`,
  ).join('');
  const locales = Object.entries(LOCALE_NAMES)
    .map(([code, name]) => `<option value="${code}" lang="${code}">${name}</option>`)
    .join('');
  return `<header class="site-header">
  <a class="brand" href="/">Demo Shop</a>
  <nav aria-label="Demo pages"><ul>${links}</ul></nav>
  <div class="switchers">
    <span class="switcher">
      <label for="demo-locale">Language</label>
      <select id="demo-locale" data-demo-locale>${locales}</select>
    </span>
    <span class="switcher">
      <label for="demo-theme">Theme</label>
      <select id="demo-theme" data-demo-theme>
        <option value="auto">System</option><option value="light">Light</option><option value="dark">Dark</option>
      </select>
    </span>
    <span class="who" data-demo-who></span>
  </div>
</header>`;
}

export function layout(page: { title: string; current: string; body: HtmlEscapedString | Promise<HtmlEscapedString> }) {
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${page.title} · vc-consent demo</title>
    <link rel="stylesheet" href="/assets/demo.css" />
    <script type="module" src="/assets/chrome.js"></script>
  </head>
  <body>
    ${raw(header(page.current))}
    <main id="main">${page.body}</main>
  </body>
</html>`;
}
