/**
 * Names for elements that mean the same element in two browsers showing the same page:
 * `#id` when unique, `[data-help-id]`, a unique `[name]`, else an `:nth-of-type` chain from the
 * nearest such ancestor (or `body`). The widget's own UI is never named.
 */

const SELF = 'help-widget';

/** Every part of a selector made here is escaped, so it is always valid. */
function unique(selector: string, doc: Document): boolean {
  return doc.querySelectorAll(selector).length === 1;
}

/** Tag names may hold characters that mean something in CSS: Word's HTML has `<o:p>`. */
function tag(element: Element): string {
  return CSS.escape(element.localName);
}

function ownName(element: Element, doc: Document): string | undefined {
  if (element.id && unique(`#${CSS.escape(element.id)}`, doc)) return `#${CSS.escape(element.id)}`;
  const helpId = element.getAttribute('data-help-id');
  if (helpId) {
    const selector = `[data-help-id="${CSS.escape(helpId)}"]`;
    if (unique(selector, doc)) return selector;
  }
  const name = element.getAttribute('name');
  if (name) {
    const selector = `${tag(element)}[name="${CSS.escape(name)}"]`;
    if (unique(selector, doc)) return selector;
  }
  return undefined;
}

/** The path of `element`, or undefined for the widget itself and what is not in the page. */
export function pathOf(element: Element): string | undefined {
  const doc = element.ownerDocument;
  if (element.closest(SELF) || !doc.body.contains(element)) return undefined;
  const steps: string[] = [];
  let current: Element | null = element;
  while (current && current !== doc.body) {
    const named = ownName(current, doc);
    if (named) {
      steps.unshift(named);
      return steps.join(' > ');
    }
    // Below body, every element has a parent element: the loop stops at body.
    const parent: Element = current.parentElement!;
    const { localName } = current;
    const sameType = [...parent.children].filter((c) => c.localName === localName);
    steps.unshift(`${tag(current)}:nth-of-type(${sameType.indexOf(current) + 1})`);
    current = parent;
  }
  steps.unshift('body');
  return steps.join(' > ');
}

/** The element a path names here, if exactly one; anything else is ignored, not thrown. */
export function findByPath(path: string, doc: Document = document): Element | undefined {
  let found: NodeListOf<Element>;
  try {
    found = doc.querySelectorAll(path);
  } catch {
    return undefined;
  }
  const element = found.length === 1 ? found[0] : undefined;
  return element && !element.closest(SELF) ? element : undefined;
}
