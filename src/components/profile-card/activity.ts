/** What a customer reads for each activity type the worker passes on. */
import { msg, str } from '@lit/localize';
import type { EdgeActivity } from '../../api/edge-types.js';

export function activityLabel(activity: EdgeActivity, tag: string): string {
  const names = (activity.consents ?? []).map((consent) => consent.name);
  let list = names.join(', ');
  try {
    list = new Intl.ListFormat(tag, { type: 'conjunction' }).format(names);
  } catch {
    // An unknown tag: the plain list will do.
  }
  const segment = activity.segment?.name ?? '';
  switch (activity.type) {
    case 'customer.created':
      return msg('Account created');
    case 'customer.updated':
      return msg('Details updated');
    case 'customer.deleted':
      return msg('Account deleted');
    case 'customer.confirmed':
      return msg('Subscription confirmed');
    case 'customer.consents.given':
      return msg(str`Consent given: ${list}`);
    case 'customer.consents.revoked':
      return msg(str`Consent withdrawn: ${list}`);
    case 'customer.segment.entered':
      return msg(str`Joined segment: ${segment}`);
    case 'customer.segment.left':
      return msg(str`Left segment: ${segment}`);
    default:
      return msg('Other activity');
  }
}
