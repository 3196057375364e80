import type { ScrollValue } from '../../protocol/cobrowse.ts';
import { findByPath, pathOf } from './element-path.ts';

/**
 * Scroll positions that mean the same content in two windows of different sizes: the element
 * at the top of the scrolled area and how far into it the top is, with a ratio fallback.
 */

/** Fixed and sticky things (headers, banners) sit at the top whatever the scroll. */
function pinned(element: Element): boolean {
  for (let e: Element | null = element; e && e !== document.body; e = e.parentElement) {
    const { position } = getComputedStyle(e);
    if (position === 'fixed' || position === 'sticky') return true;
  }
  return false;
}

/**
 * The element at the top of the window that has a path (scrollable elements use
 * `topDescendant`). What has none is looked through: the widget's own UI, and overlays that
 * scripts and extensions put outside `<body>`.
 */
function topElement(): Element | undefined {
  const doc = document;
  // Probe a little below the top edge, across the middle.
  for (const dy of [2, 12, 32]) {
    for (const fx of [0.5, 0.25, 0.75]) {
      const hits = doc.elementsFromPoint(innerWidth * fx, dy);
      const hit = hits.find((h) => h !== doc.body && !pinned(h) && pathOf(h) !== undefined);
      if (hit) return hit;
    }
  }
  return undefined;
}

/**
 * In a scrollable element, the first descendant that crosses its top edge, found by geometry
 * (it may be off screen, where hit testing sees nothing), up to three levels down.
 */
function topDescendant(container: Element): Element | undefined {
  const edge = container.getBoundingClientRect().top;
  let found: Element | undefined;
  let level: Element = container;
  for (let depth = 0; depth < 3; depth++) {
    const next = [...level.children].find((child) => child.getBoundingClientRect().bottom > edge);
    if (!next) break;
    found = next;
    level = next;
  }
  return found;
}

/**
 * In a right-to-left scroller, scrollLeft counts down from 0 at its start (the right edge):
 * the ratio is the distance from the start, either way.
 */
function leftward(scroller: Element): boolean {
  return getComputedStyle(scroller).direction === 'rtl';
}

export function readScroll(container?: Element): ScrollValue {
  const scroller = container ?? document.scrollingElement ?? document.documentElement;
  const maxX = scroller.scrollWidth - scroller.clientWidth;
  const maxY = scroller.scrollHeight - scroller.clientHeight;
  const x = leftward(scroller) ? -scroller.scrollLeft : scroller.scrollLeft;
  const ratioX = maxX > 0 ? Math.min(1, Math.max(0, x / maxX)) : 0;
  const ratioY = maxY > 0 ? Math.min(1, Math.max(0, scroller.scrollTop / maxY)) : 0;
  const element = container ? topDescendant(container) : topElement();
  const path = element && pathOf(element);
  if (!element || !path) return { anchor: null, ratioX, ratioY };
  const rect = element.getBoundingClientRect();
  const top = container ? container.getBoundingClientRect().top : 0;
  const offsetRatio = rect.height > 0 ? (top - rect.top) / rect.height : 0;
  return { anchor: { path, offsetRatio: Math.min(2, Math.max(-1, offsetRatio)) }, ratioX, ratioY };
}

/** Puts the same content at the top here; falls back to the ratio when the anchor is unknown. */
export function applyScroll(value: ScrollValue, container?: Element): void {
  const scroller = container ?? document.scrollingElement ?? document.documentElement;
  const anchor = value.anchor && findByPath(value.anchor.path);
  const fromStart = value.ratioX * (scroller.scrollWidth - scroller.clientWidth);
  const left = leftward(scroller) ? -fromStart : fromStart;
  if (anchor && value.anchor) {
    const rect = anchor.getBoundingClientRect();
    const top = container ? container.getBoundingClientRect().top : 0;
    const delta = rect.top - top + value.anchor.offsetRatio * rect.height;
    scroller.scrollTo({ top: scroller.scrollTop + delta, left, behavior: 'instant' });
    return;
  }
  const y = value.ratioY * (scroller.scrollHeight - scroller.clientHeight);
  scroller.scrollTo({ top: y, left, behavior: 'instant' });
}
