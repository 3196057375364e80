/** The visitor in Chromium, driven by playwright-core with its own role and label queries. */
import type { Browser, Locator, Page } from 'playwright-core';
import { collectErrors, recordSent } from './browser.ts';
import type { InPage, Viewport, VisitorDriver } from './visitor-driver.ts';

/** Playwright's exact name for a string; a RegExp as it is. */
const named = (name: string | RegExp) =>
  typeof name === 'string' ? { name, exact: true } : { name };

/** A new context (a visitor who has never been here) with one page, in `browser`. */
export async function openChromiumVisitor(
  browser: Browser,
  viewport: Viewport,
): Promise<VisitorDriver> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  return chromiumVisitor(page, () => context.close());
}

/** A visitor driver over a playwright page; `close` closes what the caller opened. */
export function chromiumVisitor(page: Page, close: () => Promise<void>): VisitorDriver {
  const errors = collectErrors(page);
  const sent = recordSent(page);
  const widget = () => page.locator('help-widget');
  const box = (name: string) => widget().getByRole('textbox', named(name));
  const field = (label: string) => page.locator('body').getByLabel(label, { exact: true });
  const evaluate = <A, R>(fn: InPage<A, R>, arg?: A): Promise<R> =>
    // The arguments are plain data: playwright's unboxing of handles changes nothing here.
    page.evaluate(fn as (arg: unknown) => R | Promise<R>, arg);
  // Playwright's "fill" sets the value in one go; a person types, and so does the Firefox driver.
  const retype = async (locator: Locator, text: string) => {
    await locator.fill('');
    await locator.pressSequentially(text);
  };

  return {
    browserName: 'chromium',
    errors,
    sent,
    async goto(url) {
      await page.goto(url);
    },
    async reload() {
      await page.reload();
    },
    async goBack() {
      await page.goBack();
    },
    waitForUrl: (url) => page.waitForURL(url),
    url: () => page.url(),
    setViewport: (viewport) => page.setViewportSize(viewport),
    evaluate,
    async runScript(source) {
      await page.evaluate(source);
    },
    waitForButton: (name) => widget().getByRole('button', named(name)).waitFor(),
    press: (key) => page.keyboard.press(key),
    type: (text) => page.keyboard.type(text),
    clickButton: (name) => widget().getByRole('button', named(name)).click(),
    fillBox: (name, text) => retype(box(name), text),
    boxValue: (name) => box(name).inputValue(),
    async isFocused(name) {
      const control = widget().getByRole('button', named(name)).or(box(name));
      return control.evaluate((element) => element.matches(':focus'));
    },
    dialogOpen: async () => (await widget().getByRole('dialog').count()) > 0,
    async waitForText(text, options = {}) {
      const state = options.visibleOnly === false ? 'attached' : 'visible';
      await widget().getByText(text).first().waitFor({ state });
    },
    waitForTextGone: (text) => widget().getByText(text).first().waitFor({ state: 'hidden' }),
    countText: (text) => widget().getByText(text).count(),
    async download(buttonName) {
      const download = page.waitForEvent('download');
      await widget().getByRole('button', named(buttonName)).click();
      return (await download).suggestedFilename();
    },
    fillField: (label, text) => retype(field(label), text),
    fieldValue: (label) => field(label).inputValue(),
    check: (label, checked = true) => field(label).setChecked(checked),
    async chooseOption(selector, option) {
      await page.locator(selector).selectOption(option);
    },
    clickLink: (name, selector = 'body') =>
      page.locator(selector).getByRole('link', named(name)).click(),
    clickSelector: (selector) => page.locator(selector).click(),
    close,
  };
}
