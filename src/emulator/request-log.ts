/** The log of API requests that tests read through `requests()` or `GET /_emulator/requests`. */
import type { ForgottenCustomer } from './store.js';

export interface RecordedRequest {
  method: string;
  /** Raw, still percent-encoded. */
  path: string;
  query: string;
  auth: 'server' | 'client' | 'none';
  /** 0 when the connection was dropped by a fault. */
  status: number;
  at: string;
  requestId: string;
}

const MAX_ENTRIES = 10_000;

export class RequestLog {
  private entries: RecordedRequest[] = [];

  add(entry: RecordedRequest): void {
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
  }

  list(): RecordedRequest[] {
    return this.entries.map((entry) => ({ ...entry }));
  }

  clear(): void {
    this.entries = [];
  }

  /** Drops entries whose path or query names a permanently deleted customer. */
  scrub(customer: ForgottenCustomer): void {
    const needles = [customer.id, customer.source_id, customer.email].filter((value): value is string => !!value);
    const mentions = (text: string) => {
      let decoded = text;
      try {
        decoded = decodeURIComponent(text.replace(/\+/g, ' '));
      } catch {
        // keep the raw text
      }
      return needles.some((needle) => text.includes(needle) || decoded.includes(needle) || text.includes(encodeURIComponent(needle)));
    };
    this.entries = this.entries.filter((entry) => !mentions(entry.path) && !mentions(entry.query));
  }
}
