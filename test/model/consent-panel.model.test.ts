/**
 * Model-based test of `<vc-consent-panel>`: fast-check drives the real panel (the built bundle, in Chromium) against
 * the real worker (workerd, with its per-customer Durable Object) and the real emulator through random sequences of
 * what people and networks do — toggle, accept all, opt out, cancel, undo, save, faults (429, 500, slow, offline, and
 * writes that are applied while their answer is lost or too late),
 * healing, reloads, fresh session tokens, waiting — and checks them against a model of what the person chose:
 *
 * - the panel always shows what the person chose (it never changes a switch by itself);
 * - it never says "Saved" while anything it shows differs from what the emulator stores;
 * - once settled (faults healed, Save pressed until saved), every consent the person touched holds their last visible
 *   choice, every consent they did not touch keeps its value and its date, and no consent activity names it;
 * - the opt-out flag is what the person last chose.
 *
 * `npm test` runs 50 sequences (`VC_MODEL_RUNS`), `npm run test:soak` 500. A failure prints the seed and path:
 * `VC_MODEL_SEED=<seed> VC_MODEL_PATH=<path> node --import tsx --test test/model/consent-panel.model.test.ts` replays
 * it (add `VC_MODEL_SHRINK=1` to shrink it to a smallest failing sequence).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { BrowserContext, Page } from 'playwright-core';
import type { CustomerConsentsState } from '../../src/api/types.js';
import { DEMO_CUSTOMERS, SEED_CONSENT_IDS, SEED_CONSENTS } from '../../src/emulator/index.js';
import {
  FAULTS,
  consentEvents,
  openPage,
  startModelStack,
  storedConsents,
  type FaultName,
  type ModelStack,
} from '../support/model-stack.js';
import { devSessionToken } from '../support/tokens.js';

const RUNS = Number(process.env.VC_MODEL_RUNS ?? 50);
const SEED = process.env.VC_MODEL_SEED ? Number(process.env.VC_MODEL_SEED) : undefined;
const PATH = process.env.VC_MODEL_PATH;
const IDS = SEED_CONSENTS.map((consent) => consent.id);
type CustomerKey = keyof typeof DEMO_CUSTOMERS;

/** What the person sees and chose. `undefined`: not chosen (shown off). */
interface Model {
  customer: CustomerKey;
  initial: CustomerConsentsState;
  shown: Record<string, boolean | undefined>;
  touched: Set<string>;
  /**
   * Whether the person is opted out of everything: `true` after "opt out of everything" (until they turn a consent on),
   * `false` while a consent is on or after Undo gave back a state that was not opted out, `null` when the record may
   * hold either (a consent turned on and off again: whether the opt-out ended depends on whether a save came between).
   */
  optedOut: boolean | null;
  /** `optedOut` was chosen outright (opt-out, Undo), not implied by a switch. */
  outChosen: boolean;
  /** What Undo gives back, as long as the last bulk action is the last thing the person did. */
  beforeBulk: { shown: Model['shown']; optedOut: boolean | null; outChosen: boolean } | null;
  fault: FaultName | null;
  loaded: boolean;
}

interface Real {
  stack: ModelStack;
  context: BrowserContext;
  page: Page;
  customerId: string;
  /** The email: what the test reads the emulator by (faults only hit `cust_…` paths). */
  sourceId: string;
  since: string;
}

function isUnsubscribed(state: CustomerConsentsState): boolean {
  const out = state.unsubscribed;
  if (!out?.value) return false;
  return !Object.entries(state).some(
    ([id, decision]) => id !== 'unsubscribed' && decision.value && decision.date > out.date,
  );
}

/** The panel as the person sees it, read in one go from its shadow tree. */
interface Seen {
  loaded: boolean;
  loadFailed: boolean;
  checked: Record<string, boolean>;
  unsaved: string[];
  status: string;
  confirm: boolean;
  undo: boolean;
  retry: boolean;
}

