/**
 * The emulator's seeded demo data. Tests and the demo import these ids instead of repeating them.
 */
import type { Address } from '../api/types.js';

export const SEED_CONSENT_IDS = {
  newsletter: 'cnst_IhKtJ0RlgLKOmxgJTeKdNnFR',
  productUpdates: 'cnst_IBXuDL7DxtpYlSXpfKtHF4vU',
  emailOffers: 'cnst_CsMehGAkWvj7FAc9QeWJKY40',
  smsOffers: 'cnst_uvSwMFLZDe1f8rESQedUStPK',
  partners: 'cnst_R0CsTy4Qwb8DwkNhFdnXsiVp',
} as const;

export const SEED_GROUP_IDS = {
  email: 'cnstgr_u8jzPde0IgxLd6GncfBAepfJ',
  phoneAndPartners: 'cnstgr_Bd0Kh8oOOL8dKLzdocJ2isAj',
} as const;

export const SEED_SEGMENT_IDS = {
  newsletterReaders: 'seg_e3nNyjOq9wMxEhh2FDEEtfjg',
  berlin: 'seg_VvVqE1SkHbn88HxjSI6bWHtP',
  vip: 'seg_3fS2qHx6kwXoIIXGvOoNZYW2',
  optedOut: 'seg_mZp0zVZomHFwUbbYrEqmSM9w',
  /** Customers who have made no consent decision yet; an unknown customer "would qualify" for it. */
  undecided: 'seg_Qm7TzJ2kUwN4bVYx8RcLdA1e',
} as const;

export interface SeedConsent {
  id: string;
  name: string;
  description: string;
  category: string;
  /** Defaults to the definitions' seed date when absent. */
  created_at?: string;
}

export interface SeedConsentGroup {
  id: string;
  name: string;
  description: string;
  consents: string[];
  created_at?: string;
}

export const SEED_CONSENTS: SeedConsent[] = [
  {
    id: SEED_CONSENT_IDS.newsletter,
    name: 'Newsletter',
    description: 'A monthly letter with news and stories from the shop.',
    category: 'marketing',
  },
  {
    id: SEED_CONSENT_IDS.productUpdates,
    name: 'Product updates',
    description: 'An email when a product you follow is back in stock or changes price.',
    category: 'marketing',
  },
  {
    id: SEED_CONSENT_IDS.emailOffers,
    name: 'Personal offers by email',
    description: 'Discounts and vouchers chosen for you.',
    category: 'marketing',
  },
  {
    id: SEED_CONSENT_IDS.smsOffers,
    name: 'Offers by text message',
    description: 'Short-lived offers sent to your phone.',
    category: 'marketing',
  },
  {
    id: SEED_CONSENT_IDS.partners,
    name: 'Offers from partners',
    description: 'Let carefully selected partners send you their offers.',
    category: 'third_party',
  },
];

export const SEED_CONSENT_GROUPS: SeedConsentGroup[] = [
  {
    id: SEED_GROUP_IDS.email,
    name: 'Email',
    description: 'What we may send to your inbox.',
    consents: [SEED_CONSENT_IDS.newsletter, SEED_CONSENT_IDS.productUpdates, SEED_CONSENT_IDS.emailOffers],
  },
  {
    id: SEED_GROUP_IDS.phoneAndPartners,
    name: 'Phone and partners',
    description: 'Text messages, and offers from the shop’s partners.',
    consents: [SEED_CONSENT_IDS.smsOffers, SEED_CONSENT_IDS.partners],
  },
];

/**
 * A segment's rule: every condition must hold. `path` is a dotted path into the stored customer
 * (e.g. `address.city`, `metadata.vip`, `system_metadata.consents.<cnst_id>.value`); a missing value equals `null`.
 */
export interface SeedSegment {
  id: string;
  name: string;
  rules: Array<{ path: string; equals: unknown }>;
}

