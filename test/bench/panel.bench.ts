/**
 * The consent panel's time to interactive (`npm run bench -- panel`), against a plain hand-written form that does the
 * same work: the same client-side request to the emulator (so the same CORS preflight and GET), then its switches
 * rendered from the answer (pages in `panel-pages.ts`). One local server serves every page and script (scripts
 * gzipped and cacheable, as from a CDN; pages never cached); the emulator answers the API on another origin.
 *
 * Each run opens a fresh browser context per page (alternating the pages, rotating which goes first, so a busy moment
 * on the machine hits all of them) and loads the page twice: a cold first visit (nothing cached) and a warm repeat
 * visit (scripts from the HTTP cache, the preflight from the preflight cache). "Interactive" = the first switch is in
 * the page and enabled, taken by the page's own probe; the clock is `performance.now()` (0 = navigation start). Each
 * time is split, from Resource Timing and the probe's marks, into consecutive parts that add up to it; the preflight
 * is read from Chromium's DevTools protocol (Resource Timing folds it into the cross-origin GET).
 *
 * `VC_BENCH_RUNS` sets the number of runs (default 21); `VC_BENCH_BASELINE=<another build's dist/cdn>` adds a page
 * with that build's panel to each run, and a ratio of this build's panel to it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';
import { startEmulator } from '../../src/emulator/index.js';
import { launchBrowser } from '../support/chromium.js';
import { tinyServer } from '../support/tiny-server.js';
import {
  BASELINE_SCRIPT,
  CONSENTS_PATH,
  PANEL_SCRIPT,
  PLAIN_SCRIPT,
  page as pageHtml,
  plainScript,
  scriptOf,
} from './panel-pages.js';
import type { PageKind } from './panel-pages.js';
import type { BenchSection } from './run.js';

const RUNS = Number(process.env.VC_BENCH_RUNS) || 21;
const CDN = fileURLToPath(new URL('../../dist/cdn', import.meta.url));
// Another build's `dist/cdn` folder: its panel is loaded as one more page of each run, to compare two builds.
const BASELINE = process.env.VC_BENCH_BASELINE;
const KINDS: PageKind[] = ['plain', 'panel', 'preload', ...(BASELINE ? (['baseline'] as const) : [])];
const LABELS: Record<PageKind, string> = {
  plain: 'plain form, same fetch',
  panel: '<vc-consent-panel>',
  preload: '<vc-consent-panel> + modulepreload',
  baseline: '<vc-consent-panel>, baseline build',
};

/** One page load, in ms: the parts add up to `total`. */
interface Sample {
  /** Navigation start to the script's request (the page's HTML). */
  page: number;
  /** The script's request to its last byte (Resource Timing). */
  download: number;
  /** The script's last byte to the API request being sent: evaluation, definition, upgrade. */
  evaluate: number;
  /** The API request: preflight (when not cached) and GET, to the answer's last byte. */
  network: number;
  /** The OPTIONS preflight's own time (0 when cached), part of `network`. */
  preflight: number;
  /** The answer's last byte to the first enabled switch. */
  afterData: number;
  total: number;
  /** The first enabled switch drawn: the end of the frame after `total`. */
  painted: number;
  /** When the panel's first render (its loading state) was in the page, from navigation start; plain: none. */
  firstRender: number | undefined;
}

type Visit = 'cold' | 'warm';

