/**
 * The shop's own texts, per locale, for what Voucherify names in one language only: consents (`cnst_…`), consent
 * groups (`cnstgr_…`) and segments (`seg_…`). Given as the `labels` property, or its attribute as JSON:
 *
 *   { "ar": { "cnst_…": { "name": "النشرة الإخبارية", "description": "…" }, "seg_…": "القراء" }, "pt-BR": { … } }
 *
 * A string is a name. Each text is looked up for the element's language tag (`pt-BR`), then its language (`pt`), and
 * Voucherify's is kept where the shop gave none.
 */
import type { ComplexAttributeConverter } from 'lit';

export type LabelText = string | { name?: string; description?: string };
export type Labels = Record<string, Record<string, LabelText>>;

/** `item` with the shop's texts for `tag` (a language tag) where it gave them. */
export function labelled<T extends { id: string; name: string; description?: string }>(
  item: T,
  labels: Labels | undefined,
  tag: string,
): T {
  let out = item;
  // The language's texts, then the tag's over them: `pt-BR` may give only what differs from `pt`.
  for (const key of [tag.split('-')[0]!, tag]) {
    const text = labels?.[key]?.[item.id];
    // The shop's own texts: rendered as text (never as markup), so a wrong type only shows as it is.
    if (text) out = { ...out, ...(typeof text === 'string' ? { name: text } : text) };
  }
  return out;
}

/** The `labels` attribute: JSON, or a console error naming the element (the texts from Voucherify are shown then). */
export const labelsAttribute: ComplexAttributeConverter<Labels | undefined> = {
  fromAttribute(value) {
    try {
      return value ? (JSON.parse(value) as Labels) : undefined;
    } catch (error) {
      console.error('vc-consent: `labels` is not JSON', error);
      return undefined;
    }
  },
};
