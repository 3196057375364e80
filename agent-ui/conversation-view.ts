import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import '../widget/chat/composer.ts';
import type { FollowGrant } from '../protocol/cobrowse.ts';
import type {
  CannedReply,
  ConversationSummary,
  EarlierConversation,
  Message,
} from '../protocol/domain.ts';
import type { KeptMirrorPart, MirrorAction, MirrorStatus } from '../protocol/mirror.ts';
import type { HelpSendEvent } from '../widget/chat/chat-events.ts';
import { HelpTypingEvent } from '../widget/chat/chat-events.ts';
import type { HelpComposer } from '../widget/chat/composer.ts';
import type { OpenConversation } from './agent-connection.ts';
import { HelpConversationEvent, HelpNoteEvent } from './agent-events.ts';
import './canned-picker.ts';
import type { HelpCannedPickEvent } from './canned-picker.ts';
import './desk-messages.ts';
import type { HelpMirrorPickEvent } from './mirror/mirror-pane.ts';
import './follow-pane.ts';
import './presence-status.ts';
import { visitorLabel } from './format.ts';
import { rememberedPageShare, rememberPageShare } from './remembered.ts';
import { base } from './shared-styles.ts';
import { strings } from './strings.ts';
import './splitter.ts';
import './transfer-form.ts';
import type { HelpResizeEvent } from './splitter.ts';
import './visitor-details.ts';
import './visitor-rating.ts';

const words = strings.conversation;
const mirrorWords = strings.mirror;
const layoutWords = strings.layout;
const noteWords = strings.transcript;
const transferWords = strings.transfer;

/** The page's share of the width beside the chat, in percent: its default and bounds. */
const PAGE_SHARE = { initial: 76, min: 35, max: 85 };

/**
 * @summary One conversation: the chat (the widget's own message list and composer), the
 * visitor's typing and presence, and the details panel. Ending asks first, inline; an ended
 * one says who ended it and, once the visitor has rated it, what they thought.
 * @event help-send - From the composer: the helper sends a reply.
 * @event help-typing - From the composer.
 * @event help-end - The helper confirmed ending the conversation.
 * @event help-dismiss - The helper closes an ended conversation.
 */
