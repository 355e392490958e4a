/**
 * "Delete my data" of the profile card: asked for, confirmed by typing a word in the customer's language (or
 * `DELETE`), then the deletion, its outcome and where focus goes. A controller, so the card keeps only the wiring.
 */
import { msg } from '@lit/localize';
import type { ReactiveController, ReactiveControllerHost, TemplateResult } from 'lit';
import { deleteMe } from '../../api/edge.js';
import type { EdgeConnection } from '../../api/edge.js';
import type { EdgePermanentDeletion } from '../../api/edge-types.js';
import { VcProfileDeletedEvent } from '../events.js';
import { renderDelete } from './render.js';
import type { DeleteView } from './render.js';

/** What the deletion needs from the card. */
export interface DeletionHooks {
  _edge(): EdgeConnection;
  /** Another request of the card is under way (then nothing is sent), or this one starts or ends. */
  _busy(now?: boolean): boolean;
  _fail(error: unknown): void;
  _focusOn(selector: string): void;
}

/**
 * Its members are internal, named `_like` (the script-tag bundles shorten such names): the card and `renderDelete` read
 * them.
 */
export class DeletionController implements ReactiveController, DeleteView {
  /** @internal */
  _confirming = false;
  /** @internal The typed word was wrong. */
  _confirmError = '';
  /** @internal */
  _deleteError: unknown;
  /** @internal */
  _deleting = false;
  /** @internal Done: the card shows what the worker answered. */
  _deletion?: EdgePermanentDeletion | undefined;

  constructor(
    private readonly _host: ReactiveControllerHost & HTMLElement,
    private readonly _hooks: DeletionHooks,
  ) {
    _host.addController(this);
  }

  hostConnected(): void {}

  /** @internal The word the customer types to confirm deletion, in their language. */
  get _word(): string {
    return msg('DELETE');
  }

  /** @internal */
  _render(): TemplateResult {
    return renderDelete(this);
  }

  /** @internal */
  readonly _ask = async (): Promise<void> => {
    this._confirming = true;
    this._confirmError = '';
    this._deleteError = undefined;
    await this.#rendered();
    this._hooks._focusOn('#confirm');
  };

  /** @internal */
  readonly _cancel = async (): Promise<void> => {
    this._confirming = false;
    await this.#rendered();
    this._hooks._focusOn('[part~=delete]');
  };

  /** @internal */
  readonly _submit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const { _hooks: hooks, _host: host } = this;
    if (hooks._busy()) return;
    const typed = new FormData(event.target as HTMLFormElement).get('confirm');
    const said = String(typed ?? '')
      .trim()
      .toLocaleUpperCase();
    if (said !== this._word.toLocaleUpperCase() && said !== 'DELETE') {
      this._confirmError = msg('What you typed does not match.');
      host.requestUpdate();
      hooks._focusOn('#confirm');
      return;
    }
    this._confirmError = '';
    this._deleting = true;
    hooks._busy(true);
    this._deleteError = undefined;
    try {
      this._deletion = await deleteMe(hooks._edge());
      host.dispatchEvent(new VcProfileDeletedEvent(this._deletion));
    } catch (error) {
      this._deleteError = error;
      hooks._fail(error);
    }
    this._deleting = false;
    hooks._busy(false);
    await this.#rendered();
    hooks._focusOn(this._deletion ? 'h2' : '#confirm');
  };

  async #rendered(): Promise<void> {
    this._host.requestUpdate();
    await this._host.updateComplete;
  }
}
