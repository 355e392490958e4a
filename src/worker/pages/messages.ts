/**
 * Every text of the worker's pages, in English, each under a stable id. `npx lit-localize extract --config
 * lit-localize-pages.json` finds these `msg` calls (by their type) and keeps `locales/pages/<lang>.xlf` in step;
 * `lit-localize build` compiles the translations into `src/generated/page-locales/`, which `translate.ts` reads.
 *
 * The `msg` here only records each message's English source under its id and answers the id: the pages translate per
 * request (a worker serves every language at once), never through @lit/localize's one active locale.
 */
import { str } from '@lit/localize';
import type { MsgFn, StrResult } from '@lit/localize';

/** A message's English source: plain text, or a `str` template whose values are the names of its placeholders. */
export type Source = string | StrResult;

export const SOURCES = new Map<string, Source>();

const msg = ((template: Source, options: { id: string }): string => {
  SOURCES.set(options.id, template);
  return options.id;
}) as MsgFn;

// Placeholders: each stands for the value of that name given to `translate`.
const email = 'email';
const date = 'date';
const list = 'list';

/** The one-click unsubscribe pages and the double opt-in pages (`/confirm/<token>`). */
export const FLOW = {
  confirmTitle: msg('Unsubscribe from marketing messages?', { id: 'page.confirmTitle' }),
  confirmText: msg(
    'You will no longer receive newsletters or offers from us. Messages about your orders and your account are not affected.',
    { id: 'page.confirmText' },
  ),
  confirmButton: msg('Unsubscribe', { id: 'page.confirmButton' }),
  doneTitle: msg('You are unsubscribed', { id: 'page.doneTitle' }),
  doneText: msg('You will no longer receive newsletters or offers from us.', { id: 'page.doneText' }),
  undoPrompt: msg('Did you unsubscribe by mistake?', { id: 'page.undoPrompt' }),
  undoButton: msg('Undo', { id: 'page.undoButton' }),
  undoneTitle: msg('You are subscribed again', { id: 'page.undoneTitle' }),
  undoneText: msg('Your previous choices have been restored.', { id: 'page.undoneText' }),
  undoUsedTitle: msg('This change was already undone', { id: 'page.undoUsedTitle' }),
  undoUsedText: msg('You can still change every choice in your account.', { id: 'page.undoUsedText' }),
  preferencesLink: msg('Manage all your preferences', { id: 'page.preferencesLink' }),
  invalidTitle: msg('This link is not valid', { id: 'page.invalidTitle' }),
  invalidText: msg(
    'It may have been cut off or changed. Use the unsubscribe link from one of our recent messages, or manage your preferences in your account.',
    { id: 'page.invalidText' },
  ),
  expiredTitle: msg('This link is no longer valid', { id: 'page.expiredTitle' }),
  expiredText: msg(
    'Use the unsubscribe link from one of our recent messages, or manage your preferences in your account.',
    { id: 'page.expiredText' },
  ),
  notFoundTitle: msg('We could not find your subscription', { id: 'page.notFoundTitle' }),
  notFoundText: msg('There is nothing to unsubscribe from with this link.', { id: 'page.notFoundText' }),
  errorTitle: msg('Something went wrong', { id: 'page.errorTitle' }),
  errorText: msg('Your request could not be completed. Please try again in a few minutes.', { id: 'page.errorText' }),
  busyText: msg('Too many requests. Please try again in a minute.', { id: 'page.busyText' }),
  optInTitle: msg('Confirm your choices', { id: 'page.optInTitle' }),
  optInText: msg(str`Please confirm that we may record these choices for ${email}.`, { id: 'page.optInText' }),
  optInGiven: msg('You agreed to:', { id: 'page.optInGiven' }),
  optInDeclined: msg('You said no to:', { id: 'page.optInDeclined' }),
  optInButton: msg('Confirm', { id: 'page.optInButton' }),
  optInDoneTitle: msg('Thank you: your choices are confirmed', { id: 'page.optInDoneTitle' }),
  optInDoneText: msg(str`We recorded them on ${date}. You can change them at any time.`, { id: 'page.optInDoneText' }),
  optInUsedTitle: msg('Already confirmed', { id: 'page.optInUsedTitle' }),
  optInUsedText: msg(str`These choices were confirmed on ${date}. Nothing was changed.`, { id: 'page.optInUsedText' }),
  optInExpiredTitle: msg('This confirmation link has expired', { id: 'page.optInExpiredTitle' }),
  optInExpiredText: msg('Nothing was recorded. Sign up again and we will send you a new link.', {
    id: 'page.optInExpiredText',
  }),
};

