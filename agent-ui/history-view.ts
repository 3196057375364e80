import { css, html, LitElement, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import type { HistoryEntry } from '../protocol/domain.ts';
import '../widget/chat/message-list.ts';
import { base } from './shared-styles.ts';

/** @summary Ended conversations with their transcripts, newest first, filterable by text. */
export class HelpHistory extends LitElement {
  static override styles = [
    base,
    css`
      form {
        display: flex;
        gap: 0.5rem;
        align-items: end;
        margin-bottom: 0.75rem;
      }
      label {
        display: grid;
        gap: 0.25rem;
      }
      article {
        border: 1px solid #d0d4da;
        border-radius: 0.6rem;
        margin-bottom: 0.75rem;
      }
      summary {
        padding: 0.5rem 0.75rem;
        cursor: pointer;
      }
      .actions {
        padding: 0 0.75rem 0.75rem;
      }
    `,
  ];

  @state() private entries: HistoryEntry[] | undefined;
  @state() private error = '';
  #query = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  /** Fetches the list again, e.g. after a conversation ended. */
  async load(): Promise<void> {
    const params = new URLSearchParams(this.#query ? { q: this.#query } : {});
    try {
      const response = await fetch(`/api/agent/history?${params}`);
      const body = (await response.json()) as {
        conversations?: HistoryEntry[];
        error?: { message: string };
      };
      if (!response.ok) throw new Error(body.error?.message ?? `status ${response.status}`);
      this.entries = body.conversations ?? [];
      this.error = '';
    } catch (error) {
      this.error = `History could not be loaded: ${(error as Error).message}`;
    }
  }

  private filter(event: SubmitEvent): void {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('q') as HTMLInputElement;
    this.#query = input.value.trim();
    void this.load();
  }

  override render() {
    return html`<h2>History</h2>
      <form role="search" @submit=${this.filter}>
        <label>Search transcripts <input name="q" type="search" /></label>
        <button type="submit">Search</button>
      </form>
      <p role="alert">${this.error}</p>
      ${this.entries?.length === 0 ? html`<p class="muted">No ended conversations${this.#query ? ' match' : ' yet'}.</p>` : nothing}
      ${this.entries?.map(
        (entry) => html`<article>
          <details>
            <summary>
              ${entry.visitor.name || entry.details.pageTitle || 'Visitor'} ·
              ${new Date(entry.endedAt).toLocaleString()} · ${entry.messageCount}
              ${entry.messageCount === 1 ? 'message' : 'messages'}
            </summary>
            <help-message-list self="helper" .messages=${entry.messages}></help-message-list>
          </details>
          <div class="actions">
            <a href="/api/agent/history/${entry.id}/transcript" download
              >Download transcript</a
            >
          </div>
        </article>`,
      )}`;
  }
}

if (!customElements.get('help-history')) customElements.define('help-history', HelpHistory);

declare global {
  interface HTMLElementTagNameMap {
    'help-history': HelpHistory;
  }
}
