import type { SelectValue, TextPoint } from '../../protocol/cobrowse.ts';
import { findByPath, pathOf } from './element-path.ts';

const HIGHLIGHT = 'help-visitor-selection';

function toPoint(node: Node, offset: number): TextPoint | undefined {
  const element = node instanceof Element ? node : node.parentElement;
  if (!element || element.closest('[data-help-mask]')) return undefined;
  const path = pathOf(element);
  if (!path) return undefined;
  const before = document.createRange();
  before.setStart(element, 0);
  before.setEnd(node, offset);
  return { path, offset: before.toString().length };
}

/** The visitor's selected text, as element paths and character offsets. */
export function readSelection(): SelectValue {
  const selection = getSelection();
  const ranges: SelectValue['ranges'] = [];
  for (let i = 0; selection && i < Math.min(selection.rangeCount, 10); i++) {
    const range = selection.getRangeAt(i);
    if (range.collapsed) continue;
    const start = toPoint(range.startContainer, range.startOffset);
    const end = toPoint(range.endContainer, range.endOffset);
    if (start && end) ranges.push({ start, end });
  }
  return { ranges };
}

/** The text node and offset `offset` characters into `element`'s text. */
function fromPoint(point: TextPoint): [Node, number] | undefined {
  const element = findByPath(point.path);
  if (!element) return undefined;
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  let left = point.offset;
  for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
    if (left <= node.length) return [node, left];
    left -= node.length;
  }
  return [element, element.childNodes.length];
}

const STYLE = `::highlight(${HIGHLIGHT}) { background: #ffe066; color: #1d1d1f; }`;

/** The highlight's colours: added once, and again if the page replaced its own sheets. */
function addStyle(): void {
  const ours = (sheet: CSSStyleSheet) => sheet.cssRules[0]?.cssText.includes(HIGHLIGHT);
  if (document.adoptedStyleSheets.some(ours)) return;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(STYLE);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

/** Highlights the visitor's selection on the helper's copy (CSS Custom Highlight API). */
export function applySelection(value: SelectValue): void {
  const registry = (CSS as unknown as { highlights?: Map<string, unknown> }).highlights;
  if (!registry || typeof Highlight === 'undefined') return;
  addStyle();
  const ranges: Range[] = [];
  for (const { start, end } of value.ranges) {
    const from = fromPoint(start);
    const to = fromPoint(end);
    if (!from || !to) continue;
    const range = document.createRange();
    try {
      range.setStart(...from);
      range.setEnd(...to);
      ranges.push(range);
    } catch {
      // A point that no longer fits this copy's text is ignored, not thrown.
    }
  }
  registry.set(HIGHLIGHT, new Highlight(...ranges));
}
