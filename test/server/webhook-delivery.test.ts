/**
 * The site owner's webhook as a running server sends it: a real receiver on port 0 hears of
 * each help request and offline message once, signed, without the visitor waiting for it.
 * Also how the operator configures it, and the visitor time limits, from the environment.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebhookEvent } from '../../protocol/webhook.ts';
import { configFromEnv, defaultConfig } from '../../server/config.ts';
import { verifyWebhookSignature } from '../../server/webhook.ts';
import { type Harness, helpRequestBody, newId, startHarness } from '../support/server-harness.ts';

const SECRET = 'a-long-test-secret-123';

interface Hit {
  headers: IncomingHttpHeaders;
  body: string;
  event: WebhookEvent;
}

interface Receiver {
  url: string;
  hits: Hit[];
  /** Answers every request held so far, and every later one at once. */
  release(): void;
  stop(): Promise<void>;
}

/** A site owner's server. `hold`: it takes each request but answers only once released. */
async function receiver({ hold = false } = {}): Promise<Receiver> {
  const hits: Hit[] = [];
  const held: ServerResponse[] = [];
  let holding = hold;
  const server = createServer(async (req, res) => {
    const body = await text(req);
    hits.push({ headers: req.headers, body, event: JSON.parse(body) as WebhookEvent });
    if (holding) held.push(res);
    else res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/help-events`,
    hits,
    release() {
      holding = false;
      for (const res of held.splice(0)) res.writeHead(204).end();
    },
    async stop() {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
    },
  };
}

const header = (hit: Hit | undefined, name: string) => String(hit?.headers[name]);

describe('webhook from a running server', () => {
  let h: Harness | undefined;
  let site: Receiver | undefined;
  afterEach(async () => {
    // Answered first, so the server's webhook has nothing in flight when it closes.
    site?.release();
    await h?.stop();
    await site?.stop();
    h = undefined;
    site = undefined;
  });

  async function start(options: { hold?: boolean } = {}) {
    site = await receiver(options);
    h = await startHarness({ webhook: { url: site.url, secret: SECRET } });
    return { h, site };
  }

  it('tells the site owner once about a help request, with its first message, signed with the secret', async () => {
    const { h, site } = await start();
    const { status, json } = await h.requestHelp(
      helpRequestBody({
        visitor: { name: 'Dana' },
        message: { id: newId(), text: 'The pay button does nothing' },
      }),
    );
    expect(status).toBe(201);
    await expect.poll(() => site.hits.length).toBe(1);
    const [hit] = site.hits;
    expect(hit?.event).toEqual({
      id: expect.any(String),
      type: 'help-request.created',
      createdAt: expect.any(String),
      conversation: {
        id: json.conversationId,
        joinCode: json.joinCode,
        pageUrl: 'https://shop.example/checkout?step=2',
        pageTitle: 'Checkout — Shop',
        visitor: { name: 'Dana' },
        firstMessage: 'The pay button does nothing',
      },
    });
    expect(header(hit, 'x-help-event')).toBe('help-request.created');
    expect(header(hit, 'x-help-delivery')).toBe(hit?.event.id);
    const timestamp = header(hit, 'x-help-timestamp');
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    expect(
      verifyWebhookSignature(SECRET, timestamp, hit?.body ?? '', header(hit, 'x-help-signature')),
    ).toBe(true);
    expect(
      verifyWebhookSignature(
        'another-secret-entirely',
        timestamp,
        hit?.body ?? '',
        header(hit, 'x-help-signature'),
      ),
    ).toBe(false);
    // The visitor's token never leaves.
    expect(hit?.body).not.toContain(json.visitorToken);

    // The visitor writes more; the site owner is told of the next request, not of this.
    const visitor = await h.visitor(json.visitorToken);
    const more = await visitor.emitWithAck('chat:send', {
      conversationId: json.conversationId,
      id: newId(),
      text: 'Still nothing',
    });
    expect(more.ok).toBe(true);
    const next = await h.requestHelp(helpRequestBody({ message: { id: newId(), text: 'Hi' } }));
    await expect
      .poll(() => site.hits.some((x) => x.event.conversation.id === next.json.conversationId))
      .toBe(true);
    expect(site.hits.filter((x) => x.event.conversation.id === json.conversationId)).toHaveLength(
      1,
    );
  });

  it('tells the site owner about a message left while nobody was available, with the email to answer', async () => {
    const { h, site } = await start();
    const { json } = await h.requestHelp(
      helpRequestBody({
        kind: 'message',
        visitor: { name: 'Ann', email: 'ann@localhost', custom: { plan: 'pro' } },
        message: { id: newId(), text: 'Please call me back' },
      }),
    );
    await expect.poll(() => site.hits.length).toBe(1);
    const [hit] = site.hits;
    expect(header(hit, 'x-help-event')).toBe('offline-message.created');
    expect(hit?.event).toMatchObject({
      type: 'offline-message.created',
      conversation: {
        id: json.conversationId,
        visitor: { name: 'Ann', email: 'ann@localhost' },
        firstMessage: 'Please call me back',
      },
    });
    // Only name and email: what else the site said stays on the help server.
    expect(hit?.event.conversation.visitor).toEqual({ name: 'Ann', email: 'ann@localhost' });
    expect(
      verifyWebhookSignature(
        SECRET,
        header(hit, 'x-help-timestamp'),
        hit?.body ?? '',
        header(hit, 'x-help-signature'),
      ),
    ).toBe(true);
  });

  it('answers the help request without waiting for a slow receiver', async () => {
    const { h, site } = await start({ hold: true });
    const startedAt = Date.now();
    const { status } = await h.requestHelp(
      helpRequestBody({ message: { id: newId(), text: 'Hello?' } }),
    );
    expect(status).toBe(201);
    expect(Date.now() - startedAt).toBeLessThan(2000);
    // The receiver has the event and still has not answered.
    await expect.poll(() => site.hits.length).toBe(1);
    const second = await h.requestHelp(
      helpRequestBody({ message: { id: newId(), text: 'Still there?' } }),
    );
    expect(second.status).toBe(201);
    await expect.poll(() => site.hits.length).toBe(2);
  });
});

describe('configuring from the environment', () => {
  const defaults = defaultConfig();

  it('refuses a webhook URL without a secret of at least 16 characters', () => {
    const url = 'https://owner.example/hooks/help';
    expect(() => configFromEnv({ HELP_WEBHOOK_URL: url })).toThrow(/HELP_WEBHOOK_SECRET/);
    expect(() =>
      configFromEnv({ HELP_WEBHOOK_URL: url, HELP_WEBHOOK_SECRET: 'fifteen-chars!!' }),
    ).toThrow(/HELP_WEBHOOK_SECRET/);
    expect(() =>
      configFromEnv({ HELP_WEBHOOK_URL: 'ftp://owner.example/', HELP_WEBHOOK_SECRET: SECRET }),
    ).toThrow(/HELP_WEBHOOK_URL/);
    expect(
      configFromEnv({ HELP_WEBHOOK_URL: url, HELP_WEBHOOK_SECRET: 'sixteen-chars!!!' }).config
        .webhook,
    ).toEqual({ url, secret: 'sixteen-chars!!!' });
    expect(configFromEnv({}).config.webhook).toBeUndefined();
  });

  it('reads how long a visitor may be without a connection, and refuses what is not a number', () => {
    const { config } = configFromEnv({
      HELP_VISITOR_GONE_SECONDS: '90',
      HELP_WAITING_VISITOR_TIMEOUT_MINUTES: '15',
    });
    expect(config.visitorGoneMs).toBe(90_000);
    expect(config.waitingVisitorTimeoutMs).toBe(15 * 60_000);

    const unset = configFromEnv({}).config;
    expect(unset.visitorGoneMs).toBe(defaults.visitorGoneMs);
    expect(unset.waitingVisitorTimeoutMs).toBe(defaults.waitingVisitorTimeoutMs);

    expect(() => configFromEnv({ HELP_VISITOR_GONE_SECONDS: 'abc' })).toThrow(
      /HELP_VISITOR_GONE_SECONDS/,
    );
    expect(() => configFromEnv({ HELP_WAITING_VISITOR_TIMEOUT_MINUTES: 'abc' })).toThrow(
      /HELP_WAITING_VISITOR_TIMEOUT_MINUTES/,
    );
    expect(() => configFromEnv({ HELP_VISITOR_GONE_SECONDS: '-5' })).toThrow(
      /HELP_VISITOR_GONE_SECONDS/,
    );
  });
});