export class HelpConversationView extends LitElement {
  static override styles = [
    base,
    css`
      /* Columns follow the space this view has, not the window's width. */
      :host {
        display: block;
        container-type: inline-size;
      }
      .grid {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(14rem, 20rem);
        gap: 1rem;
      }
      @container (max-width: 40rem) {
        .grid {
          grid-template-columns: minmax(0, 1fr);
        }
      }
      .chat {
        display: flex;
        flex-direction: column;
        min-height: 24rem;
        max-height: 70vh;
        border: 1px solid #d0d4da;
        border-radius: 0.6rem;
      }
      header {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
        justify-content: space-between;
        padding: 0.5rem 0.75rem;
        border-bottom: 1px solid #d0d4da;
      }
      h2 {
        margin: 0;
      }
      .who {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        gap: 0.25rem 0.75rem;
      }
      .confirm,
      .rating {
        padding: 0.6rem 0.75rem;
        border-bottom: 1px solid #d0d4da;
      }
      .confirm {
        background: #fff8e1;
      }
      .confirm p {
        margin: 0 0 0.5rem;
      }
      .confirm div {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      help-desk-messages {
        flex: 1;
      }
      .compose-mode {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
        padding: 0.35rem 0.75rem 0;
      }
      .compose-mode button {
        font-size: 0.85rem;
        padding: 0.15rem 0.6rem;
      }
      .compose-mode button[aria-pressed='true'] {
        background: #8a6d00;
        border-color: #8a6d00;
        color: #fff;
      }
      .noting help-composer {
        background: #fff4c2;
      }
      /* The page beside the chat: the chat column keeps at least 20rem, the page the rest. */
      :host([split]) {
        height: 100%;
      }
      .split {
        height: 100%;
        display: grid;
        grid-template-columns: minmax(20rem, var(--chat-fr, 24fr)) 0.75rem minmax(0, var(--page-fr, 76fr));
      }
      .chat-column,
      .page-column {
        min-height: 0;
        display: flex;
        flex-direction: column;
        gap: 0.5rem;
      }
      .chat-column .chat {
        flex: 1;
        min-height: 0;
        max-height: none;
      }
      .page-column {
        overflow: auto;
      }
      .page-column > * {
        margin-top: 0;
      }
      .page-column help-follow-pane {
        flex: 1;
        min-height: 20rem;
      }
      .about summary {
        cursor: pointer;
        padding: 0.25rem 0;
      }
      .about[open] {
        max-height: 40%;
        overflow: auto;
      }
      [role='tablist'] {
        display: flex;
        gap: 0.25rem;
        margin-bottom: 0.75rem;
        border-bottom: 1px solid #d0d4da;
      }
      [role='tab'] {
        background: #fff;
        color: #1d1d1f;
        border-color: transparent;
        border-radius: 0.4rem 0.4rem 0 0;
      }
      [role='tab'][aria-selected='true'] {
        border-color: #d0d4da;
        border-bottom: 3px solid #1f5fd1;
        font-weight: 600;
      }
      [role='tabpanel'] .chat {
        min-height: 60vh;
      }
      help-follow-pane,
      .mirror,
      .mirror-note {
        margin-top: 1rem;
      }
      .mirror header {
        border: 0;
        padding: 0 0 0.5rem;
      }
      .mirror h3 {
        margin: 0;
      }
      .mirror .tools {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      .type-into {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
        margin-bottom: 0.5rem;
      }
      .typing {
        min-height: 1.2em;
        margin: 0 0.75rem;
        font-size: 0.8rem;
        font-style: italic;
      }
    `,
  ];

  @property({ attribute: false }) conversation: OpenConversation | undefined;
  @property({ attribute: false }) now = new Date();
  /** Starts follow mode and grants a token; set by the desk. */
  @property({ attribute: false }) grant: () => Promise<FollowGrant | undefined> = async () =>
    undefined;
  /** "Refresh visitor's page" and "Point", set by the desk. */
  @property({ attribute: false }) refresh: () => Promise<void> = async () => undefined;
  @property({ attribute: false }) point: (path: string) => Promise<void> = async () => undefined;
  @property({ attribute: false }) askControl: () => Promise<void> = async () => undefined;
  /** Whether the follow pane is open. */
  @property({ type: Boolean }) followPane = false;
  /** Mirror mode, set by the desk: ask, stop, what the server kept, and the live pieces. */
  @property({ attribute: false }) requestMirror: () => Promise<void> = async () => undefined;
  @property({ attribute: false }) stopMirror: () => Promise<void> = async () => undefined;
  @property({ attribute: false }) openMirror: () => Promise<KeptMirrorPart[]> = async () => [];
  @property({ attribute: false }) watchMirror: (
    listener: (part: KeptMirrorPart) => void,
  ) => () => void = () => () => undefined;
  /** "Point" and control on the replay, by the element's number in the recording. */
  @property({ attribute: false }) mirrorPoint: (nodeId: number) => Promise<void> = async () =>
    undefined;
  @property({ attribute: false }) mirrorControl: (action: MirrorAction) => Promise<void> =
    async () => undefined;

  /** A wide screen: the page goes beside the chat; otherwise a tab away from it. */
  @property({ type: Boolean }) wide = false;
  /** The page's share of the width beside the chat; this browser remembers it. */
  @state() private pageShare = rememberedPageShare(
    PAGE_SHARE.initial,
    PAGE_SHARE.min,
    PAGE_SHARE.max,
  );
  /** Who a transfer could go to now, set by the desk. */
  @property({ attribute: false }) colleagues: () => Promise<{ name: string }[]> = async () => [];
  /** The transfer form is open. */
  @state() private transferring = false;
  @query('.transfer-open') private transferButton?: HTMLButtonElement;

