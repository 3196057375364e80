/**
 * Mirror mode's recorder on the visitor's page, in any browser: the visitor shares a page the
 * helper cannot load; the helper's replay (the agent page, in Chromium) shows it, masked and
 * blocked in the visitor's browser, follows them to the next page, and with their allow clicks
 * and types on their page.
 */
import { gunzipSync } from 'node:zlib';
import type { Frame, Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signInOnAgentPage } from '../../support/agent-page.ts';
import type { BrowserContexts } from '../../support/browser-contexts.ts';
import { type Harness, startHarness } from '../../support/server-harness.ts';
import {
  type SiteFile,
  startThirdPartySite,
  type ThirdPartySite,
} from '../../support/third-party-site.ts';
import type { VisitorBrowser } from '../../support/visitor-browsers.ts';
import type { VisitorDriver } from '../../support/visitor-driver.ts';
import { askForHelpAs } from '../../support/visitor-page.ts';
import { CANARY, mirrorSiteFiles } from './mirror-site.ts';

export function mirrorScenarios(browser: VisitorBrowser, helpers: BrowserContexts): void {
  describe("mirror mode: the helper sees the visitor's page through our server", () => {
    let h: Harness;
    let site: ThirdPartySite;
    let alex: Page;
    let visitor: VisitorDriver;
    /** Every address Alex's browser asked for. */
    let alexRequests: string[];
    /** The site's pages and assets, read on every request. */
    let files: Record<string, SiteFile>;

    /** A visitor who has never been here opens the account page and asks for help. */
    async function visitorAsks(): Promise<void> {
      visitor = await browser.newVisitor({
        io: h.server.io,
        viewport: { width: 800, height: 700 },
      });
      await visitor.goto(`${site.origin}/account.html`);
      await askForHelpAs(visitor);
      await visitor.waitForText('Alex is here to help.');
      await alex.getByRole('button', { name: /Visitor/ }).click();
    }

    beforeEach(async () => {
      // Filled in once the help server's address is known: pages are read on every request.
      files = {};
      site = await startThirdPartySite(files);
      h = await startHarness({
        allowedOrigins: [site.origin],
        rules: { rules: [{ block: ['#card-form'], mask: ['.balance'] }] },
      });
      Object.assign(files, mirrorSiteFiles(h.url));

      await h.addHelper('Alex', 'alex-password');
      const alexContext = await helpers.newContext({ width: 1400, height: 1000 });
      alexRequests = [];
      alexContext.on('request', (request) => alexRequests.push(request.url()));
      alex = await alexContext.newPage();
      await signInOnAgentPage(alex, h.url, 'Alex', 'alex-password', { available: true });
      await visitorAsks();
    });
    afterEach(async () => {
      await h?.stop();
      await site?.close();
    });

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

    // The helper's page names the visitor "Visitor 4821" (a number from their browser's key).
    async function shareWithAlex(): Promise<Frame> {
      await alex.getByRole('button', { name: 'Mirror page' }).click();
      await alex.getByText(/Waiting for Visitor \d+ to share the page…/).waitFor();
      // The question is the visitor's next step: it has the focus.
      await expect.poll(() => visitor.isFocused('Share this page')).toBe(true);
      await visitor.waitForText(
        'Alex would like to see this page. Only what is on your screen is shared; passwords and card numbers never are.',
      );
      await visitor.clickButton('Share this page');
      await visitor.waitForText('Alex can see this page.');
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

    /** Alex clicks on the replay where `selector` shows, as a person would with the mouse. */
    async function clickOnReplay(frame: Frame, selector: string) {
      const box = await frame.locator(selector).boundingBox();
      if (!box) throw new Error(`${selector} is not shown on the replay`);
      await alex.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    }

    it('shows the page with its text, styles and images, never fetched from the site by the helper', async () => {
      const frame = await shareWithAlex();
      const h1 = frame.getByRole('heading', { name: 'Your account' });
      await expect
        .poll(() => h1.evaluate((e) => getComputedStyle(e).color))
        .toBe('rgb(12, 34, 56)');
      // Images come through our server's asset route, loaded and drawn.
      const logo = frame.locator('#logo');
      await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);
      expect(await logo.getAttribute('src')).toMatch(
        new RegExp(`^${h.url}/api/mirror/asset\\?c=[\\w-]+&u=${encodeURIComponent(site.origin)}`),
      );
      // Links go nowhere in the copy.
      expect(await frame.locator('#next').getAttribute('href')).toBeNull();

      // Typing shows on the helper's side as it happens.
      await visitor.fillField('Nickname', 'Sunny');
      await expect.poll(() => frame.locator('#nickname').inputValue()).toBe('Sunny');

      // The helper's browser asked the site for nothing; the site saw only the visitor and us.
      expect(alexRequests.filter((url) => url.startsWith(site.origin))).toEqual([]);
      expect(site.hits.map((hit) => hit.path)).toContain('/bg.png');
      const fromServer = site.hits.filter(
        (hit) => hit.headers['user-agent'] === 'help-widget-asset-fetcher',
      );
      expect(fromServer.map((hit) => hit.path).sort()).toEqual(['/bg.png', '/logo.png']);
      // The replay runs no script at all.
      expect(await alex.locator('iframe').first().getAttribute('sandbox')).toBe(
        'allow-same-origin',
      );
    });

    it('masks and blocks in the visitor’s browser: canaries reach no frame, no request and no copy', async () => {
      const frame = await shareWithAlex();
      await visitor.fillField('Password', CANARY.password);
      await visitor.fillField('Card', CANARY.card);
      await visitor.fillField('Notes', CANARY.marked);
      await visitor.fillField('Secret', CANARY.blocked);
      await visitor.fillField('Nickname', 'done typing');
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
        visitor.sent.join('\n'),
        alexRequests.join('\n'),
      ].join('\n');
      expect(everything).toContain('done typing');
      for (const canary of Object.values(CANARY)) expect(everything).not.toContain(canary);
      expect(everything).not.toContain('1,234.56');
    });

    it('follows the visitor to the next page, survives a helper reload, and stops when the visitor says so', async () => {
      await shareWithAlex();
      await visitor.clickSelector('#next');
      await visitor.waitForUrl(`${site.origin}/orders.html`);
      let frame = await replay();
      await frame.getByRole('heading', { name: 'Your orders' }).waitFor();

      // A helper who reloads gets the latest snapshot at once.
      await alex.reload();
      await alex.getByRole('button', { name: /Visitor/ }).click();
      frame = await replay();
      await frame.getByText('Order 1042: a tent.').waitFor();

      await visitor.clickButton('Stop sharing');
      await alex.getByText(/Visitor \d+ stopped sharing the page\./).waitFor();
      expect(
        await alex.getByRole('region', { name: "The visitor's page, as they share it" }).count(),
      ).toBe(0);
      await alex.getByRole('button', { name: 'Mirror page' }).waitFor();
      expect(alexRequests.filter((url) => url.startsWith(site.origin))).toEqual([]);
    });

    it('points, and with the visitor’s allow clicks and types on their page, never into a masked field', async () => {
      const frame = await shareWithAlex();
      await alex.getByRole('button', { name: 'Point', exact: true }).click();
      await alex.getByText('Click the element to point at on the page below.').waitFor();
      await clickOnReplay(frame, 'h1');
      await expect
        .poll(() => visitor.evaluate(() => document.querySelector('h1')?.getAnimations().length))
        .toBeGreaterThan(0);

      // Nothing happens on the visitor's page before they allow it.
      await alex.getByRole('button', { name: 'Ask for control' }).click();
      await visitor.waitForText('Allow Alex to scroll, navigate and fill in fields?');
      await visitor.clickButton('Allow');
      await alex
        .getByText('You are in control: click on the page below, or click a field to type into it.')
        .waitFor();

      await clickOnReplay(frame, '#nickname');
      const typeInto = alex.getByRole('textbox', { name: 'Type into “Nickname”' });
      await expect.poll(() => typeInto.evaluate((e) => e.matches(':focus'))).toBe(true);
      await typeInto.pressSequentially('Robin');
      await expect.poll(() => visitor.fieldValue('Nickname')).toBe('Robin');
      await expect.poll(() => frame.locator('#nickname').inputValue()).toBe('Robin');

      // A masked field is the visitor's alone: no box to type in (the widget refuses one
      // anyway: recorder.test.ts).
      await clickOnReplay(frame, '#password');
      await alex
        .getByText('“Password” is hidden from you: only the visitor can fill it in.')
        .waitFor();
      await clickOnReplay(frame, '#nickname');
      const again = alex.getByRole('textbox', { name: 'Type into “Nickname”' });
      await expect.poll(() => again.inputValue()).toBe('Robin');
      await again.pressSequentially('!');
      await expect.poll(() => visitor.fieldValue('Nickname')).toBe('Robin!');
      expect(await visitor.fieldValue('Password')).toBe('');

      // One Esc takes control back; the page stays shared until the next.
      await visitor.press('Escape');
      await alex.getByRole('button', { name: 'Ask for control' }).waitFor();
      await clickOnReplay(frame, '#next');
      expect(visitor.url()).toBe(`${site.origin}/account.html`);
      await alex.getByRole('region', { name: "The visitor's page, as they share it" }).waitFor();

      await alex.getByRole('button', { name: 'Ask for control' }).click();
      await visitor.clickButton('Allow');
      await alex.getByText(/You are in control/).waitFor();
      await clickOnReplay(frame, '#next');
      await visitor.waitForUrl(`${site.origin}/orders.html`);
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
      Object.assign(files, mirrorSiteFiles(h.url));
      // A visitor who has never been here: nothing of the first server's chat is kept.
      await visitorAsks();
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
      await visitor.clickButton('Not now');
      await alex.getByText(/Visitor \d+ chose not to share the page\./).waitFor();
      expect(await keptRecording()).toBe('');
      const data = visitor.sent.filter((frame) => frame.includes('mirror:data'));
      expect(data).toEqual([]);
    });
  });
}
