/** The consent panel's wording that depends on data: dates, names from the API, and why something failed. */
import { msg } from '@lit/localize';
import type { VoucherifyError } from '../../api/errors.js';
import { formatDate } from '../localization.js';
import { describeError } from '../messages.js';
import type { VcConsentPanel } from './consent-panel.js';

/** A date in the panel's language. */
export const dateIn = (
  p: VcConsentPanel,
  value: string,
  options: Intl.DateTimeFormatOptions = { dateStyle: 'medium' },
): string => formatDate(p._i18n.tag, value, options);

/** A name from the API kept in its own direction inside a sentence (first-strong isolate … pop directional isolate). */
export const isolate = (text: string): string => `\u2068${text}\u2069`;

/** A preferences link the worker refused: expired (410 `token_retired`) or not valid (400 `invalid_token`). */
export const linkRefused = (error: unknown): string | undefined =>
  (error as VoucherifyError | undefined)?.status === 410
    ? msg('This link has expired. Please use the link in a newer email, or sign in.')
    : (error as VoucherifyError | undefined)?.key === 'invalid_token'
      ? msg('This link is not valid. Please open it again from the email.')
      : undefined;

/** Why a request failed, in the customer's words. */
export const why = (error: unknown): string => linkRefused(error) ?? describeError(error);

export const gone = (): string => msg('This account no longer exists. Its choices can no longer be changed.');