  /** A returning visitor's earlier conversations and their messages; set by the desk. */
  @property({ attribute: false }) earlier: () => Promise<EarlierConversation[] | undefined> =
    async () => undefined;
  @property({ attribute: false }) earlierMessages: (id: string) => Promise<Message[]> =
    async () => [];
  /** The desk's canned replies, for the list `/` opens; set by the desk. */
  @property({ attribute: false }) cannedReplies: () => Promise<CannedReply[]> = async () => [];
  /** The canned replies list is open (with what it lists). */
  @state() private picking: CannedReply[] | undefined;

  /** The message box writes an internal note instead of a reply. */
  @state() private noting = false;
  /** On a narrow screen, which of the two is shown. */
  @state() private tab: 'chat' | 'page' = 'chat';

  /** The next click on the replay points at that element. */
  @state() private mirrorPointing = false;
  /** The field of the visitor's page the helper in control types into. */
  @state() private typingInto:
    | { nodeId: number; label: string; value: string; masked: boolean }
    | undefined;

  /** "End the chat with Ann?" is being asked. */
  @state() private confirmingEnd = false;
  /** The helper confirmed; once the end arrives, focus goes to the next step, "Close". */
  #endAsked = false;

  @query('.end') private endButton?: HTMLButtonElement;
  @query('#end-confirm button') private confirmButton?: HTMLButtonElement;
  @query('.close') private closeButton?: HTMLButtonElement;
  @query('help-composer') private composer?: HTMLElement;

  /** Puts the cursor in the reply box, e.g. right after accepting a request. */
  async focusReply(): Promise<void> {
    await this.updateComplete;
    this.composer?.focus();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A question about another conversation, or one that has ended anyway, is no longer open.
    const before = changed.get('conversation');
    const now = this.conversation?.summary;
    if ((before && before.summary.id !== now?.id) || now?.status === 'ended') {
      this.confirmingEnd = false;
    }
    const switched = before !== undefined && before.summary.id !== now?.id;
    if (switched) {
      this.#endAsked = false;
      this.tab = 'chat';
      // Each conversation starts with the box for replies: a note is a deliberate switch.
      this.noting = false;
      this.transferring = false;
      this.picking = undefined;
    }
    // "Follow page" was the helper's own step: on a narrow screen the page is what comes next.
    if (!switched && this.followPane && changed.get('followPane') === false) this.tab = 'page';
    // Typing into the visitor's page lasts as long as control does, in this conversation.
    if ((before && before.summary.id !== now?.id) || this.conversation?.control !== 'granted') {
      this.typingInto = undefined;
    }
  }

