/**
 * The asset fetcher's memory: a URL means a content hash for a while; bodies are kept once per
 * hash (many URLs, `?v=1`, `?v=2`…, often share one), least recently used dropped first,
 * within a byte budget.
 */
import type { Asset } from './asset-fetcher.ts';

/** Bounds the URL index when many URLs share few bodies: a page has hundreds, not thousands. */
const MAX_CACHED_URLS = 10_000;

export class AssetCache {
  /** URL -> what it last meant; the body lives in `#bodies` under its hash. */
  readonly #urls = new Map<string, { hash: string; contentType: string; expiresAt: number }>();
  /** hash -> body, least recently used first (a Map keeps insertion order). */
  readonly #bodies = new Map<string, Buffer>();
  #bodyBytes = 0;
  readonly #maxBytes: number;
  readonly #ttlMs: number;

  constructor(maxBytes: number, ttlMs: number) {
    this.#maxBytes = maxBytes;
    this.#ttlMs = ttlMs;
  }

  get(key: string): Asset | undefined {
    const entry = this.#urls.get(key);
    if (!entry) return undefined;
    const body = this.#bodies.get(entry.hash);
    if (!body || entry.expiresAt <= Date.now()) {
      this.#urls.delete(key);
      return undefined;
    }
    // Used now: to the end of the line.
    this.#bodies.delete(entry.hash);
    this.#bodies.set(entry.hash, body);
    return { ok: true, body, contentType: entry.contentType, hash: entry.hash };
  }

  remember(key: string, asset: Asset): void {
    // An asset bigger than the whole cache is served but not kept: it would evict everything.
    if (asset.body.length > this.#maxBytes) return;
    if (!this.#bodies.delete(asset.hash)) this.#bodyBytes += asset.body.length;
    this.#bodies.set(asset.hash, asset.body);
    for (const [hash, body] of this.#bodies) {
      if (this.#bodyBytes <= this.#maxBytes) break;
      this.#bodies.delete(hash);
      this.#bodyBytes -= body.length;
    }
    this.#urls.delete(key);
    this.#urls.set(key, {
      hash: asset.hash,
      contentType: asset.contentType,
      expiresAt: Date.now() + this.#ttlMs,
    });
    for (const oldest of this.#urls.keys()) {
      if (this.#urls.size <= MAX_CACHED_URLS) break;
      this.#urls.delete(oldest);
    }
  }
}
