import { asControl, isMasked, markPrivate } from './fields.ts';

const BLOCKED = ['beforeinput', 'keydown', 'mousedown', 'click', 'paste', 'drop', 'change'];
/** Keys that move around without changing anything. */
const FREE_KEYS = new Set(['Tab', 'Shift', 'Escape']);

/**
 * Makes every form control on the helper's copy read-only, including controls added later:
 * input is stopped in the capture phase before the page or the control sees it. The copy
 * shows the visitor's values; the helper changes nothing there. Returns `undo`.
 */
export function makeControlsReadOnly(doc: Document = document): () => void {
  const stop = (event: Event) => {
    const control =
      asControl(event.target) ??
      (event.target instanceof HTMLLabelElement ? event.target.control : null);
    if (!control || control.closest('help-widget')) return;
    if (event instanceof KeyboardEvent && FREE_KEYS.has(event.key)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
  };
  for (const type of BLOCKED) doc.addEventListener(type, stop, { capture: true });
  return () => {
    for (const type of BLOCKED) doc.removeEventListener(type, stop, { capture: true });
  };
}

/**
 * Private fields (passwords, card numbers, `data-help-mask`) stay read-only on the helper's
 * copy for the whole follow, in control too: the visitor's value is not there to change, and
 * what the helper typed would go where it must not. Each is marked when the follow starts,
 * and again whenever it gets focus (one added later, or one the site made editable again).
 * Returns `undo`.
 */
export function keepPrivateFieldsReadOnly(doc: Document = document): () => void {
  const mark = (target: EventTarget | null) => {
    const control = asControl(target);
    if (control && !control.closest('help-widget') && isMasked(control)) markPrivate(control);
  };
  for (const element of doc.querySelectorAll('input, textarea, select')) mark(element);
  const onFocus = (event: Event) => mark(event.target);
  doc.addEventListener('focusin', onFocus, { capture: true });
  return () => doc.removeEventListener('focusin', onFocus, { capture: true });
}
