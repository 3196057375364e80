/**
 * The webhook against a real receiver on port 0: what arrives and how it is signed, what is
 * retried and what is not, and that neither sending nor a slow receiver holds up the caller.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import type { WebhookEvent } from '../../protocol/webhook.ts';
import { retryDelayMs, verifyWebhookSignature, Webhook } from '../../server/webhook.ts';

const secret = 'owner-secret';
/** Short enough to keep the file fast, long enough that timers order as they were set. */
const baseDelayMs = 20;

interface Hit {
  headers: IncomingHttpHeaders;
  body: string;
}
/** How the receiver answers the `nth` hit (from 1) of one delivery id. */
type Reply = (res: ServerResponse, nth: number) => void;

interface Receiver {
  url: string;
  hits: Hit[];
  hitsOf(id: string): Hit[];
  stop(): Promise<void>;
}

const event = (id: string): WebhookEvent => ({
  id,
  type: 'help-request.created',
  createdAt: '2025-01-02T03:04:05.000Z',
  conversation: {
    id: 'c1',
    joinCode: 'ABC-123',
    pageUrl: 'https://shop.example/checkout',
    pageTitle: 'Checkout',
    visitor: { name: 'Sam', email: 'sam@private.example' },
    firstMessage: 'The pay button does nothing',
  },
});

const header = (hit: Hit | undefined, name: string) => String(hit?.headers[name]);
const until = (check: () => void) => vi.waitFor(check, { timeout: 2000, interval: 5 });