/** Reads a page's probe marks and Resource Timing once it is interactive. */
async function sampleOf(page: Page, kind: PageKind, preflight: () => number): Promise<Sample> {
  // A string, not a function: tsx would wrap the function's inner helpers in a `__name` the page does not have.
  const read = (await page.evaluate(`(() => {
    const resource = (suffix) => {
      const entry = performance.getEntriesByType('resource').find((item) => item.name.endsWith(suffix));
      return entry && { start: entry.startTime, end: entry.responseEnd };
    };
    const mark = (name) => performance.getEntriesByName(name)[0]?.startTime;
    return {
      script: resource(${JSON.stringify(scriptOf(kind))}),
      api: resource(${JSON.stringify(CONSENTS_PATH)}),
      interactive: mark('vc-bench:interactive'),
      firstRender: mark('vc-bench:first-render'),
      painted: mark('vc-bench:painted'),
    };
  })()`)) as {
    script?: { start: number; end: number };
    api?: { start: number; end: number };
    interactive: number;
    painted: number;
    firstRender?: number;
  };
  if (!read.script || !read.api) throw new Error(`${kind}: no Resource Timing entry for the script or the API call`);
  return {
    page: read.script.start,
    download: read.script.end - read.script.start,
    evaluate: read.api.start - read.script.end,
    network: read.api.end - read.api.start,
    preflight: preflight(),
    afterData: read.interactive - read.api.end,
    total: read.interactive,
    painted: read.painted,
    firstRender: read.firstRender,
  };
}

/** Loads a page in a context, timing the API call's preflight through the DevTools protocol. */
async function visit(context: BrowserContext, page: Page, url: string, kind: PageKind): Promise<Sample> {
  const session = await context.newCDPSession(page);
  await session.send('Network.enable');
  const sent = new Map<string, number>();
  let preflight = 0;
  session.on('Network.requestWillBeSent', ({ requestId, request, timestamp }) => {
    if (request.method === 'OPTIONS' && request.url.endsWith(CONSENTS_PATH)) sent.set(requestId, timestamp);
  });
  session.on('Network.loadingFinished', ({ requestId, timestamp }) => {
    const start = sent.get(requestId);
    if (start !== undefined) preflight = (timestamp - start) * 1000;
  });
  const painted = page.waitForEvent('console', {
    predicate: (message) => message.text() === 'vc-bench:painted',
    timeout: 10_000,
  });
  await page.goto(url, { waitUntil: 'commit' });
  await painted;
  try {
    return await sampleOf(page, kind, () => preflight);
  } finally {
    await session.detach();
  }
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low]! + (sorted[Math.ceil(at)]! - sorted[low]!) * (at - low);
}

const ms = (value: number) => value.toFixed(1);
const median = (values: number[]) => quantile(values, 0.5);
const range = (values: number[], format: (value: number) => string) =>
  `${format(quantile(values, 0.25))}–${format(quantile(values, 0.75))}`;

function row(label: string, samples: Sample[]): Record<string, string> {
  const part = (key: 'page' | 'download' | 'evaluate' | 'network' | 'preflight' | 'afterData') =>
    ms(median(samples.map((sample) => sample[key])));
  const of = (key: 'total' | 'painted') => samples.map((sample) => sample[key]);
  const renders = samples.flatMap((sample) => (sample.firstRender === undefined ? [] : [sample.firstRender]));
  return {
    page: label,
    'html ms': part('page'),
    'download ms': part('download'),
    'evaluate ms': part('evaluate'),
    'first render at': renders.length ? ms(median(renders)) : '(in HTML)',
    'network ms': part('network'),
    'of it preflight': part('preflight'),
    'after data ms': part('afterData'),
    'interactive ms': ms(median(of('total'))),
    'p25–p75': range(of('total'), ms),
    'painted ms': ms(median(of('painted'))),
    'painted p25–p75': range(of('painted'), ms),
  };
}

/** The ratio of the medians; the spread is that of each run's own ratio (a run loads every page once). */
function ratioRow(label: string, panel: Sample[], plain: Sample[]): Record<string, string> {
  const ratio = (key: 'total' | 'painted') => {
    const paired = panel.map((sample, i) => sample[key] / plain[i]![key]);
    const medianOf = (samples: Sample[]) => median(samples.map((sample) => sample[key]));
    return [`${(medianOf(panel) / medianOf(plain)).toFixed(2)}×`, range(paired, (value) => `${value.toFixed(2)}×`)];
  };
  const [interactive, interactiveRange] = ratio('total');
  const [painted, paintedRange] = ratio('painted');
  return {
    page: label,
    'interactive ms': interactive!,
    'p25–p75': interactiveRange!,
    'painted ms': painted!,
    'painted p25–p75': paintedRange!,
  };
}

