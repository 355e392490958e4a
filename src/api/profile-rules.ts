/**
 * The rules of a profile update (`PUT /v1/me`) that the edge worker enforces and `<vc-profile-card>` checks before
 * sending, so the customer hears about a mistake first. Tiny and browser-safe: the card's bundle carries it.
 */

/** The fields a customer may change. */
export const PROFILE_UPDATE_FIELDS = ['name', 'email', 'phone', 'birthdate', 'address', 'metadata'] as const;

/** The parts of an address, in Voucherify's order. */
export const ADDRESS_FIELDS = ['city', 'state', 'line_1', 'line_2', 'country', 'postal_code'] as const;
export type AddressField = (typeof ADDRESS_FIELDS)[number];

/** The most characters each text may have (`address`: each part; `metadata`: each string value). */
export const MAX_LENGTH = { name: 200, email: 254, phone: 40, birthdate: 10, address: 200, metadata: 500 } as const;

/**
 * A phone number: digits, spaces and + ( ) . / -. A whole-value pattern, as an HTML `pattern` attribute takes it
 * (escaped so that its `v` flag accepts it too).
 */
export const PHONE_PATTERN = '\\+?[0-9 \\(\\)\\.\\/\\-]{3,40}';

/** The earliest date of birth accepted; the latest is today (UTC). */
export const EARLIEST_BIRTHDATE = '1900-01-01';

/** Today's date, `YYYY-MM-DD` (UTC). */
export const today = (): string => new Date().toISOString().slice(0, 10);
