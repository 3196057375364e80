/**
 * Fetches the images, fonts and stylesheets of a mirrored page on the helper's behalf, so the
 * helper's browser never talks to the visitor's site. Not an open proxy: only the site's own
 * origins, only public addresses (loopback only for a site that names itself loopback), only
 * asset types, bounded in size, time and concurrency. Never throws: every outcome is a result.
 */
import { createHash } from 'node:crypto';
import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ErrorCode } from '../../protocol/ack.ts';
import { AssetCache } from './asset-cache.ts';
import { isBlockedAddress, isLoopbackAddress } from './blocked-addresses.ts';

/** Resolves a host name to all its addresses, as `dns.promises.lookup(host, {all: true})`. */
export type ResolveAll = (hostname: string, options: { all: true }) => Promise<LookupAddress[]>;

export interface AssetFetcherOptions {
  /** Origins (exact `scheme://host[:port]` strings) the fetcher may fetch from. Read on every call: the list may depend on the server's port, known only once listening. */
  allowedOrigins: () => readonly string[];
  /** Per asset; a bigger one is cut off at this many bytes. Default 5 MiB. */
  maxBytes?: number;
  /** The whole fetch, redirects included, from the moment it gets a slot. Default 10 s. */
  timeoutMs?: number;
  /** Bodies kept in memory, least recently used dropped first. Default 64 MiB. */
  cacheBytes?: number;
  /** How long a URL keeps meaning the content fetched for it. Default 10 min. */
  cacheTtlMs?: number;
  /** Upstream fetches at once; the rest wait their turn. Default 16. */
  maxConcurrent?: number;
  /** Default 3. */
  maxRedirects?: number;
  /** Tests only: stands in for DNS, which tests cannot change. */
  lookup?: ResolveAll;
}

/** An asset to hand to the helper. `body` is shared with the cache: do not modify it. */
export interface Asset {
  ok: true;
  body: Buffer;
  /** The MIME type alone; `text/css` keeps its charset. */
  contentType: string;
  /** sha256 hex of `body`. */
  hash: string;
}

type Refusal<S extends number, C extends ErrorCode> = {
  ok: false;
  status: S;
  code: C;
  message: string;
};

/** Why there is no asset, as the HTTP status and error code the route answers with. */
export type AssetRefusal =
  | Refusal<400, 'invalid_payload'>
  | Refusal<403 | 415, 'forbidden'>
  | Refusal<413, 'too_long'>
  | Refusal<502 | 504, 'internal'>;

export type AssetResult = Asset | AssetRefusal;

const MAX_URL_LENGTH = 2048;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** A site that lists one of these runs on this machine (our demo, tests): loopback is its home. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const FONT_TYPES = new Set([
  'application/font-woff',
  'application/font-woff2',
  'application/x-font-ttf',
  'application/x-font-otf',
  'application/vnd.ms-fontobject',
]);
const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;
const HEADERS = {
  'user-agent': 'help-widget-asset-fetcher',
  accept: 'image/*,font/*,text/css,*/*;q=0.1',
  // We hand the body on as it is: a compressed one would need a decompression bomb check.
  'accept-encoding': 'identity',
};

const refuse = {
  invalid: (message: string) => ({ ok: false, status: 400, code: 'invalid_payload', message }),
  forbidden: (message: string) => ({ ok: false, status: 403, code: 'forbidden', message }),
  unsupported: (message: string) => ({ ok: false, status: 415, code: 'forbidden', message }),
  tooLarge: (message: string) => ({ ok: false, status: 413, code: 'too_long', message }),
  upstream: (message: string) => ({ ok: false, status: 502, code: 'internal', message }),
  timeout: (message: string) => ({ ok: false, status: 504, code: 'internal', message }),
} satisfies Record<string, (message: string) => AssetRefusal>;

type Body = { ok: true; body: Buffer; contentType: string };
type Hop = Body | { ok: 'redirect'; location: string } | AssetRefusal;

