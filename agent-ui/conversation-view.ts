import { css, html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import '../widget/chat/composer.ts';
import '../widget/chat/message-list.ts';
import type { FollowGrant } from '../protocol/cobrowse.ts';
import type { OpenConversation } from './agent-connection.ts';
import { HelpConversationEvent } from './agent-events.ts';
import { base } from './shared-styles.ts';
import './follow-pane.ts';
import './visitor-details.ts';

/**
 * @summary One conversation: the chat (the widget's own message list and composer), the
 * visitor's typing, and the details panel.
 * @event help-send - From the composer: the helper sends a reply.
 * @event help-typing - From the composer.
 * @event help-end - The helper ends the conversation.
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
      help-message-list {
        flex: 1;
      }
      help-follow-pane {
        margin-top: 1rem;
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

  private fire(type: 'help-end' | 'help-dismiss' | 'help-follow'): void {
    if (this.conversation) {
      this.dispatchEvent(new HelpConversationEvent(type, this.conversation.summary.id));
    }
  }

  override render() {
    const open = this.conversation;
    if (!open) return nothing;
    const { summary } = open;
    const who = summary.visitor.name || 'Visitor';
    const ended = summary.status === 'ended';
    return html`<div class="grid">
      <section class="chat" aria-labelledby="chat-title">
        <header>
          <h2 id="chat-title">Chat with ${who}</h2>
          ${
            ended
              ? html`<span role="status">This conversation has ended.</span>
                <button type="button" class="quiet" @click=${() => this.fire('help-dismiss')}>
                  Close conversation
                </button>`
              : html`<div>
                  ${
                    this.followPane
                      ? nothing
                      : html`<button type="button" class="quiet" @click=${() => this.fire('help-follow')}>
                          Follow page
                        </button>`
                  }
                  <button type="button" class="quiet" @click=${() => this.fire('help-end')}>
                    End conversation
                  </button>
                </div>`
          }
        </header>
        <help-message-list
          role="log"
          aria-label="Messages"
          self="helper"
          .messages=${open.messages}
          .pending=${open.pending}
          .readUpTo=${summary.readUpTo.visitor ?? ''}
        ></help-message-list>
        <p class="typing">${open.visitorTyping ? `${who} is typing…` : ''}</p>
        ${ended ? nothing : html`<help-composer></help-composer>`}
      </section>
      <help-visitor-details .summary=${summary} .now=${this.now}></help-visitor-details>
    </div>
    ${
      this.followPane && !ended
        ? html`<help-follow-pane
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
        ></help-follow-pane>`
        : nothing
    }`;
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
