/**
 * The profile card's edit form: the allow-listed fields of `PUT /v1/me`, their constraints (the worker's, so the
 * customer hears about a mistake before sending) and the localized message for each.
 */
import { msg } from '@lit/localize';
import type { EdgeProfile, EdgeProfileUpdate } from '../../api/edge-types.js';
import { MAX_LENGTH, PHONE_PATTERN } from '../../api/profile-rules.js';
import type { AddressField } from '../../api/profile-rules.js';
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

/** Resolved at render time, in the current locale. */
export function personFields(): Field[] {
  return [
    { name: 'name', label: msg('Name'), type: 'text', autocomplete: 'name', max: MAX_LENGTH.name },
    {
      name: 'email',
      label: msg('Email'),
      type: 'email',
      autocomplete: 'email',
      max: MAX_LENGTH.email,
      invalid: msg('Enter an email address like name@example.com.'),
    },
    {
      name: 'phone',
      label: msg('Phone'),
      type: 'tel',
      autocomplete: 'tel',
      max: MAX_LENGTH.phone,
      pattern: PHONE_PATTERN,
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

/** The parts of the address, in the order a form shows them, each with its label and `autocomplete` token. */
export function addressFields(): Field[] {
  const parts: Record<AddressField, [label: string, autocomplete: string]> = {
    line_1: [msg('Address line 1'), 'address-line1'],
    line_2: [msg('Address line 2'), 'address-line2'],
    postal_code: [msg('Postal code'), 'postal-code'],
    city: [msg('City'), 'address-level2'],
    state: [msg('State or region'), 'address-level1'],
    country: [msg('Country'), 'country-name'],
  };
  return Object.entries(parts).map(([name, [label, autocomplete]]) => ({
    name: `address.${name}`,
    label,
    type: 'text',
    autocomplete,
    max: MAX_LENGTH.address,
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

/** What the form holds: each field's text, and the message of each field that breaks a constraint. */
export function readForm(form: HTMLFormElement): { invalid: Record<string, string>; draft: Record<string, string> } {
  const invalid: Record<string, string> = {};
  for (const input of form.querySelectorAll('input')) {
    if (!input.checkValidity()) invalid[input.name] = input.dataset.invalid || msg('Check this field.');
  }
  return { invalid, draft: Object.fromEntries([...new FormData(form)].map(([key, value]) => [key, String(value)])) };
}