// A string, not a function: tsx's name-keeping helpers do not exist in the page.
const LOOK = `(() => {
  const root = document.querySelector('vc-consent-panel').shadowRoot;
  const checked = {};
  for (const input of root.querySelectorAll('input[role=switch]')) checked[input.id] = input.checked;
  return {
    loaded: !!root.querySelector('fieldset'),
    loadFailed: !!root.querySelector('[role=alert]'),
    checked,
    unsaved: [...root.querySelectorAll('[part~=unsaved] input')].map((input) => input.id),
    status: (root.querySelector('[part~=status]')?.textContent ?? '').replace(/\\s+/g, ' ').trim(),
    confirm: !!root.querySelector('[part~=confirm]'),
    undo: !!root.querySelector('[part~=undo]'),
    retry: !!root.querySelector('[part~=retry]'),
  };
})()`;

function look(page: Page): Promise<Seen> {
  return page.evaluate(LOOK) as Promise<Seen>;
}

const part = (page: Page, name: string) => page.locator('vc-consent-panel').locator(`[part~=${name}]`).first();

/**
 * Presses a button that the panel may take away on its own at any moment (Try again, Undo: an automatic retry or the
 * end of the undo window removes them): checked and clicked in one step in the page. Resolves whether it was there.
 */
const press = (page: Page, name: string): Promise<boolean> =>
  page.evaluate(`(() => {
    const button = document.querySelector('vc-consent-panel').shadowRoot.querySelector('[part~=${name}]');
    button?.click();
    return !!button;
  })()`) as Promise<boolean>;

async function until(page: Page, test: (seen: Seen) => boolean, what: string, timeout = 15_000): Promise<Seen> {
  const end = Date.now() + timeout;
  for (;;) {
    const seen = await look(page);
    if (test(seen)) return seen;
    if (Date.now() > end) throw new Error(`the panel never ${what}; it shows ${JSON.stringify(seen)}`);
    await page.waitForTimeout(40);
  }
}

/** Hands the panel a session token (a fresh one each time, same customer) and tunes its timers for the test. */
async function signIn(real: Real): Promise<void> {
  const token = await devSessionToken(real.customerId);
  await real.page.evaluate(`(async () => {
    await customElements.whenDefined('vc-consent-panel');
    const Panel = customElements.get('vc-consent-panel');
    Panel.retryDelays = [60, 120, 250, 500];
    Panel.undoWindowMs = 60000;
    document.querySelector('vc-consent-panel').sessionToken = ${JSON.stringify(token)};
  })()`);
}

async function openPanel(real: Real, model: Model): Promise<void> {
  await signIn(real);
  const seen = await until(real.page, (s) => s.loaded || s.loadFailed, 'loaded');
  model.loaded = seen.loaded;
}

async function setFault(real: Real, fault: FaultName | null): Promise<void> {
  await real.context.setOffline(fault === 'offline');
  if (fault && fault !== 'offline') real.stack.emulator.setFaults(FAULTS[fault]);
  else real.stack.emulator.clearFaults();
}

/** The invariants that hold after every step. */
async function checkStep(model: Model, real: Real, step: string): Promise<void> {
  const seen = await look(real.page);
  if (!seen.loaded) return;
  for (const id of IDS) {
    assert.equal(
      seen.checked[id],
      model.shown[id] === true,
      `after ${step}: ${id} is shown ${seen.checked[id] ? 'on' : 'off'}, the person chose ${model.shown[id]}`,
    );
  }
  if (/^Saved /.test(seen.status)) {
    assert.deepEqual(seen.unsaved, [], `after ${step}: "${seen.status}" with rows marked unsaved`);
    const stored = await storedConsents(real.stack, real.sourceId);
    const seenNow = await look(real.page);
    if (!/^Saved /.test(seenNow.status)) return; // the person's next change raced the read: nothing to compare
    for (const id of IDS) {
      assert.equal(
        stored[id]?.value ?? false,
        model.shown[id] === true,
        `after ${step}: the panel says "${seen.status}" but ${id} is stored ${JSON.stringify(stored[id])}`,
      );
    }
    if (model.optedOut !== null) {
      assert.equal(
        isUnsubscribed(stored),
        model.optedOut,
        `after ${step}: "${seen.status}" but the stored opt-out is ${isUnsubscribed(stored)}`,
      );
    }
  }
}

