/**
 * What the consent panel's controls do: a switch, "accept all" and "opt out of everything" (confirmed first, then
 * undoable), and the Try again buttons; each moves focus where a keyboard user expects it.
 */
import type { VcConsentPanel } from './consent-panel.js';
import { send } from './saving.js';
import { change, each, formMode, quiet, shownOut } from './state.js';
import type { Before } from './state.js';

type Panel = VcConsentPanel;

const bulkButton = (all: boolean): string => (all ? '[part~=accept-all]' : '[part~=opt-out]');

/** Once rendered, focuses the first element matching one of the selectors. */
async function focus(p: Panel, ...selectors: string[]): Promise<void> {
  await p.updateComplete;
  for (const selector of selectors) {
    const target = p.renderRoot.querySelector<HTMLElement>(selector);
    if (target) return target.focus();
  }
}

export function toggle(p: Panel, event: Event): void {
  const { id, checked } = event.target as HTMLInputElement;
  change(p, id, checked, { ...p._shown, [id]: checked }, checked ? undefined : p._optOut);
}

/** "Accept all" / "opt out of everything": in a form they only change the switches; otherwise they ask first. */
export async function bulk(p: Panel, all: boolean): Promise<void> {
  if (formMode(p))
    return change(
      p,
      null,
      all,
      each(p, () => all),
      all ? undefined : true,
    );
  quiet(p);
  p._confirming = undefined;
  if (all ? !p._data!.consents.some(({ id }) => !p._shown[id]) : shownOut(p)) {
    p._status = 'same';
    return;
  }
  p._confirming = all;
  await focus(p, '[part~=confirm]');
}

export async function confirm(p: Panel): Promise<void> {
  const all = p._confirming!;
  const before: Before = [p._shown, shownOut(p), all];
  change(
    p,
    null,
    all,
    each(p, () => all),
    all ? undefined : true,
  );
  p._prior = before;
  const saved = p.save();
  await focus(p, bulkButton(all));
  await saved;
}

export async function cancel(p: Panel): Promise<void> {
  const all = p._confirming!;
  p._confirming = undefined;
  await focus(p, bulkButton(all));
}

/** Undo: the choices from before the bulk action, saved (a decision stored since cannot be unset: it is declined). */
export async function revert(p: Panel): Promise<void> {
  const [shown, optOut, all] = p._undo!;
  const stored = p._data!.state;
  change(
    p,
    null,
    !all,
    each(p, (id) => shown[id] ?? (stored[id] && false)),
    optOut,
  );
  await p.save();
  await focus(p, '[part~=save]');
}

export async function retry(p: Panel): Promise<void> {
  p._attempt = 0;
  // The Retry button is gone once saved: keep focus in the panel rather than dropping it on the page.
  if (await send(p)) await focus(p, '[part~=save]', 'input');
}

export async function retryLoad(p: Panel): Promise<void> {
  await p.reload();
  await focus(p, 'input', 'button');
}
