import { afterEach, describe, expect, it } from 'vitest';
import { commands, page } from 'vitest/browser';
import '../../widget/help-widget.ts';
import type { HelpRequestCreated } from '../../protocol/domain.ts';
import { axeViolations } from '../support/axe.ts';

function mount(markup: string): HTMLElement {
  const host = document.createElement('div');
  host.innerHTML = markup;
  document.body.append(host);
  return host;
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('<help-widget> loader', () => {
  it('draws a real button named "Help", or by its label, with no axe violations', async () => {
    const host = mount('<help-widget></help-widget>');
    await expect.element(page.getByRole('button', { name: 'Help' })).toBeVisible();
    expect(await axeViolations(host)).toEqual([]);
    document.body.replaceChildren();
    mount('<help-widget label="Ask us"></help-widget>');
    await expect.element(page.getByRole('button', { name: 'Ask us' })).toBeVisible();
  });

  it('sits bottom-right by default and bottom-left on request, themed by --help-accent', async () => {
    mount(`<style>help-widget { --help-accent: rgb(200, 0, 100); }</style>
      <help-widget></help-widget><help-widget position="bottom-left" label="Left"></help-widget>`);
    await expect.element(page.getByRole('button', { name: 'Left' })).toBeVisible();
    const right = page.getByRole('button', { name: 'Help' }).element();
    const left = page.getByRole('button', { name: 'Left' }).element();
    expect(right.getBoundingClientRect().left).toBeGreaterThan(window.innerWidth / 2);
    expect(left.getBoundingClientRect().right).toBeLessThan(window.innerWidth / 2);
    expect(getComputedStyle(right).backgroundColor).toBe('rgb(200, 0, 100)');
  });

  it('tolerates the script being loaded twice', async () => {
    // A second evaluation of the module must not throw on customElements.define.
    await import(/* @vite-ignore */ `../../widget/help-widget.ts?copy=${Date.now()}`);
    mount('<help-widget></help-widget>');
    await expect.element(page.getByRole('button', { name: 'Help' })).toBeVisible();
  });
});

describe('help request from real Chromium', () => {
  let server: string | undefined;
  afterEach(async () => {
    if (server) await commands.stopHelpServer(server);
    server = undefined;
  });

  it('is accepted cross-origin from an allowed site and its user agent parsed', async () => {
    server = (await commands.startHelpServer(location.origin)).url;
    const response = await fetch(`${server}/api/help-requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        pageUrl: location.href,
        pageTitle: document.title,
        referrer: '',
        languages: [...navigator.languages],
        timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
        screen: { width: screen.width, height: screen.height },
        viewport: { width: innerWidth, height: innerHeight },
        pixelRatio: devicePixelRatio,
        userAgent: navigator.userAgent,
      }),
    });
    expect(response.status).toBe(201);
    const created = (await response.json()) as HelpRequestCreated;
    const details = (await commands.storedConversation(server, created.conversationId))?.details;
    expect(details?.pageUrl).toBe(location.href);
    expect(details?.agent.browser.name).toMatch(/Chrom/);
    expect(details?.agent.os.name).toBe('Linux');
    expect(details?.agent.engine.name).toBe('Blink');
  });
});
