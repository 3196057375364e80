/**
 * Keeps the helper's browser away from the visitor's site while it replays the mirror: every
 * address in the recording that would make the replay fetch something (images, stylesheets,
 * fonts, icons) is turned into our server's asset address, and every one that would navigate
 * or embed (links, forms, frames, media, refresh) is removed. The agent page's
 * Content-Security-Policy is the net beneath: what this misses is blocked, not fetched.
 *
 * Works on rrweb's serialized events (plain JSON), before the replayer sees them.
 */

/** rrweb's numbers for what it records (EventType, IncrementalSource, NodeType). */
const FULL_SNAPSHOT = 2;
const INCREMENTAL = 3;
const MUTATION = 0;
const STYLE_SHEET_RULE = 8;
const STYLE_DECLARATION = 13;
const ADOPTED_STYLE_SHEET = 15;
const ELEMENT = 2;
const TEXT = 3;

/** Attributes that load something when set. */
const LOADS = new Set(['src', 'srcset', 'poster', 'background', 'imagesrcset', 'lowsrc']);
/** Attributes that navigate, submit, embed or ping when used. */
const LEAVES = new Set(['action', 'formaction', 'ping', 'data', 'codebase', 'archive', 'srcdoc']);
/** Elements whose addresses are never wanted: they play, embed or navigate. */
const NEVER = new Set(['iframe', 'frame', 'embed', 'object', 'video', 'audio', 'track', 'script']);
/** `<link rel>` values whose `href` is an asset the replay needs. */
const ASSET_LINKS = /\b(stylesheet|icon|apple-touch-icon|mask-icon)\b/i;

/** Given to what the site's rules blocked, for the replay's grey box. */
export const BLOCKED_CLASS = 'help-blocked';

type Attributes = Record<string, unknown>;
interface SerializedNode {
  type: number;
  id?: number;
  tagName?: string;
  attributes?: Attributes;
  childNodes?: SerializedNode[];
  textContent?: string;
  isStyle?: boolean;
}

export class Insulator {
  readonly #asset: (url: string) => string;
  /** Text nodes that are stylesheets: a later change to their text is CSS too. */
  readonly #styleTexts = new Set<number>();

  /** `asset` turns a site's http(s) address into our server's address for it. */
  constructor(asset: (url: string) => string) {
    this.#asset = asset;
  }

  /** The event as the replay may see it (rewritten in place: it came from JSON.parse). */
  event<E>(event: E): E {
    const e = event as { type?: number; data?: Record<string, unknown> };
    const data = e.data;
    if (!data) return event;
    if (e.type === FULL_SNAPSHOT) {
      this.#styleTexts.clear();
      this.#node(data.node as SerializedNode | undefined, undefined);
    } else if (e.type === INCREMENTAL) {
      this.#incremental(data);
    }
    return event;
  }

