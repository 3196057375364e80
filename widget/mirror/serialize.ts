/**
 * The visitor's page written out in the format rrweb's replay rebuilds (its "serialized
 * nodes"), with our masking done here, in the visitor's browser. We write it ourselves rather
 * than let `@rrweb/record` take its snapshot because rrweb's snapshot is one synchronous call:
 * 150–200 ms on a page of 5,000 elements, a frozen page for the visitor. Written as a
 * generator, the walk can stop after any node and go on in a later task (see snapshot.ts);
 * changes after the snapshot use the same walk, run through at once (see changes.ts).
 */
import type {
  attributeMutation,
  attributes,
  elementNode,
  serializedNode,
  serializedNodeWithId,
  textMutation,
} from '@rrweb/types';
import type { Masking } from './masking.ts';
import type { NodeIds } from './node-ids.ts';

/** rrweb's NodeType numbers. */
const DOCUMENT = 0;
const DOCUMENT_TYPE = 1;
const ELEMENT = 2;
const TEXT = 3;

const SVG = 'http://www.w3.org/2000/svg';

/** What a node takes from the elements around it. */
export interface Surroundings {
  /** Inside a masked element: text goes as dots. */
  masked: boolean;
  /** Inside an `<svg>`: the replay must build the element in SVG's namespace. */
  svg: boolean;
  /** Inside a `<style>` already sent whole as `_cssText`: its own text would say it twice. */
  cssSent: boolean;
}

export const TOP: Surroundings = { masked: false, svg: false, cssSent: false };

/**
 * Elements a replay that runs no script has no use for. `<noscript>` would even show: the
 * replay's frame runs no script, so it would draw what the visitor, with scripts, never saw.
 */
const LEFT_OUT = new Set(['script', 'noscript', 'meta', 'base']);
/** Fields whose value the replay shows from their `value` attribute. */
const VALUED = new Set(['input', 'textarea', 'select']);
/** Inputs whose state is `checked`, not a value. */
const CHECKED = new Set(['checkbox', 'radio']);
/** Attributes holding an address, made absolute: the replay's frame is not on the site. */
const ADDRESSES = new Set(['src', 'href', 'xlink:href', 'background', 'poster', 'action']);

