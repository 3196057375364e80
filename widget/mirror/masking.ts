/**
 * What the recorder never lets out of the visitor's browser. Form values: every one goes
 * through `maskInputFn`, which hides passwords, card fields, one-time codes and anything in
 * `[data-help-mask]` (the same rule as follow mode). Text: `[data-help-mask]` and the site's
 * `mask` rules. Whole elements: the widget itself, `[data-help-block]` and the site's `block`
 * rules, sent as empty boxes of the same size.
 */
import { isMasked, MASK } from '../cobrowse/fields.ts';

export interface SiteRules {
  block: readonly string[];
  mask: readonly string[];
}

/**
 * The selectors joined into one list the browser accepts: one it cannot parse would make the
 * whole list fail every match. Also used by the agent page, on the replay's elements.
 */
export function selectorList(selectors: readonly string[]): string {
  const valid = selectors.filter((selector) => {
    try {
      document.createDocumentFragment().querySelector(selector);
      return true;
    } catch {
      console.warn(`help-widget: the rule selector "${selector}" is not valid CSS; skipped`);
      return false;
    }
  });
  return valid.join(',');
}

const EVERY_FIELD: Record<string, boolean> = { input: true, textarea: true, select: true };

export type Masking = ReturnType<typeof maskingOptions>;

export function maskingOptions(rules: SiteRules) {
  const maskedByRule = selectorList(rules.mask);
  return {
    blockSelector: selectorList(['help-widget', '[data-help-block]', ...rules.block]),
    maskTextSelector: selectorList(['[data-help-mask]', ...rules.mask]),
    // rrweb asks maskInputFn only about the kinds of field named here; by tag name, every
    // field is named (its own `maskAllInputs` leaves out hidden and some other inputs).
    maskInputOptions: EVERY_FIELD,
    // Every value passes here; only masked controls lose theirs, all to the same text, so not
    // even a length leaves the page. A hidden field shows nothing and often holds a token; a
    // file field's value is a made-up path: neither is sent at all.
    maskInputFn: (text: string, element: HTMLElement) =>
      element instanceof HTMLInputElement && (element.type === 'hidden' || element.type === 'file')
        ? ''
        : element instanceof HTMLInputElement ||
            element instanceof HTMLTextAreaElement ||
            element instanceof HTMLSelectElement
          ? isMasked(element) || (maskedByRule !== '' && element.closest(maskedByRule) !== null)
            ? MASK
            : text
          : MASK,
    maskTextFn: (text: string) => text.replace(/\S/g, '•'),
  };
}
