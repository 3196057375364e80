/**
 * The asset fetcher against real HTTP servers on loopback: it serves a site's images, fonts and
 * stylesheets, caches them, and refuses to be an open proxy or a way into our own network.
 * DNS is the one stand-in (`lookup`): tests cannot add names to it.
 */
import { createHash } from 'node:crypto';
import type { LookupAddress } from 'node:dns';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { type AddressInfo, isIP } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AssetFetcher,
  type AssetFetcherOptions,
  type AssetResult,
  type ResolveAll,
} from '../../server/assets/asset-fetcher.ts';
import { isBlockedAddress, isLoopbackAddress } from '../../server/assets/blocked-addresses.ts';

type Route = (request: IncomingMessage, response: ServerResponse) => void;

interface Site {
  origin: string;
  port: number;
  /** Headers of every request, in arrival order. */
  requests: IncomingHttpHeaders[];
  hits(path: string): number;
  /** Resolves once the server sees the connection of the latest request for `path` close. */
  closed(path: string): Promise<void>;
  stop(): Promise<void>;
}

const sites: Site[] = [];
afterEach(async () => {
  await Promise.all(sites.splice(0).map((s) => s.stop()));
});

/** A visitor's site on loopback: each path answers as its route says; any other is a 404. */
async function site(routes: Record<string, Route>, host = '127.0.0.1'): Promise<Site> {
  const requests: IncomingHttpHeaders[] = [];
  const paths: string[] = [];
  const closes = new Map<string, Promise<void>>();
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://site').pathname;
    requests.push(request.headers);
    paths.push(path);
    closes.set(path, new Promise((resolve) => response.once('close', () => resolve())));
    const route = routes[path];
    if (route) route(request, response);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const s: Site = {
    origin: `http://${host}:${port}`,
    port,
    requests,
    hits: (path) => paths.filter((p) => p === path).length,
    closed: (path) => closes.get(path) ?? Promise.reject(new Error(`no request for ${path}`)),
    async stop() {
      const stopped = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await stopped;
    },
  };
  sites.push(s);
  return s;
}

function asset(contentType: string, body: Buffer | string): Route {
  return (_request, response) => response.writeHead(200, { 'content-type': contentType }).end(body);
}

function redirect(location: string, status = 302): Route {
  return (_request, response) => response.writeHead(status, { location }).end();
}

/** Takes the request and answers only when `release` is called. */
function held(): { route: Route; release(): void } {
  const waiting: ServerResponse[] = [];
  let released = false;
  const answer = (response: ServerResponse) =>
    response.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
  return {
    route: (_request, response) => (released ? answer(response) : waiting.push(response)),
    release() {
      released = true;
      for (const response of waiting.splice(0)) answer(response);
    },
  };
}

/** Sends body bytes for as long as the connection stays open. */
const endless: Route = (_request, response) => {
  response.writeHead(200, { 'content-type': 'image/png' });
  const chunk = Buffer.alloc(16 * 1024, 1);
  const pump = () => {
    while (!response.destroyed && response.write(chunk)) {}
  };
  response.on('drain', pump);
  response.on('error', () => {});
  pump();
};

const PNG = Buffer.from('\x89PNG\r\n\x1a\n pretend this is an image');
const sha256 = (body: Buffer | string) => createHash('sha256').update(body).digest('hex');

function fetcher(origins: string[], options: Partial<AssetFetcherOptions> = {}): AssetFetcher {
  return new AssetFetcher({ allowedOrigins: () => origins, ...options });
}

/** DNS that answers `addresses` for every name, and counts the questions. */
function fakeDns(...addresses: string[]): ResolveAll & { calls: number } {
  const resolve = async () => {
    resolve.calls++;
    return addresses.map((address): LookupAddress => ({ address, family: isIP(address) }));
  };
  resolve.calls = 0;
  return resolve;
}

function refusal(result: AssetResult) {
  if (result.ok) throw new Error(`expected a refusal, got ${result.contentType}`);
  return { status: result.status, code: result.code };
}

