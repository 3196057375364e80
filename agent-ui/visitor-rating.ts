import { css, html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { Rating } from '../protocol/domain.ts';
import { strings } from './strings.ts';

const words = strings.outcome;

/**
 * @summary What the visitor thought of an ended chat: "Ann rated this chat: Good", and their
 * comment, shown as the text they typed.
 */
export class HelpVisitorRating extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    p {
      margin: 0;
      font-weight: 600;
    }
    blockquote {
      margin: 0.25rem 0 0;
      padding-left: 0.5rem;
      border-left: 3px solid #d0d4da;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
  `;

  @property({ attribute: false }) rating: Rating | undefined;
  /** Who rated it; absent when the site never said. */
  @property() visitorName: string | undefined;

  override render() {
    const rating = this.rating;
    if (!rating) return nothing;
    return html`<p>${words.rated(this.visitorName, words.rating[rating.value])}</p>
      ${rating.comment ? html`<blockquote>${rating.comment}</blockquote>` : nothing}`;
  }
}

if (!customElements.get('help-visitor-rating')) {
  customElements.define('help-visitor-rating', HelpVisitorRating);
}

declare global {
  interface HTMLElementTagNameMap {
    'help-visitor-rating': HelpVisitorRating;
  }
}
