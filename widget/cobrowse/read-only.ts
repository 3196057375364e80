import { asControl } from './fields.ts';

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
