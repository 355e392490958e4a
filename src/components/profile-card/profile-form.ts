/**
 * The profile card's edit form: the allow-listed fields of `PUT /v1/me`, their constraints (the worker's, so the
 * customer hears about a mistake before sending) and the localized message for each.
 */
import { msg } from '@lit/localize';
import type { EdgeProfile, EdgeProfileUpdate } from '../../api/edge-types.js';
import type { Address } from '../../api/types.js';

export interface Field {
  name: string;
  label: string;
  type: string;
  autocomplete: string;
  /** Extra constraint attributes. */
  max?: number;
  pattern?: string;
  /** What to say when the value breaks a constraint. */
  invalid?: string;
}

export const ADDRESS_FIELDS = ['line_1', 'line_2', 'postal_code', 'city', 'state', 'country'] as const;

/** Resolved at render time, in the current locale. */
export function personFields(): Field[] {
  return [
    { name: 'name', label: msg('Name'), type: 'text', autocomplete: 'name', max: 200 },
    {
      name: 'email',
      label: msg('Email'),
      type: 'email',
      autocomplete: 'email',
      max: 254,
      invalid: msg('Enter an email address like name@example.com.'),
    },
    {
      name: 'phone',
      label: msg('Phone'),
      type: 'tel',
      autocomplete: 'tel',
      max: 40,
      pattern: '\\+?[0-9 \\(\\)\\.\\/\\-]{3,40}',
      invalid: msg('Use digits, spaces and + ( ) . / - only.'),
    },
    {
      name: 'birthdate',
      label: msg('Date of birth'),
      type: 'date',
      autocomplete: 'bday',
      invalid: msg('Enter a date between 1900 and today.'),
    },
  ];
}

export function addressFields(): Field[] {
  const labels = [
    msg('Address line 1'),
    msg('Address line 2'),
    msg('Postal code'),
    msg('City'),
    msg('State or region'),
    msg('Country'),
  ];
  const autocomplete = ['address-line1', 'address-line2', 'postal-code', 'address-level2', 'address-level1', 'country-name'];
  return ADDRESS_FIELDS.map((name, i) => ({
    name: `address.${name}`,
    label: labels[i]!,
    type: 'text',
    autocomplete: autocomplete[i]!,
    max: 200,
  }));
}

/** A field's current value in the profile (`address.city` reads the address). */
export function profileValue(profile: EdgeProfile, name: string): string {
  const [head, sub] = name.split('.') as [keyof EdgeProfile, keyof Address | undefined];
  const value = sub ? profile.address?.[sub] : profile[head];
  return typeof value === 'string' ? value : '';
}

/** Only what changed, with empty fields as `null`; the whole address when any part of it changed. */
export function changes(profile: EdgeProfile, values: Record<string, string>): EdgeProfileUpdate {
  const update: Record<string, unknown> = {};
  let addressChanged = false;
  const address: Record<string, string | null> = {};
  for (const [name, raw] of Object.entries(values)) {
    const value = raw.trim();
    const changed = value !== profileValue(profile, name);
    if (name.startsWith('address.')) {
      address[name.slice(8)] = value || null;
      addressChanged ||= changed;
    } else if (changed) {
      update[name] = value || null;
    }
  }
  if (addressChanged) update.address = Object.values(address).some(Boolean) ? address : null;
  return update as EdgeProfileUpdate;
}
