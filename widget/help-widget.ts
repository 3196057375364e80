import type { HelpFollowingEvent, HelpUnreadEvent } from './chat/chat-events.ts';
import type { HelpChatPanel } from './chat/chat-panel.ts';
import { HelpCloseEvent, HelpOpenEvent } from './events.ts';
import type { Catalogue } from './i18n/en.ts';
import { LOADER_STRINGS } from './i18n/loader-strings.ts';
import { type Locale, pickLocale } from './i18n/pick-locale.ts';
import { loadSavedChat } from './saved-chat.ts';
import { writeSessionCookie } from './session-cookie.ts';

/**
 * The loader is a plain custom element, not Lit: it is what every visitor downloads on every
 * page view, and without Lit it is about 2 KB instead of 8. Lit, the dialog and Socket.IO come
 * in one lazy chunk on the first press, or at once when a conversation is going on; the
 * visitor's language comes with it, fetched at the same time.
 */
const loadChat = (locale: Locale) =>
  Promise.all([import('./chat/chat-panel.ts'), TRANSLATIONS[locale]?.()]);

/** Each language but English (which is in the chat chunk) is a small chunk of its own. */
const TRANSLATIONS: Partial<Record<Locale, () => Promise<Catalogue>>> = {
  de: () => import('./i18n/de.ts').then((m) => m.de),
  fr: () => import('./i18n/fr.ts').then((m) => m.fr),
  es: () => import('./i18n/es.ts').then((m) => m.es),
  ar: () => import('./i18n/ar.ts').then((m) => m.ar),
};

/** Every part the page may style with `help-widget::part(...)`, passed out of the dialog. */
const PARTS =
  'dialog, header, title, close, info, status, messages, new-messages, composer, input, send-button, footer, end-chat, offline-form, ended, rating';

const STYLES = `
:host{position:fixed;inset:auto 1.25rem 1.25rem auto;z-index:2147483000;font:16px/1.4 var(--help-font,system-ui,sans-serif)}
:host([position=bottom-left]){inset:auto auto 1.25rem 1.25rem}
.launcher{position:relative;display:grid;place-items:center;width:3.5rem;height:3.5rem;border:0;border-radius:50%;background:var(--help-accent,#1f5fd1);color:var(--help-on-accent,#fff);box-shadow:0 4px 14px rgb(0 0 0/25%);cursor:pointer}
:focus-visible{outline:3px solid var(--help-focus,#ffbf47);outline-offset:3px}
svg{width:1.75rem;height:1.75rem}
.badge{position:absolute;top:-.25rem;right:-.25rem;min-width:1.25rem;padding:0 .3rem;border-radius:.7rem;background:#c8102e;color:#fff;font-size:.75rem;line-height:1.25rem}
.shell{position:absolute;right:0;bottom:4.5rem;width:18rem;padding:1rem;border-radius:var(--help-radius,.9rem);background:var(--help-surface,#fff);color:var(--help-text,#1d1d1f);box-shadow:0 10px 40px rgb(0 0 0/25%)}
@media (max-width:30rem){:host([open]) .launcher{display:none}}
.following{display:block;padding:.4rem .8rem;border-radius:.5rem;background:#1d1d1f;color:#fff;font-size:.85rem}
.viewed{position:absolute;right:0;bottom:4.5rem;display:flex;align-items:center;gap:.5rem;width:max-content;max-width:calc(100vw - 2.5rem);padding:.3rem .3rem .3rem .8rem;border-radius:.5rem;background:#1d1d1f;color:#fff;font-size:.85rem}
.viewed button{min-width:2.75rem;min-height:2.75rem;border:1px solid #fff;border-radius:.4rem;background:none;color:inherit;font:inherit;cursor:pointer}
:host([position=bottom-left]) .viewed{right:auto;left:0}
:host([theme=dark]){--help-surface:#1e1f22;--help-text:#f1f2f4;--help-info:#2b2d31;--help-other-bubble:#383a40;--help-accent:#5b8def}
@media (prefers-color-scheme:dark){:host([theme=auto]){--help-surface:#1e1f22;--help-text:#f1f2f4;--help-info:#2b2d31;--help-other-bubble:#383a40;--help-accent:#5b8def}}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
[hidden]{display:none}`;

const ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true" fill="currentColor"><path d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm0 16.5a1.25 1.25 0 1 1 0-2.5 1.25 1.25 0 0 1 0 2.5Zm1.3-5.2v.7h-2.5v-1c0-1.2.7-1.9 1.5-2.4.7-.5 1.2-.8 1.2-1.5 0-.8-.6-1.3-1.5-1.3s-1.6.5-1.7 1.4H7.8C8 6.9 9.7 5.5 12 5.5c2.4 0 4 1.3 4 3.2 0 1.5-.9 2.3-1.8 2.9-.6.4-.9.7-.9 1.7Z"/></svg>';

let sheet: CSSStyleSheet | undefined;
let followAttempted = false;

/**
 * @summary The help button a site adds with one tag: `<help-widget>`.
 *
 * @attr server - Origin of the help server; defaults to where this script came from.
 * @attr label - The button's accessible name and the dialog's title (default "Help").
 * @attr position - `bottom-right` (default) or `bottom-left`.
 * @attr phone - A phone number to offer, with the join code to quote.
 * @attr greeting - The first words of the dialog (default: the catalogue's greeting).
 * @attr lang - The visitor's language (else the page's `<html lang>`, else the browser's):
 *   en, de, fr, es, ar.
 * @attr theme - `light` (default), `dark`, or `auto` (follows `prefers-color-scheme`).
 * @attr open - Present while the chat dialog is open.
 * @attr refresh-on-help - Reload the page once when the visitor's conversation is created, so
 *   the site's server, seeing the `help_session` cookie, can serve its assisted version.
 * @event help-open - The chat dialog opened.
 * @event help-close - The chat dialog closed; the conversation goes on.
 * @event help-message - A helper's message arrived (`event.message`).
 * @event help-session-start - The visitor's conversation was created (`detail.conversationId`).
 * @event help-session-end - It ended, by either side (`detail.conversationId`).
 * @csspart button - The round floating button.
 * @csspart dialog - The chat dialog; also header, title, close, info, status, messages,
 *   new-messages, composer, input, send-button, footer, end-chat, offline-form, ended, rating.
 * @cssproperty --help-accent - Button and header colour. Also --help-on-accent, --help-font,
 *   --help-radius, --help-focus, --help-surface, --help-text.
 */
export class HelpWidget extends HTMLElement {
  static observedAttributes = ['greeting', 'label', 'lang', 'open', 'phone', 'position', 'server'];

  readonly #root = this.attachShadow({ mode: 'open' });
  readonly #button: HTMLButtonElement;
  readonly #badge: HTMLElement;
  readonly #announce: HTMLElement;
  readonly #viewed: HTMLElement;
  #shell: HTMLElement | undefined;
  #panel: HelpChatPanel | undefined;
  #loading: Promise<void> | undefined;
  #unread = 0;
  /** Who views the page now (follow mode), for the notice shown while the dialog is closed. */
  #followedBy = '';
  #visitorInfo: Record<string, unknown> = {};
  /** Set while this element is (or is becoming) a helper's copy of the visitor's page. */
  #following: AbortController | undefined;

