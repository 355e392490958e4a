/**
 * What every worker page shares: the document around its content (language and direction, `noindex`,
 * `no-referrer`), one inline style block, a strict CSP that allows that style by its hash, and the answer's headers.
 * No JavaScript, no external resource; logical CSS properties, so right-to-left pages need no style of their own.
 */
import { html as honoHtml, raw } from 'hono/html';
import { isRightToLeft } from '../../locales.js';
import type { Locale } from '../../locales.js';

/** Markup made by `html` (Hono's escaped string), kept as it is wherever it is interpolated. */
export type Html = string & { isEscaped: true };

/**
 * Hono's `html`: strings are escaped, `html` fragments kept. Typed for what the pages build with it, never anything
 * asynchronous, so a page stays a plain string.
 */
export const html = honoHtml as (strings: TemplateStringsArray, ...values: unknown[]) => Html;

const STYLE = `:root{color-scheme:light dark;--fg:#1b1b1f;--bg:#f6f6f8;--card:#fff;--accent:#1f5fbf;--muted:#55575f}
@media (prefers-color-scheme:dark){:root{--fg:#ececf1;--bg:#16171b;--card:#202228;--accent:#8ab4ff;--muted:#b3b5bd}}
*{box-sizing:border-box}
body{margin:0;min-block-size:100vh;display:grid;place-items:center;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic","Noto Sans Hebrew","Noto Sans JP",sans-serif}
main{max-inline-size:32rem;margin:1.5rem;padding:2rem;background:var(--card);border-radius:12px;box-shadow:0 1px 4px rgb(0 0 0/.12)}
h1{font-size:1.4rem;line-height:1.3;margin:0 0 .75rem}
p{margin:0 0 1rem}
.muted{color:var(--muted)}
form{margin:1.25rem 0}
button{font:inherit;font-weight:600;padding:.6rem 1.4rem;border:0;border-radius:8px;background:var(--accent);color:var(--card);cursor:pointer}
button.secondary{background:transparent;color:var(--accent);border:2px solid var(--accent)}
button:focus-visible,a:focus-visible{outline:3px solid var(--accent);outline-offset:3px}
a{color:var(--accent)}`;

const styleHashes = new Map<string, Promise<string>>();
/** The CSP source for an inline style block: `'sha256-…'`, computed once per isolate (the shared style by default). */
export function styleSource(style: string = STYLE): Promise<string> {
  let hash = styleHashes.get(style);
  if (!hash) {
    hash = crypto.subtle.digest('SHA-256', new TextEncoder().encode(style)).then((digest) => {
      let binary = '';
      for (const byte of new Uint8Array(digest)) binary += String.fromCharCode(byte);
      return `'sha256-${btoa(binary)}'`;
    });
    styleHashes.set(style, hash);
  }
  return hash;
}

export interface PageCspOptions {
  /** Inline style blocks of the page besides the shared one, each allowed by its hash. */
  styles?: readonly string[];
  /** Where the page may load scripts from (none by default: the pages need no JavaScript). */
  scriptSources?: readonly string[];
  /** Let the page's scripts call the worker itself (`connect-src 'self'`). */
  connectSelf?: boolean;
}

export async function pageCsp(options: PageCspOptions = {}): Promise<string> {
  const styles = await Promise.all([STYLE, ...(options.styles ?? [])].map((style) => styleSource(style)));
  return [
    "default-src 'none'",
    `style-src ${styles.join(' ')}`,
    ...(options.scriptSources?.length ? [`script-src ${options.scriptSources.join(' ')}`] : []),
    ...(options.connectSelf ? ["connect-src 'self'"] : []),
    "img-src 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export interface PageAnswer {
  status: number;
  locale: Locale;
  /** Default: the pages' own policy (`pageCsp()`). */
  csp?: string;
  /** Headers of the answer besides the pages' own (e.g. `Allow`, `Retry-After`). */
  headers?: HeadersInit;
}

/** A page as an answer: its language, the CSP, never cached; no body to a HEAD. */
export async function pageResponse(method: string, body: string, answer: PageAnswer): Promise<Response> {
  const headers = new Headers(answer.headers);
  headers.set('Content-Type', 'text/html; charset=utf-8');
  headers.set('Content-Language', answer.locale);
  headers.set('Content-Security-Policy', answer.csp ?? (await pageCsp()));
  headers.set('Cache-Control', 'no-store');
  return new Response(method === 'HEAD' ? null : body, { status: answer.status, headers });
}

/** `rtl` for Arabic and Hebrew. */
export function dirOf(locale: Locale): 'rtl' | 'ltr' {
  return isRightToLeft(locale) ? 'rtl' : 'ltr';
}

export interface ShellOptions {
  locale: Locale;
  title: string;
  /** The content of `<main>`. */
  main: Html;
  /** A second inline style block (its hash must be in the CSP: `pageCsp({ styles: [style] })`). */
  style?: string;
  /** More of `<head>`, e.g. a module script the CSP allows. */
  head?: Html;
}

// The same on every page: the encoding, a mobile viewport, out of search engines, no referrer sent on.
const META = raw(
  '<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<meta name="robots" content="noindex, nofollow"><meta name="referrer" content="no-referrer">',
);

/** The document every worker page shares. The style blocks go in verbatim: the CSP allows them by their hash. */
export function pageShell({ locale, title, main, style, head }: ShellOptions): string {
  const styles = html`<style>${raw(STYLE)}</style>${style ? html`<style>${raw(style)}</style>` : ''}`;
  const start = html`<html lang="${locale}" dir="${dirOf(locale)}"><head>${META}<title>${title}</title>`;
  return html`<!doctype html>\n${start}${styles}${head}</head><body><main>${main}</main></body></html>`.toString();
}
