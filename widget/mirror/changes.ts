/**
 * Changes to the visitor's page after the snapshot, as rrweb's mutation events. The browser's
 * change records say which nodes and attributes changed; what is sent is read from the page as
 * it is when they are handled, so a node added and removed again between two handlings never
 * shows, and a node moved is sent as removed and added. While a snapshot is being written
 * (in slices), records are held and handled once it is done: the snapshot read some parts of
 * the page before a change and some after, and the records put both right.
 */
import type {
  addedNodeMutation,
  attributeMutation,
  mutationCallbackParam,
  removedNodeMutation,
  serializedNodeWithId,
  textMutation,
} from '@rrweb/types';
import type { Masking } from './masking.ts';
import type { NodeIds } from './node-ids.ts';
import {
  attributeValue,
  fieldValue,
  type Serializer,
  type Surroundings,
  sendsAttribute,
  TOP,
} from './serialize.ts';

const SVG = 'http://www.w3.org/2000/svg';
const WATCH: MutationObserverInit = {
  childList: true,
  subtree: true,
  attributes: true,
  characterData: true,
};
/** How often stylesheets are checked for rules a script inserted without touching the DOM. */
const SHEET_CHECK_MS = 1000;

/** What the replay calls a node's parent: a shadow root's is its host. */
function parentOf(node: Node): Node {
  return node instanceof ShadowRoot ? node.host : node;
}

/**
 * A written-out subtree as the replay takes additions: one node per entry, parents first,
 * each with no children of its own (the replay builds only the node it is given); children
 * come after it in their order, so appending each keeps the order.
 */
function oneByOne(parentId: number, nextId: number | null, top: serializedNodeWithId) {
  const adds: addedNodeMutation[] = [];
  const pending = [{ parentId, nextId, node: top }];
  for (let add = pending.pop(); add; add = pending.pop()) {
    const { node } = add;
    if ('childNodes' in node) {
      adds.push({ ...add, node: { ...node, childNodes: [] } });
      for (let i = node.childNodes.length - 1; i >= 0; i--) {
        const child = node.childNodes[i] as serializedNodeWithId;
        pending.push({ parentId: node.id, nextId: null, node: child });
      }
    } else {
      adds.push(add);
    }
  }
  return adds;
}

export class PageChanges {
  readonly #serializer: Serializer;
  readonly #ids: NodeIds;
  readonly #masking: Masking;
  readonly #emit: (change: mutationCallbackParam) => void;
  readonly #observer: MutationObserver;
  readonly #sheetTimer: ReturnType<typeof setInterval>;
  #held: MutationRecord[] | undefined;

