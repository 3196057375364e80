import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { formatJoinCode } from '../../protocol/limits.ts';
import type { VisitorClaim } from '../../protocol/schemas.ts';
import { HelpMessageEvent, HelpSessionEvent } from '../events.ts';
import { type Catalogue, en } from '../i18n/en.ts';
import type { Locale } from '../i18n/pick-locale.ts';
import type { HelpMirrorAnswerEvent } from '../mirror/mirror-prompt.ts';
import type { HelpChatEnded, HelpRateEvent } from './chat-ended.ts';
import {
  HelpCloseRequestEvent,
  HelpFollowingEvent,
  type HelpSendEvent,
  type HelpTypingEvent,
  HelpUnreadEvent,
} from './chat-events.ts';
import { ChatSession, type FailureCode } from './chat-session.ts';
import { toVisitorInfo } from './client-details.ts';
import type { HelpComposer } from './composer.ts';
import type { HelpLeaveMessageEvent } from './offline-form.ts';
import { endingText, statusText } from './status-text.ts';
import { transcriptText } from './transcript-text.ts';
import './composer.ts';
import './message-list.ts';
import './offline-form.ts';

/**
 * @summary The chat dialog and the conversation behind it: the mediator that owns the chat
 * state. Loaded lazily by `<help-widget>` on the first press, or at page load when a
 * conversation is going on. A conversation starts with the visitor's first message.
 *
 * @event help-close-request - The visitor closed the dialog (button or Esc).
 * @event help-unread - The unread count changed.
 * @event help-open-request - A helper asks for control while the dialog is closed: show it.
 * @event help-following - A helper started or stopped viewing the page (for the notice).
 * @event help-message - A helper's message arrived (public, re-fired by the widget's host).
 * @event help-session-start - The conversation was created (public; the widget sets its cookie).
 * @event help-session-end - The conversation ended (public; the widget removes its cookie).
 * @csspart dialog, header, title, close, status, messages, new-messages, composer, input,
 *   send-button, footer, end-chat, offline-form, ended, rating - see the README.
 */
export class HelpChatPanel extends LitElement {
  static override styles = css`
    [role='dialog'] {
      position: absolute;
      right: 0;
      bottom: 4.5rem;
      width: min(22rem, calc(100vw - 2.5rem));
      height: min(32rem, calc(100vh - 7rem));
      display: flex;
      flex-direction: column;
      background: var(--help-surface, #fff);
      color: var(--help-text, #1d1d1f);
      border-radius: var(--help-radius, 0.9rem);
      box-shadow: 0 10px 40px rgb(0 0 0 / 25%);
      overflow: hidden;
      animation: rise 160ms ease-out;
    }
    :host([position='bottom-left']) [role='dialog'] {
      right: auto;
      left: 0;
    }
    @media (max-width: 30rem) {
      [role='dialog'] {
        position: fixed;
        inset: 0;
        width: auto;
        height: auto;
        border-radius: 0;
      }
    }
    @media (prefers-reduced-motion: reduce) {
      [role='dialog'] {
        animation: none;
      }
    }
    @keyframes rise {
      from {
        transform: translateY(0.75rem);
        opacity: 0;
      }
    }
    .header {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      padding: 0.35rem 0.4rem 0.35rem 0.75rem;
      background: var(--help-accent, #1f5fd1);
      color: var(--help-on-accent, #fff);
    }
    h2 {
      flex: 1;
      margin: 0;
      font-size: 1rem;
    }
    .close {
      display: grid;
      place-items: center;
      /* A finger needs 44 px; the header is only as tall as it must be for it. */
      width: 2.75rem;
      height: 2.75rem;
      background: none;
      color: inherit;
      border: 0;
      border-radius: 0.4rem;
      font-size: 1.5rem;
      line-height: 1;
      cursor: pointer;
    }
    .info {
      margin: 0;
      padding: 0.4rem 0.75rem;
      font-size: 0.85rem;
      background: var(--help-info, #f4f6f8);
      border-bottom: 1px solid #d0d4da;
    }
    .info p {
      margin: 0.15rem 0;
    }
    help-message-list {
      flex: 1;
      min-height: 0;
    }
    .greeting {
      flex: 1;
      margin: 0;
      padding: 0.75rem;
    }
    .typing {
      min-height: 1.2em;
      margin: 0 0.75rem;
      font-size: 0.8rem;
      font-style: italic;
    }
    footer {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: flex-end;
      gap: 0.5rem;
      padding: 0 0.5rem 0.5rem;
    }
    footer p {
      flex-basis: 100%;
      margin: 0;
      font-size: 0.85rem;
    }
    footer button,
    .info button {
      font: inherit;
      font-size: 0.85rem;
      background: none;
      color: inherit;
      border: 1px solid currentColor;
      border-radius: 0.4rem;
      padding: 0.2rem 0.6rem;
      cursor: pointer;
    }
    @media (pointer: coarse), (max-width: 30rem) {
      footer button,
      .info button {
        min-height: 2.75rem;
        min-width: 2.75rem;
      }
    }
    :focus-visible {
      outline: 3px solid var(--help-focus, #ffbf47);
      outline-offset: 2px;
    }
  `;

