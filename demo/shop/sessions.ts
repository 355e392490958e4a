/**
 * The demo shop's own login: a cookie naming one of the seeded customers. A real shop has its own accounts; what
 * matters here is what it does next — mint a short-lived session token for the edge worker (see `server.ts`).
 */
import { randomBytes } from 'node:crypto';
import { DEMO_CUSTOMERS } from 'vc-consent/emulator';

export type DemoCustomerKey = keyof typeof DEMO_CUSTOMERS;
export const COOKIE = 'demo_session';

export function isDemoCustomerKey(value: unknown): value is DemoCustomerKey {
  return typeof value === 'string' && Object.hasOwn(DEMO_CUSTOMERS, value);
}

export class Sessions {
  readonly #byId = new Map<string, DemoCustomerKey>();

  open(customer: DemoCustomerKey): string {
    const id = randomBytes(18).toString('base64url');
    this.#byId.set(id, customer);
    return id;
  }

  customerOf(sessionId: string | undefined): DemoCustomerKey | null {
    return (sessionId && this.#byId.get(sessionId)) || null;
  }

  close(sessionId: string | undefined): void {
    if (sessionId) this.#byId.delete(sessionId);
  }
}
