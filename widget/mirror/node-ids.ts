/**
 * The numbers the recording gives the page's nodes. They live in rrweb's own mirror
 * (`record.mirror`), because rrweb's input, scroll, selection and pointer observers look nodes
 * up there; we keep, next to it, which nodes are on the recorded page now. rrweb's mirror
 * cannot say that: it forgets a number but never the node's entry, so a node taken out and put
 * back would look recorded when the replay no longer has it.
 */
import { record } from '@rrweb/record';
import type { serializedNode, serializedNodeWithId } from '@rrweb/types';

export class NodeIds {
  #next = 1;
  #live = new WeakMap<Node, serializedNodeWithId>();
  /** Recorded nodes whose children are not recorded: blocked elements, frames, text areas. */
  #closed = new WeakSet<Node>();
  /** Where the recording has each node: the element or shadow root it is a child of. */
  #parents = new WeakMap<Node, Node>();

  /** The number the next node gets: every number from here on was given after this moment. */
  get next(): number {
    return this.#next;
  }

  /** The node's number while it is on the recorded page. */
  idOf(node: Node | null | undefined): number | undefined {
    return node ? this.#live.get(node)?.id : undefined;
  }

  /** Whether the recording shows what is inside the node. */
  opens(node: Node): boolean {
    return this.#live.has(node) && !this.#closed.has(node);
  }

  /** The element or shadow root the recording has the node under (null for the document). */
  recordedParent(node: Node): Node | undefined {
    return this.#parents.get(node);
  }

  /**
   * Numbers the node, recorded under `parent`. Numbers are never reused, not even across
   * snapshots. `opens`: its children are recorded too.
   */
  add(
    node: Node,
    described: serializedNode,
    parent: Node | null,
    opens: boolean,
  ): serializedNodeWithId {
    // Numbered in place: a copy per node would be garbage to collect on a big page.
    const meta = Object.assign(described, { id: this.#next++ });
    this.#live.set(node, meta);
    if (parent) this.#parents.set(node, parent);
    if (opens) this.#closed.delete(node);
    else this.#closed.add(node);
    record.mirror.add(node, meta);
    return meta;
  }

  /** Numbers something the replay shows that is no node of the page (an adopted stylesheet). */
  addDetached(described: serializedNode): serializedNodeWithId {
    return Object.assign(described, { id: this.#next++ });
  }

  /** The node left the page: it and everything under it. */
  forget(node: Node): void {
    record.mirror.removeNodeFromMap(node);
    const pending: Node[] = [node];
    for (let next = pending.pop(); next; next = pending.pop()) {
      if (!this.#live.delete(next)) continue;
      pending.push(...next.childNodes);
      if (next instanceof Element && next.shadowRoot) pending.push(...next.shadowRoot.childNodes);
    }
  }

  /** A new snapshot numbers the page afresh. */
  reset(): void {
    this.#live = new WeakMap();
    record.mirror.reset();
  }
}
