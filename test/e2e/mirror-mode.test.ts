import { gunzipSync } from 'node:zlib';
import type { Frame, Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rulesFromEnv } from '../../server/rules-file.ts';
import { signInOnAgentPage } from '../support/agent-page.ts';
import { recordSent } from '../support/browser.ts';
import { browserContexts } from '../support/browser-contexts.ts';
import { screenshotPath } from '../support/screenshots.ts';
import { type Harness, startHarness } from '../support/server-harness.ts';
import {
  type SiteFile,
  startThirdPartySite,
  type ThirdPartySite,
} from '../support/third-party-site.ts';
import { askForHelp } from '../support/visitor-page.ts';

/** Typed by the visitor into fields that must never leave their browser. */
const CANARY = {
  password: 'hunter2-CANARY-pw',
  card: '4111-CANARY-1111',
  marked: 'CANARY-in-data-help-mask',
  blocked: 'CANARY-in-a-blocked-form',
};
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const SITE_CSS = 'h1 { color: rgb(12, 34, 56); background: url(/bg.png) } body { margin: 1rem }';

/** The customer's account page: only the visitor, signed in, could load it. */
const accountPage = (helpServer: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Your account — Shop</title>
<link rel="stylesheet" href="/site.css">
<script type="module" src="${helpServer}/widget.js"></script></head>
<body>
  <h1>Your account</h1>
  <img id="logo" src="/logo.png" alt="Shop logo" width="40" height="40">
  <p class="balance">Balance: 1,234.56</p>
  <label>Nickname <input id="nickname"></label>
  <label>Password <input id="password" type="password"></label>
  <label>Card <input id="card" autocomplete="cc-number"></label>
  <div data-help-mask><label>Notes <input id="marked"></label></div>
  <form id="card-form"><label>Secret <input id="blocked"></label></form>
  <p><a id="next" href="/orders.html">Your orders</a></p>
  <help-widget server="${helpServer}"></help-widget>
</body></html>`;

const ordersPage = (helpServer: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Orders — Shop</title>
<link rel="stylesheet" href="/site.css">
<script type="module" src="${helpServer}/widget.js"></script></head>
<body><h1>Your orders</h1><p>Order 1042: a tent.</p>
<help-widget server="${helpServer}"></help-widget></body></html>`;

describe("mirror mode: the helper sees the visitor's page through our server", () => {
  const { newContext } = browserContexts();
  let h: Harness;
  let site: ThirdPartySite;
  let alex: Page;
  let visitor: Page;
  let visitorSent: string[];
  /** Every address Alex's browser asked for. */
  let alexRequests: string[];
  /** The site's pages and assets, read on every request. */
  let files: Record<string, SiteFile>;

  beforeEach(async () => {
    // Filled in once the help server's address is known: pages are read on every request.
    files = {
      '/site.css': { type: 'text/css', body: SITE_CSS },
      '/logo.png': { type: 'image/png', body: PNG },
      '/bg.png': { type: 'image/png', body: PNG },
    };
    site = await startThirdPartySite(files);
    h = await startHarness({
      allowedOrigins: [site.origin],
      rules: { rules: [{ block: ['#card-form'], mask: ['.balance'] }] },
    });
    files['/account.html'] = { type: 'text/html', body: accountPage(h.url) };
    files['/orders.html'] = { type: 'text/html', body: ordersPage(h.url) };

    await h.addHelper('Alex', 'alex-password');
    const alexContext = await newContext({ width: 1400, height: 1000 });
    alexRequests = [];
    alexContext.on('request', (request) => alexRequests.push(request.url()));
    alex = await alexContext.newPage();
    await signInOnAgentPage(alex, h.url, 'Alex', 'alex-password', { available: true });

    visitor = await (await newContext({ width: 800, height: 700 })).newPage();
    visitorSent = recordSent(visitor);
    await visitor.goto(`${site.origin}/account.html`);
    await askForHelp(visitor);
    await dialog().getByText('Alex is here to help.').waitFor();
    await alex.getByRole('button', { name: /Visitor/ }).click();
  });
  afterEach(async () => {
    await h?.stop();
    await site?.close();
  });

  const dialog = () => visitor.getByRole('dialog', { name: 'Help' });

  /** The replay: the frame rrweb builds inside Alex's mirror pane. */
  async function replay(): Promise<Frame> {
    await alex.getByRole('region', { name: "The visitor's page, as they share it" }).waitFor();
    await expect
      .poll(() => alex.frames().some((f) => f !== alex.mainFrame() && f.url() === 'about:blank'))
      .toBe(true);
    const frame = alex.frames().find((f) => f !== alex.mainFrame() && f.url() === 'about:blank');
    if (!frame) throw new Error('no replay frame');
    return frame;
  }

  async function shareWithAlex(): Promise<Frame> {
    await alex.getByRole('button', { name: 'Mirror page' }).click();
    await alex.getByText(/Waiting for Visitor \d{4} to share the page…/).waitFor();
    const share = dialog().getByRole('button', { name: 'Share this page' });
    // The question is the visitor's next step: it has the focus.
    await expect.poll(() => share.evaluate((b) => b.matches(':focus'))).toBe(true);
    await dialog()
      .getByText(
        'Alex would like to see this page. Only what is on your screen is shared; passwords and card numbers never are.',
      )
      .waitFor();
    await share.click();
    await dialog().getByText('Alex can see this page.').waitFor();
    const frame = await replay();
    await frame.getByRole('heading', { name: 'Your account' }).waitFor();
    return frame;
  }

  /** Everything the server kept of the recording, decompressed: what any helper could get. */
  async function keptRecording(): Promise<string> {
    const [conversation] = await h.store.listOpenConversations();
    const parts = await h.live.getMirror(conversation?.id ?? '');
    const batches = new Map<number, Buffer[]>();
    for (const part of parts) {
      batches.set(part.batch, [...(batches.get(part.batch) ?? []), Buffer.from(part.data)]);
    }
    return [...batches.values()].map((b) => gunzipSync(Buffer.concat(b)).toString()).join('\n');
  }

  it('shows the page with its text, styles and images, never fetched from the site by the helper', async () => {
    const frame = await shareWithAlex();
    const h1 = frame.getByRole('heading', { name: 'Your account' });
    await expect.poll(() => h1.evaluate((e) => getComputedStyle(e).color)).toBe('rgb(12, 34, 56)');
    // Images come through our server's asset route, loaded and drawn.
    const logo = frame.locator('#logo');
    await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);
    expect(await logo.getAttribute('src')).toMatch(
      new RegExp(`^${h.url}/api/mirror/asset\\?c=[\\w-]+&u=${encodeURIComponent(site.origin)}`),
    );
    // Links go nowhere in the copy.
    expect(await frame.locator('#next').getAttribute('href')).toBeNull();

    // Typing shows on the helper's side as it happens.
    await visitor.locator('#nickname').fill('Sunny');
    await expect.poll(() => frame.locator('#nickname').inputValue()).toBe('Sunny');

    // The helper's browser asked the site for nothing; the site saw only the visitor and us.
    expect(alexRequests.filter((url) => url.startsWith(site.origin))).toEqual([]);
    expect(site.hits.map((hit) => hit.path)).toContain('/bg.png');
    const fromServer = site.hits.filter(
      (hit) => hit.headers['user-agent'] === 'help-widget-asset-fetcher',
    );
    expect(fromServer.map((hit) => hit.path).sort()).toEqual(['/bg.png', '/logo.png']);
    // The replay runs no script at all.
    expect(await alex.locator('iframe').first().getAttribute('sandbox')).toBe('allow-same-origin');
  });

  it('masks and blocks in the visitor’s browser: canaries reach no frame, no request and no copy', async () => {
    const frame = await shareWithAlex();
    await visitor.locator('#password').fill(CANARY.password);
    await visitor.locator('#card').fill(CANARY.card);
    await visitor.locator('#marked').fill(CANARY.marked);
    await visitor.locator('#blocked').fill(CANARY.blocked);
    await visitor.locator('#nickname').fill('done typing');
    await expect.poll(() => frame.locator('#nickname').inputValue()).toBe('done typing');

    // What the helper sees: masked values, masked text, a grey box for the blocked form.
    expect(await frame.locator('#password').inputValue()).toBe('•••• (hidden)');
    expect(await frame.locator('#card').inputValue()).toBe('•••• (hidden)');
    expect(await frame.locator('#marked').inputValue()).toBe('•••• (hidden)');
    expect(await frame.locator('.balance').textContent()).toMatch(/^[•\s]+$/);
    // Blocked elements arrive as their size alone: no id, no content.
    const box = frame.locator('form.help-blocked');
    expect(await box.count()).toBe(1);
    expect(await box.locator('input').count()).toBe(0);
    expect(await box.evaluate((e) => e.getBoundingClientRect().height)).toBeGreaterThan(10);
    expect(await box.evaluate((e) => getComputedStyle(e).backgroundImage)).toContain('gradient');

    const everything = [
      await keptRecording(),
      await frame.content(),
      visitorSent.join('\n'),
      alexRequests.join('\n'),
    ].join('\n');
    expect(everything).toContain('done typing');
    for (const canary of Object.values(CANARY)) expect(everything).not.toContain(canary);
    expect(everything).not.toContain('1,234.56');
  });

  it('follows the visitor to the next page, survives a helper reload, and stops when the visitor says so', async () => {
    await shareWithAlex();
    await visitor.locator('#next').click();
    await visitor.waitForURL(`${site.origin}/orders.html`);
    let frame = await replay();
    await frame.getByRole('heading', { name: 'Your orders' }).waitFor();

    // A helper who reloads gets the latest snapshot at once.
    await alex.reload();
    await alex.getByRole('button', { name: /Visitor/ }).click();
    frame = await replay();
    await frame.getByText('Order 1042: a tent.').waitFor();

    await dialog().getByRole('button', { name: 'Stop sharing' }).click();
    await alex.getByText(/Visitor \d{4} stopped sharing the page\./).waitFor();
    expect(
      await alex.getByRole('region', { name: "The visitor's page, as they share it" }).count(),
    ).toBe(0);
    await alex.getByRole('button', { name: 'Mirror page' }).waitFor();
    expect(alexRequests.filter((url) => url.startsWith(site.origin))).toEqual([]);
  });

  /** Alex clicks on the replay where `locator` shows, as a person would with the mouse. */
  async function clickOnReplay(frame: Frame, selector: string) {
    const box = await frame.locator(selector).boundingBox();
    if (!box) throw new Error(`${selector} is not shown on the replay`);
    await alex.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  }

  it('points, and with the visitor’s allow clicks and types on their page, never into a masked field', async () => {
    const frame = await shareWithAlex();
    await alex.getByRole('button', { name: 'Point', exact: true }).click();
    await alex.getByText('Click the element to point at on the page below.').waitFor();
    await clickOnReplay(frame, 'h1');
    await expect
      .poll(() => visitor.locator('h1').evaluate((e) => e.getAnimations().length))
      .toBeGreaterThan(0);

    // Nothing happens on the visitor's page before they allow it.
    await alex.getByRole('button', { name: 'Ask for control' }).click();
    await dialog().getByText('Allow Alex to scroll, navigate and fill in fields?').waitFor();
    await dialog().getByRole('button', { name: 'Allow' }).click();
    await alex
      .getByText('You are in control: click on the page below, or click a field to type into it.')
      .waitFor();

    await clickOnReplay(frame, '#nickname');
    const typeInto = alex.getByRole('textbox', { name: 'Type into “Nickname”' });
    await expect.poll(() => typeInto.evaluate((e) => e.matches(':focus'))).toBe(true);
    await typeInto.pressSequentially('Robin');
    await expect.poll(() => visitor.locator('#nickname').inputValue()).toBe('Robin');
    await expect.poll(() => frame.locator('#nickname').inputValue()).toBe('Robin');

    // A masked field is the visitor's alone: no box to type in (the widget refuses one anyway:
    // recorder.test.ts).
    await clickOnReplay(frame, '#password');
    await alex
      .getByText('“Password” is hidden from you: only the visitor can fill it in.')
      .waitFor();
    await clickOnReplay(frame, '#nickname');
    const again = alex.getByRole('textbox', { name: 'Type into “Nickname”' });
    await expect.poll(() => again.inputValue()).toBe('Robin');
    await again.pressSequentially('!');
    await expect.poll(() => visitor.locator('#nickname').inputValue()).toBe('Robin!');
    expect(await visitor.locator('#password').inputValue()).toBe('');

    // One Esc takes control back; the page stays shared until the next.
    await visitor.keyboard.press('Escape');
    await alex.getByRole('button', { name: 'Ask for control' }).waitFor();
    await clickOnReplay(frame, '#next');
    expect(visitor.url()).toBe(`${site.origin}/account.html`);
    await dialog()
      .getByText('Alex can see this page.')
      .waitFor({ timeout: 1000 })
      .catch(() => {
        // The dialog may have closed with the same Esc; the share is what counts.
      });
    await alex.getByRole('region', { name: "The visitor's page, as they share it" }).waitFor();

    await alex.getByRole('button', { name: 'Ask for control' }).click();
    await dialog().getByRole('button', { name: 'Allow' }).click();
    await alex.getByText(/You are in control/).waitFor();
    await clickOnReplay(frame, '#next');
    await visitor.waitForURL(`${site.origin}/orders.html`);
    expect(alexRequests.filter((url) => url.startsWith(site.origin))).toEqual([]);
  });

  it('where the rules forbid control, "Ask for control" is not offered and the server refuses it', async () => {
    await h.stop();
    h = await startHarness({
      allowedOrigins: [site.origin],
      rules: { rules: [{ allow: { control: false } }] },
    });
    await h.addHelper('Alex', 'alex-password');
    await signInOnAgentPage(alex, h.url, 'Alex', 'alex-password', { available: true });
    files['/account.html'] = { type: 'text/html', body: accountPage(h.url) };
    await visitor.context().clearCookies();
    await visitor.evaluate(() => localStorage.clear());
    await visitor.goto(`${site.origin}/account.html`);
    await askForHelp(visitor);
    await dialog().getByText('Alex is here to help.').waitFor();
    await alex.getByRole('button', { name: /Visitor/ }).click();
    await shareWithAlex();
    await alex.getByRole('button', { name: 'Point', exact: true }).waitFor();
    expect(await alex.getByRole('button', { name: 'Ask for control' }).count()).toBe(0);
    const [conversation] = await h.store.listOpenConversations();
    const helper = await h.agent('Alex', 'alex-password');
    expect(
      await helper.emitWithAck('control:request', { conversationId: conversation?.id ?? '' }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('"Not now" shares nothing, and says so to the helper', async () => {
    await alex.getByRole('button', { name: 'Mirror page' }).click();
    await dialog().getByRole('button', { name: 'Not now' }).click();
    await alex.getByText(/Visitor \d{4} chose not to share the page\./).waitFor();
    expect(await keptRecording()).toBe('');
    const data = visitorSent.filter((frame) => frame.includes('mirror:data'));
    expect(data).toEqual([]);
  });
});

describe('mirror mode on the demo’s page behind its (demo) sign-in', () => {
  const { newPage } = browserContexts();
  let h: Harness;
  afterEach(() => h?.stop());

  it('shows the signed-in account the helper could not load, with the demo’s rules applied', async () => {
    // The demo's own rules file, as `npm start` reads it.
    h = await startHarness({ rules: rulesFromEnv({}) });
    await h.addHelper('Alex', 'alex-password');
    const alex = await newPage({ width: 1400, height: 1000 });
    await signInOnAgentPage(alex, h.url, 'Alex', 'alex-password', { available: true });
    const visitor = await newPage({ width: 800, height: 800 });
    await visitor.goto(`${h.url}/account.html`);
    await visitor.getByLabel('Email').fill('ann@example.com');
    await visitor.getByLabel('Password').fill('CANARY-demo-password');
    await visitor.getByRole('button', { name: 'Sign in' }).click();
    await visitor.getByRole('heading', { name: 'Hello, ann@example.com' }).waitFor();
    expect(await visitor.getByRole('heading', { name: 'Sign in' }).isVisible()).toBe(false);
    const dialog = await askForHelp(visitor);
    await dialog.getByText('Alex is here to help.').waitFor();
    await alex.getByRole('button', { name: /Visitor/ }).click();
    await alex.getByRole('button', { name: 'Mirror page' }).click();
    await dialog.getByRole('button', { name: 'Share this page' }).click();

    const replay = alex.frameLocator('iframe').first();
    await replay.getByRole('heading', { name: 'Hello, ann@example.com' }).waitFor();
    // What the visitor sees, not what the helper's own browser would load: the account.
    expect(await replay.getByRole('heading', { name: 'Sign in' }).isVisible()).toBe(false);
    expect(await replay.locator('form.help-blocked').count()).toBe(1);
    expect(await replay.locator('.balance').textContent()).toMatch(/^[•\s]+$/);
    // The security answer sits in [data-help-mask]: its label's text and its value stay home.
    expect(await replay.locator('[data-help-mask] input').inputValue()).toBe('•••• (hidden)');
    expect(await replay.locator('[data-help-mask] label').textContent()).not.toContain('Security');
    expect(await replay.locator('body').innerHTML()).not.toContain('CANARY-demo-password');
    await alex
      .getByRole('heading', { name: /^Visitor \d{4}'s page \(mirror\)$/ })
      .scrollIntoViewIfNeeded();
    await alex.screenshot({ path: screenshotPath('mirror-mode.png') });
  });
});
