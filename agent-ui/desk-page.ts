import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { CannedReply, ConversationSummary } from '../protocol/domain.ts';
import type { ConversationLeftEvent } from '../protocol/events.ts';
import type { KeptMirrorPart, MirrorAction } from '../protocol/mirror.ts';
import type { HelpSendEvent, HelpTypingEvent } from '../widget/chat/chat-events.ts';
import { AgentConnection } from './agent-connection.ts';
import type {
  HelpAvailabilityEvent,
  HelpConversationEvent,
  HelpJoinEvent,
  HelpNoteEvent,
  HelpTransferEvent,
} from './agent-events.ts';
import { Alerts } from './alerts.ts';
import './availability-control.ts';
import './conversation-list.ts';
import './conversation-view.ts';
import type { HelpConversationView } from './conversation-view.ts';
import './canned-replies.ts';
import './history-view.ts';
import type { HelpHistory } from './history-view.ts';
import './find-visitor.ts';
import type { HelpFindEvent } from './find-visitor.ts';
import './join-code-form.ts';
import { sentence, visitorLabel } from './format.ts';
import type { HelpJoinCode, TakeoverQuestion } from './join-code-form.ts';
import './offline-messages.ts';
import './queue-list.ts';
import { rememberAvailability } from './remembered.ts';
import { base } from './shared-styles.ts';
import { strings } from './strings.ts';

const words = strings.desk;
/** Wide enough for the visitor's page beside the chat (issue: at least 1200 px). */
const WIDE = matchMedia('(min-width: 1200px)');

/**
 * @summary The signed-in helper's desk: the mediator that owns the connection and decides
 * what is shown. Availability, queue, messages left for later, conversations, join by code,
 * chat, history.
 * @event help-signed-out - The session is no longer valid.
 */
