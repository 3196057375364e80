/**
 * The Reports page in real Chromium against a real server: conversations made through the
 * real sockets and HTTP (answered, followed, mirrored, rated, missed, one offline message),
 * then the figures, the charts and their tables, the CSV downloads, and axe.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signInOnAgentPage } from '../support/agent-page.ts';
import { collectErrors, launchChromium } from '../support/browser.ts';
import { pageAxeViolations } from '../support/page-axe.ts';
import { screenshotPath } from '../support/screenshots.ts';
import {
  type AgentClient,
  type Harness,
  helpRequestBody,
  newId,
  nextEvent,
  startHarness,
  waitFor,
} from '../support/server-harness.ts';

const PASSWORD = 'correct horse battery';
const TZ = 'Europe/Paris';

describe('the Reports page', () => {
  let browser: Browser;
  let h: Harness;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());
  beforeEach(async () => {
    h = await startHarness({ helpRequestRate: { burst: 100, perSecond: 100 } });
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
    await h?.stop();
  });

  const rate = (token: string, value: 'up' | 'down', comment: string) =>
    fetch(`${h.url}/api/ratings`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: h.origin,
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ value, comment }),
    }).then((r) => expect(r.status).toBe(200));

  /** A chat Alex (available) gets at once, answers, and the visitor ends. */
  async function answeredChat(alex: AgentClient, use?: 'follow' | 'mirror') {
    const { json } = await h.requestHelp(
      helpRequestBody({ message: { id: newId(), text: 'Where is my parcel?' } }),
    );
    const visitor = await h.visitor(json.visitorToken);
    const conversationId = json.conversationId;
    await waitFor(visitor, 'conversation:updated', (c) => c.status === 'assigned');
    const sent = await alex.emitWithAck('chat:send', { conversationId, id: newId(), text: 'Hi!' });
    expect(sent.ok).toBe(true);
    if (use === 'follow') {
      expect((await alex.emitWithAck('cobrowse:start', { conversationId })).ok).toBe(true);
    }
    if (use === 'mirror') {
      const asked = nextEvent(visitor, 'mirror:status', (s) => s.state === 'requested');
      expect((await alex.emitWithAck('mirror:request', { conversationId })).ok).toBe(true);
      await asked;
      const shared = await visitor.emitWithAck('mirror:answer', { conversationId, allow: true });
      expect(shared).toMatchObject({ ok: true, data: { state: 'sharing' } });
    }
    expect((await visitor.emitWithAck('conversation:end', { conversationId })).ok).toBe(true);
    return json.visitorToken;
  }

  /** A chat nobody is available for: the visitor gives up and ends it while waiting. */
  async function missedChat() {
    const { json } = await h.requestHelp(
      helpRequestBody({ message: { id: newId(), text: 'Anyone there?' } }),
    );
    const visitor = await h.visitor(json.visitorToken);
    const ended = await visitor.emitWithAck('conversation:end', {
      conversationId: json.conversationId,
    });
    expect(ended).toMatchObject({ ok: true, data: { status: 'ended' } });
  }

  async function seedDesk(): Promise<void> {
    await h.addHelper('Alex', PASSWORD);
    await h.addHelper('Sam', PASSWORD);
    const alex = await h.agent('Alex', PASSWORD);
    await alex.emitWithAck('helper:availability', { availability: 'available', capacity: 5 });
    await rate(await answeredChat(alex, 'follow'), 'up', 'Quick, thanks');
    await rate(await answeredChat(alex, 'mirror'), 'down', '=1+1 too slow, "really"');
    await answeredChat(alex);
    await alex.emitWithAck('helper:availability', { availability: 'away' });
    await missedChat();
    await missedChat();
    // One message left for later, which Sam answers and closes.
    const sam = await h.agent('Sam', PASSWORD);
    const { json } = await h.requestHelp(
      helpRequestBody({
        kind: 'message',
        visitor: { name: 'Ann', email: 'ann@localhost' },
        message: { id: newId(), text: 'Please call me back' },
      }),
    );
    const conversationId = json.conversationId;
    expect((await sam.emitWithAck('conversation:accept', { conversationId })).ok).toBe(true);
    await sam.emitWithAck('chat:send', { conversationId, id: newId(), text: 'Will do' });
    expect((await sam.emitWithAck('conversation:end', { conversationId })).ok).toBe(true);
  }

  async function openReports(): Promise<Page> {
    context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      timezoneId: TZ,
      acceptDownloads: true,
    });
    const page = await context.newPage();
    await signInOnAgentPage(page, h.url, 'Alex', PASSWORD);
    await page.getByRole('button', { name: 'Reports' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `${TZ} time` })
      .waitFor();
    return page;
  }

  /** The value shown for a figure. */
  const figure = (page: Page, term: string) =>
    page.locator('help-reports dt', { hasText: term }).locator('xpath=following-sibling::dd[1]');

  it('shows the figures, charts with tables, and CSV of the desk’s last 7 days', async () => {
    await seedDesk();
    const page = await openReports();
    const errors = collectErrors(page);
    await expect.poll(() => figure(page, 'Chats started').textContent()).toBe('5');
    expect(await figure(page, 'Offline messages').textContent()).toBe('1');
    expect(await figure(page, 'Answered').textContent()).toBe('3');
    expect(await figure(page, 'Missed').textContent()).toBe('2');
    expect(await figure(page, 'Thumbs up').textContent()).toBe('50% of 2 ratings');
    expect(await figure(page, 'Conversations with follow mode').textContent()).toBe('1');
    expect(await figure(page, 'Conversations with mirror mode').textContent()).toBe('1');
    // Waits here are a few ms: within the first bin, shown in whole seconds.
    expect(await figure(page, 'Median wait for a first answer').textContent()).toMatch(/^\d+ s$/);
    expect(await figure(page, 'Median conversation length').textContent()).toMatch(/^\d+ s$/);
    const helpers = page.getByRole('table').filter({ hasText: 'Helper' });
    expect(await helpers.getByRole('row').allTextContents()).toEqual([
      expect.stringMatching(/Helper\s*Conversations\s*Share/),
      expect.stringMatching(/Alex\s*3\s*75%/),
      expect.stringMatching(/Sam\s*1\s*25%/),
    ]);
    await page.getByText('Quick, thanks').waitFor();
    await page.getByText('=1+1 too slow, "really"').waitFor();
    // The range shown is the one that looks chosen, as well as the one that says so.
    const look = (name: string) =>
      page
        .getByRole('group', { name: 'Date range' })
        .getByRole('button', { name, exact: true })
        .evaluate((b) => getComputedStyle(b).backgroundColor);
    expect(await look('7 days')).toBe('rgb(31, 95, 209)');
    expect(await look('30 days')).toBe('rgb(255, 255, 255)');

    // Each chart is an image with a name, and the same numbers as a table on request.
    const charts = [
      ['help-report-bars', /Bar chart of chats per day.*5 chats over 7 days/],
      ['help-report-wait', /Line chart of the median and 90th percentile wait/],
      ['help-report-heat', /Heat map of requests by weekday and hour/],
    ] as const;
    for (const [tag, name] of charts) {
      const chart = page.locator(tag);
      await expect.poll(() => chart.getByRole('img', { name }).count()).toBe(1);
      expect(await chart.locator('svg').getAttribute('role')).toBe('img');
    }
    expect(await pageAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('reports.png'), fullPage: true });

    const today = new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date());
    const bars = page.locator('help-report-bars');
    const toggle = bars.getByRole('button', { name: 'Show as table' });
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    expect(await bars.getByRole('img').count()).toBe(0);
    expect(await bars.getByRole('row', { name: new RegExp(today) }).textContent()).toMatch(
      new RegExp(`${today}\\s*5\\s*3\\s*2`),
    );
    expect(await bars.getByRole('row').count()).toBe(1 + 7);

    await page.locator('help-report-wait').getByRole('button', { name: 'Show as table' }).click();
    const waitRow = page.locator('help-report-wait').getByRole('row', { name: new RegExp(today) });
    expect(await waitRow.textContent()).toMatch(/\d+ s\s*\d+ s/);

    const heat = page.locator('help-report-heat');
    await heat.getByRole('button', { name: 'Show as table' }).click();
    const weekday = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, weekday: 'short' }).format(
      new Date(),
    );
    const cells = await heat.getByRole('row', { name: new RegExp(`^${weekday}`) }).locator('td');
    const perHour = (await cells.allTextContents()).map(Number);
    expect(perHour).toHaveLength(24);
    expect(perHour.reduce((a, b) => a + b, 0)).toBe(6);
    expect(await pageAxeViolations(page)).toEqual([]);

    // The conversation list as a download: one line per conversation, formulas made text.
    const downloaded = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Conversation list (CSV)' }).click();
    const download = await downloaded;
    expect(download.suggestedFilename()).toBe(
      `conversations-${sixDaysBefore(today)}-to-${today}.csv`,
    );
    const list = await readFile((await download.path()) ?? '', 'utf8');
    const lines = list.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^conversation,asked at,ended at,kind,outcome/);
    expect(lines).toHaveLength(1 + 6);
    expect(lines.filter((l) => l.includes(',chat,missed,'))).toHaveLength(2);
    expect(lines.filter((l) => l.includes(',offline message,'))).toHaveLength(1);
    expect(list).toContain(`,thumbs down,"'=1+1 too slow, ""really""",no,yes`);

    // The figures, fetched as the page would with the helper's session.
    const figures = await page.evaluate(
      async (url) => {
        const response = await fetch(url);
        return {
          type: response.headers.get('content-type'),
          disposition: response.headers.get('content-disposition'),
          text: await response.text(),
        };
      },
      `/api/agent/reports.csv?from=${today}&to=${today}&tz=${encodeURIComponent(TZ)}&what=figures`,
    );
    expect(figures.type).toMatch(/^text\/csv/);
    expect(figures.disposition).toMatch(/^attachment; filename="figures-/);
    expect(figures.text).toContain(`${today}..${today},chats started,5\r\n`);
    expect(figures.text).toContain(`${today}..${today},missed,2\r\n`);
    expect(figures.text).toContain('helper Alex,conversations,3\r\n');
    expect(figures.text).toContain(`"'=1+1 too slow, ""really"""`);
    expect(errors).toEqual([]);
  });

  it('answers only signed-in helpers, and a bad range with a 400 that says why', async () => {
    await h.addHelper('Alex', PASSWORD);
    const cookie = await h.signIn('Alex', PASSWORD);
    const get = async (query: string, headers: Record<string, string> = { cookie }) => {
      const response = await fetch(`${h.url}/api/agent/reports?${query}`, { headers });
      return { status: response.status, body: await response.json() };
    };
    expect(await get('from=2026-03-01&to=2026-03-02&tz=UTC', {})).toMatchObject({
      status: 401,
      body: { error: { code: 'unauthorized' } },
    });
    for (const query of [
      'from=2026-03-02&to=2026-03-01&tz=UTC',
      'from=2026-02-30&to=2026-03-01&tz=UTC',
      'from=2026-03-01&to=2026-03-01&tz=Mars/Olympus',
      'from=2024-01-01&to=2026-03-01&tz=UTC',
      'from=2026-03-01&to=2026-03-01&tz=UTC&extra=1',
    ]) {
      expect(await get(query)).toMatchObject({
        status: 400,
        body: { error: { code: 'invalid_payload', message: expect.any(String) } },
      });
    }
    const csv = await fetch(
      `${h.url}/api/agent/reports.csv?from=2026-03-01&to=2026-03-01&tz=UTC&what=all`,
      {
        headers: { cookie },
      },
    );
    expect(csv.status).toBe(400);
    const empty = await get('from=2026-03-01&to=2026-03-01&tz=UTC');
    expect(empty).toMatchObject({ status: 200, body: { report: { chats: 0, waitP50Ms: null } } });
  });
});

function sixDaysBefore(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
}
