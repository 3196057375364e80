import { css, html, LitElement, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import type { HistoryEntry } from '../protocol/domain.ts';
import './history-entry.ts';
import { base } from './shared-styles.ts';
import { strings } from './strings.ts';

const words = strings.history;

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
      this.error = words.failed((error as Error).message);
    }
  }

  private filter(event: SubmitEvent): void {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('q') as HTMLInputElement;
    this.#query = input.value.trim();
    void this.load();
  }

  override render() {
    return html`<h2>${words.heading}</h2>
      <form role="search" @submit=${this.filter}>
        <label>${words.search} <input name="q" type="search" /></label>
        <button type="submit">${words.submit}</button>
      </form>
      <p role="alert">${this.error}</p>
      ${
        this.entries?.length === 0
          ? html`<p class="muted">${this.#query ? words.noMatch : words.none}</p>`
          : nothing
      }
      ${this.entries?.map((entry) => html`<help-history-entry .entry=${entry}></help-history-entry>`)}`;
  }
}

if (!customElements.get('help-history')) customElements.define('help-history', HelpHistory);

declare global {
  interface HTMLElementTagNameMap {
    'help-history': HelpHistory;
  }
}
