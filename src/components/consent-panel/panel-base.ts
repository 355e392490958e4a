/**
 * The consent panel's base class: its form association (a form control's API), and its internal state, shared by its
 * modules (loading, saving, actions, rendering). Every internal member is named `_like` (the script-tag bundles
 * shorten such names as they do `#private` ones) and hidden from the manifest: `@internal`, or `@private` for reactive
 * state, which the manifest would otherwise list as attributes.
 */
import type { EdgeConsentRecord, EdgeConsents } from '../../api/edge-types.js';
import type { ConsentChoices } from '../events.js';
import type { PropertyDeclarations } from 'lit';
import { VcElement } from '../vc-element.js';
import type { Before, Shown } from './state.js';

export class ConsentPanelBase extends VcElement {
  static formAssociated = true;
  static override properties: PropertyDeclarations = {
    _data: { state: true },
    _shown: { state: true },
    _optOut: { state: true },
    _status: { state: true },
    _failure: { state: true },
    _loadError: { state: true },
    _gone: { state: true },
    _agreedNow: { state: true },
    _formDisabled: { state: true },
    _confirming: { state: true },
    _undo: { state: true },
    _records: { state: true },
  };

  /** @internal The panel as a form control. */
  readonly _internals = this.attachInternals();

  /** @private The definitions and what is known to be stored (the base): `state` has no entry for an unknown decision. */
  _data?: EdgeConsents;
  /** @private The visible choice of each consent; `undefined`: not chosen yet. */
  _shown: Shown = {};
  /**
   * @private "Opt out of everything": `true` chosen (and no consent turned on since), `false` chosen not to be (Undo
   * of an opt-out), `undefined` as stored.
   */
  _optOut?: boolean;
  /** @private */
  _status: '' | 'saving' | 'saved' | 'partial' | 'none' | 'same' | 'error' = '';
  /** @private */
  _failure: unknown;
  /** @private */
  _loadError: unknown;
  /** @private The customer no longer exists. */
  _gone = false;
  /** @private */
  _agreedNow?: string;
  /** @private */
  _formDisabled = false;
  /** @private A bulk action waiting for confirmation: `true` accept all, `false` opt out. */
  _confirming?: boolean;
  /** @private */
  _undo?: Before;
  /** @private The consent history read from the worker, oldest first; `undefined` when not read (or unreadable). */
  _records?: EdgeConsentRecord[] | undefined;
  /** @internal What the last successful save sent, and when. */
  _note: [ConsentChoices, string] = [{}, ''];
  /** @internal The customer asked for the current changes to be saved (Save, or a confirmed bulk action), not done yet. */
  _requested = false;
  /** @internal Save was pressed during a save: the changes made meanwhile are sent once it is done. */
  _again = false;
  /**
   * @internal What saves that got no answer sent (they failed, or the page was reloaded meanwhile): they may have been
   * written. Until a save succeeds these consents are sent again with their current choice, even one equal to what was
   * read, and the worker (which compares with what is stored) writes them only where they differ.
   */
  _unsure: ConsentChoices = {};
  /** @internal The choices before a confirmed bulk action, offered back as Undo once it is saved. */
  _prior?: Before;
  /** @internal A `value` set before loading. */
  _preset?: ConsentChoices;
  /** @internal Failed attempts of the current save. */
  _attempt = 0;
  /** @internal The next automatic retry. */
  _timer?: ReturnType<typeof setTimeout>;
  /** @internal When Undo goes. */
  _undoTimer?: ReturnType<typeof setTimeout>;
  /** @internal The load under way. */
  _loading?: AbortController;
  /** @internal Counts history reads: only the latest one's answer is shown. */
  _reads = 0;

  /** The form the panel belongs to, if any. */
  get form(): HTMLFormElement | null {
    return this._internals.form;
  }

  /** Constraint validation, as on native controls (`required`: at least one consent given). */
  get validity(): ValidityState {
    return this._internals.validity;
  }

  get validationMessage(): string {
    return this._internals.validationMessage;
  }

  checkValidity(): boolean {
    return this._internals.checkValidity();
  }

  reportValidity(): boolean {
    return this._internals.reportValidity();
  }

  /** @internal */
  formDisabledCallback(disabled: boolean): void {
    this._formDisabled = disabled;
  }
}
