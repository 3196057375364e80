import type { Frame, Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { followCopyFrame, signInOnAgentPage } from '../support/agent-page.ts';
import { collectErrors, recordSent, sentEvents } from '../support/browser.ts';
import { browserContexts } from '../support/browser-contexts.ts';
import { screenshotPath } from '../support/screenshots.ts';
import { type Harness, startHarness } from '../support/server-harness.ts';
import { askForHelp } from '../support/visitor-page.ts';

describe("follow mode: the helper follows the visitor's page", () => {
  const { newPage } = browserContexts();
  let h: Harness;
  let alex: Page;
  let visitor: Page;
  /** What the visitor's browser sent, from its first page on. */
  let visitorSent: string[] = [];

  beforeEach(async () => {
    h = await startHarness();
    await h.addHelper('Alex', 'alex-password');
    alex = await newPage({ width: 1400, height: 1000 });
    await signInOnAgentPage(alex, h.url, 'Alex', 'alex-password', { available: true });
    // The visitor's window is a different size from the helper's pane.
    visitor = await newPage({ width: 560, height: 650 });
    visitorSent = recordSent(visitor);
    await visitor.goto(`${h.url}/guide.html`);
    await askForHelp(visitor);
    await dialog().getByText('Alex is here to help.').waitFor();
    await alex.getByRole('button', { name: /Visitor/ }).click();
  });
  afterEach(async () => {
    await h?.stop();
  });
  const dialog = () => visitor.getByRole('dialog', { name: 'Help' });

  const copyFrame = () => followCopyFrame(alex, h.url);

  /**
   * Waits for the copy to reach `path` (path and query). Playwright's own navigation wait: a
   * change of page takes two page loads and a socket reconnect, more than a poll's one second
   * on a busy machine.
   */
  const copyReaches = (path: string) =>
    copyFrame().waitForURL((url) => url.pathname + url.search === path);

  /** The helper's copy of the page, once it has joined. */
  async function follow(): Promise<Frame> {
    await alex.getByRole('button', { name: 'Follow page' }).click();
    await alex.getByText('Following the visitor.').waitFor();
    return copyFrame();
  }
  const topOf = (frame: Frame | Page, selector: string) =>
    frame.evaluate(
      // + 0 turns -0 into 0.
      (s) => Math.round(document.querySelector(s)?.getBoundingClientRect().top ?? NaN) + 0,
      selector,
    );

  /** Within two pixels of the top: scrolling back and forth may round either way. */
  const nearTop = async (frame: Frame | Page, selector: string) =>
    Math.abs(await topOf(frame, selector)) <= 2;

  it('shows the same page, and the same heading at the top after the visitor scrolls', async () => {
    const errors = collectErrors(visitor);
    // The agent page runs under a strict CSP: framing the site and its scripts must not trip it.
    const agentErrors = collectErrors(alex);
    await follow();
    await dialog().getByText('Alex is following your page.').waitFor();
    expect(new URL(copyFrame().url()).pathname).toBe('/guide.html');

    await visitor.evaluate(() =>
      document.getElementById('warranty')?.scrollIntoView({ block: 'start' }),
    );
    expect(await topOf(visitor, '#warranty')).toBe(0);
    await expect.poll(() => topOf(copyFrame(), '#warranty')).toBe(0);
    // The two windows differ in size, so the same place is not the same pixel offset.
    const offsets = await Promise.all([visitor, copyFrame()].map((f) => f.evaluate(() => scrollY)));
    expect(offsets[0]).not.toBe(offsets[1]);

    // An inner scroller follows too.
    await visitor.evaluate(() => {
      const list = document.getElementById('faq-list');
      const item = list?.querySelectorAll('li')[12];
      if (list && item) list.scrollTop = item.offsetTop - list.offsetTop;
    });
    const itemTop = (frame: Frame | Page) =>
      frame.evaluate(() => {
        const list = document.getElementById('faq-list');
        const item = list?.querySelectorAll('li')[12];
        return Math.round(
          (item?.getBoundingClientRect().top ?? 0) - (list?.getBoundingClientRect().top ?? 0),
        );
      });
    const visitorItemTop = await itemTop(visitor);
    await expect.poll(() => itemTop(copyFrame())).toBe(visitorItemTop);
    await alex.screenshot({ path: screenshotPath('follow-mode.png') });
    expect(errors).toEqual([]);
    expect(agentErrors).toEqual([]);
  });

  it('goes where the visitor goes: full page loads and single-page-app routes', async () => {
    await follow();
    await visitor
      .getByRole('navigation', { name: 'Demo site' })
      .getByRole('link', { name: 'Orders (app)' })
      .click();
    await copyReaches('/spa.html');
    await visitor.getByRole('link', { name: 'Order 1042' }).click();
    await visitor.getByText('Order 1042: on its way.').waitFor();
    await copyReaches('/spa.html?order=1042');
    await visitor.goBack();
    await copyReaches('/spa.html');
  });

  it('a helper who reloads gets the current page and scroll at once, with nothing done by the visitor', async () => {
    await follow();
    await visitor.evaluate(() =>
      document.getElementById('care')?.scrollIntoView({ block: 'start' }),
    );
    await expect.poll(() => topOf(copyFrame(), '#care')).toBe(0);
    await alex.reload();
    await alex.getByRole('button', { name: /Visitor/ }).click();
    await follow();
    await expect.poll(() => topOf(copyFrame(), '#care')).toBe(0);
  });

  it('"Stop sharing" ends it at once for the helper, and nothing more is sent', async () => {
    await follow();
    await dialog().getByRole('button', { name: 'Stop sharing' }).click();
    await alex.getByText('The visitor stopped sharing their page.').waitFor();
    await dialog().getByText('Alex is following your page.').waitFor({ state: 'detached' });
    const since = visitorSent.length;
    await visitor.evaluate(async () => {
      document.getElementById('repairs')?.scrollIntoView({ block: 'start' });
      // Scrolling is reported on the next animation frame; two frames on, it would be sent.
      await new Promise(requestAnimationFrame);
      await new Promise(requestAnimationFrame);
    });
    // The marker: a message the visitor sends after scrolling, on the same socket, arrives.
    const box = dialog().getByRole('textbox', { name: 'Message' });
    await box.fill('Sent after scrolling');
    await box.press('Enter');
    await alex.getByRole('log', { name: 'Messages' }).getByText('Sent after scrolling').waitFor();
    // The recording does see these changes: while followed, the page sent them.
    expect(sentEvents(visitorSent.slice(0, since), 'cobrowse:change')).not.toEqual([]);
    const after = visitorSent.slice(since);
    expect(sentEvents(after, 'chat:send').map((m) => m.text)).toEqual(['Sent after scrolling']);
    expect(sentEvents(after, 'cobrowse:change')).toEqual([]);
    const conversationId = (await h.store.listOpenConversations())[0]?.id ?? '';
    expect(await h.live.getChanges(conversationId)).toEqual([]);
  });

  it("shows the visitor's window size, and can draw the copy at that size", async () => {
    await follow();
    await alex.getByText("Visitor's window: 560 × 650").waitFor();
    await alex.getByText('they are looking at this page').waitFor();
    await alex.getByRole('button', { name: "Show at visitor's size" }).click();
    const frame = alex.locator('help-follow-pane iframe');
    await expect.poll(() => frame.evaluate((f) => (f as HTMLElement).style.width)).toBe('560px');
    await visitor.setViewportSize({ width: 700, height: 600 });
    await alex.getByText("Visitor's window: 700 × 600").waitFor();
    await expect.poll(() => frame.evaluate((f) => (f as HTMLElement).style.width)).toBe('700px');
  });

  it('follows the tab the visitor is using when the site is open in two', async () => {
    await follow();
    const second = await visitor.context().newPage();
    await second.goto(`${h.url}/checkout.html`);
    // The second tab has the same chat and leads too; it is the one in view.
    await copyReaches('/checkout.html');
    // Switch back: the browser hides the second tab and shows the first. (Headless Chromium
    // keeps every tab "visible", so the switch is played through the page's own events.)
    const setVisible = (page: Page, visible: boolean) =>
      page.evaluate((v) => {
        Object.defineProperty(document, 'visibilityState', {
          value: v ? 'visible' : 'hidden',
          configurable: true,
        });
        document.dispatchEvent(new Event('visibilitychange'));
      }, visible);
    await setVisible(second, false);
    await setVisible(visitor, true);
    await copyReaches('/guide.html');
  });

  it('tells the visitor in a small notice, not by opening the dialog, when following starts while it is closed; the notice stops it', async () => {
    await dialog().getByRole('button', { name: 'Close' }).click();
    await dialog().waitFor({ state: 'detached' });
    await follow();
    await visitor.getByText('Alex is viewing this page.').waitFor();
    expect(await dialog().count()).toBe(0);
    await visitor.getByRole('button', { name: 'Stop sharing' }).click();
    await visitor.getByText('Alex is viewing this page.').waitFor({ state: 'hidden' });
    await alex.getByText('The visitor stopped sharing their page.').waitFor();
  });

  it('passes control only when the visitor allows it, and Esc takes it back at once', async () => {
    await follow();
    const askButton = alex.getByRole('button', { name: 'Ask for control' });

    // Deny.
    await askButton.click();
    await dialog().getByText('Allow Alex to scroll, navigate and fill in fields?').waitFor();
    await dialog().getByRole('button', { name: 'Deny' }).click();
    await alex.getByText('The visitor said no to passing control.').waitFor();

    // Allow: the helper's scrolling on the copy moves the visitor's page.
    await askButton.click();
    await dialog().getByRole('button', { name: 'Allow' }).click();
    await alex
      .getByText('You are in control: scroll, navigate and fill in fields on the page below.')
      .waitFor();
    await dialog().getByText('Alex is in control of this page.').waitFor();
    await copyFrame().evaluate(() =>
      document.getElementById('sizing')?.scrollIntoView({ block: 'start' }),
    );
    await expect.poll(() => nearTop(visitor, '#sizing')).toBe(true);

    // Esc on the visitor's page ends it at once; the helper's scrolling no longer applies.
    await visitor.keyboard.press('Escape');
    await dialog().getByText('Alex is in control of this page.').waitFor({ state: 'detached' });
    await expect.poll(() => alex.getByText('You are in control', { exact: false }).count()).toBe(0);
    // From here on: how far down the visitor's page ever goes, and where #care starts on it.
    const lowest = await visitor.evaluateHandle(() => {
      const seen = {
        deepest: scrollY,
        care: scrollY + (document.getElementById('care')?.getBoundingClientRect().top ?? NaN),
      };
      addEventListener('scroll', () => {
        seen.deepest = Math.max(seen.deepest, scrollY);
      });
      return seen;
    });
    await copyFrame().evaluate(() =>
      document.getElementById('contact')?.scrollIntoView({ block: 'start' }),
    );
    // The copy is shorter than the visitor's page; #contact cannot reach its top, but the
    // helper's scroll has taken it past #care.
    expect(await topOf(copyFrame(), '#care')).toBeLessThan(0);
    // The visitor's own scroll (to where they are) brings the copy back to their place.
    await visitor.evaluate(async () => {
      scrollBy(0, 1);
      await new Promise(requestAnimationFrame);
      await new Promise(requestAnimationFrame);
      scrollBy(0, -1);
    });
    await expect.poll(() => nearTop(copyFrame(), '#sizing')).toBe(true);
    // The marker: control passed again, the helper's next scroll reaches the visitor. Had the
    // one to #contact been passed on, it would have come first, along the same path.
    await askButton.click();
    await dialog().getByRole('button', { name: 'Allow' }).click();
    await alex
      .frameLocator('help-follow-pane iframe')
      .getByText("You are in control of the visitor's page")
      .waitFor();
    await copyFrame().evaluate(() =>
      document.getElementById('returns')?.scrollIntoView({ block: 'start' }),
    );
    await expect.poll(() => nearTop(visitor, '#returns')).toBe(true);
    // The visitor's page never went as far down as the helper's scroll after Esc.
    const { deepest, care } = await lowest.jsonValue();
    expect(deepest).toBeLessThan(care);
  });

  it("refreshes the visitor's page on request; the chat stays open with what was being typed", async () => {
    await follow();
    const box = dialog().getByRole('textbox', { name: 'Message' });
    await box.fill('Half typed when the page went');
    const reloaded = visitor.waitForEvent('load');
    await alex.getByRole('button', { name: "Refresh visitor's page" }).click();
    await reloaded;
    await dialog().getByText('Alex is following your page.').waitFor();
    await expect.poll(() => box.inputValue()).toBe('Half typed when the page went');
  });

  it("points: the element the helper clicks on the copy pulses on the visitor's page", async () => {
    await follow();
    await alex.getByRole('button', { name: 'Point' }).click();
    await alex.frameLocator('help-follow-pane iframe').locator('#returns').click();
    await expect
      .poll(() =>
        visitor.evaluate(() => {
          const heading = document.getElementById('returns');
          const box = heading?.getBoundingClientRect();
          const inView = !!box && box.top >= 0 && box.bottom <= innerHeight;
          return inView && (heading?.getAnimations().length ?? 0) > 0;
        }),
      )
      .toBe(true);
    await expect
      .poll(() => alex.getByRole('button', { name: 'Point' }).getAttribute('aria-pressed'))
      .toBe('false');
  });

  it("answers only its own frame on the visitor site's origin, never a forged hello", async () => {
    await follow();
    // Another origin (same server, other host name) says hello from a window the agent page
    // opened: the agent page's CSP would not even let it be framed there.
    const foreign = h.url.replace('127.0.0.1', 'localhost');
    const opened = alex.context().waitForEvent('page');
    await alex.evaluate((src) => {
      (window as unknown as { forger: Window | null }).forger = window.open(src, 'forger');
    }, `${foreign}/favicon.svg`);
    const forger = await opened;
    await forger.waitForURL((url) => url.href.startsWith(foreign));
    // What the agent page hears from the forger's origin; the pane listened first, so once
    // this has heard the hello, the pane has dealt with it.
    const heardByAgent = await alex.evaluateHandle((origin) => {
      const heard: unknown[] = [];
      addEventListener('message', (e) => {
        if (e.origin === origin) heard.push(e.data);
      });
      return heard;
    }, foreign);
    const heardByForger = await forger.evaluateHandle(() => {
      const heard: unknown[] = [];
      addEventListener('message', (e) => heard.push(e.data));
      opener.postMessage({ source: 'help-widget', type: 'follow:hello' }, '*');
      return heard;
    });
    await expect.poll(() => heardByAgent.evaluate((heard) => heard.length)).toBe(1);

    // The pane's own frame says hello after it and is answered: a grant asked for the forger
    // would have been asked for, and sent, before this one.
    const answered = await copyFrame().evaluate(
      (origin) =>
        new Promise<boolean>((resolve) => {
          addEventListener('message', (e: MessageEvent<{ type?: string }>) => {
            if (e.origin === origin && e.data?.type === 'follow:grant') resolve(true);
          });
          parent.postMessage({ source: 'help-widget', type: 'follow:hello' }, origin);
        }),
      h.url,
    );
    expect(answered).toBe(true);
    // The marker for the forger: the agent page's next message to it comes after any answer.
    await alex.evaluate((origin) => {
      (window as unknown as { forger: Window | null }).forger?.postMessage('marker', origin);
    }, foreign);
    await expect.poll(() => heardByForger.jsonValue()).toContain('marker');
    expect(await heardByForger.jsonValue()).toEqual(['marker']);

    // And the helper still follows: the visitor scrolls, the copy goes with them.
    await visitor.evaluate(() =>
      document.getElementById('warranty')?.scrollIntoView({ block: 'start' }),
    );
    await expect.poll(() => topOf(copyFrame(), '#warranty')).toBe(0);
  });
});

describe('follow mode: form values, masking and selection', () => {
  const { newPage } = browserContexts();
  let h: Harness;
  afterEach(async () => {
    await h?.stop();
  });

  it("shows each control's value read-only, never a masked one, and the highlighted text", async () => {
    h = await startHarness();
    await h.addHelper('Alex', 'alex-password');
    const alex = await newPage({ width: 1400, height: 1000 });
    const visitor = await newPage({ width: 900, height: 700 });

    // Everything the visitor's browser sends, over websocket or polling.
    const sent = recordSent(visitor);

    await signInOnAgentPage(alex, h.url, 'Alex', 'alex-password', { available: true });

    await visitor.goto(`${h.url}/checkout.html`);
    // Filled in before the helper follows: the copy must still show it.
    await visitor.getByLabel('Full name').fill('Dana Example');
    await visitor.getByLabel('Password').fill('CANARY-pass-1');
    const dialog = await askForHelp(visitor);
    await dialog.getByText('Alex is here to help.').waitFor();
    await alex.getByRole('button', { name: /Visitor/ }).click();
    await alex.getByRole('button', { name: 'Follow page' }).click();
    await alex.getByText('Following the visitor.').waitFor();
    await dialog.getByText('Alex is following your page.').waitFor();
    const copy = () => {
      const frame = alex.frames().find((f) => f !== alex.mainFrame());
      if (!frame) throw new Error('no follow frame');
      return frame;
    };
    const valueIn = (selector: string) =>
      copy().evaluate((s) => {
        const control = document.querySelector(s) as HTMLInputElement | HTMLSelectElement | null;
        if (!control) return null;
        if (control instanceof HTMLSelectElement) return control.selectedIndex;
        return control.type === 'checkbox' || control.type === 'radio'
          ? control.checked
          : control.value;
      }, selector);

    await expect.poll(() => valueIn('[name=fullName]')).toBe('Dana Example');
    await visitor.getByLabel('Email').fill('dana@example.com');
    await visitor.getByLabel('Delivery notes').fill('Leave it\nwith the neighbour');
    await visitor.locator('select[name=delivery]').selectOption('Express');
    await visitor.getByLabel('This is a gift').check();
    await visitor.getByLabel('Gift box').check();
    await visitor.getByLabel('Card number').fill('CANARY-4111111111111111');
    await visitor.getByLabel('One-time code').fill('CANARY-987654');
    await visitor.getByLabel('Gift message (private)').fill('CANARY-love-note');

    await expect.poll(() => valueIn('[name=email]')).toBe('dana@example.com');
    await expect.poll(() => valueIn('[name=notes]')).toBe('Leave it\nwith the neighbour');
    await expect.poll(() => valueIn('[name=delivery]')).toBe(1);
    await expect.poll(() => valueIn('[name=gift]')).toBe(true);
    await expect.poll(() => valueIn('[name=wrap][value=box]')).toBe(true);
    expect(await valueIn('[name=wrap][value=none]')).toBe(false);
    for (const masked of ['[name=password]', '[name=card]', '[name=otp]', '[name=giftMessage]']) {
      await expect.poll(() => valueIn(masked)).toBe('•••• (hidden)');
    }

    // A helper who reloads gets every field at once, with nothing done by the visitor.
    await alex.reload();
    await alex.getByRole('button', { name: /Visitor/ }).click();
    await alex.getByRole('button', { name: 'Follow page' }).click();
    await alex.getByText('Following the visitor.').waitFor();
    await expect.poll(() => valueIn('[name=email]')).toBe('dana@example.com');
    await expect.poll(() => valueIn('[name=wrap][value=box]')).toBe(true);
    await expect.poll(() => valueIn('[name=card]')).toBe('•••• (hidden)');

    // Read-only: the helper's typing and clicking change nothing on the copy.
    const copyName = alex.frameLocator('iframe').getByLabel('Full name');
    const copyEmail = alex.frameLocator('iframe').getByLabel('Email');
    await copyEmail.click();
    await alex.keyboard.type('x');
    await alex.frameLocator('iframe').getByLabel('Paper').click();
    expect(await valueIn('[name=email]')).toBe('dana@example.com');
    expect(await valueIn('[name=wrap][value=box]')).toBe(true);

    // The visitor selects a heading's text; the copy highlights the same text.
    await visitor.evaluate(() => {
      const heading = document.querySelector('h1');
      const text = heading?.firstChild;
      if (!text) return;
      const range = document.createRange();
      range.setStart(text, 0);
      range.setEnd(text, 5);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
    });
    await expect
      .poll(() =>
        copy().evaluate(() => {
          const registry = (
            CSS as unknown as { highlights: Map<string, { values(): IterableIterator<Range> }> }
          ).highlights;
          const highlight = registry.get('help-visitor-selection');
          return highlight ? [...highlight.values()].map((r) => r.toString()) : [];
        }),
      )
      .toEqual(['Check']);

    // With control granted, the helper's typing fills the visitor's field, never a masked one.
    await alex.getByRole('button', { name: 'Ask for control' }).click();
    await dialog.getByRole('button', { name: 'Allow' }).click();
    await alex.getByText('You are in control', { exact: false }).waitFor();
    await alex
      .frameLocator('iframe')
      .getByText("You are in control of the visitor's page")
      .waitFor();
    await copyName.fill('Dana Q. Example');
    await expect.poll(() => visitor.getByLabel('Full name').inputValue()).toBe('Dana Q. Example');
    // A private field on the copy takes no typing, in control too.
    const copyPassword = alex.frameLocator('iframe').getByLabel('Password');
    expect(await copyPassword.isEditable()).toBe(false);
    await copyPassword.click();
    await alex.keyboard.type('helper-typed');
    // Esc takes control back. Once the copy has heard so it is read-only again; waiting for that
    // keeps its fields as the visitor's, which the copy sends when control is passed again.
    await visitor.getByLabel('Full name').click();
    await visitor.keyboard.press('Escape');
    await alex.frameLocator('iframe').getByText("Following the visitor's page").waitFor();
    await copyName.fill('After Esc');
    expect(await valueIn('[name=fullName]')).toBe('Dana Q. Example');
    // The marker: with control passed again, the helper's next change reaches the visitor; the
    // masked one and the one after Esc, had they been passed on, would have come before it.
    await alex.getByRole('button', { name: 'Ask for control' }).click();
    await dialog.getByRole('button', { name: 'Allow' }).click();
    await alex
      .frameLocator('iframe')
      .getByText("You are in control of the visitor's page")
      .waitFor();
    await alex.frameLocator('iframe').getByLabel('Delivery notes').fill('Ring twice');
    await expect.poll(() => visitor.getByLabel('Delivery notes').inputValue()).toBe('Ring twice');
    expect(await visitor.getByLabel('Full name').inputValue()).toBe('Dana Q. Example');
    expect(await visitor.getByLabel('Password').inputValue()).toBe('CANARY-pass-1');

    // Nothing typed into a masked field left the visitor's browser, nor reached the server.
    const conversationId = (await h.store.listOpenConversations())[0]?.id ?? '';
    const stored = JSON.stringify(await h.live.getChanges(conversationId));
    for (const text of [...sent, stored]) expect(text).not.toContain('CANARY');
    expect(sent.some((frame) => frame.includes('dana@example.com'))).toBe(true);
  });
});
