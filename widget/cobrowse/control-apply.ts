import type { ControlChange } from '../../protocol/cobrowse.ts';
import { findByPath } from './element-path.ts';
import { applyField, asControl, isMasked } from './fields.ts';
import { noteApplied } from './leader.ts';
import { applyScroll } from './scroll-position.ts';

/**
 * On the visitor's page, while they allow it: the helper's scroll, navigation and field input.
 * Never another origin, never a masked field. Field changes fire the events a person's typing
 * would, so the site's own scripts see them.
 */
export function applyControlChange(change: ControlChange): void {
  noteApplied(change);
  switch (change.type) {
    case 'navigate': {
      const target = new URL(change.value.url, location.href);
      if (target.origin === location.origin && target.href !== location.href) {
        location.assign(target.href);
      }
      return;
    }
    case 'scroll': {
      if (change.key === 'window') applyScroll(change.value);
      else {
        const element = findByPath(change.key);
        if (element) applyScroll(change.value, element);
      }
      return;
    }
    case 'field': {
      const control = asControl(findByPath(change.key) ?? null);
      if (!control || isMasked(control) || 'masked' in change.value) return;
      applyField(control, change.value);
      control.dispatchEvent(new Event('input', { bubbles: true }));
      control.dispatchEvent(new Event('change', { bubbles: true }));
    }
  }
}