describe('serving and caching', () => {
  it('serves an allowed image with its content type and sha256', async () => {
    const s = await site({ '/logo.png': asset('image/png', PNG) });
    const result = await fetcher([s.origin]).fetch(`${s.origin}/logo.png`);
    expect(result).toEqual({ ok: true, body: PNG, contentType: 'image/png', hash: sha256(PNG) });
  });

  it('asks with a fixed user agent and an asset Accept, and no cookie, credentials or referer', async () => {
    const s = await site({ '/logo.png': asset('image/png', PNG) });
    await fetcher([s.origin]).fetch(`${s.origin}/logo.png`);
    const [headers] = s.requests;
    expect(headers).toMatchObject({
      'user-agent': 'help-widget-asset-fetcher',
      accept: 'image/*,font/*,text/css,*/*;q=0.1',
    });
    expect(headers).not.toHaveProperty('cookie');
    expect(headers).not.toHaveProperty('authorization');
    expect(headers).not.toHaveProperty('referer');
  });

  it('a second fetch of the same URL comes from the cache', async () => {
    const s = await site({ '/logo.png': asset('image/png', PNG) });
    const assets = fetcher([s.origin]);
    await assets.fetch(`${s.origin}/logo.png`);
    const again = await assets.fetch(`${s.origin}/logo.png`);
    expect(again).toMatchObject({ ok: true, hash: sha256(PNG) });
    expect(s.hits('/logo.png')).toBe(1);
  });

  it('concurrent fetches of one URL share a single upstream request', async () => {
    const slow = held();
    const s = await site({ '/logo.png': slow.route });
    const assets = fetcher([s.origin]);
    const results = Promise.all([1, 2, 3].map(() => assets.fetch(`${s.origin}/logo.png`)));
    await vi.waitFor(() => expect(s.hits('/logo.png')).toBe(1));
    slow.release();
    for (const result of await results)
      expect(result).toMatchObject({ ok: true, hash: sha256(PNG) });
    expect(s.hits('/logo.png')).toBe(1);
  });

  it('with a cache lifetime of zero, every fetch asks upstream again', async () => {
    const s = await site({ '/logo.png': asset('image/png', PNG) });
    const assets = fetcher([s.origin], { cacheTtlMs: 0 });
    await assets.fetch(`${s.origin}/logo.png`);
    await assets.fetch(`${s.origin}/logo.png`);
    expect(s.hits('/logo.png')).toBe(2);
  });

  it('when the cache is full, the least recently used body is dropped first', async () => {
    const body = (letter: string) => Buffer.alloc(100, letter);
    const s = await site({
      '/a.png': asset('image/png', body('a')),
      '/b.png': asset('image/png', body('b')),
      '/c.png': asset('image/png', body('c')),
    });
    const assets = fetcher([s.origin], { cacheBytes: 250 });
    const get = (name: string) => assets.fetch(`${s.origin}/${name}.png`);
    await get('a');
    await get('b');
    await get('a'); // a is now more recent than b
    await get('c'); // 300 bytes would not fit: b goes
    await get('a');
    await get('b');
    expect([s.hits('/a.png'), s.hits('/b.png'), s.hits('/c.png')]).toEqual([1, 2, 1]);
  });

  it('an asset larger than the whole cache is served but not kept', async () => {
    const big = Buffer.alloc(300, 'x');
    const s = await site({ '/big.png': asset('image/png', big) });
    const assets = fetcher([s.origin], { cacheBytes: 250 });
    expect(await assets.fetch(`${s.origin}/big.png`)).toMatchObject({ ok: true, body: big });
    expect(await assets.fetch(`${s.origin}/big.png`)).toMatchObject({ ok: true, body: big });
    expect(s.hits('/big.png')).toBe(2);
  });

  it('never runs more than maxConcurrent upstream fetches at once; the rest wait their turn', async () => {
    let open = 0;
    let most = 0;
    const waiting: ServerResponse[] = [];
    const counted: Route = (_request, response) => {
      open++;
      most = Math.max(most, open);
      response.once('close', () => open--);
      waiting.push(response);
    };
    const names = ['a', 'b', 'c', 'd', 'e'];
    const s = await site(Object.fromEntries(names.map((n) => [`/${n}.png`, counted])));
    const assets = fetcher([s.origin], { maxConcurrent: 2 });
    const results = Promise.all(names.map((n) => assets.fetch(`${s.origin}/${n}.png`)));
    for (let answered = 0; answered < names.length; answered++) {
      await vi.waitFor(() => expect(waiting.length).toBeGreaterThan(0));
      waiting.shift()?.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
    }
    expect((await results).every((result) => result.ok)).toBe(true);
    expect(most).toBe(2);
  });
});

