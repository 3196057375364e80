/**
 * The helper points at something: it scrolls into view and pulses. Web Animations leave the
 * page's own styles alone and work under a strict Content-Security-Policy. On its own (without
 * follow mode's element paths) so mirror mode's chunk carries only this.
 */
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
