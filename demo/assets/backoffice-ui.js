// What every back-office section shares: the call to the shop's own server, messages that stay until dismissed or
// replaced by the next action, and a confirmation step for destructive actions.
export const $ = (selector) => document.querySelector(selector);

export async function api(path, init = {}) {
  const response = await fetch(`/admin/api${path}`, init);
  const body = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok)
    throw new Error(
      body?.message ? `${body.message}${body.details ? ` (${body.details})` : ''}` : `HTTP ${response.status}`,
    );
  return body;
}

/** Numbers in the page's language (the switcher sets `<html lang>`): "2,992" in English, "٢٬٩٩٢" in Arabic. */
export const formatNumber = (value) => new Intl.NumberFormat(document.documentElement.lang || undefined).format(value);

/**
 * Replaces the message in `region` (a live region that stays in the page, so each new message is announced).
 * Progress messages (`tone: 'progress'`) have no dismiss button: the outcome replaces them.
 */
export function showMessage(region, text, { tone = 'info' } = {}) {
  const box = document.createElement('div');
  box.className = `message-box ${tone}`;
  const paragraph = document.createElement('p');
  paragraph.textContent = text;
  box.append(paragraph);
  if (tone !== 'progress') {
    const dismiss = document.createElement('button');
    dismiss.type = 'button';
    dismiss.className = 'secondary';
    dismiss.textContent = 'Dismiss';
    dismiss.setAttribute('aria-label', 'Dismiss message');
    dismiss.addEventListener('click', () => region.replaceChildren());
    box.append(dismiss);
  }
  region.replaceChildren(box);
}

export const clearMessage = (region) => region.replaceChildren();

/**
 * A modal confirmation (the native `<dialog>`: focus moves into it, Escape cancels, focus returns to the button that
 * opened it). Resolves true only when the operator pressed the destructive button.
 */
export function confirmAction({ title, text, action }) {
  const dialog = $('#confirm');
  $('#confirm-title').textContent = title;
  $('#confirm-text').textContent = text;
  $('#confirm-action').textContent = action;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), { once: true });
  });
}