describe('content types', () => {
  it.each([['text/html; charset=utf-8'], ['application/javascript'], ['application/json']])(
    'refuses %s with 415',
    async (type) => {
      const s = await site({ '/thing': asset(type, 'not an asset') });
      const result = await fetcher([s.origin]).fetch(`${s.origin}/thing`);
      expect(refusal(result)).toEqual({ status: 415, code: 'forbidden' });
    },
  );

  it('refuses a body without a content type with 415', async () => {
    const s = await site({
      '/thing': (_request, response) => {
        response.removeHeader('content-type');
        response.end('unlabelled');
      },
    });
    const result = await fetcher([s.origin]).fetch(`${s.origin}/thing`);
    expect(refusal(result)).toEqual({ status: 415, code: 'forbidden' });
  });

  it.each([
    ['text/css; charset=UTF-8; foo=bar', 'text/css; charset=UTF-8'],
    ['text/css', 'text/css'],
    ['image/svg+xml; charset=utf-8', 'image/svg+xml'],
    ['IMAGE/WEBP', 'image/webp'],
    ['font/woff2', 'font/woff2'],
    ['application/font-woff', 'application/font-woff'],
    ['application/vnd.ms-fontobject', 'application/vnd.ms-fontobject'],
  ])('serves %s as %s', async (sent, served) => {
    const s = await site({ '/thing': asset(sent, 'body') });
    const result = await fetcher([s.origin]).fetch(`${s.origin}/thing`);
    expect(result).toMatchObject({ ok: true, contentType: served });
  });

  it('answers 502 naming the status when the site answers with an error', async () => {
    const s = await site({});
    const result = await fetcher([s.origin]).fetch(`${s.origin}/missing.png`);
    expect(result).toMatchObject({ ok: false, status: 502, code: 'internal' });
    expect(result.ok || result.message).toContain('404');
  });
});

describe('size and time limits', () => {
  it('refuses with 413 when Content-Length is over maxBytes, and closes the connection without reading', async () => {
    const s = await site({
      '/huge.png': (_request, response) => {
        response.writeHead(200, { 'content-type': 'image/png', 'content-length': '1001' });
        response.flushHeaders(); // and never sends the body: only the header can end this
      },
    });
    const result = await fetcher([s.origin], { maxBytes: 1000 }).fetch(`${s.origin}/huge.png`);
    expect(refusal(result)).toEqual({ status: 413, code: 'too_long' });
    await s.closed('/huge.png');
  });

  it('refuses with 413 once a chunked body passes maxBytes, and closes the connection', async () => {
    const s = await site({ '/endless.png': endless });
    const result = await fetcher([s.origin], { maxBytes: 100_000 }).fetch(
      `${s.origin}/endless.png`,
    );
    expect(refusal(result)).toEqual({ status: 413, code: 'too_long' });
    await s.closed('/endless.png'); // an endless body ends only if the fetcher hangs up
  });

  it('answers 504 when the site does not answer within the timeout, and hangs up', async () => {
    const s = await site({ '/slow.png': () => {} });
    const started = performance.now();
    const result = await fetcher([s.origin], { timeoutMs: 300 }).fetch(`${s.origin}/slow.png`);
    expect(refusal(result)).toEqual({ status: 504, code: 'internal' });
    expect(performance.now() - started).toBeLessThan(2_000);
    await s.closed('/slow.png');
  });
});

describe('which URLs it fetches', () => {
  it('refuses an origin not in the list without asking DNS or any server', async () => {
    const allowed = await site({ '/logo.png': asset('image/png', PNG) });
    const other = await site({ '/logo.png': asset('image/png', PNG) });
    const dns = fakeDns('127.0.0.1');
    const result = await fetcher([allowed.origin], { lookup: dns }).fetch(
      `${other.origin}/logo.png`,
    );
    expect(refusal(result)).toEqual({ status: 403, code: 'forbidden' });
    expect([dns.calls, allowed.requests.length, other.requests.length]).toEqual([0, 0, 0]);
  });

  it('matches the origin exactly: localhost allowed does not allow 127.0.0.1 on the same port', async () => {
    const s = await site({ '/logo.png': asset('image/png', PNG) });
    const assets = fetcher([`http://localhost:${s.port}`]);
    const byAddress = await assets.fetch(`http://127.0.0.1:${s.port}/logo.png`);
    expect(refusal(byAddress)).toEqual({ status: 403, code: 'forbidden' });
    expect(s.requests).toHaveLength(0);
    expect(await assets.fetch(`http://localhost:${s.port}/logo.png`)).toMatchObject({ ok: true });
  });

  it('compares origins after normalising them: case, trailing slash, default port', async () => {
    const s = await site({ '/logo.png': asset('image/png', PNG) });
    const assets = fetcher([`HTTP://LocalHost:${s.port}/`]);
    expect(await assets.fetch(`http://localhost:${s.port}/logo.png`)).toMatchObject({ ok: true });
    // Past the origin check, DNS is asked: the default port matched the port-less URL.
    const dns = fakeDns('10.0.0.1');
    await fetcher(['http://example.test:80'], { lookup: dns }).fetch('http://example.test/a.png');
    expect(dns.calls).toBe(1);
  });

  it('refuses a URL with credentials in it, before any request', async () => {
    const s = await site({ '/logo.png': asset('image/png', PNG) });
    const host = s.origin.slice('http://'.length);
    const result = await fetcher([s.origin]).fetch(`http://user:secret@${host}/logo.png`);
    expect(refusal(result)).toEqual({ status: 403, code: 'forbidden' });
    expect(s.requests).toHaveLength(0);
  });

  it.each([
    ['a URL that does not parse', 'not a url', 400],
    ['a URL over 2048 characters', `http://127.0.0.1/${'a'.repeat(2048)}`, 400],
    ['a javascript: URL', 'javascript:alert(1)', 403],
    ['a file: URL', 'file:///etc/passwd', 403],
    ['a data: URL', 'data:image/png;base64,AAAA', 403],
  ])('answers %s with a refusal rather than throwing', async (_what, url, status) => {
    const result = await fetcher(['http://127.0.0.1']).fetch(url);
    expect(result).toMatchObject({ ok: false, status });
  });
});

