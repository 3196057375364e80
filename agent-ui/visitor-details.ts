import { css, html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { ConversationSummary } from '../protocol/domain.ts';
import { formatJoinCode } from '../protocol/limits.ts';
import { safeHref, visitorTime, waitedText } from './format.ts';
import { base } from './shared-styles.ts';

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

  override render() {
    const summary = this.summary;
    if (!summary) return nothing;
    const { details, visitor } = summary;
    const { browser, engine, os, device } = details.agent;
    const rows: [string, unknown][] = [
      ['Name', visitor.name],
      ['Email', visitor.email],
      ...Object.entries(visitor.custom ?? {}),
      [
        'Now on',
        summary.currentPage
          ? html`${summary.currentPage.title} — ${this.link(summary.currentPage.url)}`
          : undefined,
      ],
      ['Asked from', html`${details.pageTitle} — ${this.link(details.pageUrl)}`],
      ['Came from', details.referrer ? this.link(details.referrer) : undefined],
      ['Browser', [browser.name, browser.version].filter(Boolean).join(' ') || 'unknown'],
      ['Engine', [engine.name, engine.version].filter(Boolean).join(' ') || undefined],
      ['OS', [os.name, os.version].filter(Boolean).join(' ') || 'unknown'],
      ['Device', [device.type, device.vendor, device.model].filter(Boolean).join(' · ')],
      ['Languages', details.languages.join(', ') || undefined],
      [
        'Their time',
        `${visitorTime(details.timezone, this.now)} (${details.timezone || 'unknown timezone'})`,
      ],
      ['Screen', `${details.screen.width} × ${details.screen.height} @${details.pixelRatio}x`],
      ['Window', `${details.viewport.width} × ${details.viewport.height}`],
      [
        'Waiting since',
        `${new Date(summary.createdAt).toLocaleTimeString()} (${waitedText(summary.createdAt, this.now)} ago)`,
      ],
      ['Join code', formatJoinCode(summary.joinCode)],
      ['User agent', details.userAgent],
    ];
    return html`<h2>Visitor details</h2>
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