abstract class Step implements fc.AsyncCommand<Model, Real> {
  abstract check(model: Readonly<Model>): boolean;
  abstract act(model: Model, real: Real): Promise<void>;
  abstract toString(): string;
  async run(model: Model, real: Real): Promise<void> {
    await this.act(model, real);
    await checkStep(model, real, this.toString());
  }
}

class Toggle extends Step {
  constructor(readonly index: number) {
    super();
  }
  check = (model: Readonly<Model>) => model.loaded;
  async act(model: Model, real: Real) {
    const id = IDS[this.index]!;
    await real.page.locator('vc-consent-panel').locator(`[id="${id}"]`).click();
    const on = model.shown[id] !== true;
    model.shown = { ...model.shown, [id]: on };
    model.touched.add(id);
    if (on) [model.optedOut, model.outChosen] = [false, false];
    else if (model.optedOut === false && !model.outChosen && !IDS.some((other) => model.shown[other] === true))
      model.optedOut = null;
    model.beforeBulk = null;
  }
  toString = () => `toggle(${IDS[this.index]})`;
}

class Bulk extends Step {
  constructor(
    readonly all: boolean,
    readonly confirm: boolean,
  ) {
    super();
  }
  check = (model: Readonly<Model>) => model.loaded;
  async act(model: Model, real: Real) {
    const allOff = IDS.every((id) => model.shown[id] !== true);
    if (!this.all && allOff && model.optedOut === null) return; // the panel's answer depends on what was saved: skip
    const changesNothing = this.all ? IDS.every((id) => model.shown[id] === true) : model.optedOut === true && allOff;
    await part(real.page, this.all ? 'accept-all' : 'opt-out').click();
    if (changesNothing) {
      // It says so (an automatic retry may replace that line at once) and asks nothing.
      await real.page.waitForTimeout(50);
      assert.equal(
        (await look(real.page)).confirm,
        false,
        'a bulk action that changes nothing asks for no confirmation',
      );
      return;
    }
    await until(real.page, (seen) => seen.confirm, 'asked to confirm');
    await part(real.page, this.confirm ? 'confirm' : 'cancel').click();
    if (!this.confirm) return;
    model.beforeBulk = { shown: model.shown, optedOut: model.optedOut, outChosen: model.outChosen };
    model.shown = Object.fromEntries(IDS.map((id) => [id, this.all]));
    for (const id of IDS) model.touched.add(id);
    [model.optedOut, model.outChosen] = [!this.all, !this.all];
  }
  toString = () => `${this.all ? 'acceptAll' : 'optOut'}(${this.confirm ? 'confirm' : 'cancel'})`;
}

class Undo extends Step {
  check = (model: Readonly<Model>) => model.loaded;
  async act(model: Model, real: Real) {
    const before = model.beforeBulk;
    if (!(await press(real.page, 'undo'))) return;
    assert.ok(before, 'Undo is offered only after a bulk action');
    model.shown = { ...before.shown };
    model.optedOut = before.optedOut;
    model.outChosen = before.optedOut !== null;
    model.beforeBulk = null;
  }
  toString = () => 'undo';
}

class Save extends Step {
  check = (model: Readonly<Model>) => model.loaded;
  async act(_model: Model, real: Real) {
    await part(real.page, 'save').click();
  }
  toString = () => 'save';
}

class Fault extends Step {
  constructor(readonly fault: FaultName | null) {
    super();
  }
  check = () => true;
  async act(model: Model, real: Real) {
    await setFault(real, this.fault);
    model.fault = this.fault;
  }
  toString = () => (this.fault ? `fault(${this.fault})` : 'heal');
}

