/**
 * Puts the demo data of `seed.ts` into a store, through the same writes the API makes, so the seed customers come
 * with their activities (created, consents, segments) at fixed past dates.
 */
import { newRequestId } from './ids.js';
import { DEMO_CUSTOMERS, type SeedCustomer } from './seed.js';
import type { CustomerStore } from './store.js';

/** When the first demo customer was created; the others follow a few days apart. */
export const SEED_EPOCH = Date.parse('2025-01-06T09:00:00.000Z');
const DAY = 86_400_000;
const SEED_OFFSET_DAYS = [0, 3, 10, 20];

export function applySeed(store: CustomerStore): void {
  const customers: SeedCustomer[] = Object.values(DEMO_CUSTOMERS);
  customers.forEach((seed, index) => {
    const createdAt = SEED_EPOCH + (SEED_OFFSET_DAYS[index] ?? index * 7) * DAY;
    const context = { requestId: newRequestId(), channel: 'API' as const, at: createdAt };
    const fields = {
      name: seed.name,
      email: seed.email,
      ...(seed.phone !== undefined ? { phone: seed.phone } : {}),
      ...(seed.birthdate !== undefined ? { birthdate: seed.birthdate } : {}),
      address: seed.address,
      metadata: seed.metadata,
    };
    const record = store.create(seed.source_id, fields, context, {
      id: seed.id,
      loyalty_points: seed.loyaltyPoints ?? 0,
    });
    if (Object.keys(seed.consents).length > 0) {
      // The customer made their choices a few minutes after signing up.
      store.setConsents(record, seed.consents, {
        requestId: newRequestId(),
        channel: 'CLIENT_API',
        at: record.created_ms + 5 * 60_000,
      });
    }
  });
}