describe('webhook', () => {
  let receivers: Receiver[] = [];
  let webhooks: Webhook[] = [];
  let warn: MockInstance<typeof console.warn>;

  beforeEach(() => {
    warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  });

  afterEach(async () => {
    // Closing first means a request the receiver still holds is not retried once it is cut.
    const closing = webhooks.map((w) => w.close());
    await Promise.all(receivers.map((r) => r.stop()));
    await Promise.all(closing);
    receivers = [];
    webhooks = [];
    vi.restoreAllMocks();
  });

  async function receiver(reply: Reply): Promise<Receiver> {
    const hits: Hit[] = [];
    const hitsOf = (id: string) => hits.filter((h) => h.headers['x-help-delivery'] === id);
    const server = createServer(async (req, res) => {
      const hit = { headers: req.headers, body: await text(req) };
      hits.push(hit);
      const id = header(hit, 'x-help-delivery');
      const nth = hitsOf(id).length;
      // Markers (see `afterAnyRetryDue`) fail once, then arrive.
      if (id.startsWith('marker-')) res.writeHead(nth === 1 ? 500 : 200).end();
      else reply(res, nth);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const r: Receiver = {
      url: `http://127.0.0.1:${port}/hooks/help`,
      hits,
      hitsOf,
      stop: () =>
        new Promise((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
    receivers.push(r);
    return r;
  }

  function webhook(url: string, options: { timeoutMs?: number; maxQueued?: number } = {}) {
    const w = new Webhook({ url, secret, baseDelayMs, ...options });
    webhooks.push(w);
    return w;
  }

  /**
   * Proves "no retry came" with a marker instead of a sleep: an event the receiver fails once,
   * sent on a webhook with twice the back-off, so its retry is due after any retry already
   * scheduled — when it arrives, such a retry would have arrived before it.
   */
  async function afterAnyRetryDue(r: Receiver): Promise<void> {
    const marker = new Webhook({ url: r.url, secret, baseDelayMs: 2 * baseDelayMs });
    webhooks.push(marker);
    const id = `marker-${webhooks.length}`;
    marker.send(event(id));
    await until(() => expect(r.hitsOf(id)).toHaveLength(2));
  }

  it('the receiver gets the event once, with its headers and a signature over timestamp and body', async () => {
    const r = await receiver((res) => res.writeHead(204).end());
    const w = webhook(r.url);
    const sent = event('e1');
    w.send(sent);
    await until(() => expect(w.pending).toBe(0));

    expect(r.hits).toHaveLength(1);
    const [hit] = r.hits;
    expect(JSON.parse(hit?.body ?? '')).toEqual(sent);
    expect(hit?.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'help-widget-webhook',
      'x-help-event': 'help-request.created',
      'x-help-delivery': 'e1',
    });
    const timestamp = header(hit, 'x-help-timestamp');
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(5);
    // The documented scheme, computed here independently of the sender.
    const hmac = createHmac('sha256', secret).update(`${timestamp}.${hit?.body}`).digest('hex');
    expect(header(hit, 'x-help-signature')).toBe(`sha256=${hmac}`);
    expect(warn).not.toHaveBeenCalled();
  });

  it('a receiver that answers 500 twice then 200 gets the event on the third try, same delivery id', async () => {
    const r = await receiver((res, nth) => res.writeHead(nth <= 2 ? 500 : 200).end());
    const w = webhook(r.url);
    w.send(event('e2'));
    await until(() => expect(w.pending).toBe(0));

    expect(r.hits.map((hit) => header(hit, 'x-help-delivery'))).toEqual(['e2', 'e2', 'e2']);
    for (const hit of r.hits) {
      const [timestamp, signature] = [
        header(hit, 'x-help-timestamp'),
        header(hit, 'x-help-signature'),
      ];
      expect(verifyWebhookSignature(secret, timestamp, hit.body, signature)).toBe(true);
    }
    expect(warn).not.toHaveBeenCalled();
  });

  it('a 429 with Retry-After: 0 is retried', async () => {
    const r = await receiver((res, nth) =>
      nth === 1 ? res.writeHead(429, { 'retry-after': '0' }).end() : res.writeHead(200).end(),
    );
    const w = webhook(r.url);
    w.send(event('e3'));
    await until(() => expect(w.pending).toBe(0));

    expect(r.hitsOf('e3')).toHaveLength(2);
    expect(warn).not.toHaveBeenCalled();
  });

  it('a 400 is refused for good: one hit, one warning with status, type and id but not the body', async () => {
    const r = await receiver((res) => res.writeHead(400).end());
    const w = webhook(r.url);
    w.send(event('e4'));
    await until(() => expect(warn).toHaveBeenCalledTimes(1));
    await afterAnyRetryDue(r);

    expect(r.hitsOf('e4')).toHaveLength(1);
    const line = String(warn.mock.calls[0]?.[0]);
    expect(line).toContain('400');
    expect(line).toContain('help-request.created');
    expect(line).toContain('e4');
    expect(line).not.toContain('sam@private.example');
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('a redirect is not followed: the signed event goes only where the owner said', async () => {
    const r = await receiver((res) => res.writeHead(302, { location: '/elsewhere' }).end());
    const w = webhook(r.url);
    w.send(event('e5'));
    await until(() => expect(w.pending).toBe(0));

    expect(r.hits).toHaveLength(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain('302');
  });

  it('an attempt the receiver never answers times out and is retried', async () => {
    // The first request is held open, never answered; the receiver's stop cuts it.
    const r = await receiver((res, nth) => (nth === 1 ? undefined : res.writeHead(200).end()));
    const w = webhook(r.url, { timeoutMs: 100 });
    w.send(event('e6'));
    await until(() => expect(w.pending).toBe(0));

    expect(r.hitsOf('e6')).toHaveLength(2);
    expect(warn).not.toHaveBeenCalled();
  });

  it('send returns before the receiver answers: the caller is never held up', async () => {
    let release = () => {};
    const r = await receiver((res) => {
      release = () => res.writeHead(200).end();
    });
    const w = webhook(r.url);

    const returned: unknown = w.send(event('e7'));
    // Nothing to await, and the request has not even reached the receiver yet.
    expect(returned).toBeUndefined();
    expect(r.hits).toHaveLength(0);
    // The caller goes on while the receiver holds the request.
    await until(() => expect(r.hits).toHaveLength(1));
    expect(w.pending).toBe(1);

    release();
    await until(() => expect(w.pending).toBe(0));
  });

  it('close() cancels the retries waiting: no attempt arrives after it', async () => {
    const r = await receiver((res) => res.writeHead(500).end());
    const w = webhook(r.url);
    w.send(event('e8'));
    await until(() => expect(r.hitsOf('e8').length).toBeGreaterThanOrEqual(2));
    await w.close();
    const hitsAtClose = r.hitsOf('e8').length;
    expect(w.pending).toBe(0);
    await afterAnyRetryDue(r);

    expect(r.hitsOf('e8')).toHaveLength(hitsAtClose);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('past maxQueued the oldest undelivered event is given up, with one warning', async () => {
    const r = await receiver((res) => res.writeHead(503).end());
    const w = webhook(r.url, { maxQueued: 2 });
    w.send(event('old'));
    w.send(event('mid'));
    w.send(event('new'));

    expect(w.pending).toBe(2);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain('old');
  });

  it('verifyWebhookSignature refuses a changed body, a wrong secret and another timestamp', () => {
    const body = JSON.stringify(event('e9'));
    const hmac = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    const signature = `sha256=${hmac}`;

    expect(verifyWebhookSignature(secret, '1700000000', body, signature)).toBe(true);
    expect(
      verifyWebhookSignature(secret, '1700000000', body.replace('Sam', 'Eve'), signature),
    ).toBe(false);
    expect(verifyWebhookSignature('not-the-secret', '1700000000', body, signature)).toBe(false);
    expect(verifyWebhookSignature(secret, '1700000001', body, signature)).toBe(false);
    expect(verifyWebhookSignature(secret, '1700000000', body, 'sha256=short')).toBe(false);
  });

  it('retries wait base·2^(n−1) up to the cap; a longer numeric Retry-After wins', () => {
    const delays = { baseMs: 1000, maxMs: 300_000 };
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, null, delays))).toEqual([
      1000, 2000, 4000, 8000,
    ]);
    expect(retryDelayMs(20, null, delays)).toBe(300_000);
    expect(retryDelayMs(1, '0', delays)).toBe(1000);
    expect(retryDelayMs(1, '30', delays)).toBe(30_000);
    expect(retryDelayMs(3, '2', delays)).toBe(4000);
    // An HTTP date is not honoured (clocks differ), and no answer parks an event past the cap.
    expect(retryDelayMs(1, 'Wed, 21 Oct 2015 07:28:00 GMT', delays)).toBe(1000);
    expect(retryDelayMs(1, '999999999', delays)).toBe(300_000);
  });
});
