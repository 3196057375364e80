import { findByPath } from './element-path.ts';

/**
 * The helper points at something: it scrolls into view and pulses. Web Animations leave the
 * page's own styles alone and work under a strict Content-Security-Policy.
 */
export function pulse(path: string): boolean {
  const element = findByPath(path);
  if (!element) return false;
  pulseElement(element);
  return true;
}

/** The same for an element already found (mirror mode finds it by its recorded number). */
export function pulseElement(element: Element): void {
  const calm = matchMedia('(prefers-reduced-motion: reduce)').matches;
  element.scrollIntoView({ block: 'center', behavior: calm ? 'auto' : 'smooth' });
  element.animate(
    [
      { outline: '4px solid #ff5a1f', outlineOffset: '2px' },
      { outline: '4px solid rgb(255 90 31 / 0%)', outlineOffset: '8px' },
    ],
    { duration: 900, iterations: calm ? 1 : 3 },
  );
}
