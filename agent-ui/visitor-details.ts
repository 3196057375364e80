import { css, html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { ConversationSummary } from '../protocol/domain.ts';
import { formatJoinCode } from '../protocol/limits.ts';
import { safeHref, safeMailto, visitorTime, waitedText } from './format.ts';
import { base } from './shared-styles.ts';
import { strings } from './strings.ts';

const words = strings.details;

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
    `,
  ];

  @property({ attribute: false }) summary: ConversationSummary | undefined;
  @property({ attribute: false }) now = new Date();

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
      </dl>`;
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