class Reload extends Step {
  check = (model: Readonly<Model>) => model.fault !== 'offline';
  async act(model: Model, real: Real) {
    await real.page.reload();
    model.beforeBulk = null;
    await openPanel(real, model);
  }
  toString = () => 'reload';
}

class RetryLoad extends Step {
  check = (model: Readonly<Model>) => !model.loaded;
  async act(model: Model, real: Real) {
    await press(real.page, 'retry');
    const seen = await until(real.page, (s) => s.loaded || s.loadFailed, 'loaded again');
    model.loaded = seen.loaded;
  }
  toString = () => 'retryLoad';
}

class FreshToken extends Step {
  check = (model: Readonly<Model>) => model.fault !== 'offline';
  async act(_model: Model, real: Real) {
    await signIn(real);
  }
  toString = () => 'freshToken';
}

class Wait extends Step {
  constructor(readonly ms: number) {
    super();
  }
  check = () => true;
  async act(_model: Model, real: Real) {
    await real.page.waitForTimeout(this.ms);
  }
  toString = () => `wait(${this.ms})`;
}

const steps = [
  fc.nat({ max: IDS.length - 1 }).map((index) => new Toggle(index)),
  fc.nat({ max: IDS.length - 1 }).map((index) => new Toggle(index)),
  fc.tuple(fc.boolean(), fc.constantFrom(true, true, true, false)).map(([all, confirm]) => new Bulk(all, confirm)),
  fc.constant(new Undo()),
  fc.constant(new Save()),
  fc.constant(new Save()),
  fc
    .constantFrom<FaultName>('status 429', 'status 500', 'slow', 'late answer', 'lost answer', 'offline')
    .map((fault) => new Fault(fault)),
  fc.constant(new Fault(null)),
  fc.constant(new Reload()),
  fc.constant(new RetryLoad()),
  fc.constant(new FreshToken()),
  fc.integer({ min: 50, max: 1200 }).map((ms) => new Wait(ms)),
];

/** Heals every fault and finishes the job as a person would: Try again / Save until the panel says it is saved. */
async function settle(model: Model, real: Real): Promise<void> {
  await setFault(real, null);
  model.fault = null;
  let seen = await look(real.page);
  for (let attempt = 0; !seen.loaded; attempt += 1) {
    assert.ok(attempt < 5, `the panel never loaded once healed: ${JSON.stringify(seen)}`);
    seen = await until(real.page, (s) => s.loaded || s.retry, 'loaded or offered to try again');
    if (!seen.loaded) {
      await press(real.page, 'retry');
      seen = await until(real.page, (s) => s.loaded || s.loadFailed, 'loaded once healed');
    }
  }
  model.loaded = true;
  for (let round = 0; ; round += 1) {
    seen = await until(real.page, (s) => s.status !== 'Saving…', 'finished saving');
    const done =
      (/^Saved /.test(seen.status) || seen.status === 'There are no changes to save.') && seen.unsaved.length === 0;
    if (done && round > 0) return;
    assert.ok(round < 6, `the panel never settled: ${JSON.stringify(seen)}`);
    if (!(await press(real.page, 'retry'))) await press(real.page, 'save');
    await real.page.waitForTimeout(50);
  }
}

async function checkSettled(model: Model, real: Real): Promise<void> {
  await checkStep(model, real, 'settling');
  const stored = await storedConsents(real.stack, real.sourceId);
  for (const id of IDS) {
    if (model.touched.has(id)) {
      assert.equal(
        stored[id]?.value ?? false,
        model.shown[id] === true,
        `${id}: the person's last choice was ${model.shown[id]}, stored ${JSON.stringify(stored[id])}`,
      );
    } else {
      assert.deepEqual(stored[id], model.initial[id], `${id} was never touched: its value and date must stay`);
    }
  }
  if (model.optedOut !== null)
    assert.equal(isUnsubscribed(stored), model.optedOut, 'the opt-out flag is what the person last chose');
  const events = await consentEvents(real.stack, real.sourceId, real.since);
  for (const event of events) {
    const untouched = event.consents.filter((id) => !model.touched.has(id));
    assert.deepEqual(untouched, [], `${event.type} names consents nobody touched`);
  }
}

