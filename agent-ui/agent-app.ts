import { css, html, LitElement } from 'lit';
import { state } from 'lit/decorators.js';
import type { HelpSignedInEvent } from './agent-events.ts';
import './desk-page.ts';
import { base } from './shared-styles.ts';
import './sign-in-form.ts';
import { strings } from './strings.ts';

/**
 * @summary The helpers' page: sign-in when there is no session, the desk when there is.
 * The session is an httpOnly cookie, so a reload stays signed in.
 */
export class HelpAgentApp extends LitElement {
  /** The sign-in form, which had the focus, is gone: the desk page takes it. */
  #justSignedIn = false;
  static override styles = [
    base,
    // In the style sheet, not a style attribute: the page's CSP allows no inline style.
    css`
      .sign-in {
        padding: 1rem;
      }
    `,
  ];

  @state() private helper: { id: string; name: string } | null = null;
  @state() private checked = false;

  override connectedCallback(): void {
    super.connectedCallback();
    document.title = strings.pageTitle;
    // The desk may fill the window (a visitor's page beside the chat): no page margin around
    // it. Through the CSSOM: the page's CSP allows no inline style.
    document.body.style.margin = '0';
    void this.loadSession();
  }

  private async loadSession(): Promise<void> {
    try {
      const response = await fetch('/api/agent/session');
      this.helper = response.ok
        ? ((await response.json()) as { helper: { id: string; name: string } }).helper
        : null;
    } catch {
      this.helper = null;
    }
    this.checked = true;
  }

  override render() {
    if (!this.checked) return html`<p>${strings.loading}</p>`;
    if (!this.helper) {
      return html`<main class="sign-in">
        <help-sign-in
          @help-signed-in=${(e: HelpSignedInEvent) => {
            this.#justSignedIn = true;
            this.helper = e.helper;
          }}
        ></help-sign-in>
      </main>`;
    }
    return html`<help-desk-page
      .helper=${this.helper}
      .justSignedIn=${this.#justSignedIn}
      @help-signed-out=${() => {
        this.helper = null;
      }}
    ></help-desk-page>`;
  }
}

if (!customElements.get('help-agent-app')) customElements.define('help-agent-app', HelpAgentApp);

declare global {
  interface HTMLElementTagNameMap {
    'help-agent-app': HelpAgentApp;
  }
}