  constructor() {
    super();
    sheet ??= new CSSStyleSheet();
    if (!sheet.cssRules.length) sheet.replaceSync(STYLES);
    this.#root.adoptedStyleSheets = [sheet];
    this.#root.innerHTML = `<button class="launcher" part="button" type="button">${ICON}<span class="badge" aria-hidden="true" hidden></span></button><span class="sr" role="status"></span><div class="viewed" part="viewing" role="status" hidden><span></span><button type="button"></button></div>`;
    this.#button = this.#root.querySelector('button')!;
    this.#badge = this.#root.querySelector('.badge')!;
    this.#announce = this.#root.querySelector('.sr')!;
    this.#viewed = this.#root.querySelector('.viewed')!;
    this.#viewed.querySelector('button')!.addEventListener('click', () => {
      this.#panel?.session.stopSharing();
    });
    this.#button.addEventListener('click', () => (this.isOpen ? this.close() : this.open()));
    // Start fetching the chat when the pointer comes near: the press then opens it sooner.
    this.#button.addEventListener('pointerenter', () => void this.#loadChat());
    this.#button.addEventListener('focus', () => void this.#loadChat());
    this.#root.addEventListener('keydown', (event) => {
      if ((event as KeyboardEvent).key === 'Escape' && this.isOpen) this.close();
    });
  }

  connectedCallback(): void {
    this.#render();
    // In a frame or a window another page opened, this may be a helper's copy of a visitor's
    // page: ask the help server's agent page first (code loaded only in that case).
    if ((window.parent !== window || window.opener) && !followAttempted) {
      followAttempted = true;
      const following = new AbortController();
      this.#following = following;
      void import('./cobrowse/follower.ts')
        .then(({ becomeFollower }) =>
          becomeFollower(this.serverOrigin, (text) => this.#showFollowing(text), following.signal),
        )
        .then((joined) => {
          if (joined || following.signal.aborted) return;
          this.#following = undefined;
          this.#resume();
        });
      return;
    }
    this.#resume();
  }

  disconnectedCallback(): void {
    // A copy whose widget is taken out of the page is the site's plain page again: no socket,
    // no read-only guard. Put back, it asks the agent page again.
    if (!this.#following) return;
    this.#following.abort();
    this.#following = undefined;
    followAttempted = false;
  }

  #resume(): void {
    const saved = loadSavedChat(this.serverOrigin);
    // Kept true on every page load: a conversation that ended while the visitor was away, or
    // storage cleared, leaves no stale cookie; one cleared by the browser comes back.
    writeSessionCookie(saved?.conversationId);
    if (saved) {
      // A conversation is going on: come back as the visitor left it, open or closed.
      this.#unread = saved.unread;
      this.toggleAttribute('open', saved.open);
      void this.#loadChat();
    }
    this.#render();
  }

  /** The helper's copy shows what it is instead of a help button. */
  #showFollowing(text: string): void {
    this.#button.hidden = true;
    this.#announce.className = 'following';
    this.#announce.textContent = text;
  }

  attributeChangedCallback(): void {
    if (this.isOpen) void this.#loadChat();
    this.#render();
  }

  /** The help server's origin. */
  get serverOrigin(): string {
    return new URL(this.getAttribute('server') || import.meta.url).origin;
  }

  get isOpen(): boolean {
    return this.hasAttribute('open');
  }

  /** Opens the chat dialog; the first time, asks for help. */
  open(): void {
    if (this.isOpen) return;
    this.setAttribute('open', '');
    this.dispatchEvent(new HelpOpenEvent());
    this.#focusDialog();
  }

  /** Closes the dialog; the conversation goes on and unread messages are counted. */
  close(): void {
    if (!this.isOpen) return;
    this.removeAttribute('open');
    this.dispatchEvent(new HelpCloseEvent());
    this.#button.focus();
  }

  /**
   * Reloads the page, as the helper's "Refresh visitor's page" does: the chat comes back as it
   * was, what is being typed included (the chat saves it as the page goes).
   */
  refresh(): void {
    location.reload();
  }

  /** The visitor's language, as the dialog will speak it. */
  get locale(): Locale {
    return pickLocale(this);
  }

  /** Tells the helper who the visitor is: `{name, email, ...custom}`; later calls update it. */
  identify(info: Record<string, unknown>): void {
    this.#visitorInfo = { ...this.#visitorInfo, ...info };
    this.#render();
  }

  #loadChat(): Promise<void> {
    const locale = this.locale;
    this.#loading ??= loadChat(locale).then(([, strings]) => {
      const panel = document.createElement('help-chat-panel');
      panel.setAttribute('exportparts', PARTS);
      // Without a translation, the panel's own English.
      Object.assign(panel, { locale, ...(strings ? { strings } : {}) });
      panel.addEventListener('help-close-request', () => this.close());
      // A helper asks for control: the question needs an answer, so it opens the dialog, and
      // focus stays where the visitor is working.
      panel.addEventListener('help-open-request', () => {
        if (this.isOpen) return;
        this.setAttribute('open', '');
        this.dispatchEvent(new HelpOpenEvent());
      });
      panel.addEventListener('help-following', (event: HelpFollowingEvent) => {
        this.#followedBy = event.helperName;
        this.#render();
      });
      // Before the site's own listeners (they are further out): the cookie is already there.
      panel.addEventListener('help-session-start', (event) => {
        writeSessionCookie(event.detail.conversationId);
        if (this.hasAttribute('refresh-on-help')) this.refresh();
      });
      panel.addEventListener('help-session-end', () => writeSessionCookie());
      panel.addEventListener('help-unread', (event: HelpUnreadEvent) => {
        this.#unread = event.count;
        this.#render();
      });
      const hadFocus = this.#root.activeElement === this.#shell;
      this.#shell?.remove();
      this.#shell = undefined;
      this.#panel = panel;
      // Properties first: the panel reads the server origin as soon as it is connected.
      this.#render();
      this.#root.prepend(panel);
      if (hadFocus) void panel.updateComplete.then(() => panel.focus());
    });
    return this.#loading;
  }

  #focusDialog(): void {
    if (this.#panel) void this.#panel.updateComplete.then(() => this.#panel?.focus());
    else this.#shell?.focus();
  }

  #render(): void {
    const words = LOADER_STRINGS[this.locale];
    const label = this.getAttribute('label') || words.help;
    const open = this.isOpen;
    this.#button.setAttribute('aria-label', label);
    this.#button.setAttribute('aria-expanded', String(open));
    const unread = open ? 0 : this.#unread;
    this.#badge.hidden = unread === 0;
    this.#badge.textContent = String(unread);
    this.#announce.textContent = unread ? words.unread(unread) : '';
    // The dialog says it itself while open; closed, a small notice keeps "Stop" at hand.
    this.#viewed.hidden = open || !this.#followedBy;
    if (this.#followedBy && this.#panel) {
      const { viewing, stopSharing } = this.#panel.strings;
      this.#viewed.querySelector('span')!.textContent = viewing(this.#followedBy);
      this.#viewed.querySelector('button')!.textContent = stopSharing;
    }
    if (this.#panel) {
      Object.assign(this.#panel, {
        server: this.serverOrigin,
        phone: this.getAttribute('phone') ?? '',
        position: this.getAttribute('position') ?? 'bottom-right',
        greeting: this.getAttribute('greeting') ?? '',
        heading: label,
        open,
        visitorInfo: this.#visitorInfo,
      });
    } else if (open && !this.#shell) {
      // The dialog opens at once; the chat fills it as soon as its code has arrived.
      this.#shell = document.createElement('div');
      Object.assign(this.#shell, { className: 'shell', tabIndex: -1 });
      this.#shell.setAttribute('role', 'dialog');
      this.#shell.setAttribute('aria-label', label);
      this.#shell.setAttribute('part', 'dialog');
      this.#shell.innerHTML = `<p role="status">${words.connecting}</p>`;
      this.#root.prepend(this.#shell);
    } else if (!open) {
      this.#shell?.remove();
      this.#shell = undefined;
    }
  }
}

// Two copies of the script on one page must not throw.
if (!customElements.get('help-widget')) customElements.define('help-widget', HelpWidget);

declare global {
  interface HTMLElementTagNameMap {
    'help-widget': HelpWidget;
  }
}
