/** What a customer reads for each activity type the worker passes on. */
import { msg, str } from '@lit/localize';
import type { EdgeActivity } from '../../api/edge-types.js';
import { labelled } from '../labels.js';
import type { Labels } from '../labels.js';

export function activityLabel(activity: EdgeActivity, tag: string, labels?: Labels): string {
  const names = (activity.consents ?? []).map((consent) => labelled(consent, labels, tag).name);
  let list = names.join(', ');
  try {
    list = new Intl.ListFormat(tag, { type: 'conjunction' }).format(names);
  } catch {
    // An unknown tag: the plain list will do.
  }
  const segment = activity.segment ? labelled(activity.segment, labels, tag).name : '';
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