/** The preference center (`/preferences/<token>`). */
export const PREFERENCES = {
  title: msg('Your email preferences', { id: 'preferences.title' }),
  managing: msg(str`Preferences for ${email}`, { id: 'preferences.managing' }),
  intro: msg('Tick what you would like to receive from us, then save. You can change this at any time.', {
    id: 'preferences.intro',
  }),
  otherHeading: msg('Other', { id: 'preferences.otherHeading' }),
  given: msg(str`Given ${date}`, { id: 'preferences.given' }),
  withdrawn: msg(str`Withdrawn ${date}`, { id: 'preferences.withdrawn' }),
  undecided: msg('Not decided yet', { id: 'preferences.undecided' }),
  save: msg('Save choices', { id: 'preferences.save' }),
  unsubscribeAll: msg('Unsubscribe from everything', { id: 'preferences.unsubscribeAll' }),
  unsubscribedNote: msg('You are unsubscribed from everything. Tick what you want to receive again, then save.', {
    id: 'preferences.unsubscribedNote',
  }),
  savedNow: msg(str`You now receive: ${list}.`, { id: 'preferences.savedNow' }),
  savedNoLonger: msg(str`You no longer receive: ${list}.`, { id: 'preferences.savedNoLonger' }),
  savedNothing: msg('Nothing changed.', { id: 'preferences.savedNothing' }),
  savedUnsubscribed: msg('You are unsubscribed from everything.', { id: 'preferences.savedUnsubscribed' }),
  staleForm: msg(
    'Your changes have not been saved yet: this page was open for too long. Check your choices and save again.',
    { id: 'preferences.staleForm' },
  ),
  expiredTitle: msg('This link has expired', { id: 'preferences.expiredTitle' }),
  expiredText: msg(
    'Preference links work for a limited time. Use the link in a more recent email from us, or manage your preferences in your account.',
    { id: 'preferences.expiredText' },
  ),
  invalidTitle: msg('This link is not valid', { id: 'preferences.invalidTitle' }),
  invalidText: msg(
    'It may have been cut off or changed. Use the link in one of our recent emails, or manage your preferences in your account.',
    { id: 'preferences.invalidText' },
  ),
  notFoundTitle: msg('We could not find your preferences', { id: 'preferences.notFoundTitle' }),
  notFoundText: msg('There are no preferences to manage with this link.', { id: 'preferences.notFoundText' }),
  badFormTitle: msg('Your choices could not be read', { id: 'preferences.badFormTitle' }),
  badFormText: msg('Nothing was changed. Go back to your preferences and try again.', {
    id: 'preferences.badFormText',
  }),
  backLink: msg('Back to your preferences', { id: 'preferences.backLink' }),
};

const reference = 'reference';

/** The error pages of every path a browser opens (unknown page, wrong method, refused origin, a failure). */
export const ERRORS = {
  notFoundTitle: msg('Page not found', { id: 'error.notFoundTitle' }),
  notFoundText: msg(
    'This address does not lead to any of our pages. Check that you opened the whole link from our message, or manage your preferences in your account.',
    { id: 'error.notFoundText' },
  ),
  reloadTitle: msg('This page cannot be reloaded', { id: 'error.reloadTitle' }),
  reloadText: msg('If you already made a choice on this page, it was saved. There is nothing more to do.', {
    id: 'error.reloadText',
  }),
  refusedTitle: msg('This request was refused', { id: 'error.refusedTitle' }),
  refusedText: msg(
    'For your security, choices can only be sent from our own pages. Open the link from our message again.',
    { id: 'error.refusedText' },
  ),
  reference: msg(str`If you contact us, please quote this reference: ${reference}`, { id: 'error.reference' }),
};
