import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ConversationSummary, EarlierConversation, Message } from '../protocol/domain.ts';
import './desk-messages.ts';
import { formatJoinCode } from '../protocol/limits.ts';
import { safeHref, safeMailto, visitorLabel, visitorTime, waitedText } from './format.ts';
import { base } from './shared-styles.ts';
import { strings } from './strings.ts';

const words = strings.details;
const earlierWords = strings.earlier;

/** @summary Everything known about a visitor: page, browser, device, language, time. */
export class HelpVisitorDetails extends LitElement {
  static override styles = [
    base,
    css`
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.25rem 0.75rem;
        margin: 0;
        font-size: 0.9rem;
      }
      dt {
        font-weight: 600;
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      h3 {
        font-size: 0.95rem;
        margin: 1rem 0 0.25rem;
      }
      summary {
        cursor: pointer;
        padding: 0.25rem 0;
      }
      help-desk-messages {
        max-height: 20rem;
        border: 1px solid #d0d4da;
        border-radius: 0.4rem;
      }
    `,
  ];

  @property({ attribute: false }) summary: ConversationSummary | undefined;
  @property({ attribute: false }) now = new Date();
  /** A returning visitor's earlier conversations, and one's messages; set by the desk. */
  @property({ attribute: false }) earlier: () => Promise<EarlierConversation[] | undefined> =
    async () => undefined;
  @property({ attribute: false }) earlierMessages: (id: string) => Promise<Message[]> =
    async () => [];

  /** What was found, for the conversation it was asked for. */
  @state() private found: { for: string; conversations: EarlierConversation[] } | undefined;
  @state() private transcripts = new Map<string, Message[]>();
  /** The conversation last asked about: asked once, however often its summary changes. */
  #asked = '';

  protected override willUpdate(changed: PropertyValues<this>): void {
    const id = this.summary?.id;
    if (changed.has('summary') && id && this.found?.for !== id && this.#asked !== id) {
      this.#asked = id;
      this.found = undefined;
      this.transcripts = new Map();
      void this.earlier().then((conversations) => {
        if (conversations && this.summary?.id === id) this.found = { for: id, conversations };
      });
    }
  }

  private async open(event: Event, id: string): Promise<void> {
    if (!(event.target as HTMLDetailsElement).open || this.transcripts.has(id)) return;
    const messages = await this.earlierMessages(id);
    this.transcripts = new Map([...this.transcripts, [id, messages]]);
  }

  private showEarlier(): void {
    const heading = this.renderRoot.querySelector<HTMLElement>('#earlier-title');
    heading?.scrollIntoView({ block: 'start' });
    heading?.focus();
  }

  private earlierSection() {
    const found = this.found?.conversations;
    if (!found) return nothing;
    return html`<section aria-labelledby="earlier-title">
      <h3 id="earlier-title" tabindex="-1">${earlierWords.heading(found.length)}</h3>
      ${
        found.length === 0
          ? html`<p class="muted">${earlierWords.none}</p>`
          : html`<p class="muted">${earlierWords.why}</p>
              <ul>
                ${found.map(
                  (c) => html`<li>
                    <details @toggle=${(e: Event) => void this.open(e, c.id)}>
                      <summary>
                        ${earlierWords.summary(
                          new Date(c.createdAt).toLocaleString([], {
                            dateStyle: 'medium',
                            timeStyle: 'short',
                          }),
                          c.pageTitle || c.pageUrl,
                          c.helperName,
                        )}
                        ${c.rating ? html` · ${strings.outcome.rating[c.rating.value]}` : nothing}
                      </summary>
                      ${
                        this.transcripts.has(c.id)
                          ? html`<help-desk-messages
                              self="helper"
                              selfName=${this.summary?.helperName ?? ''}
                              visitorName=${this.summary ? visitorLabel(this.summary) : ''}
                              .messages=${this.transcripts.get(c.id) ?? []}
                            ></help-desk-messages>`
                          : html`<p class="muted">${earlierWords.loading}</p>`
                      }
                    </details>
                  </li>`,
                )}
              </ul>`
      }
    </section>`;
  }

  private link(url: string) {
    const href = safeHref(url);
    return href ? html`<a href=${href} target="_blank" rel="noopener noreferrer">${url}</a>` : url;
  }

  private mail(email: string) {
    const href = safeMailto(email);
    return href ? html`<a href=${href}>${email}</a>` : email;
  }

  override render() {
    const summary = this.summary;
    if (!summary) return nothing;
    const { details, visitor } = summary;
    const { browser, engine, os, device } = details.agent;
    const rows: [string, unknown][] = [
      [words.name, visitor.name],
      [words.email, visitor.email ? this.mail(visitor.email) : undefined],
      [
        words.userId,
        visitor.userId === undefined
          ? undefined
          : visitor.verified
            ? words.verifiedUser(visitor.userId)
            : words.claimedUser(visitor.userId),
      ],
      // Near the top for a returning visitor: their past is one press away.
      [
        earlierWords.term,
        this.found?.conversations.length
          ? html`<button type="button" class="quiet" @click=${this.showEarlier}>
              ${earlierWords.show(this.found.conversations.length)}
            </button>`
          : undefined,
      ],
      ...Object.entries(visitor.custom ?? {}),
      // Live while the chat is open; after the end the server stops telling.
      [
        words.presence,
        summary.presence && summary.status !== 'ended'
          ? strings.presenceExplained[summary.presence]
          : undefined,
      ],
      [
        words.nowOn,
        summary.currentPage
          ? html`${summary.currentPage.title} — ${this.link(summary.currentPage.url)}`
          : undefined,
      ],
      [words.askedFrom, html`${details.pageTitle} — ${this.link(details.pageUrl)}`],
      [words.cameFrom, details.referrer ? this.link(details.referrer) : undefined],
      [words.browser, [browser.name, browser.version].filter(Boolean).join(' ') || words.unknown],
      [words.engine, [engine.name, engine.version].filter(Boolean).join(' ') || undefined],
      [words.os, [os.name, os.version].filter(Boolean).join(' ') || words.unknown],
      [words.device, [device.type, device.vendor, device.model].filter(Boolean).join(' · ')],
      [words.languages, details.languages.join(', ') || undefined],
      [
        words.theirTime,
        words.timeAndZone(
          visitorTime(details.timezone, this.now),
          details.timezone || words.unknownTimezone,
        ),
      ],
      [words.screen, `${details.screen.width} × ${details.screen.height} @${details.pixelRatio}x`],
      [words.window, `${details.viewport.width} × ${details.viewport.height}`],
      [
        words.waitingSince,
        words.since(
          new Date(summary.createdAt).toLocaleTimeString(),
          waitedText(summary.createdAt, this.now),
        ),
      ],
      [words.joinCode, formatJoinCode(summary.joinCode)],
      [words.userAgent, details.userAgent],
    ];
    return html`<h2>${words.heading}</h2>
      <dl>
        ${rows
          .filter(([, value]) => value !== undefined && value !== '')
          .map(([term, value]) => html`<dt>${term}</dt><dd>${value}</dd>`)}
      </dl>
      ${this.earlierSection()}`;
  }
}

if (!customElements.get('help-visitor-details')) {
  customElements.define('help-visitor-details', HelpVisitorDetails);
}

declare global {
  interface HTMLElementTagNameMap {
    'help-visitor-details': HelpVisitorDetails;
  }
}