export default async function panelBench(): Promise<BenchSection[]> {
  const emulator = await startEmulator({ port: 0, quiet: true });
  const gzipped = async (folder: string) =>
    gzipSync(await readFile(path.join(folder, path.basename(PANEL_SCRIPT))), { level: 9 });
  const panelScript = await gzipped(CDN);
  const baselineScript = BASELINE ? await gzipped(BASELINE) : undefined;
  const plainJs = gzipSync(plainScript(emulator.url), { level: 9 });
  const site = await tinyServer((request, response) => {
    const script = (body: Buffer) => {
      response.writeHead(200, {
        'content-type': 'text/javascript',
        'content-encoding': 'gzip',
        'cache-control': 'public, max-age=600',
      });
      response.end(body);
    };
    const url = request.url ?? '/';
    if (url === PANEL_SCRIPT) return script(panelScript);
    if (url === BASELINE_SCRIPT && baselineScript) return script(baselineScript);
    if (url === PLAIN_SCRIPT) return script(plainJs);
    const kind = /^\/(\w+)\.html$/.exec(url)?.[1] as PageKind | undefined;
    if (!kind || !KINDS.includes(kind)) return response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    response.end(pageHtml(kind, emulator.url));
  });
  const browser = await launchBrowser();
  try {
    const empty = (): Record<PageKind, Sample[]> => ({ plain: [], panel: [], preload: [], baseline: [] });
    const samples: Record<Visit, Record<PageKind, Sample[]>> = { cold: empty(), warm: empty() };
    for (let run = 0; run < RUNS; run += 1) {
      for (let i = 0; i < KINDS.length; i += 1) {
        const kind = KINDS[(run + i) % KINDS.length]!;
        const context = await browser.newContext();
        const page = await context.newPage();
        const url = `${site.url}/${kind}.html`;
        samples.cold[kind].push(await visit(context, page, url, kind));
        samples.warm[kind].push(await visit(context, page, url, kind));
        await context.close();
      }
    }
    const section = (visitKind: Visit, title: string, note: string): BenchSection => {
      const { plain, panel, preload, baseline } = samples[visitKind];
      return {
        title,
        rows: [
          ...KINDS.map((kind) => row(LABELS[kind], samples[visitKind][kind])),
          ratioRow('ratio panel / plain', panel, plain),
          ratioRow('ratio panel + modulepreload / plain', preload, plain),
          ...(BASELINE
            ? [
                ratioRow('ratio baseline panel / plain', baseline, plain),
                ratioRow('ratio panel / baseline', panel, baseline),
              ]
            : []),
        ],
        notes: [
          note,
          `${RUNS} runs, medians (so the parts, html to after data, need not add up to "interactive" exactly); ` +
            'p25–p75 of the runs. Interactive: the first enabled switch is in the DOM; painted: the frame showing it ' +
            'was drawn. Ratios: of the medians, and p25–p75 of each run\'s own ratio. "first render at": when the ' +
            "panel's loading state was in the page (ms since navigation start); it comes after the request was sent, " +
            'so it overlaps the network time. Network = preflight (when not cached) + GET, the same request on both.',
        ],
      };
    };
    return [
      section(
        'cold',
        'Consent panel vs a plain form doing the same fetch: cold first visit (Chromium, empty caches)',
        'Cold: a fresh browser context; both pages pay the CORS preflight (OPTIONS) before their GET.',
      ),
      section(
        'warm',
        'Consent panel vs a plain form doing the same fetch: warm repeat visit (same context)',
        'Warm: the second load in the same context; scripts come from the HTTP cache and the preflight from the ' +
          'preflight cache (Access-Control-Max-Age), so "of it preflight" is 0 and network is the GET alone.',
      ),
    ];
  } finally {
    await browser.close();
    await site.close();
    await emulator.close();
  }
}
