import { css, html, LitElement } from 'lit';
import { state } from 'lit/decorators.js';

interface SignedIn {
  id: string;
  name: string;
}

/**
 * @summary The helpers' page. For now: sign in and sign out; the queue, chat and follow pane
 * arrive with the agent page issue.
 */
export class HelpAgentApp extends LitElement {
  static override styles = css`
    :host {
      display: block;
      max-width: 28rem;
      margin: 2rem auto;
      padding: 0 1rem;
      font-family: system-ui, sans-serif;
    }
    form {
      display: grid;
      gap: 0.75rem;
    }
    label {
      display: grid;
      gap: 0.25rem;
    }
    input,
    button {
      font: inherit;
      padding: 0.5rem;
    }
    [role='alert'] {
      color: #a4161a;
    }
  `;

  @state() private helper: SignedIn | null = null;
  @state() private checked = false;
  @state() private error = '';
  @state() private busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadSession();
  }

  private async loadSession(): Promise<void> {
    const response = await fetch('/api/agent/session');
    this.helper = response.ok ? ((await response.json()) as { helper: SignedIn }).helper : null;
    this.checked = true;
  }

  private async signIn(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    this.busy = true;
    this.error = '';
    try {
      const response = await fetch('/api/agent/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: form.get('name'), password: form.get('password') }),
      });
      const body = (await response.json()) as { helper?: SignedIn; error?: { message: string } };
      if (response.ok && body.helper) this.helper = body.helper;
      else this.error = sentence(body.error?.message ?? 'Sign-in failed');
    } catch {
      this.error = 'The server cannot be reached. Check your connection and try again.';
    } finally {
      this.busy = false;
    }
  }

  private async signOut(): Promise<void> {
    await fetch('/api/agent/session', { method: 'DELETE' });
    this.helper = null;
  }

  override render() {
    if (!this.checked) return html`<p>Loading…</p>`;
    if (this.helper) {
      return html`<main>
        <h1>Helpers</h1>
        <p>Signed in as <strong>${this.helper.name}</strong>.</p>
        <button type="button" @click=${this.signOut}>Sign out</button>
      </main>`;
    }
    return html`<main>
      <h1>Helper sign-in</h1>
      <form @submit=${this.signIn}>
        <label>Name <input name="name" autocomplete="username" required /></label>
        <label
          >Password <input name="password" type="password" autocomplete="current-password" required
        /></label>
        <button type="submit" ?disabled=${this.busy}>Sign in</button>
        ${this.error ? html`<p role="alert">${this.error}</p>` : null}
      </form>
    </main>`;
  }
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

if (!customElements.get('help-agent-app')) customElements.define('help-agent-app', HelpAgentApp);

declare global {
  interface HTMLElementTagNameMap {
    'help-agent-app': HelpAgentApp;
  }
}
