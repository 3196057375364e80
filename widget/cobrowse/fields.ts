import type { FieldValue } from '../../protocol/cobrowse.ts';

/** What a helper sees in place of a value that never leaves the visitor's browser. */
export const MASK = '•••• (hidden)';

export type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

const NOT_A_VALUE = new Set(['button', 'submit', 'reset', 'image', 'file', 'hidden']);

export function asControl(target: EventTarget | null): Control | undefined {
  if (target instanceof HTMLInputElement) return NOT_A_VALUE.has(target.type) ? undefined : target;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return target;
  return undefined;
}

/** Autocomplete tokens of a password, kept when "Show password" makes it a text field. */
const PASSWORD_TOKENS = new Set(['current-password', 'new-password', 'one-time-code']);

/**
 * Passwords, card fields, one-time codes and anything inside `[data-help-mask]`. Asked of
 * elements of other documents too (the agent page's replay of a shared page): no `instanceof`.
 */
export function isMasked(control: Element): boolean {
  if (control.closest('[data-help-mask]')) return true;
  if (control.localName === 'input' && (control as HTMLInputElement).type === 'password') {
    return true;
  }
  const tokens = (control.getAttribute('autocomplete') ?? '').toLowerCase().split(/\s+/);
  return tokens.some((t) => t.startsWith('cc-') || PASSWORD_TOKENS.has(t));
}

function isToggle(control: Control): control is HTMLInputElement {
  return (
    control instanceof HTMLInputElement && (control.type === 'checkbox' || control.type === 'radio')
  );
}

/** The value to send: for a masked control only the fact that it is masked. */
export function readField(control: Control): FieldValue {
  if (isMasked(control)) return { masked: true };
  if (control instanceof HTMLSelectElement) return { selectedIndex: control.selectedIndex };
  if (isToggle(control)) return { checked: control.checked };
  return { value: control.value.slice(0, 10_000) };
}

/** Whether the visitor changed it from what the page loaded with. */
export function isChanged(control: Control): boolean {
  if (control instanceof HTMLSelectElement) {
    return [...control.options].some((o) => o.selected !== o.defaultSelected);
  }
  if (isToggle(control)) return control.checked !== control.defaultChecked;
  return control.value !== control.defaultValue;
}

/** Said on each private field of the helper's copy: its accessible description and tooltip. */
export const PRIVATE_NOTE =
  "This field is private: the visitor's entry is never shown here, and nothing can be typed into it.";

/**
 * Makes a private field of the helper's copy visibly read-only, saying why. Marked
 * `data-help-mask` too, so it stays private (isMasked) once a password is shown as text.
 */
export function markPrivate(control: Control): void {
  control.setAttribute('data-help-mask', '');
  if (control instanceof HTMLSelectElement || isToggle(control)) control.disabled = true;
  else control.readOnly = true;
  control.title = PRIVATE_NOTE;
}

/** Puts a control of the helper's copy back as the page loaded it. */
export function resetField(control: Control): void {
  if (control instanceof HTMLSelectElement) {
    for (const option of control.options) option.selected = option.defaultSelected;
  } else if (isToggle(control)) control.checked = control.defaultChecked;
  else control.value = control.defaultValue;
}

/** Shows the visitor's value on the helper's copy. */
export function applyField(control: Control, value: FieldValue): void {
  if ('masked' in value) {
    markPrivate(control);
    if (control instanceof HTMLInputElement && control.type === 'password') control.type = 'text';
    if (control instanceof HTMLSelectElement || isToggle(control)) return;
    control.value = MASK;
    return;
  }
  if ('selectedIndex' in value && control instanceof HTMLSelectElement) {
    control.selectedIndex = value.selectedIndex;
  } else if ('checked' in value && isToggle(control)) {
    control.checked = value.checked;
  } else if ('value' in value && !(control instanceof HTMLSelectElement) && !isToggle(control)) {
    control.value = value.value;
  }
}