  protected override updated(): void {
    // Through the CSSOM: the agent page's CSP allows no inline style attribute.
    // (fr cannot go in calc(), so each column gets its own.)
    this.style.setProperty('--chat-fr', `${100 - this.pageShare}fr`);
    this.style.setProperty('--page-fr', `${this.pageShare}fr`);
    this.toggleAttribute('split', this.wide && this.#pageOpen);
    // The replay's code (rrweb's player) loads the first time a visitor shares a page.
    if (this.conversation?.mirror?.state === 'sharing') void import('./mirror/mirror-pane.ts');
    if (this.#endAsked && this.conversation?.summary.status === 'ended' && this.closeButton) {
      this.#endAsked = false;
      this.closeButton.focus();
    }
  }

  private fire(type: 'help-dismiss' | 'help-follow'): void {
    if (this.conversation) {
      this.dispatchEvent(new HelpConversationEvent(type, this.conversation.summary.id));
    }
  }

  private async askToEnd(): Promise<void> {
    if (this.confirmingEnd) return this.keepChatting();
    this.confirmingEnd = true;
    await this.updateComplete;
    this.confirmButton?.focus();
  }

  private async keepChatting(): Promise<void> {
    this.confirmingEnd = false;
    await this.updateComplete;
    this.endButton?.focus();
  }

  private async endChat(): Promise<void> {
    const open = this.conversation;
    if (!open) return;
    this.#endAsked = true;
    this.dispatchEvent(new HelpConversationEvent('help-end', open.summary.id));
    // Until the end arrives, focus waits on the button the helper started from.
    await this.keepChatting();
  }

  private endQuestion(name: string | undefined) {
    return html`<div
      id="end-confirm"
      class="confirm"
      role="group"
      aria-labelledby="end-question"
      @keydown=${(e: KeyboardEvent) => {
        if (e.key === 'Escape') void this.keepChatting();
      }}
    >
      <p id="end-question">${words.endQuestion(name)}</p>
      <div>
        <button type="button" @click=${this.endChat}>${words.endConfirm}</button>
        <button type="button" class="quiet" @click=${this.keepChatting}>${words.endCancel}</button>
      </div>
    </div>`;
  }

  private endedNotice(summary: ConversationSummary) {
    const by = summary.endedBy;
    const said = by
      ? `${words.ended} ${strings.outcome.endedBy(by, summary.visitor.name)}`
      : words.ended;
    return html`<span role="status">${said}</span>
      <button type="button" class="quiet close" @click=${() => this.fire('help-dismiss')}>
        ${words.close}
      </button>`;
  }

  /** "Mirror page", unless asked already or the site's rules leave it out. */
  private mirrorButton(summary: ConversationSummary, mirror: MirrorStatus | undefined) {
    if (mirror && mirror.state !== 'none') return nothing;
    if (summary.rules?.allow.mirror === false) {
      return html`<span class="muted">${mirrorWords.notAllowed}</span>`;
    }
    return html`<button type="button" class="quiet" @click=${() => void this.requestMirror()}>
      ${mirrorWords.mirrorPage}
    </button>`;
  }

  /** Waiting for the visitor's answer, the replay while they share, or how it ended. */
  private mirrorSection(who: string, mirror: MirrorStatus | undefined) {
    if (!mirror) return nothing;
    if (mirror.state === 'requested') {
      return html`<p class="mirror-note" role="status">
        ${mirrorWords.asking(who)}
        <button type="button" class="quiet" @click=${() => void this.stopMirror()}>
          ${mirrorWords.cancel}
        </button>
      </p>`;
    }
    if (mirror.state === 'none') {
      const said = mirror.ended ? mirrorWords.ended(mirror.ended, who) : '';
      return said ? html`<p class="mirror-note" role="status">${said}</p>` : nothing;
    }
    const control = this.conversation?.control ?? 'none';
    const rules = this.conversation?.summary.rules?.allow;
    const inControl = control === 'granted';
    return html`<section class="mirror" aria-labelledby="mirror-title">
      <header>
        <h3 id="mirror-title">${mirrorWords.heading(who)}</h3>
        <div class="tools">
          ${
            rules?.point === false
              ? nothing
              : html`<button
                  type="button"
                  class="quiet"
                  aria-pressed=${this.mirrorPointing}
                  @click=${() => {
                    this.mirrorPointing = !this.mirrorPointing;
                  }}
                >
                  ${mirrorWords.point}
                </button>`
          }
          ${
            rules?.control === false || control === 'requested' || inControl
              ? nothing
              : html`<button type="button" class="quiet" @click=${() => void this.askControl()}>
                  ${strings.follow.askControl}
                </button>`
          }
          <button type="button" class="quiet" @click=${() => void this.stopMirror()}>
            ${mirrorWords.stop}
          </button>
        </div>
      </header>
      <p class="muted" role="status">
        ${
          this.mirrorPointing
            ? mirrorWords.pointHint
            : inControl
              ? mirrorWords.controlHint
              : strings.follow.control[control]
        }
      </p>
      ${this.typingBox()}
      <help-mirror-pane
        .conversationId=${mirror.conversationId}
        .open=${this.openMirror}
        .watch=${this.watchMirror}
        .mask=${mirror.mask}
        ?picking=${this.mirrorPointing || inControl}
        @help-mirror-pick=${(e: HelpMirrorPickEvent) => void this.picked(e)}
      ></help-mirror-pane>
    </section>`;
  }

  /** Where the helper in control types for the visitor: one box per field picked. */
  private typingBox() {
    const into = this.typingInto;
    if (!into) return nothing;
    if (into.masked) {
      return html`<p class="muted" role="status">${mirrorWords.maskedField(into.label)}</p>`;
    }
    return keyed(
      into.nodeId,
      html`<label class="type-into">
        ${mirrorWords.typeInto(into.label)}
        <input
          .value=${into.value}
          @input=${(e: InputEvent) => {
            const value = (e.target as HTMLInputElement).value;
            void this.mirrorControl({ kind: 'input', nodeId: into.nodeId, value });
          }}
        />
      </label>`,
    );
  }

  /** An element picked on the replay: pointed at, clicked, or a field to type into. */
  private async picked(event: HelpMirrorPickEvent): Promise<void> {
    if (this.mirrorPointing) {
      this.mirrorPointing = false;
      await this.mirrorPoint(event.nodeId);
      return;
    }
    await this.mirrorControl({ kind: 'click', nodeId: event.nodeId });
    if (event.field === undefined) return;
    this.typingInto = { nodeId: event.nodeId, ...event.field };
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('.type-into input')?.focus();
  }

  private async closeTransfer(): Promise<void> {
    this.transferring = false;
    await this.updateComplete;
    this.transferButton?.focus();
  }

  /** The message box: a reply to the visitor, or, switched to a note, for helpers only. */
  private messageBox(who: string) {
    const noting = this.noting;
    return html`<div class=${noting ? 'compose noting' : 'compose'}>
      <div class="compose-mode">
        <button
          type="button"
          class="quiet"
          aria-pressed=${noting}
          @click=${() => void this.toggleNote()}
        >
          ${noteWords.noteMode}
        </button>
        <span class="muted" aria-live="polite">${noting ? noteWords.noteHint(who) : ''}</span>
      </div>
      ${
        this.picking
          ? html`<help-canned-picker
              .replies=${this.picking}
              @help-canned-pick=${(e: HelpCannedPickEvent) => void this.closePicker(e.text)}
              @help-canned-close=${() => void this.closePicker('/')}
            ></help-canned-picker>`
          : nothing
      }
      <help-composer
        @input=${(e: Event) => void this.maybePick(e.currentTarget as HelpComposer)}
        .strings=${noting ? { messageLabel: noteWords.noteLabel, send: noteWords.addNote } : noteWords.reply}
        @help-send=${(e: HelpSendEvent) => {
          if (!this.noting) return;
          // Kept from the desk's reply path: a note is sent as a note, never as a reply.
          e.stopPropagation();
          this.dispatchEvent(new HelpNoteEvent(e.text));
        }}
        @help-typing=${(e: HelpTypingEvent) => {
          // Writing a note is nothing the visitor is told about.
          if (this.noting) e.stopPropagation();
        }}
      ></help-composer>
    </div>`;
  }

  /** `/` typed in an empty box opens the canned replies, with the focus in their search. */
  private async maybePick(box: HelpComposer): Promise<void> {
    if (box.value !== '/' || this.picking) return;
    box.value = '';
    this.picking = await this.cannedReplies();
    await this.updateComplete;
    this.renderRoot.querySelector('help-canned-picker')?.focus();
  }

  /** Back to the message box, with the reply chosen (or the `/` the helper typed). */
  private async closePicker(text: string): Promise<void> {
    this.picking = undefined;
    await this.updateComplete;
    const box = this.renderRoot.querySelector('help-composer');
    if (!box) return;
    box.value = text;
    box.focus();
  }

  private async toggleNote(): Promise<void> {
    this.noting = !this.noting;
    // Typing a reply and then switching: the visitor's "typing…" stops now.
    if (this.noting) this.dispatchEvent(new HelpTypingEvent(false));
    await this.updateComplete;
    this.composer?.focus();
  }

  /** Whether the visitor's page is shown: followed, or shared in mirror mode. */
  get #pageOpen(): boolean {
    const open = this.conversation;
    if (!open || open.summary.status === 'ended') return false;
    return this.followPane || open.mirror?.state === 'sharing';
  }

