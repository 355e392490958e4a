/**
 * "Delete my data" of the profile card: asked for, confirmed by typing a word in the customer's language (or
 * `DELETE`), then the deletion, its outcome and where focus goes. A controller, so the card keeps only the wiring.
 */
import { msg, str } from '@lit/localize';
import type { ReactiveController, ReactiveControllerHost, TemplateResult } from 'lit';
import { deleteMe } from '../../api/edge.js';
import type { EdgeConnection } from '../../api/edge.js';
import type { EdgePermanentDeletion } from '../../api/edge-types.js';
import { VcProfileDeletedEvent } from '../events.js';
import { renderDelete } from './render.js';

/** What the deletion needs from the card. */
export interface DeletionHooks {
  edge(): EdgeConnection;
  /** Another request of the card is under way (then nothing is sent), or this one starts or ends. */
  busy(now?: boolean): boolean;
  fail(error: unknown): void;
  focusOn(selector: string): void;
}

export class DeletionController implements ReactiveController {
  confirming = false;
  /** The typed word was wrong. */
  confirmError = '';
  deleteError: unknown;
  deleting = false;
  /** Done: the card shows what the worker answered. */
  deletion?: EdgePermanentDeletion | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly hooks: DeletionHooks,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** The word the customer types to confirm deletion, in their language. */
  get word(): string {
    return msg('DELETE');
  }

  render(): TemplateResult {
    return renderDelete(this, { ask: this.ask, cancel: this.cancel, submit: this.submit });
  }

  readonly ask = async (): Promise<void> => {
    this.confirming = true;
    this.confirmError = '';
    this.deleteError = undefined;
    await this.#rendered();
    this.hooks.focusOn('#confirm');
  };

  readonly cancel = async (): Promise<void> => {
    this.confirming = false;
    await this.#rendered();
    this.hooks.focusOn('[part~=delete]');
  };

  readonly submit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const { hooks, host } = this;
    if (hooks.busy()) return;
    const typed = new FormData(event.target as HTMLFormElement).get('confirm');
    const said = String(typed ?? '')
      .trim()
      .toLocaleUpperCase();
    if (said !== this.word.toLocaleUpperCase() && said !== 'DELETE') {
      this.confirmError = msg(str`Type ${this.word} to confirm`);
      host.requestUpdate();
      hooks.focusOn('#confirm');
      return;
    }
    this.confirmError = '';
    this.deleting = true;
    hooks.busy(true);
    this.deleteError = undefined;
    try {
      this.deletion = await deleteMe(hooks.edge());
      host.dispatchEvent(new VcProfileDeletedEvent(this.deletion));
    } catch (error) {
      this.deleteError = error;
      hooks.fail(error);
    }
    this.deleting = false;
    hooks.busy(false);
    await this.#rendered();
    hooks.focusOn(this.deletion ? 'h2' : '#confirm');
  };

  async #rendered(): Promise<void> {
    this.host.requestUpdate();
    await this.host.updateComplete;
  }
}
