/**
 * Every event the `vc-*` elements fire: one `Event` subclass each, with typed fields, bubbling and composed (they
 * cross shadow roots), registered in `GlobalEventHandlersEventMap` so `addEventListener('vc-…', e => e.field)` is typed.
 */
import type { EdgeConsents, EdgePermanentDeletion, EdgeProfile, EdgeUnsubscribeResult } from '../api/edge-types.js';
import type { ConsentsUpdate } from '../api/types.js';

const init = (cancelable = false): EventInit => ({ bubbles: true, composed: true, cancelable });

/**
 * What a consent panel sends: only what the customer changed, `{cnst_…: boolean}` for each consent whose choice differs
 * from what is stored (or was never decided), or `{unsubscribed: true}` after "opt out of everything"; `{}` when nothing
 * changed.
 */
export type ConsentChoices = ConsentsUpdate;

/** Which action failed, on `vc-error`. */
export type VcErrorAction = 'load' | 'save' | 'load-more' | 'delete' | 'unsubscribe' | 'undo' | 'history';

/** Fired when the customer toggles a consent (or uses "accept all" / "opt out of everything"). */
export class VcConsentChangeEvent extends Event {
  constructor(
    /** The consent toggled, or `null` for "accept all" and "opt out of everything". */
    readonly consentId: string | null,
    /** The consent's new value (`true` for "accept all", `false` for "opt out of everything"). */
    readonly value: boolean,
    /** Every change not saved yet, after this one. */
    readonly choices: ConsentChoices,
  ) {
    super('vc-consent-change', init());
  }
}

/** Fired before the changes are sent; `preventDefault()` stops the request (e.g. to save them another way). */
export class VcConsentSaveEvent extends Event {
  constructor(readonly choices: ConsentChoices) {
    super('vc-consent-save', init(true));
  }
}

/** Fired when changes were saved (`choices`: what was sent). */
export class VcConsentSavedEvent extends Event {
  constructor(
    readonly choices: ConsentChoices,
    /** The customer's consents as the worker stored them (saves through the worker only). */
    readonly state?: EdgeConsents,
  ) {
    super('vc-consent-saved', init());
  }
}

/** Fired when a request fails; the element shows a message and a way to retry. */
export class VcErrorEvent extends Event {
  constructor(
    /** A `VoucherifyError` (see `isVoucherifyError`), or an `Error` named `VcConfigError` for a missing attribute. */
    readonly error: unknown,
    readonly action: VcErrorAction,
  ) {
    super('vc-error', init());
  }
}

/** Fired when the profile card saved the customer's details. */
export class VcProfileSavedEvent extends Event {
  constructor(readonly profile: EdgeProfile) {
    super('vc-profile-saved', init());
  }
}

/** Fired when the customer's data was permanently deleted. */
export class VcProfileDeletedEvent extends Event {
  constructor(readonly deletion: EdgePermanentDeletion) {
    super('vc-profile-deleted', init());
  }
}

/** Fired when the worker refused the session token (401): set a fresh `sessionToken` and the element reloads. */
export class VcSessionExpiredEvent extends Event {
  constructor() {
    super('vc-session-expired', init());
  }
}

/** Fired after a successful unsubscribe. */
export class VcUnsubscribedEvent extends Event {
  constructor(readonly result: EdgeUnsubscribeResult) {
    super('vc-unsubscribed', init());
  }
}

/** Fired after a successful undo of an unsubscribe. */
export class VcResubscribedEvent extends Event {
  constructor(readonly result: EdgeUnsubscribeResult) {
    super('vc-resubscribed', init());
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'vc-consent-change': VcConsentChangeEvent;
    'vc-consent-save': VcConsentSaveEvent;
    'vc-consent-saved': VcConsentSavedEvent;
    'vc-error': VcErrorEvent;
    'vc-profile-saved': VcProfileSavedEvent;
    'vc-profile-deleted': VcProfileDeletedEvent;
    'vc-session-expired': VcSessionExpiredEvent;
    'vc-unsubscribed': VcUnsubscribedEvent;
    'vc-resubscribed': VcResubscribedEvent;
  }
}