/** One sequence from a fresh page (its own sessionStorage) and the seeded emulator, settled and checked. */
async function runSequence(
  stack: ModelStack,
  customer: CustomerKey,
  commands: Iterable<fc.AsyncCommand<Model, Real>>,
): Promise<void> {
  await stack.emulator.reset();
  stack.emulator.clearFaults();
  const { id: customerId, source_id: sourceId } = DEMO_CUSTOMERS[customer];
  const initial = await storedConsents(stack, sourceId);
  const { context, page } = await openPage(stack);
  const real: Real = { stack, context, page, customerId, sourceId, since: new Date().toISOString() };
  const model: Model = {
    customer,
    initial,
    shown: Object.fromEntries(IDS.map((id) => [id, initial[id]?.value])),
    touched: new Set(),
    optedOut: isUnsubscribed(initial),
    outChosen: true,
    beforeBulk: null,
    fault: null,
    loaded: false,
  };
  try {
    await page.goto(stack.pageUrl);
    await openPanel(real, model);
    await fc.asyncModelRun(() => ({ model, real }), commands);
    await settle(model, real);
    await checkSettled(model, real);
  } finally {
    await context.close();
  }
}

describe('<vc-consent-panel> against a model of the person’s choices', () => {
  let stack: ModelStack;
  before(async () => {
    stack = await startModelStack();
  });
  after(() => stack?.close());

  it(`${RUNS} random sequences of actions, faults, reloads and token refreshes: the record is what the person chose`, async () => {
    const started = Date.now();
    let sequences = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<CustomerKey>('alice', 'bob', 'chloe', 'yuki'),
        fc.commands(steps, { maxCommands: 18 }),
        async (customer, commands) => {
          sequences += 1;
          await runSequence(stack, customer, commands);
        },
      ),
      {
        numRuns: RUNS,
        ...(SEED !== undefined ? { seed: SEED } : {}),
        ...(PATH ? { path: PATH } : {}),
        endOnFailure: process.env.VC_MODEL_SHRINK !== '1',
        verbose: 1,
        includeErrorInReport: true,
      },
    );
    console.log(`model: ${sequences} sequences in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  // Sequences the random ones reach only rarely, run every time.
  const newsletter = IDS.indexOf(SEED_CONSENT_IDS.newsletter);
  const examples: Array<[string, CustomerKey, Step[]]> = [
    [
      'a save whose answer came too late was applied; the person turned the switch back meanwhile: the record follows them',
      'alice',
      [
        new Toggle(newsletter),
        new Fault('late answer'),
        new Save(),
        new Wait(300),
        new Toggle(newsletter),
        new Wait(2500),
      ],
    ],
    [
      'the same, with a reload before any answer',
      'alice',
      [
        new Toggle(newsletter),
        new Fault('late answer'),
        new Save(),
        new Wait(200),
        new Toggle(newsletter),
        new Fault(null),
        new Reload(),
        new Wait(2500),
      ],
    ],
    [
      'Undo of an opt-out that took nothing away ends the opt-out',
      'bob',
      [new Bulk(false, true), new Wait(300), new Undo()],
    ],
    [
      'Save pressed during a slow save sends what changed meanwhile',
      'alice',
      [new Fault('slow'), new Toggle(newsletter), new Save(), new Toggle(newsletter + 1), new Save(), new Wait(2500)],
    ],
  ];
  for (const [name, customer, sequence] of examples) {
    it(name, () => runSequence(stack, customer, sequence));
  }
});
