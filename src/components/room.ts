/**
 * Room for the loading skeleton: an element remembers (in `localStorage`) how tall it was when it last showed its data,
 * and at which width, and takes that much room while it loads again at that width. The data then arrives in place:
 * nothing below the element moves. A height and a width are all that is kept.
 */
import type { LitElement } from 'lit';

const loading = new WeakSet<LitElement>();
const key = (el: LitElement, kind: string) => `vc-room:${el.localName}${kind}`;
const width = (el: LitElement) => Math.round(el.clientWidth);

/**
 * Call from `updated()`. While `busy`, the box (`[part~=base]`) takes the room remembered for this `kind` of content
 * (as soon as the element is shown at the remembered width); once not busy, it lets go, and when `shown` (the data is
 * on screen, not an error) remembers its new size.
 */
export function holdRoom(el: LitElement, busy: boolean, shown: boolean, kind = ''): void {
  const box = el.renderRoot.querySelector<HTMLElement>('[part~=base]')!;
  try {
    if (busy) {
      loading.add(el);
      const [w, h] = (JSON.parse(localStorage.getItem(key(el, kind))!) as number[] | null) ?? [];
      if (w === width(el)) box.style.minBlockSize = `${h}px`;
    } else if (loading.delete(el)) {
      // Set through the CSSOM (a strict CSP allows it), and gone once loaded: no inline style stays behind. Reading the
      // attribute first writes the pending CSSOM change to it, which would otherwise come back as `style=""`.
      if (box.getAttribute('style') !== null) box.removeAttribute('style');
      if (shown) localStorage.setItem(key(el, kind), JSON.stringify([width(el), box.getBoundingClientRect().height]));
    }
  } catch {
    // No storage (a private window, a sandboxed frame): the skeleton keeps its own size.
  }
}
