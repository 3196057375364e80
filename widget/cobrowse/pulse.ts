import { findByPath } from './element-path.ts';
import { pulseElement } from './pulse-element.ts';

/** Follow mode's "Point": the element at the helper's path scrolls into view and pulses. */
export function pulse(path: string): boolean {
  const element = findByPath(path);
  if (!element) return false;
  pulseElement(element);
  return true;
}
