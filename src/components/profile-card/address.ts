/**
 * A postal address in the order its country writes it, chosen by the address's `country` (an ISO code or the country's
 * name). Any other country keeps line 1, line 2, postal code and city, region, country: the order of much of
 * continental Europe (Germany, France).
 */
import type { Address } from '../../api/types.js';

// One character per part (1 and 2: the lines, p: postal code, c: city, s: state or region, n: country) and `/` between
// lines; what stands between two parts separates them.
const LAYOUTS: Array<[RegExp, string]> = [
  [/^(us|usa|unitedstates)$/, '1/2/c, s p/n'],
  [/^(gb|uk|unitedkingdom|greatbritain)$/, '1/2/c/s/p/n'],
  [/^(jp|japan|日本)$/, 'p/s c/1/2/n'],
  [/^(br|brazil|brasil)$/, '1/2/c - s/p/n'],
];

const PARTS: Record<string, keyof Address> = {
  1: 'line_1',
  2: 'line_2',
  p: 'postal_code',
  c: 'city',
  s: 'state',
  n: 'country',
};

/** The address's lines, without empty ones. */
export function addressLines(address: Address | null | undefined): string[] {
  const country = String(address?.country ?? '')
    .toLowerCase()
    .replace(/[\s.]/g, '');
  const layout = LAYOUTS.find(([pattern]) => pattern.test(country))?.[1] ?? '1/2/p c/s/n';
  return layout
    .split('/')
    .map((line) => {
      let text = '';
      let gap = '';
      // Odd tokens are parts; a part takes the separator just before it (so "Austin 78701" without a state).
      line.split(/([12pcsn])/).forEach((token, i) => {
        if (i % 2 === 0) {
          gap = token;
          return;
        }
        const value = String(address?.[PARTS[token]!] ?? '').trim();
        if (value) text += (text && gap) + value;
      });
      return text;
    })
    .filter(Boolean);
}
