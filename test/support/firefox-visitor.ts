/**
 * The visitor in Firefox, driven by puppeteer-core over WebDriver BiDi. Things are found by
 * `findAll` (page-queries.ts) run in the page, since puppeteer's ARIA queries do not work on
 * Firefox; actions go through puppeteer's input (real mouse and key events).
 */
import { readdir } from 'node:fs/promises';
import type { Browser, ElementHandle, Page } from 'puppeteer-core';
import type { Server } from 'socket.io';
import { findAll, type PageQuery, pattern } from './page-queries.ts';
import { recordArriving } from './server-tap.ts';
import type { InPage, Viewport, VisitorDriver } from './visitor-driver.ts';

/** As long as playwright waits by default: a busy two-core machine needs it now and then. */
const TIMEOUT = 30_000;

/** The page-side source of `findAll`, to run with a query: `(findAll)(query)`. */
const FIND_ALL = findAll.toString();
const inPage = (query: PageQuery, then: string) =>
  `(() => { const found = (${FIND_ALL})(${JSON.stringify(query)}); return ${then}; })()`;

export interface FirefoxVisitorOptions {
  viewport: Viewport;
  /** The help server: what the browser sends is recorded there (see server-tap.ts). */
  io: Server;
  /** Where this browser saves downloads (set at launch; see firefox.ts). */
  downloadDir: string;
  /**
   * Where things are looked for: the widget and the site's page (a visitor, the default), or
   * everything through every shadow root (a helper on the agent page).
   */
  look?: 'visitor' | 'app';
}

/** A new context (a visitor who has never been here) with one page, in `browser`. */
export async function openFirefoxVisitor(
  browser: Browser,
  options: FirefoxVisitorOptions,
): Promise<VisitorDriver> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport(options.viewport);
  page.setDefaultTimeout(TIMEOUT);
  return firefoxVisitor(page, options, () => context.close());
}

function firefoxVisitor(
  page: Page,
  options: FirefoxVisitorOptions,
  close: () => Promise<void>,
): VisitorDriver {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error instanceof Error ? error.message : `${error}`));
  const sent = recordArriving(options.io, /Firefox\//);

  const query = (
    kind: PageQuery['kind'],
    match: string | RegExp,
    scope: PageQuery['scope'] = 'widget',
    extra: Partial<PageQuery> = {},
  ): PageQuery => ({
    scope: options.look === 'app' ? 'app' : scope,
    kind,
    match: pattern(match),
    visibleOnly: true,
    ...extra,
  });

  /** The first element matching `q`, once there is one. */
  const find = async (q: PageQuery): Promise<ElementHandle<Element>> => {
    const handle = await page.waitForFunction(inPage(q, 'found[0]'), {
      timeout: TIMEOUT,
      polling: 100,
    });
    const element = handle.asElement();
    if (!element) throw new Error(`not an element: ${JSON.stringify(q)}`);
    return element as ElementHandle<Element>;
  };
  const count = (q: PageQuery) => page.evaluate(inPage(q, 'found.length')) as Promise<number>;
  const waitForCount = async (q: PageQuery, test: string) => {
    await page.waitForFunction(inPage(q, `found.length ${test}`), {
      timeout: TIMEOUT,
      polling: 100,
    });
  };
  /** Replaces a box's text as a person does: select what is there, then type. */
  const retype = async (element: ElementHandle<Element>, text: string) => {
    await element.click();
    const hadText = await element.evaluate((e) => {
      (e as HTMLInputElement).select();
      return (e as HTMLInputElement).value !== '';
    });
    if (hadText) await page.keyboard.press('Backspace');
    await page.keyboard.type(text);
  };
  const inputValueOf = (element: ElementHandle<Element>) =>
    element.evaluate((e) => (e as HTMLInputElement).value);
  const evaluate = <A, R>(fn: InPage<A, R>, arg?: A): Promise<R> =>
    page.evaluate(fn as (arg: unknown) => unknown, arg) as Promise<R>;

  return {
    browserName: 'firefox',
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
    async waitForUrl(url) {
      await page.waitForFunction(`location.href === ${JSON.stringify(url)}`, {
        timeout: TIMEOUT,
        polling: 100,
      });
    },
    url: () => page.url(),
    setViewport: (viewport) => page.setViewport(viewport),
    evaluate,
    async runScript(source) {
      await page.evaluate(source);
    },
    async waitForButton(name) {
      await find(query('button', name));
    },
    press: (key) => page.keyboard.press(key as Parameters<Page['keyboard']['press']>[0]),
    type: (text) => page.keyboard.type(text),
    clickButton: async (name) => (await find(query('button', name))).click(),
    fillBox: async (name, text) => retype(await find(query('textbox', name)), text),
    boxValue: async (name) => inputValueOf(await find(query('textbox', name))),
    async isFocused(name) {
      const button = query('button', name);
      const box = query('textbox', name);
      return (await page.evaluate(
        `${inPage(button, 'found')}.concat(${inPage(box, 'found')}).some((e) => e.matches(':focus'))`,
      )) as boolean;
    },
    dialogOpen: async () => (await count(query('dialog', /.*/))) > 0,
    async waitForText(text, waitOptions = {}) {
      const q = query('text', text, 'widget', { visibleOnly: waitOptions.visibleOnly !== false });
      await waitForCount(q, '> 0');
    },
    waitForTextGone: (text) => waitForCount(query('text', text), '=== 0'),
    countText: (text) => count(query('text', text)),
    async download(buttonName) {
      const before = new Set(await readdir(options.downloadDir));
      await (await find(query('button', buttonName))).click();
      // Firefox writes `name.part` first and renames it once the file is complete.
      for (const started = Date.now(); Date.now() - started < TIMEOUT; ) {
        const added = (await readdir(options.downloadDir)).filter(
          (file) => !before.has(file) && !file.endsWith('.part'),
        );
        if (added[0]) return added[0];
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`no download in ${options.downloadDir}`);
    },
    fillField: async (label, text) => retype(await find(query('field', label, 'page')), text),
    fieldValue: async (label) => inputValueOf(await find(query('field', label, 'page'))),
    async check(label, checked = true) {
      const box = await find(query('field', label, 'page'));
      if ((await box.evaluate((e) => (e as HTMLInputElement).checked)) !== checked) {
        await box.click();
      }
    },
    async chooseOption(selector, option) {
      const select = await page.waitForSelector(selector, { timeout: TIMEOUT });
      const value = await select?.evaluate(
        (e, text) =>
          [...(e as HTMLSelectElement).options].find((o) => o.text.trim() === text)?.value,
        option,
      );
      if (!select || value === undefined) throw new Error(`no option ${option} in ${selector}`);
      await select.select(value);
    },
    async clickLink(name, selector) {
      await (await find(query('link', name, 'page', selector ? { within: selector } : {}))).click();
    },
    async clickSelector(selector) {
      await page.locator(selector).setTimeout(TIMEOUT).click();
    },
    close,
  };
}
