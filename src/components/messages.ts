/**
 * Turning failures into short, localized sentences for the customer (the technical error goes out on `vc-error`).
 */
import { msg } from '@lit/localize';
import { isVoucherifyError } from '../api/errors.js';

/** A missing or unusable attribute: the element shows a message and fires `vc-error` instead of throwing. */
export function configError(message: string): Error {
  const error = new Error(message);
  error.name = 'VcConfigError';
  return error;
}

/** Whether trying the same request again later may succeed (no answer, a timeout, 408, 429 or 5xx). */
export function isTransient(error: unknown): boolean {
  return (
    isVoucherifyError(error) &&
    (error.kind !== 'http' || error.status === 408 || error.status === 429 || error.status >= 500)
  );
}

/** Whether the worker refused the session token. */
export const isExpired = (error: unknown): boolean => isVoucherifyError(error) && error.status === 401;

/** Whether the answer was 404: on a customer's own route, the customer no longer exists. */
export const isGone = (error: unknown): boolean => isVoucherifyError(error) && error.status === 404;

/** Why a request failed, in the customer's words. */
export function describeError(error: unknown): string {
  if (isVoucherifyError(error)) {
    if (error.kind === 'network') {
      return navigator.onLine ? msg('The server could not be reached.') : msg('You seem to be offline.');
    }
    if (error.kind === 'timeout') return msg('The server took too long to answer.');
    const status = error.status;
    if (status === 401) return msg('Your session has expired. Please sign in again.');
    if (status === 403) return msg('You are not allowed to do this.');
    if (status === 404) return msg('This was not found.');
    if (status === 429) return msg('Too many requests right now.');
    if (status >= 500) return msg('The service is unavailable right now.');
    if (status >= 400) return msg('The request was not accepted.');
  }
  if ((error as Error | undefined)?.name === 'VcConfigError') {
    return msg('This element is not set up correctly.');
  }
  return msg('Something went wrong.');
}

/** Why a request on the customer's own account failed: there, a 404 means the account was deleted meanwhile. */
export const accountError = (error: unknown): string =>
  isGone(error) ? msg('This account no longer exists.') : describeError(error);