/** A bounded, cached, SSRF-safe fetcher of a mirrored page's assets. */
export class AssetFetcher {
  readonly #allowedOrigins: () => readonly string[];
  readonly #limits: { maxBytes: number; timeoutMs: number; maxRedirects: number };
  readonly #cache: AssetCache;
  readonly #maxConcurrent: number;
  readonly #lookup: ResolveAll;
  readonly #inFlight = new Map<string, Promise<AssetResult>>();
  #active = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(options: AssetFetcherOptions) {
    this.#allowedOrigins = options.allowedOrigins;
    this.#limits = {
      maxBytes: options.maxBytes ?? 5 * 1024 * 1024,
      timeoutMs: options.timeoutMs ?? 10_000,
      maxRedirects: options.maxRedirects ?? 3,
    };
    this.#cache = new AssetCache(
      options.cacheBytes ?? 64 * 1024 * 1024,
      options.cacheTtlMs ?? 10 * 60 * 1000,
    );
    this.#maxConcurrent = options.maxConcurrent ?? 16;
    this.#lookup = options.lookup ?? dnsLookup;
  }

  /** The asset at `url`, from the cache or upstream, or why not. */
  async fetch(url: string): Promise<AssetResult> {
    try {
      const checked = checkUrl(url, allowedSet(this.#allowedOrigins()));
      if (!(checked instanceof URL)) return checked;
      const key = checked.href;
      const cached = this.#cache.get(key);
      if (cached) return cached;
      let pending = this.#inFlight.get(key);
      if (!pending) {
        pending = this.#inTurn(() => this.#load(checked)).finally(() => this.#inFlight.delete(key));
        this.#inFlight.set(key, pending);
      }
      return await pending;
    } catch (error) {
      console.error(`asset-fetcher: fetching ${String(url).slice(0, 200)} failed`, error);
      return refuse.upstream('The asset could not be fetched');
    }
  }

  /** Runs `work` once fewer than `maxConcurrent` fetches are out; a finished one hands its slot on. */
  async #inTurn<T>(work: () => Promise<T>): Promise<T> {
    if (this.#active < this.#maxConcurrent) this.#active++;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#active--;
    }
  }

  async #load(url: URL): Promise<AssetResult> {
    const found = await this.#follow(url, AbortSignal.timeout(this.#limits.timeoutMs));
    if (found.ok !== true) return found;
    const hash = createHash('sha256').update(found.body).digest('hex');
    const asset: Asset = { ok: true, body: found.body, contentType: found.contentType, hash };
    this.#cache.remember(url.href, asset);
    return asset;
  }

  /** Fetches `url`, following redirects, each hop checked as the first one was. */
  async #follow(first: URL, signal: AbortSignal): Promise<Body | AssetRefusal> {
    let url = first;
    for (let redirects = 0; ; redirects++) {
      const addresses = await this.#resolve(url, signal);
      if (!Array.isArray(addresses)) return addresses;
      const hop = await getOnce(url, addresses, this.#limits.maxBytes, signal);
      if (hop.ok !== 'redirect') return hop;
      if (redirects >= this.#limits.maxRedirects) {
        return refuse.upstream(`The site redirected more than ${this.#limits.maxRedirects} times`);
      }
      const next = checkUrl(hop.location, allowedSet(this.#allowedOrigins()), url);
      if (!(next instanceof URL)) return next;
      url = next;
    }
  }

  /** The addresses to connect to, all checked; the connection is pinned to them (no rebinding). */
  async #resolve(url: URL, signal: AbortSignal): Promise<LookupAddress[] | AssetRefusal> {
    let addresses: LookupAddress[];
    try {
      const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
      addresses = await beforeDeadline(this.#lookup(host, { all: true }), signal);
    } catch {
      if (signal.aborted) return refuse.timeout('The site took too long to answer');
      return refuse.upstream(`The site's host ${url.hostname} could not be resolved`);
    }
    if (addresses.length === 0) {
      return refuse.upstream(`The site's host ${url.hostname} has no address`);
    }
    const loopbackSite = LOOPBACK_HOSTS.has(url.hostname);
    const refused = addresses.find(({ address }) =>
      loopbackSite ? !isLoopbackAddress(address) : isBlockedAddress(address),
    );
    if (refused) {
      return refuse.forbidden(`The site's host ${url.hostname} is not on a public address`);
    }
    return addresses;
  }
}

/** The allowed origins, normalised as `URL.origin` writes them (default ports dropped...). */
function allowedSet(origins: readonly string[]): Set<string> {
  const set = new Set<string>();
  for (const origin of origins) {
    if (!URL.canParse(origin)) continue;
    const parsed = new URL(origin);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') set.add(parsed.origin);
  }
  return set;
}

/** `raw` (relative to `base` for a redirect) as a URL we may fetch, or why not. */
function checkUrl(raw: string, allowed: Set<string>, base?: URL): URL | AssetRefusal {
  if (typeof raw !== 'string' || raw.length > MAX_URL_LENGTH) {
    return refuse.invalid(`The asset URL must be a string of at most ${MAX_URL_LENGTH} characters`);
  }
  if (!URL.canParse(raw, base)) return refuse.invalid('The asset URL does not parse');
  const url = new URL(raw, base);
  // The hash never goes upstream; dropping it lets `a.png#x` and `a.png` share a cache entry.
  url.hash = '';
  if (url.href.length > MAX_URL_LENGTH) {
    return refuse.invalid(`The asset URL must be at most ${MAX_URL_LENGTH} characters`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return refuse.forbidden('Only http and https assets are fetched');
  }
  if (url.username || url.password) return refuse.forbidden('Asset URLs may not carry credentials');
  if (!allowed.has(url.origin)) {
    return refuse.forbidden(`${url.origin} is not one of the site's origins`);
  }
  return url;
}

/** Rejects with the signal's reason once it aborts, whether or not `work` has settled. */
function beforeDeadline<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** A lookup that answers only the addresses already checked, whatever DNS says by now. */
function pinned(addresses: LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
    const usable = addresses.filter(({ family }) => wanted === undefined || family === wanted);
    const [first] = usable;
    if (!first) {
      callback(
        Object.assign(new Error('no checked address of that family'), { code: 'ENOTFOUND' }),
        '',
      );
    } else if (options.all) callback(null, usable);
    else callback(null, first.address, first.family);
  };
}

/** One GET without following redirects: a body, a redirect, or a refusal. */
function getOnce(
  url: URL,
  addresses: LookupAddress[],
  maxBytes: number,
  signal: AbortSignal,
): Promise<Hop> {
  return new Promise<Hop>((resolve) => {
    const client = url.protocol === 'https:' ? https : http;
    // `agent: false`: a pooled socket could outlive the address check it was opened under.
    const request = client.request(url, {
      method: 'GET',
      headers: HEADERS,
      agent: false,
      lookup: pinned(addresses),
      signal,
    });
    let settled = false;
    const settle = (hop: Hop) => {
      if (settled) return;
      settled = true;
      // Whatever is still coming is not wanted: close the socket rather than drain it.
      if (hop.ok !== true) request.destroy();
      resolve(hop);
    };
    const failed = (what: string) =>
      settle(
        signal.aborted
          ? refuse.timeout('The site took too long to answer')
          : refuse.upstream(`The site's answer ${what}`),
      );
    request.on('error', () => failed('could not be read'));
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      if (REDIRECTS.has(status)) {
        const location = response.headers.location;
        if (location) settle({ ok: 'redirect', location });
        else settle(refuse.upstream(`The site answered ${status} without a location`));
        return;
      }
      if (status < 200 || status > 299)
        return settle(refuse.upstream(`The site answered ${status}`));
      const encoding = response.headers['content-encoding'];
      if (encoding && encoding.toLowerCase() !== 'identity') {
        return settle(refuse.upstream(`The site sent a ${encoding}-encoded body`));
      }
      const contentType = assetType(response.headers['content-type']);
      if (!contentType) {
        const sent = response.headers['content-type'] ?? 'no content type';
        return settle(
          refuse.unsupported(`${sent.slice(0, 100)} is not an image, font or stylesheet`),
        );
      }
      const tooLarge = () => refuse.tooLarge(`The asset is larger than ${maxBytes} bytes`);
      if (Number(response.headers['content-length'] ?? 0) > maxBytes) return settle(tooLarge());
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) settle(tooLarge());
        else chunks.push(chunk);
      });
      response.on('end', () => settle({ ok: true, body: Buffer.concat(chunks), contentType }));
      response.on('error', () => failed('was cut off'));
      response.on('close', () => {
        if (!response.complete) failed('was cut off');
      });
    });
    request.end();
  });
}

/** The content type to hand on if it is an asset type we serve: MIME type only, CSS charset kept. */
function assetType(header: string | undefined): string | undefined {
  const [essence = '', ...parameters] = (header ?? '').split(';');
  const type = essence.trim().toLowerCase();
  if (!MIME.test(type)) return undefined;
  if (type === 'text/css') {
    const charset = parameters
      .map((parameter) => /^\s*charset\s*=\s*"?([a-z0-9._:-]+)"?\s*$/i.exec(parameter)?.[1])
      .find((value) => value !== undefined);
    return charset ? `text/css; charset=${charset}` : type;
  }
  if (type.startsWith('image/') || type.startsWith('font/') || FONT_TYPES.has(type)) return type;
  return undefined;
}
