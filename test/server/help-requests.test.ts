import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Harness,
  helpRequestBody,
  startHarness,
  UA,
  waitFor,
} from '../support/server-harness.ts';

describe('POST /api/help-requests', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.stop());

  it.each([
    [
      'Chrome on Windows',
      UA.chromeWindows,
      {
        browser: { name: 'Chrome', version: '131.0.0.0' },
        engine: { name: 'Blink' },
        os: { name: 'Windows', version: '10' },
        device: { type: 'desktop' },
      },
    ],
    [
      'Safari on iPhone',
      UA.safariIphone,
      {
        browser: { name: 'Mobile Safari', version: '17.5' },
        engine: { name: 'WebKit' },
        os: { name: 'iOS', version: '17.5' },
        device: { type: 'mobile', vendor: 'Apple', model: 'iPhone' },
      },
    ],
    [
      'Firefox on Linux',
      UA.firefoxLinux,
      {
        browser: { name: 'Firefox', version: '133.0' },
        engine: { name: 'Gecko' },
        os: { name: 'Linux' },
        device: { type: 'desktop' },
      },
    ],
    [
      'Edge on Android',
      UA.edgeAndroid,
      {
        browser: { name: 'Edge', version: '131.0.2903.87' },
        engine: { name: 'Blink' },
        os: { name: 'Android', version: '10' },
        device: { type: 'mobile', model: 'HD1913' },
      },
    ],
  ])('stores the request with %s parsed from the user agent', async (_label, userAgent, agent) => {
    const { status, json } = await h.requestHelp(helpRequestBody({ userAgent }));
    expect(status).toBe(201);
    expect(json).toEqual({
      conversationId: expect.any(String),
      visitorToken: expect.any(String),
      joinCode: expect.stringMatching(/^\d{9}$/),
    });
    const stored = await h.store.getConversation(json.conversationId);
    expect(stored).toMatchObject({ status: 'waiting', details: { userAgent, agent } });
  });

  it('keeps every client detail and the visitor info, and reads Windows 11 from client hints', async () => {
    const body = helpRequestBody({
      clientHints: {
        brands: [{ brand: 'Google Chrome', version: '131' }],
        fullVersionList: [{ brand: 'Google Chrome', version: '131.0.6778.86' }],
        mobile: false,
        platform: 'Windows',
        platformVersion: '15.0.0',
      },
      visitor: {
        name: 'Dana',
        email: 'dana@example.com',
        custom: { plan: 'pro', orderId: 'A-1001' },
      },
    });
    const { json } = await h.requestHelp(body);
    const stored = await h.store.getConversation(json.conversationId);
    expect(stored?.details).toMatchObject({
      pageUrl: body.pageUrl,
      pageTitle: body.pageTitle,
      referrer: body.referrer,
      languages: ['en-GB', 'en'],
      timezone: 'Europe/London',
      screen: { width: 1920, height: 1080 },
      viewport: { width: 1280, height: 720 },
      pixelRatio: 1,
      agent: {
        browser: { name: 'Chrome', version: '131.0.6778.86' },
        os: { name: 'Windows', version: '11' },
      },
    });
    expect(stored?.visitor).toEqual(body.visitor);
    // The token is never stored, only its hash.
    expect(JSON.stringify(stored)).not.toContain(json.visitorToken);
  });

  it('tells the waiting visitor honestly that no helper is available', async () => {
    const { json } = await h.requestHelp();
    const visitor = await h.visitor(json.visitorToken);
    const state = await waitFor(visitor, 'conversation:updated');
    expect(state).toMatchObject({
      status: 'waiting',
      queuePosition: 1,
      helpersAvailable: false,
      joinCode: json.joinCode,
    });
  });

  it('names the bad field in a 400 and rejects oversize bodies with 413', async () => {
    const bad = await h.requestHelp({
      ...helpRequestBody(),
      viewport: { width: 'wide', height: 1 },
    });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload', message: expect.stringContaining('viewport.width') },
    });
    const huge = await h.requestHelp({ ...helpRequestBody(), pageTitle: 'x'.repeat(20_000) });
    expect(huge.status).toBe(413);
    expect(await h.store.listOpenConversations()).toEqual([]);
  });

  it('rate limits help requests per client', async () => {
    await h.stop();
    h = await startHarness({ helpRequestRate: { burst: 2, perSecond: 0.001 } });
    expect((await h.requestHelp()).status).toBe(201);
    expect((await h.requestHelp()).status).toBe(201);
    const third = await h.requestHelp();
    expect(third.status).toBe(429);
    expect(third.json).toMatchObject({ error: { code: 'rate_limited' } });
  });
});