export const SEED_SEGMENTS: SeedSegment[] = [
  {
    id: SEED_SEGMENT_IDS.newsletterReaders,
    name: 'Newsletter readers',
    rules: [{ path: `system_metadata.consents.${SEED_CONSENT_IDS.newsletter}.value`, equals: true }],
  },
  { id: SEED_SEGMENT_IDS.berlin, name: 'Customers in Berlin', rules: [{ path: 'address.city', equals: 'Berlin' }] },
  { id: SEED_SEGMENT_IDS.vip, name: 'VIP', rules: [{ path: 'metadata.vip', equals: true }] },
  {
    id: SEED_SEGMENT_IDS.optedOut,
    name: 'Opted out of marketing',
    rules: [{ path: 'system_metadata.consents.unsubscribed.value', equals: true }],
  },
  {
    id: SEED_SEGMENT_IDS.undecided,
    name: 'No consent decision yet',
    rules: [{ path: 'system_metadata.consents', equals: null }],
  },
];

export interface SeedCustomer {
  id: string;
  source_id: string;
  name: string;
  email: string;
  phone?: string;
  birthdate?: string;
  address: Address;
  metadata: Record<string, unknown>;
  loyaltyPoints?: number;
  /** Consent decisions at seed time; `unsubscribed: true` opts out of everything. */
  consents: Record<string, boolean>;
}

export const DEMO_CUSTOMERS = {
  alice: {
    id: 'cust_zz63FfkCzJr4i0B3JrTAwR4y',
    source_id: 'alice@example.com',
    name: 'Alice Martin',
    email: 'alice@example.com',
    phone: '+49 30 1234567',
    birthdate: '1990-04-12',
    address: { line_1: 'Torstraße 1', city: 'Berlin', postal_code: '10119', country: 'Germany' },
    metadata: { lang: 'en', vip: true, internal_score: 87 },
    loyaltyPoints: 1250,
    consents: {
      [SEED_CONSENT_IDS.newsletter]: true,
      [SEED_CONSENT_IDS.emailOffers]: true,
      [SEED_CONSENT_IDS.smsOffers]: false,
    },
  },
  bob: {
    id: 'cust_9ojfljoQoaF1LlqsajAIxNKu',
    source_id: 'bob@example.com',
    name: 'Bob Smith',
    email: 'bob@example.com',
    phone: '+1 212 555 0134',
    address: { line_1: '123 Main St.', city: 'New York', state: 'NY', postal_code: '10001', country: 'United States' },
    metadata: { lang: 'en' },
    consents: {},
  },
  chloe: {
    id: 'cust_8iS2G8NPRVdD53X83RZJzzzz',
    source_id: 'chloé.dupont+news@example.fr',
    name: 'Chloé Dupont',
    email: 'chloé.dupont+news@example.fr',
    birthdate: '1985-11-03',
    address: { line_1: '8 rue de Rivoli', city: 'Paris', postal_code: '75004', country: 'France' },
    metadata: { lang: 'fr' },
    consents: { unsubscribed: true },
  },
  yuki: {
    id: 'cust_gEOzdmenCkhvMdgaKjIg8xNb',
    source_id: 'yuki-tanaka',
    name: '田中 由紀',
    email: 'yuki@example.jp',
    address: { city: 'Tokyo', country: 'Japan' },
    metadata: { lang: 'ja' },
    consents: { [SEED_CONSENT_IDS.productUpdates]: true },
  },
} satisfies Record<string, SeedCustomer>;

/** Keys and origins the emulator accepts unless told otherwise (docs/emulator.md lists them). */
export const EMULATOR_DEFAULTS = {
  port: 4010,
  host: '127.0.0.1',
  serverKeys: [{ appId: 'emulator-app-id', appToken: 'emulator-app-token' }],
  clientKeys: [{ clientApplicationId: 'emulator-client-id', clientToken: 'emulator-client-token' }],
  /** Voucherify's whitelist patterns: a bare host matches that host on any port; `.host` adds subdomains; `*` any. */
  allowedOrigins: ['localhost', '127.0.0.1'],
  maxBodyBytes: 10 * 1024 * 1024,
} as const;