  /** Origin of the help server. */
  @property() server = '';
  @property() phone = '';
  /** The dialog's title. */
  @property() heading = 'Help';
  /** The site's own greeting; the catalogue's otherwise. */
  @property() greeting = '';
  @property({ type: Boolean }) open = false;
  @property({ reflect: true }) position = 'bottom-right';
  @property() locale: Locale = 'en';
  /** Every word the dialog shows, in the visitor's language. */
  @property({ attribute: false }) strings: Catalogue = en;
  /** What `identify()` was told. */
  @property({ attribute: false }) visitorInfo: Record<string, unknown> = {};

  @query('help-composer') private composer?: HelpComposer;
  @query('help-offline-form') private offlineForm?: HTMLElement;
  @query('help-chat-ended') private endedView?: HelpChatEnded;
  @state() private confirmingEnd = false;

  /** What the site said, made fit to send once per identify() call. */
  #visitor: VisitorClaim = {};

  readonly session = new ChatSession(this, {
    server: () => this.server,
    visitorInfo: () => this.#visitor,
    isOpen: () => this.open,
    onHelperMessage: (message) => this.dispatchEvent(new HelpMessageEvent(message)),
    onSession: (type, conversationId) =>
      this.dispatchEvent(new HelpSessionEvent(type, conversationId)),
    draft: () => this.composer?.value ?? '',
  });
  #unreadShown = -1;
  #asked = false;
  #mirrorAsked = false;
  #followedBy = '';
  /** What the visitor writes in: the chat's box or the offline form, as last drawn. */
  #writesIn: HTMLElement | undefined;
  /** Whether focus was in the dialog before this render: removing an element drops it. */
  #hadFocus = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.#hadFocus = this.matches(':focus-within');
    if (changed.has('visitorInfo')) {
      this.#visitor = toVisitorInfo(this.visitorInfo);
      this.session.identify(this.#visitor);
    }
    if (changed.has('open')) {
      this.session.setOpen(this.open);
      if (this.open && !this.session.active && this.session.phase === 'idle') {
        void this.session.checkDesk();
      }
    }
    if (this.open) this.session.markRead();
    // What the end shows (rating, transcript, new chat) is loaded once a chat ends: a visitor
    // who is only asking never downloads it.
    if (this.session.phase === 'ended') void loadEndedView();
  }

  /** Focus goes where the visitor's next step is: the message box, the form, or the dialog. */
  override focus(): void {
    if (this.composer) this.composer.focus();
    else if (this.offlineForm) this.offlineForm.focus();
    else this.renderRoot.querySelector<HTMLElement>('[role="dialog"]')?.focus();
  }