export class HelpDeskPage extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
        padding: 0.75rem 1rem 2rem;
      }
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.75rem 1.25rem;
        padding-bottom: 0.75rem;
        border-bottom: 1px solid #d0d4da;
        margin-bottom: 1rem;
      }
      h1 {
        font-size: 1.3rem;
        margin: 0;
      }
      .connection[data-state='online'] {
        color: #1a7f37;
      }
      .connection {
        color: #a4161a;
        font-weight: 600;
      }
      .me {
        margin-left: auto;
        display: flex;
        gap: 0.5rem;
        align-items: center;
      }
      .layout {
        display: grid;
        grid-template-columns: minmax(16rem, 22rem) minmax(0, 1fr);
        gap: 1.25rem;
      }
      @media (max-width: 48rem) {
        .layout {
          grid-template-columns: minmax(0, 1fr);
        }
      }
      aside section,
      aside help-offline-messages {
        display: block;
        margin-bottom: 1.25rem;
      }
      .desk-toggle {
        display: none;
      }
      /*
       * A visitor's page open on a wide screen: the desk fills the window, the queue and
       * lists fold away behind "Queue and conversations", and the page takes the room.
       */
      :host([page-open]) {
        box-sizing: border-box;
        height: 100dvh;
        display: flex;
        flex-direction: column;
        padding: 0.5rem 1rem;
      }
      :host([page-open]) header {
        padding-bottom: 0.4rem;
        margin-bottom: 0.4rem;
        gap: 0.4rem 0.9rem;
        font-size: 0.85rem;
      }
      :host([page-open]) h1 {
        font-size: 1.05rem;
      }
      :host([page-open]) header button {
        padding: 0.2rem 0.55rem;
      }
      :host([page-open]) .desk-toggle {
        display: flex;
        gap: 0.5rem;
        align-items: baseline;
      }
      :host([page-open]) .layout {
        flex: 1;
        min-height: 0;
        grid-template-columns: minmax(0, 1fr);
      }
      :host([page-open]) aside {
        display: none;
      }
      :host([page-open][show-desk]) .layout {
        grid-template-columns: minmax(16rem, 22rem) minmax(0, 1fr);
      }
      :host([page-open][show-desk]) aside {
        display: block;
        overflow: auto;
      }
      :host([page-open]) main {
        display: flex;
        flex-direction: column;
        min-height: 0;
      }
      :host([page-open]) help-conversation-view {
        flex: 1;
        min-height: 0;
      }
      main > p[role='alert']:empty {
        margin: 0;
      }
    `,
  ];

  @property({ attribute: false }) helper: { id: string; name: string } | undefined;

  @state() private selected = '';
  @state() private view: 'conversation' | 'history' | 'canned' | 'reports' = 'conversation';
  @state() private notice = '';
  @state() private joinError = '';
  @state() private takeover: TakeoverQuestion | undefined;
  /** What "Find by user id" found last; undefined before any search. */
  @state() private found: ConversationSummary[] | undefined;
  @state() private findError = '';
  @state() private now = new Date();
  /** Conversations whose follow pane is open. */
  @state() private followed = new Set<string>();
  /** The queue and lists shown next to an open page ("Queue and conversations"). */
  @state() private showDesk = false;
  /** Wide enough for the visitor's page beside the chat. */
  @state() private wide = WIDE.matches;
  readonly #onWidth = () => {
    this.wide = WIDE.matches;
  };
  @query('help-join-code') private joinForm?: HelpJoinCode;
  @query('help-history') private history?: HelpHistory;
  @query('help-conversation-view') private conversationView?: HelpConversationView;

  readonly #alerts = new Alerts(this);
  readonly connection = new AgentConnection(this, {
    onArrival: (summary) =>
      this.#alerts.alert(
        summary.details.pageTitle || summary.details.pageUrl,
        summary.kind === 'message' ? strings.alerts.newMessage : strings.alerts.newRequest,
      ),
    onLeft: (event, summary) => this.#left(event, summary),
  });
  #clock: ReturnType<typeof setInterval> | undefined;
  /** Just accepted or joined: its reply box gets the focus once the conversation is drawn. */
  /** Just signed in: focus goes to the queue, the helper's first place to look. */
  @property({ attribute: false }) justSignedIn = false;
  #replyNext = '';
  #accepting = false;

  override connectedCallback(): void {
    super.connectedCallback();
    // Waiting times and visitors' local times move on by themselves.
    this.#clock = setInterval(() => {
      this.now = new Date();
    }, 15_000);
    WIDE.addEventListener('change', this.#onWidth);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#clock);
    WIDE.removeEventListener('change', this.#onWidth);
  }

  /** The selected conversation shows the visitor's page beside the chat. */
  get #pageOpen(): boolean {
    if (!this.wide || this.view !== 'conversation') return false;
    const current = this.connection.conversations.get(this.selected);
    if (!current || current.summary.status === 'ended') return false;
    return this.followed.has(this.selected) || current.mirror?.state === 'sharing';
  }

  protected override willUpdate(): void {
    // What the helper is looking at is read; done before rendering so counts are right.
    if (this.view === 'conversation' && this.selected && !document.hidden) {
      this.connection.markRead(this.selected);
    }
  }

  protected override firstUpdated(): void {
    if (this.justSignedIn) this.renderRoot.querySelector<HTMLElement>('#queue-title')?.focus();
  }

  protected override updated(_changed: PropertyValues<this>): void {
    const { connection } = this;
    this.toggleAttribute('page-open', this.#pageOpen);
    this.toggleAttribute('show-desk', this.showDesk);
    if (connection.state === 'signed-out') {
      this.dispatchEvent(new Event('help-signed-out', { bubbles: true, composed: true }));
      return;
    }
    // The conversation may arrive just after the answer to "Accept": focus once it is drawn.
    if (this.#replyNext && this.#replyNext === this.selected && this.conversationView) {
      this.#replyNext = '';
      void this.conversationView.focusReply();
    }
    let unread = 0;
    for (const open of connection.conversations.values()) unread += connection.unread(open);
    this.#alerts.setCount(connection.queue.length + unread);
  }

  private async setAvailability(event: HelpAvailabilityEvent): Promise<void> {
    // The next sign-in on this browser starts where the helper left it.
    rememberAvailability(event.availability);
    const answer = await this.connection.ask('helper:availability', {
      availability: event.availability,
      capacity: event.capacity,
    });
    this.notice = answer?.ok ? '' : (answer?.error.message ?? strings.noAnswer);
  }

  private async accept(event: HelpConversationEvent): Promise<void> {
    // One accept at a time: a second press while the first is on its way takes nothing.
    if (this.#accepting) return;
    this.#accepting = true;
    const answer = await this.connection
      .ask('conversation:accept', { conversationId: event.conversationId })
      .finally(() => {
        this.#accepting = false;
      });
    if (answer?.ok) {
      // The request left the queue with the button pressed: the next step is the reply.
      this.open(answer.data.id, { reply: true });
    } else {
      this.notice = sentence(answer?.error.message ?? strings.noAnswer);
    }
  }

  /** A returning visitor's earlier conversations (undefined when the server refuses). */
  private earlierFor(conversationId: string) {
    return async () => {
      const answer = await this.connection.ask('visitor:earlier', { conversationId });
      return answer?.ok ? answer.data.conversations : undefined;
    };
  }

  private earlierMessagesFor(conversationId: string) {
    return async (earlierId: string) => {
      const answer = await this.connection.ask('visitor:earlier-messages', {
        conversationId,
        earlierId,
      });
      return answer?.ok ? answer.data.messages : [];
    };
  }

  /** Reports load only when first opened: their own chunk, charts and words. */
  private readonly openReports = async () => {
    this.view = 'reports';
    try {
      await import('./desk-reports/reports-view.ts');
    } catch (error) {
      this.notice = sentence((error as Error).message);
    }
  };

  // Canned replies: read for the `/` list, managed in their own view.
  private readonly cannedReplies = async (): Promise<CannedReply[]> => {
    const answer = await this.connection.ask('canned:list', {});
    return answer?.ok ? answer.data.replies : [];
  };

  private readonly saveCanned = async (reply: { id?: string; shortcut: string; text: string }) => {
    const answer = await this.connection.ask('canned:save', reply);
    return answer?.ok
      ? ({ ok: true, data: answer.data } as const)
      : ({ ok: false, message: answer?.error.message ?? strings.noAnswer } as const);
  };

  private readonly removeCanned = async (id: string) => {
    const answer = await this.connection.ask('canned:delete', { id });
    return answer?.ok
      ? ({ ok: true, data: null } as const)
      : ({ ok: false, message: answer?.error.message ?? strings.noAnswer } as const);
  };

  /** On success the conversation leaves this desk by itself (`conversation:left`). */
  private async transfer(event: HelpTransferEvent): Promise<void> {
    const answer = await this.connection.ask('conversation:transfer', {
      conversationId: this.selected,
      to: event.to,
      ...(event.note ? { note: event.note } : {}),
    });
    if (answer && !answer.ok) this.notice = sentence(answer.error.message);
  }

  private async end(event: HelpConversationEvent): Promise<void> {
    const answer = await this.connection.ask('conversation:end', {
      conversationId: event.conversationId,
    });
    this.notice = answer?.ok ? '' : sentence(answer?.error.message ?? strings.noAnswer);
  }

  private async find(event: HelpFindEvent): Promise<void> {
    const answer = await this.connection.ask('conversation:find-by-user', {
      userId: event.userId,
    });
    this.found = answer?.ok ? answer.data.conversations : undefined;
    this.findError = answer?.ok ? '' : sentence(answer?.error.message ?? strings.noAnswer);
  }

  private async join(event: HelpJoinEvent): Promise<void> {
    const answer = await this.connection.ask('conversation:join-by-code', {
      code: event.code,
      ...(event.takeOver ? { takeOver: true } : {}),
    });
    this.takeover = undefined;
    if (answer?.ok) {
      this.joinError = '';
      this.joinForm?.reset();
      this.open(answer.data.id, { reply: true });
    } else if (answer?.error.code === 'takeover_needed') {
      // Someone else is helping this visitor: ask before taking it from them.
      this.joinError = '';
      this.takeover = {
        code: event.code,
        helperName: answer.error.context?.helperName ?? words.anotherHelper,
        ...(answer.error.context?.visitorName
          ? { visitorName: answer.error.context.visitorName }
          : {}),
      };
    } else {
      this.joinError = sentence(answer?.error.message ?? strings.noAnswer);
    }
  }

  /** One of this helper's conversations went elsewhere: say where, and close it. */
  #left(event: ConversationLeftEvent, summary: ConversationSummary | undefined): void {
    const { helperName } = event;
    // The name the site gave, or the number the desk showed for this visitor.
    const visitorName = event.visitorName ?? (summary ? visitorLabel(summary) : undefined);
    this.notice =
      event.reason === 'taken-over'
        ? words.takenOver(helperName, visitorName)
        : event.reason === 'transferred'
          ? words.transferred(helperName, visitorName)
          : words.requeued(visitorName);
    this.followed = new Set([...this.followed].filter((id) => id !== event.conversationId));
    if (this.selected === event.conversationId) this.selected = '';
  }

  /** Starts (or resumes) follow mode and hands out a fresh token for the copy of the page. */
  private grantFor(conversationId: string) {
    return async () => {
      const answer = await this.connection.ask('cobrowse:start', { conversationId });
      if (answer?.ok) return answer.data;
      this.notice = sentence(answer?.error.message ?? strings.noAnswer);
      return undefined;
    };
  }

  /** What the server kept of a shared page, for a replay that opens (nothing if refused). */
  private mirrorOpener(conversationId: string) {
    return async () => {
      const answer = await this.connection.ask('mirror:open', { conversationId });
      return answer?.ok ? answer.data.parts : [];
    };
  }

  private mirrorWatcher(conversationId: string) {
    return (listener: (part: KeptMirrorPart) => void) =>
      this.connection.watchMirror(conversationId, listener);
  }

  private async unfollow(conversationId: string): Promise<void> {
    this.followed = new Set([...this.followed].filter((id) => id !== conversationId));
    await this.connection.ask('cobrowse:stop', { conversationId });
  }

  /** Shows a conversation; with `reply`, the cursor goes to its message box once drawn. */
  private open(conversationId: string, { reply = false } = {}): void {
    this.#replyNext = reply ? conversationId : '';
    this.requestUpdate();
    this.notice = '';
    this.selected = conversationId;
    this.view = 'conversation';
  }

  private async signOut(): Promise<void> {
    await fetch('/api/agent/session', { method: 'DELETE' });
    this.dispatchEvent(new Event('help-signed-out', { bubbles: true, composed: true }));
  }

  override render() {
    const { connection } = this;
    const items = [...connection.conversations.values()].map((open) => ({
      summary: open.summary,
      unread: connection.unread(open),
    }));
    const current = connection.conversations.get(this.selected);
    // Messages left for later are in the queue too, but nobody is in line behind them.
    const chats = connection.queue.filter((entry) => entry.kind !== 'message');
    const messages = connection.queue.filter((entry) => entry.kind === 'message');
    return html`<header>
        <h1>${words.heading}</h1>
        <p role="status" class="connection" data-state=${connection.state}>
          ${words.connection[connection.state]}
        </p>
        <div class="desk-toggle">
          <button
            type="button"
            class="quiet"
            aria-expanded=${this.showDesk}
            aria-controls="desk-lists"
            @click=${() => {
              this.showDesk = !this.showDesk;
            }}
          >
            ${strings.layout.showDesk}
          </button>
          <span class="muted">${strings.layout.waiting(connection.queue.length)}</span>
        </div>
        <help-availability
          .status=${connection.status}
          @help-availability=${this.setAvailability}
        ></help-availability>
        <div class="me">
          ${
            this.#alerts.notificationsAsked
              ? nothing
              : html`<button
                type="button"
                class="quiet"
                @click=${async () => {
                  await this.#alerts.askForNotifications();
                  this.requestUpdate();
                }}
              >
                ${words.enableNotifications}
              </button>`
          }
          <span>${words.signedInAs} <strong>${this.helper?.name}</strong></span>
          <button type="button" class="quiet" @click=${this.signOut}>${words.signOut}</button>
        </div>
      </header>
      <div class="layout">
        <aside id="desk-lists">
          <section aria-labelledby="queue-title">
            <h2 id="queue-title" tabindex="-1">${words.queue(chats.length)}</h2>
            <help-queue-list
              .queue=${chats}
              .now=${this.now}
              @help-accept=${this.accept}
            ></help-queue-list>
          </section>
          <help-offline-messages
            .messages=${messages}
            .now=${this.now}
            @help-accept=${this.accept}
          ></help-offline-messages>
          <section aria-labelledby="mine-title">
            <h2 id="mine-title">${words.mine}</h2>
            <help-conversation-list
              .items=${items}
              .selected=${this.view === 'conversation' ? this.selected : ''}
              @help-select=${(e: HelpConversationEvent) => this.open(e.conversationId)}
            ></help-conversation-list>
          </section>
          <section aria-labelledby="find-title">
            <h2 id="find-title">${strings.find.heading}</h2>
            <help-find-visitor
              .results=${this.found}
              .error=${this.findError}
              @help-find=${this.find}
              @help-join=${this.join}
            ></help-find-visitor>
          </section>
          <section aria-labelledby="join-title">
            <h2 id="join-title">${words.joinByCode}</h2>
            <help-join-code
              .error=${this.joinError}
              .takeover=${this.takeover}
              @help-join=${this.join}
              @help-join-cancel=${() => {
                this.takeover = undefined;
              }}
            ></help-join-code>
          </section>
          <button
            type="button"
            class="quiet"
            aria-pressed=${this.view === 'history'}
            @click=${() => {
              this.view = 'history';
              void this.history?.load();
            }}
          >
            ${words.history}
          </button>
          <button
            type="button"
            class="quiet"
            aria-pressed=${this.view === 'canned'}
            @click=${() => {
              this.view = 'canned';
            }}
          >
            ${strings.canned.open}
          </button>
          <button
            type="button"
            class="quiet"
            aria-pressed=${this.view === 'reports'}
            @click=${this.openReports}
          >
            ${words.reports}
          </button>
        </aside>
        <main>
          <p role="alert">${this.notice}</p>
          ${
            this.view === 'history'
              ? html`<help-history></help-history>`
              : this.view === 'reports'
                ? html`<help-reports></help-reports>`
                : this.view === 'canned'
                  ? html`<help-canned-replies
                    .listReplies=${this.cannedReplies}
                    .saveReply=${this.saveCanned}
                    .removeReply=${this.removeCanned}
                  ></help-canned-replies>`
                  : current
                    ? html`<help-conversation-view
                  .conversation=${current}
                  ?wide=${this.wide}
                  .now=${this.now}
                  @help-send=${(e: HelpSendEvent) => connection.send(this.selected, e.text)}
                  .colleagues=${async () => {
                    const answer = await connection.ask('helper:colleagues', {});
                    return answer?.ok ? answer.data.helpers : [];
                  }}
                  @help-transfer=${this.transfer}
                  .cannedReplies=${this.cannedReplies}
                  .earlier=${this.earlierFor(this.selected)}
                  .earlierMessages=${this.earlierMessagesFor(this.selected)}
                  @help-note=${(e: HelpNoteEvent) =>
                    connection.send(this.selected, e.text, { internal: true })}
                  @help-typing=${(e: HelpTypingEvent) => connection.typing(this.selected, e.typing)}
                  @help-end=${this.end}
                  .followPane=${this.followed.has(this.selected)}
                  .grant=${this.grantFor(this.selected)}
                  .refresh=${async () => {
                    await this.connection.ask('cobrowse:refresh', {
                      conversationId: this.selected,
                    });
                  }}
                  .askControl=${async () => {
                    const answer = await this.connection.ask('control:request', {
                      conversationId: this.selected,
                    });
                    if (answer && !answer.ok) this.notice = sentence(answer.error.message);
                  }}
                  .point=${async (path: string) => {
                    await this.connection.ask('cobrowse:point', {
                      conversationId: this.selected,
                      path,
                    });
                  }}
                  .requestMirror=${async () => {
                    const answer = await this.connection.ask('mirror:request', {
                      conversationId: this.selected,
                    });
                    if (answer && !answer.ok) this.notice = sentence(answer.error.message);
                  }}
                  .stopMirror=${async () => {
                    await this.connection.ask('mirror:stop', { conversationId: this.selected });
                  }}
                  .openMirror=${this.mirrorOpener(this.selected)}
                  .mirrorPoint=${async (nodeId: number) => {
                    const conversationId = this.selected;
                    const answer = await this.connection.ask('mirror:point', {
                      conversationId,
                      nodeId,
                    });
                    if (answer && !answer.ok) this.notice = sentence(answer.error.message);
                  }}
                  .mirrorControl=${async (action: MirrorAction) => {
                    const conversationId = this.selected;
                    const answer = await this.connection.ask('mirror:control', {
                      conversationId,
                      action,
                    });
                    if (answer && !answer.ok) this.notice = sentence(answer.error.message);
                  }}
                  .watchMirror=${this.mirrorWatcher(this.selected)}
                  @help-follow=${(e: HelpConversationEvent) => {
                    this.followed = new Set([...this.followed, e.conversationId]);
                  }}
                  @help-unfollow=${() => this.unfollow(this.selected)}
                  @help-dismiss=${(e: HelpConversationEvent) => {
                    connection.dismiss(e.conversationId);
                    this.selected = '';
                  }}
                ></help-conversation-view>`
                    : html`<p class="muted">${words.nothingOpen}</p>`
          }
        </main>
      </div>`;
  }
}

if (!customElements.get('help-desk-page')) customElements.define('help-desk-page', HelpDeskPage);

declare global {
  interface HTMLElementTagNameMap {
    'help-desk-page': HelpDeskPage;
  }
}