describe('redirects', () => {
  it('follows a redirect to an allowed origin', async () => {
    const s = await site({
      '/old.png': redirect('/logo.png'),
      '/logo.png': asset('image/png', PNG),
    });
    const result = await fetcher([s.origin]).fetch(`${s.origin}/old.png`);
    expect(result).toMatchObject({ ok: true, hash: sha256(PNG) });
  });

  it('refuses a redirect to an origin not in the list, without asking it', async () => {
    const other = await site({ '/logo.png': asset('image/png', PNG) });
    const s = await site({ '/old.png': redirect(`${other.origin}/logo.png`, 307) });
    const result = await fetcher([s.origin]).fetch(`${s.origin}/old.png`);
    expect(refusal(result)).toEqual({ status: 403, code: 'forbidden' });
    expect(other.requests).toHaveLength(0);
  });

  it('refuses a redirect to a URL with credentials', async () => {
    const s = await site({ '/old.png': redirect('http://u:p@127.0.0.1/logo.png') });
    const result = await fetcher(['http://127.0.0.1', s.origin]).fetch(`${s.origin}/old.png`);
    expect(refusal(result)).toEqual({ status: 403, code: 'forbidden' });
  });

  it('stops a redirect loop after maxRedirects', async () => {
    const s = await site({ '/loop.png': redirect('/loop.png', 301) });
    const result = await fetcher([s.origin], { maxRedirects: 3 }).fetch(`${s.origin}/loop.png`);
    expect(refusal(result)).toEqual({ status: 502, code: 'internal' });
    expect(s.hits('/loop.png')).toBe(4);
  });
});

describe('addresses', () => {
  it.each(['127.0.0.1', '10.0.0.1', '169.254.169.254', '::ffff:127.0.0.1', 'fd00::1'])(
    'refuses a site whose name resolves to %s, before any request',
    async (address) => {
      const s = await site({ '/logo.png': asset('image/png', PNG) });
      const origin = `http://loopback-alias.test:${s.port}`;
      const result = await fetcher([origin], { lookup: fakeDns(address) }).fetch(
        `${origin}/logo.png`,
      );
      expect(refusal(result)).toEqual({ status: 403, code: 'forbidden' });
      expect(s.requests).toHaveLength(0);
    },
  );

  it('refuses a name if any one of its addresses is private', async () => {
    const origin = 'http://mixed.test';
    const dns = fakeDns('93.184.216.34', '10.0.0.1');
    const result = await fetcher([origin], { lookup: dns }).fetch(`${origin}/logo.png`);
    expect(refusal(result)).toEqual({ status: 403, code: 'forbidden' });
  });

  it('lets a localhost site reach loopback only: localhost resolving to 10.0.0.1 is refused', async () => {
    const origin = 'http://localhost:9';
    const result = await fetcher([origin], { lookup: fakeDns('10.0.0.1') }).fetch(
      `${origin}/x.png`,
    );
    expect(refusal(result)).toEqual({ status: 403, code: 'forbidden' });
  });

  it('connects to the address it checked, not to what DNS says later', async () => {
    // Nothing listens on 127.0.0.1 at this port: reaching the site proves the pinned address.
    const s = await site({ '/logo.png': asset('image/png', PNG) }, '127.0.0.2');
    const origin = `http://localhost:${s.port}`;
    const dns = fakeDns('127.0.0.2');
    const result = await fetcher([origin], { lookup: dns }).fetch(`${origin}/logo.png`);
    expect(result).toMatchObject({ ok: true, hash: sha256(PNG) });
    expect(dns.calls).toBe(1);
  });

  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '100.64.0.1',
    '169.254.169.254',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    'fe80::1',
    'fd00::1',
    'ff02::1',
    '::ffff:10.0.0.1',
    '::ffff:7f00:1',
    '64:ff9b::a9fe:a9fe',
    'not-an-address',
  ])('classifies %s as blocked', (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'classifies the public address %s as allowed',
    (address) => {
      expect(isBlockedAddress(address)).toBe(false);
    },
  );

  it('classifies loopback, and only loopback, as loopback', () => {
    expect(['127.0.0.1', '127.0.0.2', '::1', '::ffff:127.0.0.1'].map(isLoopbackAddress)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['10.0.0.1', '::', '0.0.0.0', '8.8.8.8'].map(isLoopbackAddress)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
