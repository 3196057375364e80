import { css, html, LitElement } from 'lit';
import { state } from 'lit/decorators.js';
import { HelpSignedInEvent } from './agent-events.ts';
import { sentence } from './format.ts';
import { base } from './shared-styles.ts';
import { strings } from './strings.ts';

const words = strings.signIn;

/**
 * @summary Helper sign-in: "Name", "Password", "Sign in"; a wrong password says so.
 * @event help-signed-in - The server accepted the name and password.
 */
export class HelpSignIn extends LitElement {
  static override styles = [
    base,
    css`
      form {
        display: grid;
        gap: 0.75rem;
        max-width: 22rem;
      }
      label {
        display: grid;
        gap: 0.25rem;
      }
    `,
  ];

  @state() private error = '';
  @state() private busy = false;

  private async submit(event: SubmitEvent): Promise<void> {
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
      // A proxy's error page is not JSON: say what happened rather than blame the network.
      const body = (await response.json().catch(() => ({
        error: { message: words.badAnswer(response.status) },
      }))) as { helper?: { id: string; name: string }; error?: { message: string } };
      if (response.ok && body.helper) this.dispatchEvent(new HelpSignedInEvent(body.helper));
      else this.error = sentence(body.error?.message ?? words.failed);
    } catch {
      this.error = words.unreachable;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`<h1>${words.heading}</h1>
      <form @submit=${this.submit}>
        <label>${words.name} <input name="name" autocomplete="username" required /></label>
        <label
          >${words.password}
          <input name="password" type="password" autocomplete="current-password" required
        /></label>
        <button type="submit" ?disabled=${this.busy}>${words.submit}</button>
        <p role="alert">${this.error}</p>
      </form>`;
  }
}

if (!customElements.get('help-sign-in')) customElements.define('help-sign-in', HelpSignIn);

declare global {
  interface HTMLElementTagNameMap {
    'help-sign-in': HelpSignIn;
  }
}