  private chatSection(open: OpenConversation, who: string) {
    const { summary } = open;
    const ended = summary.status === 'ended';
    return html`<section class="chat" aria-labelledby="chat-title">
      <header>
        <div class="who">
          <h2 id="chat-title">${words.title(who)}</h2>
          ${
            // After the end the server stops telling: an old "Online" would mislead.
            ended
              ? nothing
              : html`<help-presence-status .presence=${summary.presence}></help-presence-status>`
          }
        </div>
        ${
          ended
            ? this.endedNotice(summary)
            : html`<div>
                ${
                  this.followPane
                    ? nothing
                    : summary.rules?.allow.follow === false
                      ? html`<span class="muted">${words.followNotAllowed}</span>`
                      : html`<button type="button" class="quiet" @click=${() => this.fire('help-follow')}>
                        ${words.followPage}
                      </button>`
                }
                ${this.mirrorButton(summary, open.mirror)}
                <button
                  type="button"
                  class="quiet transfer-open"
                  aria-expanded=${this.transferring}
                  aria-controls=${this.transferring ? 'transfer-form' : nothing}
                  @click=${() => {
                    if (this.transferring) void this.closeTransfer();
                    else this.transferring = true;
                  }}
                >
                  ${transferWords.open}
                </button>
                <button
                  type="button"
                  class="quiet end"
                  aria-expanded=${this.confirmingEnd}
                  aria-controls=${this.confirmingEnd ? 'end-confirm' : nothing}
                  @click=${this.askToEnd}
                >
                  ${words.end}
                </button>
              </div>`
        }
      </header>
      ${this.confirmingEnd && !ended ? this.endQuestion(summary.visitor.name) : nothing}
      ${
        this.transferring && !ended
          ? html`<help-transfer-form
              id="transfer-form"
              .visitor=${who}
              .colleagues=${this.colleagues}
              @help-transfer=${() => {
                // The desk hears it too (it bubbles); here the form just closes.
                this.transferring = false;
              }}
              @help-transfer-cancel=${() => void this.closeTransfer()}
            ></help-transfer-form>`
          : nothing
      }
      ${
        // Polite and always there once ended, so a rating that arrives later is announced.
        ended
          ? html`<div class=${summary.rating ? 'rating' : ''} aria-live="polite">
              <help-visitor-rating
                .rating=${summary.rating}
                .visitorName=${summary.visitor.name}
              ></help-visitor-rating>
            </div>`
          : nothing
      }
      <help-desk-messages
        role="log"
        aria-label=${words.log}
        self="helper"
        .messages=${open.messages}
        .pending=${open.pending}
        .readUpTo=${summary.readUpTo.visitor ?? ''}
        .now=${this.now}
        selfName=${summary.helperName ?? ''}
        visitorName=${visitorLabel(summary)}
      ></help-desk-messages>
      <p class="typing">${open.visitorTyping ? words.typing(who) : ''}</p>
      ${ended ? nothing : this.messageBox(who)}
    </section>`;
  }

