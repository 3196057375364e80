import { css, html, LitElement, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { CannedReply } from '../protocol/domain.ts';
import { LIMITS } from '../protocol/limits.ts';
import { sentence } from './format.ts';
import { base } from './shared-styles.ts';
import { strings } from './strings.ts';

const words = strings.canned;

/** What a save or delete answered: the reply, or the server's message for a refusal. */
export type CannedAnswer<T> = { ok: true; data: T } | { ok: false; message: string };

/**
 * @summary The desk's canned replies, shared by every helper: listed by shortcut, added,
 * edited and deleted here; used by typing `/` in a message box. The desk sets the calls.
 */
export class HelpCannedReplies extends LitElement {
  static override styles = [
    base,
    css`
      li {
        border-bottom: 1px solid #d0d4da;
        padding: 0.5rem 0;
        display: grid;
        gap: 0.25rem;
      }
      .text {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
      }
      form {
        display: grid;
        gap: 0.5rem;
        max-width: 36rem;
        margin-top: 1rem;
      }
      label {
        display: grid;
        gap: 0.25rem;
      }
      textarea {
        font: inherit;
        padding: 0.35rem;
        border: 1px solid #8a929c;
        border-radius: 0.4rem;
      }
    `,
  ];

  @property({ attribute: false }) listReplies: () => Promise<CannedReply[] | undefined> =
    async () => [];
  @property({ attribute: false }) saveReply: (reply: {
    id?: string;
    shortcut: string;
    text: string;
  }) => Promise<CannedAnswer<CannedReply>> = async () => ({ ok: false, message: '' });
  @property({ attribute: false }) removeReply: (id: string) => Promise<CannedAnswer<null>> =
    async () => ({ ok: false, message: '' });

  @state() private replies: CannedReply[] | undefined;
  /** The reply being edited; undefined while adding a new one. */
  @state() private editing: CannedReply | undefined;
  @state() private error = '';
  @state() private said = '';
  @query('form') private form?: HTMLFormElement;
  @query('input[name="shortcut"]') private shortcutBox?: HTMLInputElement;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  async load(): Promise<void> {
    this.replies = (await this.listReplies()) ?? this.replies;
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const shortcut = String(form.get('shortcut') ?? '')
      .trim()
      .replace(/^\//, '');
    const answer = await this.saveReply({
      ...(this.editing ? { id: this.editing.id } : {}),
      shortcut,
      text: String(form.get('text') ?? ''),
    });
    if (!answer.ok) {
      this.error = sentence(answer.message);
      this.said = '';
      return;
    }
    this.error = '';
    this.said = words.saved(answer.data.shortcut);
    this.editing = undefined;
    this.form?.reset();
    await this.load();
    this.shortcutBox?.focus();
  }

  private async startEditing(reply: CannedReply): Promise<void> {
    this.editing = reply;
    this.error = '';
    this.said = '';
    await this.updateComplete;
    this.shortcutBox?.focus();
  }

  private async delete(reply: CannedReply): Promise<void> {
    const answer = await this.removeReply(reply.id);
    this.error = answer.ok ? '' : sentence(answer.message);
    this.said = answer.ok ? words.removed(reply.shortcut) : '';
    if (this.editing?.id === reply.id) this.editing = undefined;
    await this.load();
    this.renderRoot.querySelector<HTMLElement>('#canned-title')?.focus();
  }

  override render() {
    const editing = this.editing;
    return html`<h2 id="canned-title" tabindex="-1">${words.heading}</h2>
      <p class="muted">${words.intro}</p>
      <p role="status">${this.said}</p>
      ${
        this.replies?.length === 0
          ? html`<p class="muted">${words.none}</p>`
          : html`<ul>
              ${this.replies?.map(
                (reply) => html`<li>
                  <div class="row">
                    <strong>/${reply.shortcut}</strong>
                    <span class="muted">${words.by(reply.updatedBy)}</span>
                  </div>
                  <span class="text">${reply.text}</span>
                  <div class="row">
                    <button type="button" class="quiet" @click=${() => this.startEditing(reply)}>
                      ${words.edit(reply.shortcut)}
                    </button>
                    <button type="button" class="quiet" @click=${() => this.delete(reply)}>
                      ${words.remove(reply.shortcut)}
                    </button>
                  </div>
                </li>`,
              )}
            </ul>`
      }
      <form aria-labelledby="canned-form-title" @submit=${this.submit}>
        <h3 id="canned-form-title">${editing ? words.editing(editing.shortcut) : words.add}</h3>
        <label
          >${words.shortcut}
          <input name="shortcut" required maxlength="41" .value=${editing?.shortcut ?? ''}
        /></label>
        <label
          >${words.text}
          <textarea
            name="text"
            rows="4"
            required
            maxlength=${LIMITS.messageText}
            .value=${editing?.text ?? ''}
          ></textarea>
        </label>
        <p role="alert">${this.error}</p>
        <div class="row">
          <button type="submit">${words.save}</button>
          ${
            editing
              ? html`<button
                  type="button"
                  class="quiet"
                  @click=${() => {
                    this.editing = undefined;
                    this.form?.reset();
                  }}
                >
                  ${words.cancel}
                </button>`
              : nothing
          }
        </div>
      </form>`;
  }
}

if (!customElements.get('help-canned-replies')) {
  customElements.define('help-canned-replies', HelpCannedReplies);
}

declare global {
  interface HTMLElementTagNameMap {
    'help-canned-replies': HelpCannedReplies;
  }
}
