/**
 * What the helper does on the replay, done on the visitor's page: pointing at an element,
 * and, while the visitor allows control, clicks and field values. Elements are found by the
 * number the recorder gave them. Never the widget, never what the rules block, never a masked
 * field, never a link to another site.
 */
import type { MirrorAction } from '../../protocol/mirror.ts';
import { asControl, isMasked } from '../cobrowse/fields.ts';
import { pulseElement } from '../cobrowse/pulse-element.ts';

export interface Reach {
  /** The element the recorder numbered `nodeId`, if it is still on the page. */
  node(nodeId: number): Node | null;
  /** What the helper never sees (the widget, the rules' blocks) and never touches. */
  blockSelector: string;
  maskTextSelector: string;
}

function element(reach: Reach, nodeId: number): Element | undefined {
  const node = reach.node(nodeId);
  const found = node instanceof Element ? node : (node?.parentElement ?? undefined);
  if (!found?.isConnected) return undefined;
  if (reach.blockSelector && found.closest(reach.blockSelector)) return undefined;
  return found;
}

/** "Point": the element scrolls into view and pulses. */
export function pointAt(reach: Reach, nodeId: number): boolean {
  const target = element(reach, nodeId);
  if (!target) return false;
  pulseElement(target);
  return true;
}

/** A click or a field's value, as the visitor would make it; false when refused. */
export function applyAction(reach: Reach, action: MirrorAction): boolean {
  const target = element(reach, action.nodeId);
  if (!target) return false;
  if (action.kind === 'click') {
    const link = target.closest('a[href]');
    if (link instanceof HTMLAnchorElement && new URL(link.href).origin !== location.origin) {
      return false;
    }
    if (target instanceof HTMLElement) target.click();
    return target instanceof HTMLElement;
  }
  const control = asControl(target);
  const masked =
    !control ||
    isMasked(control) ||
    (reach.maskTextSelector !== '' && control.closest(reach.maskTextSelector) !== null);
  if (masked || (control instanceof HTMLInputElement && /^(checkbox|radio)$/.test(control.type))) {
    return false;
  }
  control.value = action.value;
  // The events a person's typing fires, so the site's own scripts see the change.
  control.dispatchEvent(new Event('input', { bubbles: true }));
  control.dispatchEvent(new Event('change', { bubbles: true }));
  return true;
}