const CSS_URL = /url\(\s*(['"]?)(.*?)\1\s*\)/g;

function absolute(value: string, base: string): string {
  if (value.startsWith('#') || value.startsWith('data:')) return value;
  try {
    return new URL(value, base).href;
  } catch {
    return value;
  }
}

/** `url(…)` in CSS made absolute against the stylesheet's own address. */
export function absoluteCss(css: string, base: string): string {
  return css.includes('url(')
    ? css.replace(CSS_URL, (_, quote: string, url: string) => {
        return `url(${quote}${absolute(url, base)}${quote})`;
      })
    : css;
}

function absoluteSrcset(value: string, base: string): string {
  return value
    .split(',')
    .map((candidate) => {
      const [url = '', ...size] = candidate.trim().split(/\s+/);
      return [absolute(url, base), ...size].join(' ');
    })
    .join(', ');
}

/** An attribute's value as the replay gets it. */
export function attributeValue(name: string, value: string, base: string): string {
  if (ADDRESSES.has(name)) return absolute(value, base);
  if (name === 'srcset') return absoluteSrcset(value, base);
  if (name === 'style') return absoluteCss(value, base);
  return value;
}

/** Inline `on…` handlers would never run in the replay; they are not sent. */
export function sendsAttribute(name: string): boolean {
  return !name.startsWith('on');
}

/** A stylesheet's rules as text, or undefined when the browser will not show them to us. */
export function sheetText(
  sheet: CSSStyleSheet | null | undefined,
  base: string,
): string | undefined {
  if (!sheet) return undefined;
  try {
    let text = '';
    for (const rule of sheet.cssRules) text += rule.cssText;
    return absoluteCss(text, sheet.href ?? base);
  } catch {
    // Another origin's stylesheet: our server fetches it by its address instead.
    return undefined;
  }
}

/** How many rules a stylesheet has now: a change means a script edited it (insertRule…). */
export function ruleCount(sheet: CSSStyleSheet | null | undefined): number {
  try {
    return sheet?.cssRules.length ?? -1;
  } catch {
    return -1;
  }
}

/** A masked field's value, or a plain one's, as the replay may show it. */
export function fieldValue(element: Element, masking: Masking): string | undefined {
  if (
    !(element instanceof HTMLInputElement) &&
    !(element instanceof HTMLTextAreaElement) &&
    !(element instanceof HTMLSelectElement)
  ) {
    return undefined;
  }
  return masking.maskInputFn(element.value, element);
}

interface Described {
  node: serializedNode;
  /** What the node's children take from it; undefined when they are not recorded. */
  inside?: Surroundings;
}

export class Serializer {
  readonly #masking: Masking;
  readonly #ids: NodeIds;
  /** `<style>` and `<link>` elements sent whole, with their rule count then. */
  readonly #sheets = new Map<HTMLStyleElement | HTMLLinkElement, number>();

  /** Told of each shadow root written out: its changes must be watched on their own. */
  readonly #onShadowRoot: (root: ShadowRoot) => void;

  constructor(masking: Masking, ids: NodeIds, onShadowRoot: (root: ShadowRoot) => void) {
    this.#masking = masking;
    this.#ids = ids;
    this.#onShadowRoot = onShadowRoot;
  }

  /**
   * Writes out `root` and what is under it, one node per step; the value is the root's
   * serialized node, or undefined when it is left out. `fresh`: the node was just added, so
   * it has not been scrolled (reading scroll offsets would make the browser lay out the page).
   * Between steps the page may change: each node is written where it was when its parent was
   * read, and noted there (NodeIds.recordedParent), so the change records can put it right.
   */
  *walk(
    root: Node,
    around: Surroundings,
    fresh: boolean,
    inShadow = false,
  ): Generator<void, serializedNodeWithId | undefined> {
    interface Step {
      node: Node;
      /** The element or shadow root whose children the walk read it from; null for the root. */
      parent: Node | null;
      list?: serializedNodeWithId[];
      around: Surroundings;
      shadow: boolean;
    }
    const steps: Step[] = [{ node: root, parent: root.parentNode, around, shadow: inShadow }];
    let top: serializedNodeWithId | undefined;
    for (let step = steps.pop(); step; step = steps.pop()) {
      const { node } = step;
      // Moved since its parent was read, and written already where it went.
      if (this.#ids.idOf(node) !== undefined) continue;
      const described = this.#describe(node, step.around, fresh);
      if (!described) continue;
      if (step.shadow) described.node.isShadow = true;
      const written = this.#ids.add(
        node,
        described.node,
        step.parent,
        described.inside !== undefined,
      );
      if (step.list) step.list.push(written);
      else top = written;
      const inside = described.inside;
      if (inside && 'childNodes' in written) {
        const shadow = node instanceof Element ? node.shadowRoot : null;
        const children: Step[] = [];
        for (const child of node.childNodes) {
          children.push({
            node: child,
            parent: node,
            list: written.childNodes,
            around: inside,
            shadow: false,
          });
        }
        if (shadow) {
          this.#onShadowRoot(shadow);
          const adopted = this.#adopted(shadow);
          if (adopted) written.childNodes.push({ ...adopted, isShadow: true });
          for (const child of shadow.childNodes) {
            children.push({
              node: child,
              parent: shadow,
              list: written.childNodes,
              around: inside,
              shadow: true,
            });
          }
        } else if (node instanceof HTMLHeadElement && node.ownerDocument === document) {
          const adopted = this.#adopted(document);
          if (adopted) written.childNodes.push(adopted);
        }
        // Last in, first out: pushed backwards, the children are written in their order.
        for (let i = children.length - 1; i >= 0; i--) steps.push(children[i] as Step);
      }
      yield;
    }
    return top;
  }

  /**
   * Stylesheets a script changed since they were sent (rules inserted or deleted, as CSS-in-JS
   * libraries do). A `<style>` with text gets it as its text's change (the replay put the
   * rules there); one without, and a `<link>`, as a new `_cssText`, which the replay applies
   * by rebuilding the element.
   */
  changedSheets(): { texts: textMutation[]; attributes: attributeMutation[] } {
    const texts: textMutation[] = [];
    const attributes: attributeMutation[] = [];
    for (const [element, count] of this.#sheets) {
      const id = this.#ids.idOf(element);
      if (id === undefined) {
        this.#sheets.delete(element);
        continue;
      }
      const now = ruleCount(element.sheet);
      if (now === count) continue;
      this.#sheets.set(element, now);
      const text = sheetText(element.sheet, document.baseURI);
      if (text === undefined) continue;
      const textIds = [...element.childNodes]
        .filter((child) => child.nodeType === Node.TEXT_NODE)
        .map((child) => this.#ids.idOf(child));
      if (textIds.length > 0) {
        textIds.forEach((textId, index) => {
          if (textId !== undefined) texts.push({ id: textId, value: index === 0 ? text : '' });
        });
      } else {
        attributes.push({ id, attributes: { _cssText: text } });
      }
    }
    return { texts, attributes };
  }

  /** A new snapshot: the stylesheets are sent again. */
  reset(): void {
    this.#sheets.clear();
  }

  #describe(node: Node, around: Surroundings, fresh: boolean): Described | undefined {
    switch (node.nodeType) {
      case Node.ELEMENT_NODE:
        return this.#element(node as Element, around, fresh);
      case Node.TEXT_NODE:
        return { node: { type: TEXT, textContent: this.textOf(node as Text, around) } };
      case Node.DOCUMENT_NODE: {
        const mode = (node as Document).compatMode;
        return {
          node: {
            type: DOCUMENT,
            childNodes: [],
            ...(mode === 'CSS1Compat' ? {} : { compatMode: mode }),
          },
          inside: around,
        };
      }
      case Node.DOCUMENT_TYPE_NODE: {
        const type = node as DocumentType;
        return {
          node: {
            type: DOCUMENT_TYPE,
            name: type.name,
            publicId: type.publicId,
            systemId: type.systemId,
          },
        };
      }
      default:
        // Comments, processing instructions: nothing anyone sees.
        return undefined;
    }
  }

  /** A text node's text as the replay shows it. */
  textOf(text: Text, around: Surroundings): string {
    if (around.cssSent) return '';
    const value = text.data;
    const parent = text.parentElement;
    if (parent?.localName === 'style') return absoluteCss(value, document.baseURI);
    return around.masked ? this.#masking.maskTextFn(value) : value;
  }

  #element(element: Element, around: Surroundings, fresh: boolean): Described | undefined {
    const tag = element.localName.toLowerCase();
    if (LEFT_OUT.has(tag)) return undefined;
    if (tag === 'link' && !/\bstylesheet\b/i.test(element.getAttribute('rel') ?? ''))
      return undefined;
    const base = document.baseURI;
    const { blockSelector, maskTextSelector } = this.#masking;
    const svg = around.svg || element.namespaceURI === SVG;
    // Built once and filled in: tens of thousands of these make a big page's snapshot.
    const written: elementNode = { type: ELEMENT, tagName: tag, attributes: {}, childNodes: [] };
    if (svg) written.isSVG = true;
    if (tag.includes('-') && customElements.get(tag)) written.isCustom = true;
    if (element.shadowRoot) (written as serializedNode).isShadowHost = true;
    if (blockSelector && element.matches(blockSelector)) {
      // Its size alone: the helper sees a box where it is, nothing of what is in it.
      const { width, height } = element.getBoundingClientRect();
      const kept: attributes = { rr_width: `${width}px`, rr_height: `${height}px` };
      const className = element.getAttribute('class');
      if (className) kept.class = className;
      written.attributes = kept;
      written.needBlock = true;
      return { node: written };
    }
    const attributes = written.attributes;
    for (const attribute of element.attributes) {
      if (sendsAttribute(attribute.name)) {
        attributes[attribute.name] = attributeValue(attribute.name, attribute.value, base);
      }
    }
    let cssSent = false;
    if (element instanceof HTMLLinkElement || element instanceof HTMLStyleElement) {
      const text = sheetText(element.sheet, base);
      if (text !== undefined) {
        attributes._cssText = text;
        this.#sheets.set(element, ruleCount(element.sheet));
        cssSent = true;
        if (element instanceof HTMLLinkElement) {
          delete attributes.href;
          delete attributes.rel;
        }
      }
    }
    let inside: Surroundings | undefined = {
      masked: around.masked || (maskTextSelector !== '' && element.matches(maskTextSelector)),
      svg: svg && tag !== 'foreignobject',
      cssSent,
    };
    if (VALUED.has(tag)) {
      const input = element as HTMLInputElement;
      if (tag === 'input' && CHECKED.has(input.type)) {
        if (input.checked) attributes.checked = true;
        else delete attributes.checked;
      } else {
        attributes.value = fieldValue(element, this.#masking) ?? '';
      }
      // A text area's text is its first value: it is in `value` above, masked if need be.
      if (tag === 'textarea') inside = undefined;
    }
    if (tag === 'iframe') {
      // The replay never loads another page; what is inside a frame is not recorded.
      delete attributes.src;
      delete attributes.srcdoc;
      inside = undefined;
    }
    if (!fresh && element.scrollTop) attributes.rr_scrollTop = element.scrollTop;
    if (!fresh && element.scrollLeft) attributes.rr_scrollLeft = element.scrollLeft;
    return inside ? { node: written, inside } : { node: written };
  }

  /** Stylesheets a document or shadow root adopted (Lit and others), as one `<style>`. */
  #adopted(root: Document | ShadowRoot): serializedNodeWithId | undefined {
    const sheets = root.adoptedStyleSheets;
    if (!sheets || sheets.length === 0) return undefined;
    const text = sheets.map((sheet) => sheetText(sheet, document.baseURI) ?? '').join('');
    return this.#ids.addDetached({
      type: ELEMENT,
      tagName: 'style',
      attributes: { _cssText: text },
      childNodes: [],
    });
  }
}