  private followPaneFor(open: OpenConversation) {
    const { summary } = open;
    return html`<help-follow-pane
      ?fill=${this.wide}
      .conversationId=${summary.id}
      .pageUrl=${summary.currentPage?.url ?? summary.details.pageUrl}
      .grant=${this.grant}
      .active=${open.following !== false}
      .viewport=${open.viewport}
      .visitorFocus=${open.visitorFocus}
      .refresh=${this.refresh}
      .point=${this.point}
      .control=${open.control ?? 'none'}
      .askControl=${this.askControl}
      .allowControl=${summary.rules?.allow.control !== false}
      .allowPoint=${summary.rules?.allow.point !== false}
    ></help-follow-pane>`;
  }

  /** The visitor's page: the mirror and/or the followed copy. */
  private pageColumn(open: OpenConversation, who: string) {
    return html`${this.mirrorSection(who, open.mirror)}
    ${this.followPane ? this.followPaneFor(open) : nothing}`;
  }

  /** Below the chat while no page is shown; beside it (or a tab away) once one is. */
  private splitView(open: OpenConversation, who: string) {
    const details = html`<details class="about">
      <summary>${layoutWords.aboutVisitor(who)}</summary>
      <help-visitor-details
        .summary=${open.summary}
        .now=${this.now}
        .earlier=${this.earlier}
        .earlierMessages=${this.earlierMessages}
      ></help-visitor-details>
    </details>`;
    if (this.wide) {
      return html`<div class="split">
        <div class="chat-column">${this.chatSection(open, who)} ${details}</div>
        <help-splitter
          .share=${this.pageShare}
          .min=${PAGE_SHARE.min}
          .max=${PAGE_SHARE.max}
          label=${layoutWords.splitter}
          .valueText=${layoutWords.pageShare}
          @help-resize=${(e: HelpResizeEvent) => {
            this.pageShare = e.share;
            rememberPageShare(e.share);
          }}
        ></help-splitter>
        <div class="page-column">${this.pageColumn(open, who)}</div>
      </div>`;
    }
    const tab = (name: 'chat' | 'page', label: string) =>
      html`<button
        type="button"
        role="tab"
        id=${`tab-${name}`}
        aria-controls=${`panel-${name}`}
        aria-selected=${this.tab === name}
        tabindex=${this.tab === name ? 0 : -1}
        @click=${() => {
          this.tab = name;
        }}
      >
        ${label}
      </button>`;
    // Both panels stay drawn, one hidden: the copy of the page keeps its place and connection.
    return html`<div
        role="tablist"
        aria-label=${layoutWords.tabs(who)}
        @keydown=${(e: KeyboardEvent) => void this.tabKey(e)}
      >
        ${tab('chat', layoutWords.chatTab)} ${tab('page', layoutWords.pageTab)}
      </div>
      <div id="panel-chat" role="tabpanel" aria-labelledby="tab-chat" ?hidden=${this.tab !== 'chat'}>
        ${this.chatSection(open, who)} ${details}
      </div>
      <div id="panel-page" role="tabpanel" aria-labelledby="tab-page" ?hidden=${this.tab !== 'page'}>
        ${this.pageColumn(open, who)}
      </div>`;
  }

  /** Arrow keys move between the two tabs, as in every tab list. */
  private async tabKey(event: KeyboardEvent): Promise<void> {
    if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) return;
    event.preventDefault();
    this.tab =
      event.key === 'Home'
        ? 'chat'
        : event.key === 'End'
          ? 'page'
          : this.tab === 'chat'
            ? 'page'
            : 'chat';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#tab-${this.tab}`)?.focus();
  }

  override render() {
    const open = this.conversation;
    if (!open) return nothing;
    const { summary } = open;
    const who = visitorLabel(summary);
    if (this.#pageOpen) return this.splitView(open, who);
    const ended = summary.status === 'ended';
    return html`<div class="grid">
      ${this.chatSection(open, who)}
      <help-visitor-details
        .summary=${summary}
        .now=${this.now}
        .earlier=${this.earlier}
        .earlierMessages=${this.earlierMessages}
      ></help-visitor-details>
    </div>
    ${ended ? nothing : this.mirrorSection(who, open.mirror)}`;
  }
}

if (!customElements.get('help-conversation-view')) {
  customElements.define('help-conversation-view', HelpConversationView);
}

declare global {
  interface HTMLElementTagNameMap {
    'help-conversation-view': HelpConversationView;
  }
}
