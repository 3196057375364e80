/**
 * What an end-to-end scenario does as the visitor, whatever browser they use: the shared
 * scenarios (test/e2e/visitor-scenarios/) are written against this, and run once with
 * Chromium (playwright-core) and once with Firefox (puppeteer-core over WebDriver BiDi).
 *
 * Things are found as a person names them: buttons and boxes by accessible name, fields by
 * label, text as it reads. "Widget" means inside `<help-widget>`, its shadow roots included;
 * "field" and "link" mean the site's own page around it.
 */

export type VisitorBrowserName = 'chromium' | 'firefox';

export interface Viewport {
  width: number;
  height: number;
}

/** A function run in the page with one serialisable argument. */
export type InPage<A, R> = (arg: A) => R | Promise<R>;

export interface VisitorDriver {
  readonly browserName: VisitorBrowserName;
  /** Console errors and uncaught page errors since the page opened. */
  readonly errors: string[];
  /**
   * Everything the visitor's browser sent our server, in order, as Socket.IO packets
   * (`42/visitor,["chat:send",…]`) and request bodies: for "this never left their browser".
   */
  readonly sent: string[];

  goto(url: string): Promise<void>;
  /** Reloads and resolves once the new page has loaded. */
  reload(): Promise<void>;
  goBack(): Promise<void>;
  /** Resolves once the page's address is `url`, from its own navigation. */
  waitForUrl(url: string): Promise<void>;
  url(): string;
  setViewport(viewport: Viewport): Promise<void>;
  evaluate<R>(fn: InPage<undefined, R>): Promise<R>;
  evaluate<A, R>(fn: InPage<A, R>, arg: A): Promise<R>;
  /** Runs a script's source in the page, outside its CSP (a library such as axe-core). */
  runScript(source: string): Promise<void>;

  /** Keys on the focused element, as the keyboard sends them (`Enter`, `Tab`, `Escape`). */
  press(key: string): Promise<void>;
  type(text: string): Promise<void>;

  /** Resolves once the widget shows a button with this accessible name. */
  waitForButton(name: string | RegExp): Promise<void>;
  /** Presses a widget button with this accessible name, once it is there. */
  clickButton(name: string | RegExp): Promise<void>;
  /** Replaces the text of a widget text box with this accessible name. */
  fillBox(name: string, text: string): Promise<void>;
  boxValue(name: string): Promise<string>;
  /** Whether the widget's button or text box with this accessible name has the focus. */
  isFocused(name: string): Promise<boolean>;
  /** Whether the widget's chat dialog is open. */
  dialogOpen(): Promise<boolean>;
  /** Resolves once the widget shows `text` (or holds it at all, when `visibleOnly` is false). */
  waitForText(text: string | RegExp, options?: { visibleOnly?: boolean }): Promise<void>;
  /** Resolves once the widget no longer shows `text`. */
  waitForTextGone(text: string | RegExp): Promise<void>;
  /** How many places the widget shows `text` in. */
  countText(text: string | RegExp): Promise<number>;
  /** Presses a widget button that saves a file; resolves with the file's suggested name. */
  download(buttonName: string): Promise<string>;

  /** The site's form field with this label: its text replaced as a person types it. */
  fillField(label: string, text: string): Promise<void>;
  fieldValue(label: string): Promise<string>;
  /** Ticks a checkbox or radio button by its label (untick with `false`). */
  check(label: string, checked?: boolean): Promise<void>;
  /** Picks an option, by its text, in the site's `<select>` found by `selector`. */
  chooseOption(selector: string, option: string): Promise<void>;
  /** Clicks the site's link with this name (within `selector`, when given). */
  clickLink(name: string, selector?: string): Promise<void>;
  /** Clicks the site's element at `selector`, where it is drawn. */
  clickSelector(selector: string): Promise<void>;

  close(): Promise<void>;
}
