/**
 * A postal address in the order its country writes it, chosen by the address's `country` (an ISO code or the country's
 * name). Any other country keeps line 1, line 2, postal code and city, region, country: the order of much of
 * continental Europe (Germany, France).
 */
import type { Address } from '../../api/types.js';

// The parts by their field names, `/` between lines; what stands between two parts on a line separates them.
const LAYOUTS: Array<[RegExp, string]> = [
  [/^(us|usa|unitedstates)$/, 'line_1/line_2/city, state postal_code/country'],
  [/^(gb|uk|unitedkingdom|greatbritain)$/, 'line_1/line_2/city/state/postal_code/country'],
  [/^(jp|japan|日本)$/, 'postal_code/state city/line_1/line_2/country'],
  [/^(br|brazil|brasil)$/, 'line_1/line_2/city - state/postal_code/country'],
];

/** The address's lines, without empty ones. */
export function addressLines(address: Address | null | undefined): string[] {
  const country = String(address?.country ?? '')
    .toLowerCase()
    .replace(/[\s.]/g, '');
  const layout =
    LAYOUTS.find(([pattern]) => pattern.test(country))?.[1] ?? 'line_1/line_2/postal_code city/state/country';
  return layout
    .split('/')
    .map((line) => {
      let text = '';
      let gap = '';
      // Odd tokens are field names; a part takes the separator just before it ("Austin 78701" without a state).
      line.split(/(\w+)/).forEach((token, i) => {
        if (i % 2 === 0) {
          gap = token;
          return;
        }
        const value = String(address?.[token as keyof Address] ?? '').trim();
        if (value) text += (text && gap) + value;
      });
      return text;
    })
    .filter(Boolean);
}
