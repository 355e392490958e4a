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

  /**
   * After a permanent deletion: the customer's source_id and email (personal data, often in paths) are replaced by
   * its pseudonymous `cust_` id in every entry, so tests still see which calls were made.
   */
  redact(customer: ForgottenCustomer): void {
    this.entries = this.entries.map((entry) => redactEntry(entry, customer));
  }
}

export function redactEntry(entry: RecordedRequest, customer: ForgottenCustomer): RecordedRequest {
  const secrets = [customer.source_id, customer.email].filter(
    (value): value is string => !!value && value !== customer.id,
  );
  if (secrets.length === 0) return entry;
  const forms = secrets.flatMap((secret) => [encodeURIComponent(secret), encodeURI(secret), secret]);
  const clean = (text: string) => {
    let out = text;
    for (const form of forms) out = out.split(form).join(customer.id);
    // Encoded some other way (only some characters escaped): redact the decoded text.
    if (secrets.some((secret) => safeDecode(out).includes(secret))) {
      out = safeDecode(out);
      for (const secret of secrets) out = out.split(secret).join(customer.id);
    }
    return out;
  };
  return { ...entry, path: clean(entry.path), query: clean(entry.query) };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