  #incremental(data: Record<string, unknown>): void {
    switch (data.source) {
      case MUTATION: {
        for (const add of list<{ node?: SerializedNode }>(data.adds))
          this.#node(add.node, undefined);
        for (const change of list<{ id: number; attributes?: Attributes }>(data.attributes)) {
          // The element's name is not in the change: treat it as the strictest element would.
          if (change.attributes) this.#attributes(undefined, change.attributes);
        }
        for (const text of list<{ id: number; value?: unknown }>(data.texts)) {
          if (this.#styleTexts.has(text.id) && typeof text.value === 'string') {
            text.value = this.css(text.value);
          }
        }
        break;
      }
      case STYLE_SHEET_RULE: {
        for (const add of list<{ rule?: unknown }>(data.adds)) {
          if (typeof add.rule === 'string') add.rule = this.css(add.rule);
        }
        if (typeof data.replace === 'string') data.replace = this.css(data.replace);
        if (typeof data.replaceSync === 'string') data.replaceSync = this.css(data.replaceSync);
        break;
      }
      case STYLE_DECLARATION: {
        const set = data.set as { value?: unknown } | undefined;
        if (set && typeof set.value === 'string') set.value = this.css(set.value);
        break;
      }
      case ADOPTED_STYLE_SHEET: {
        for (const style of list<{ rules?: { rule?: unknown }[] }>(data.styles)) {
          for (const rule of style.rules ?? []) {
            if (typeof rule.rule === 'string') rule.rule = this.css(rule.rule);
          }
        }
        break;
      }
    }
  }

  #node(node: SerializedNode | undefined, parentTag: string | undefined): void {
    if (!node) return;
    if (node.type === TEXT && typeof node.textContent === 'string') {
      if (node.isStyle || parentTag === 'style') {
        if (node.id !== undefined) this.#styleTexts.add(node.id);
        node.textContent = this.css(node.textContent);
      }
      return;
    }
    const tag = node.type === ELEMENT ? node.tagName?.toLowerCase() : undefined;
    if (tag && node.attributes) {
      this.#attributes(tag, node.attributes);
      // Blocked by the site's rules: the recorder sent only its size; it shows as a grey box.
      if (node.attributes.rr_width !== undefined) {
        node.attributes.class = `${String(node.attributes.class ?? '')} ${BLOCKED_CLASS}`.trim();
      }
    }
    for (const child of node.childNodes ?? []) this.#node(child, tag);
  }

  /** One element's attributes; `tag` undefined (a change) gets the strictest treatment. */
  #attributes(tag: string | undefined, attributes: Attributes): void {
    for (const [name, value] of Object.entries(attributes)) {
      const key = name.toLowerCase();
      if (value === null || value === undefined || value === false) continue;
      if (key === 'style') {
        attributes[name] = typeof value === 'string' ? this.css(value) : this.#styleObject(value);
      } else if (key === '_csstext' && typeof value === 'string') {
        attributes[name] = this.css(value);
      } else if (key === 'href' || key === 'xlink:href') {
        this.#href(tag, attributes, name, value);
      } else if (key === 'http-equiv' || (tag === 'meta' && key === 'content')) {
        // `<meta http-equiv=refresh content="0;url=…">` would navigate the replay.
        if (tag === 'meta' || tag === undefined) delete attributes[name];
      } else if (LEAVES.has(key) || (LOADS.has(key) && tag !== undefined && NEVER.has(tag))) {
        delete attributes[name];
      } else if (LOADS.has(key)) {
        const safe = key.endsWith('srcset') ? this.#srcset(String(value)) : this.url(String(value));
        if (safe === undefined) delete attributes[name];
        else attributes[name] = safe;
      } else if (key === 'rr_src' || key.startsWith('on')) {
        // A frame's address kept aside by the recorder; an inline handler (never run, never kept).
        delete attributes[name];
      }
    }
  }

  #href(tag: string | undefined, attributes: Attributes, name: string, value: unknown): void {
    const rel = String(attributes.rel ?? '');
    const href = String(value);
    // An in-page reference (SVG `<use href="#icon">`) is no address at all.
    if (href.startsWith('#')) return;
    const asset =
      (tag === 'link' && ASSET_LINKS.test(rel)) ||
      tag === 'image' ||
      tag === 'use' ||
      tag === 'feimage';
    const safe = asset ? this.url(href) : undefined;
    if (safe === undefined) delete attributes[name];
    else attributes[name] = safe;
  }

  #styleObject(value: unknown): unknown {
    if (typeof value !== 'object' || value === null) return value;
    const style = value as Record<string, unknown>;
    for (const [property, declared] of Object.entries(style)) {
      if (typeof declared === 'string') style[property] = this.css(declared);
      else if (Array.isArray(declared) && typeof declared[0] === 'string') {
        declared[0] = this.css(declared[0]);
      }
    }
    return style;
  }

  /** An address the replay may load: ours for the site's, data: images and fonts as they are. */
  url(raw: string): string | undefined {
    const value = raw.trim();
    if (/^data:(image\/(?!svg)|font\/|application\/(x-)?font)/i.test(value)) return value;
    if (!/^https?:\/\//i.test(value) || !URL.canParse(value)) return undefined;
    return this.#asset(value);
  }

  #srcset(value: string): string | undefined {
    const candidates = value
      .split(/,\s+/)
      .map((candidate) => {
        const [address = '', ...descriptor] = candidate.trim().split(/\s+/);
        const safe = this.url(address);
        return safe === undefined ? undefined : [safe, ...descriptor].join(' ');
      })
      .filter((candidate) => candidate !== undefined);
    return candidates.length > 0 ? candidates.join(', ') : undefined;
  }

  /** CSS with every `url(…)` and `@import` made ours, or emptied when it cannot be. */
  css(text: string): string {
    return text
      .replace(/url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"]*))\s*\)/gi, (_all, d, s, bare) => {
        const safe = this.url(String(d ?? s ?? bare ?? ''));
        return safe === undefined ? 'url("")' : `url("${safe.replace(/"/g, '%22')}")`;
      })
      .replace(/@import\s+(?:"([^"]*)"|'([^']*)')/gi, (_all, d, s) => {
        const safe = this.url(String(d ?? s ?? ''));
        return safe === undefined ? '@import ""' : `@import "${safe.replace(/"/g, '%22')}"`;
      });
  }
}

function list<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}
