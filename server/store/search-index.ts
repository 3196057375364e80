/**
 * The local store's history search: an inverted index in memory, from each term to the ended
 * conversations that have it, and each helper's ended conversations in history order. A search
 * looks up the terms its words start (search-text.ts), intersects, and walks the helper's list
 * from the page's start: its cost follows the number of distinct terms and of matches, never
 * the messages stored. What it holds is kept on disk by the archive (search-log.ts); this file
 * does no I/O.
 */

/** What the index keeps of one ended conversation. */
export interface SearchDoc {
  id: string;
  helperId: string;
  endedAt: string;
  createdAt: string;
  terms: readonly string[];
}

export class SearchIndex {
  /** Documents by number; a replaced one is left as a hole (undefined). */
  readonly #docs: ({ id: string; helperId: string; key: string } | undefined)[] = [];
  readonly #numberOf = new Map<string, number>();
  /** Term → numbers of the documents with it, ascending. */
  readonly #postings = new Map<string, number[]>();
  /** Helper → numbers of their documents, newest ended first (the history's order). */
  readonly #byHelper = new Map<string, number[]>();

  get size(): number {
    return this.#numberOf.size;
  }

  /** Adds documents; one already there (same id) is replaced. Sorts once for the lot. */
  addMany(docs: Iterable<SearchDoc>): void {
    const touched = new Set<number[]>();
    for (const doc of docs) touched.add(this.#put(doc));
    for (const list of touched) list.sort((a, b) => this.#compareNewestFirst(a, b));
  }

  /** Adds one document, in its place in the helper's list. */
  add(doc: SearchDoc): void {
    const list = this.#put(doc);
    const n = list.pop();
    if (n === undefined) return;
    list.splice(this.#placeOf(list, this.#key(n)), 0, n);
  }

  /**
   * Ids of the helper's conversations that have, for every term, a word starting with it;
   * newest ended first, at most `limit`, starting after the conversation `after` (from the
   * start when it is not one of this helper's).
   */
  search(
    helperId: string,
    terms: readonly string[],
    page: { limit: number; after?: string | undefined },
  ): string[] {
    const list = this.#byHelper.get(helperId);
    if (!list || terms.length === 0) return [];
    let matches: Uint8Array | undefined;
    for (const term of terms) {
      const hits = this.#withPrefix(term);
      if (matches)
        for (let i = 0; i < hits.length; i++) hits[i] = (hits[i] ?? 0) & (matches[i] ?? 0);
      matches = hits;
    }
    const found: string[] = [];
    for (let i = this.#startOf(list, helperId, page.after); i < list.length; i++) {
      const n = list[i] ?? -1;
      const doc = this.#docs[n];
      if (doc && matches?.[n]) found.push(doc.id);
      if (found.length >= page.limit) break;
    }
    return found;
  }

  /** Stores the document and returns its helper's list, with it added last (unsorted). */
  #put(doc: SearchDoc): number[] {
    const old = this.#numberOf.get(doc.id);
    if (old !== undefined) this.#remove(old);
    const n = this.#docs.length;
    const key = `${doc.endedAt}|${doc.createdAt}|${doc.id}`;
    this.#docs.push({ id: doc.id, helperId: doc.helperId, key });
    this.#numberOf.set(doc.id, n);
    for (const term of doc.terms) {
      const numbers = this.#postings.get(term);
      if (numbers) numbers.push(n);
      else this.#postings.set(term, [n]);
    }
    let list = this.#byHelper.get(doc.helperId);
    if (!list) {
      list = [];
      this.#byHelper.set(doc.helperId, list);
    }
    list.push(n);
    return list;
  }

  /** A replaced document leaves its helper's list; its term entries point at a hole. */
  #remove(n: number): void {
    const doc = this.#docs[n];
    if (!doc) return;
    const list = this.#byHelper.get(doc.helperId);
    const at = list?.indexOf(n) ?? -1;
    if (list && at >= 0) list.splice(at, 1);
    this.#docs[n] = undefined;
    this.#numberOf.delete(doc.id);
  }

  /** Documents with a term starting with `prefix`, as a flag per document number. */
  #withPrefix(prefix: string): Uint8Array {
    const hits = new Uint8Array(this.#docs.length);
    // Every distinct term is looked at: thousands to a few hundred thousand, a few ms, and
    // nothing to keep sorted as terms arrive.
    for (const [term, numbers] of this.#postings) {
      if (!term.startsWith(prefix)) continue;
      for (const n of numbers) hits[n] = 1;
    }
    return hits;
  }

  /** Where a page starts in the helper's list: just after `after`, or at the start. */
  #startOf(list: number[], helperId: string, after: string | undefined): number {
    const n = after === undefined ? undefined : this.#numberOf.get(after);
    const doc = n === undefined ? undefined : this.#docs[n];
    if (n === undefined || doc?.helperId !== helperId) return 0;
    const at = this.#placeOf(list, doc.key);
    return list[at] === n ? at + 1 : 0;
  }

  /** The first place in a newest-first list whose key is not newer than `key`. */
  #placeOf(list: number[], key: string): number {
    let low = 0;
    let high = list.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#key(list[middle] ?? -1) > key) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  #key(n: number): string {
    return this.#docs[n]?.key ?? '';
  }

  /** Newest ended first; ties by creation, then id, as `newestEndedFirst` orders them. */
  #compareNewestFirst(a: number, b: number): number {
    const ka = this.#key(a);
    const kb = this.#key(b);
    return ka < kb ? 1 : ka > kb ? -1 : 0;
  }
}