  constructor(
    serializer: Serializer,
    ids: NodeIds,
    masking: Masking,
    emit: (change: mutationCallbackParam) => void,
  ) {
    this.#serializer = serializer;
    this.#ids = ids;
    this.#masking = masking;
    this.#emit = emit;
    this.#observer = new MutationObserver((records) => {
      if (this.#held) this.#held.push(...records);
      else this.#handle(records);
    });
    this.#sheetTimer = setInterval(() => {
      if (!this.#held) this.#handle([]);
    }, SHEET_CHECK_MS);
  }

  /** Watches a document or a shadow root (a document's watch does not reach into those). */
  observe(root: Document | ShadowRoot): void {
    this.#observer.observe(root, WATCH);
  }

  /** A snapshot is being written: keep the records for later. */
  hold(): void {
    this.#held ??= [];
  }

  /** The snapshot is out: what changed meanwhile follows it. */
  release(): void {
    const records = [...(this.#held ?? []), ...this.#observer.takeRecords()];
    this.#held = undefined;
    this.#handle(records);
  }

  stop(): void {
    this.#observer.disconnect();
    clearInterval(this.#sheetTimer);
    this.#held = undefined;
  }

  #handle(records: readonly MutationRecord[]): void {
    const removes: removedNodeMutation[] = [];
    const added: Node[] = [];
    const texts = new Set<Node>();
    const changed = new Map<Element, Set<string>>();
    for (const record of records) {
      if (record.type === 'childList') {
        const parentId = this.#ids.idOf(parentOf(record.target));
        for (const node of record.removedNodes) {
          const id = this.#ids.idOf(node);
          // Not recorded, or recorded somewhere it went later: the snapshot read its parent
          // after this change (records held during a snapshot are older than some reads).
          if (id === undefined || this.#ids.recordedParent(node) !== record.target) continue;
          // Under a parent already gone, its parent's removal took it off the replay too.
          if (parentId !== undefined) {
            removes.push({
              parentId,
              id,
              ...(record.target instanceof ShadowRoot ? { isShadow: true } : {}),
            });
          }
          this.#ids.forget(node);
        }
        added.push(...record.addedNodes);
      } else if (record.type === 'characterData') {
        texts.add(record.target);
      } else if (record.attributeName && record.target instanceof Element) {
        const names = changed.get(record.target) ?? new Set<string>();
        names.add(record.attributeName);
        changed.set(record.target, names);
      }
    }
    // Nodes numbered from here on were written out whole below: nothing more to say of them.
    const firstNew = this.#ids.next;
    const adds = this.#adds(added);
    const textChanges: textMutation[] = [];
    for (const node of texts) {
      const id = this.#ids.idOf(node);
      const parent = node.parentNode;
      if (id === undefined || id >= firstNew || !(node instanceof Text) || !parent) continue;
      if (!this.#ids.opens(parentOf(parent))) continue;
      textChanges.push({ id, value: this.#serializer.textOf(node, this.#inside(parent)) });
    }
    const attributes: attributeMutation[] = [];
    for (const [element, names] of changed) {
      const id = this.#ids.idOf(element);
      // A blocked element's attributes stay on the visitor's page, as its content does.
      if (id === undefined || id >= firstNew || !this.#ids.opens(element)) continue;
      const values: attributeMutation['attributes'] = {};
      for (const name of names) {
        if (!sendsAttribute(name)) continue;
        const value = element.getAttribute(name);
        values[name] =
          name === 'value'
            ? (fieldValue(element, this.#masking) ?? value)
            : value === null
              ? null
              : attributeValue(name, value, document.baseURI);
      }
      attributes.push({ id, attributes: values });
    }
    const sheets = this.#serializer.changedSheets();
    textChanges.push(...sheets.texts);
    attributes.push(...sheets.attributes);
    if (removes.length + adds.length + textChanges.length + attributes.length === 0) return;
    this.#emit({ removes, adds, texts: textChanges, attributes });
  }

  /** Nodes added under a recorded parent, written out with their place among its children. */
  #adds(added: readonly Node[]): addedNodeMutation[] {
    const adds: addedNodeMutation[] = [];
    for (const node of added) {
      const parent = node.parentNode;
      if (!parent || this.#ids.idOf(node) !== undefined) continue;
      const parentId = this.#ids.idOf(parentOf(parent));
      if (parentId === undefined || !this.#ids.opens(parentOf(parent))) continue;
      const walk = this.#serializer.walk(
        node,
        this.#inside(parent),
        true,
        parent instanceof ShadowRoot,
      );
      let step = walk.next();
      while (!step.done) step = walk.next();
      if (!step.value) continue;
      adds.push(...oneByOne(parentId, this.#nextId(node), step.value));
    }
    return adds;
  }

  /**
   * The recorded sibling the node goes before. Siblings not recorded yet are skipped: added
   * later in the same event, they name their own next sibling, so each lands in its place.
   */
  #nextId(node: Node): number | null {
    for (let next = node.nextSibling; next; next = next.nextSibling) {
      const id = this.#ids.idOf(next);
      if (id !== undefined) return id;
    }
    return null;
  }

  /** What a new child of `parent` takes from it and the elements around it. */
  #inside(parent: Node): Surroundings {
    const element = parentOf(parent);
    if (!(element instanceof Element)) return TOP;
    const selector = this.#masking.maskTextSelector;
    return {
      masked: selector !== '' && element.closest(selector) !== null,
      svg: element.namespaceURI === SVG && element.localName !== 'foreignObject',
      cssSent: false,
    };
  }
}