  protected override updated(): void {
    // The page went away while the visitor was typing: the words come back into the box.
    const composer = this.composer;
    const draft = composer && this.session.takeDraft();
    if (draft) void composer.updateComplete.then(() => (composer.value = draft));
    // The desk's answer can swap the message box for the offline form under the visitor's
    // cursor: focus follows to where they now write.
    const writesIn = this.offlineForm ?? this.composer;
    if (writesIn !== this.#writesIn) {
      this.#writesIn = writesIn;
      if (writesIn && this.#hadFocus) this.focus();
    }
    // A request for control needs an answer: it opens the dialog. Being viewed does not;
    // the widget shows a small notice with "Stop" instead.
    const { following, control, mirror } = this.session;
    const mirrorAsked = mirror?.status?.state === 'requested';
    const shown = following !== undefined || mirror?.recordingHere === true;
    const asked = (shown && control?.state === 'requested') || mirrorAsked;
    if (asked && !this.#asked && !this.open) {
      this.dispatchEvent(new Event('help-open-request', { bubbles: true, composed: true }));
    }
    this.#asked = asked;
    // The helper's question is the visitor's next step: its first answer gets the focus.
    if (mirrorAsked && !this.#mirrorAsked) {
      void this.updateComplete.then(() =>
        this.renderRoot.querySelector<HTMLElement>('help-mirror-prompt')?.focus(),
      );
    }
    this.#mirrorAsked = mirrorAsked;
    const followedBy = following ? following.helperName || this.strings.theHelper : '';
    if (followedBy !== this.#followedBy) {
      this.#followedBy = followedBy;
      this.dispatchEvent(new HelpFollowingEvent(followedBy));
    }
    if (this.session.unread !== this.#unreadShown) {
      this.#unreadShown = this.session.unread;
      this.dispatchEvent(new HelpUnreadEvent(this.#unreadShown));
    }
  }

  private keydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    if (this.confirmingEnd) this.cancelEnd();
    else this.dispatchEvent(new HelpCloseRequestEvent());
  }

  private errorText(code: string): string {
    const errors = this.strings.errors;
    return Object.hasOwn(errors, code) ? errors[code as FailureCode] : errors.internal;
  }

  override render() {
    if (!this.open) return nothing;
    const { session, strings: s } = this;
    const started = session.active || session.pending.length > 0;
    const ended = session.phase === 'ended';
    return html`<div
      role="dialog"
      aria-labelledby="title"
      part="dialog"
      tabindex="-1"
      lang=${this.locale}
      dir=${s.dir}
      @keydown=${this.keydown}
    >
      <div class="header" part="header">
        <h2 id="title" part="title">${this.heading}</h2>
        <button
          class="close"
          part="close"
          type="button"
          aria-label=${s.close}
          @click=${() => this.dispatchEvent(new HelpCloseRequestEvent())}
        >
          <span aria-hidden="true">×</span>
        </button>
      </div>
      ${started && !ended ? this.info() : nothing}
      ${started || ended ? this.conversationView() : this.startView()}
    </div>`;
  }

  /** No conversation yet: a greeting, and the chat or, with no one online, the message form. */
  private startView() {
    const s = this.strings;
    const desk = this.session.deskStatus;
    // Nothing to write in until it is known which: a text typed into the chat's box would be
    // lost if the offline form replaced it.
    if (!desk) {
      return html`<div class="greeting" part="status">
        <p>${this.greeting || s.greeting}</p>
        <p role="status">${s.connecting}</p>
      </div>`;
    }
    if (!desk.helpersAvailable) {
      return html`<p class="greeting" part="status">${s.leaveMessageIntro}</p>
        <help-offline-form
          .strings=${s}
          exportparts="offline-form"
          @help-leave-message=${(e: HelpLeaveMessageEvent) =>
            this.session.request(e.text, {
              kind: 'message',
              ...(e.email ? { email: e.email } : {}),
            })}
        ></help-offline-form>`;
    }
    const wait = desk.usualWaitMinutes;
    return html`<div class="greeting" part="status">
        <p>${this.greeting || s.greeting}</p>
        ${wait ? html`<p>${s.usualWait(wait)}</p>` : nothing}
      </div>
      ${this.composerView()}`;
  }

  private info() {
    const { session, strings: s } = this;
    const conversation = session.conversation;
    const ended = session.phase === 'ended';
    const code = conversation && !ended ? formatJoinCode(conversation.joinCode) : '';
    const status = statusText(s, session.phase, conversation, session.error);
    const leftEmail = conversation?.kind === 'message' && session.contactEmail;
    const [beforePhone, afterPhone] = s.preferPhone;
    return html`<div class="info" part="info">
      <p role="status" part="status">
        ${leftEmail && !ended && conversation?.status === 'waiting' ? s.messageLeftEmail(leftEmail) : status}
      </p>
      ${code ? html`<p>${s.helpCode} <strong dir="ltr">${code}</strong></p>` : nothing}
      ${
        code && this.phone
          ? html`<p>
            ${beforePhone}<a href="tel:${this.phone.replace(/[^+\d]/g, '')}" dir="ltr">${this.phone}</a
            >${afterPhone}
          </p>`
          : nothing
      }
      ${
        session.following
          ? html`<p class="following">
            <strong>${s.following(session.following.helperName || s.theHelper)}</strong>
            <button type="button" @click=${() => session.stopSharing()}>${s.stopSharing}</button>
          </p>`
          : nothing
      }
      ${
        session.control?.state === 'requested'
          ? html`<p class="following">
            <strong>${s.controlAsk(session.control.helperName ?? s.theHelper)}</strong>
            <button type="button" @click=${() => session.answerControl(true)}>${s.allow}</button>
            <button type="button" @click=${() => session.answerControl(false)}>${s.deny}</button>
          </p>`
          : nothing
      }
      ${
        session.control?.state === 'granted'
          ? html`<p class="following" role="alert">
            <strong>${s.inControl(session.control.helperName ?? s.theHelper)}</strong> ${s.pressEscOr}
            <button type="button" @click=${() => session.answerControl(false)}>
              ${s.takeBackControl}
            </button>
          </p>`
          : nothing
      }
      ${
        session.mirror
          ? html`<help-mirror-prompt
            .status=${session.mirror.status}
            ?here=${session.mirror.recordingHere}
            ?tooLarge=${session.mirror.tooLarge}
            .locale=${this.locale}
            @help-mirror-answer=${(e: HelpMirrorAnswerEvent) => void session.mirror?.answer(e.allow)}
            @help-mirror-stop=${() => session.mirror?.stop()}
          ></help-mirror-prompt>`
          : nothing
      }
      ${session.phase === 'failed' ? html`<button type="button" @click=${() => session.retry()}>${s.tryAgain}</button>` : nothing}
    </div>`;
  }

  private conversationView() {
    const { session, strings: s } = this;
    const conversation = session.conversation;
    const ended = session.phase === 'ended';
    const pending = session.pending.map((p) =>
      p.error ? { ...p, error: this.errorText(p.error) } : p,
    );
    return html`<help-message-list
        role="log"
        aria-label=${s.messages}
        part="messages"
        exportparts="new-messages"
        self="visitor"
        .strings=${s}
        .messages=${session.messages}
        .pending=${pending}
        .readUpTo=${conversation?.readUpTo.helper ?? ''}
      ></help-message-list>
      ${
        ended
          ? html`<help-chat-ended
              part="ended"
              exportparts="rating"
              .strings=${s}
              .ending=${endingText(s, conversation)}
              .rating=${session.rating ?? conversation?.rating}
              ?canRate=${session.canRate}
              @help-rate=${this.rate}
              @help-download-transcript=${this.downloadTranscript}
              @help-restart=${this.restart}
            ></help-chat-ended>`
          : html`<p class="typing">
                ${session.helperTyping ? s.typing(conversation?.helperName ?? s.theHelper) : ''}
              </p>
              ${this.composerView()} ${this.footer()}`
      }`;
  }

  private composerView() {
    return html`<help-composer
      part="composer"
      exportparts="input, send-button"
      .strings=${this.strings}
      @help-send=${(e: HelpSendEvent) => this.session.send(e.text)}
      @help-typing=${(e: HelpTypingEvent) => this.session.typing(e.typing)}
    ></help-composer>`;
  }

  private footer() {
    const { session, strings: s } = this;
    if (!session.active) return nothing;
    if (this.confirmingEnd) {
      return html`<footer part="footer">
        <p id="confirm-end">${s.endChatConfirm}</p>
        <button type="button" class="confirm" aria-describedby="confirm-end" @click=${this.endChat}>
          ${s.endChatYes}
        </button>
        <button type="button" @click=${this.cancelEnd}>${s.endChatNo}</button>
      </footer>`;
    }
    return html`<footer part="footer">
      <button type="button" class="end" part="end-chat" @click=${this.askToEnd}>${s.endChat}</button>
    </footer>`;
  }

  private async askToEnd(): Promise<void> {
    this.confirmingEnd = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('footer .confirm')?.focus();
  }

  private async cancelEnd(): Promise<void> {
    this.confirmingEnd = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('footer .end')?.focus();
  }

  private async endChat(): Promise<void> {
    this.confirmingEnd = false;
    await this.session.end();
    await loadEndedView();
    await this.updateComplete;
    await this.endedView?.updateComplete;
    // The next step is the rating, or a new chat.
    this.endedView?.renderRoot.querySelector<HTMLElement>('button')?.focus();
  }

  private async rate(event: HelpRateEvent): Promise<void> {
    if (!(await this.session.rate(event.value, event.comment))) this.endedView?.refused();
  }

  private downloadTranscript(): void {
    const { session, strings: s } = this;
    const text = transcriptText(
      session.messages,
      s,
      endingText(s, session.conversation),
      this.locale,
    );
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `help-chat-${(session.messages[0]?.sentAt ?? new Date().toISOString()).slice(0, 10)}.txt`;
    link.click();
    // The click has started the download; the URL is not needed after this turn.
    setTimeout(() => URL.revokeObjectURL(url));
  }

  private async restart(): Promise<void> {
    this.session.reset();
    void this.session.checkDesk();
    await this.updateComplete;
    this.focus();
  }
}

if (!customElements.get('help-chat-panel')) customElements.define('help-chat-panel', HelpChatPanel);

declare global {
  interface HTMLElementTagNameMap {
    'help-chat-panel': HelpChatPanel;
  }
}

/** The end of a chat's own chunk (chat-ended.ts), loaded once. */
function loadEndedView(): Promise<unknown> {
  return import('./chat-ended.ts');
}
