import { css, html, LitElement } from 'lit';
import { state } from 'lit/decorators.js';
import { HelpSignedInEvent } from './agent-events.ts';
import { sentence } from './format.ts';
import { rememberAvailability, rememberedAvailability } from './remembered.ts';
import { base } from './shared-styles.ts';
import { strings } from './strings.ts';

const words = strings.signIn;

/**
 * @summary Helper sign-in: "Name", "Password", whether to take chats at once, "Sign in"; a
 * wrong password says so. The availability choice is this browser's last one (away at first).
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
      fieldset {
        border: 1px solid #d0d4da;
        border-radius: 0.4rem;
        display: grid;
        gap: 0.35rem;
      }
      fieldset label {
        display: flex;
        gap: 0.4rem;
        align-items: baseline;
      }
    `,
  ];

  @state() private error = '';
  @state() private busy = false;

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const availability = form.get('availability') === 'available' ? 'available' : 'away';
    this.busy = true;
    this.error = '';
    try {
      const response = await fetch('/api/agent/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: form.get('name'),
          password: form.get('password'),
          availability,
        }),
      });
      // A proxy's error page is not JSON: say what happened rather than blame the network.
      const body = (await response.json().catch(() => ({
        error: { message: words.badAnswer(response.status) },
      }))) as { helper?: { id: string; name: string }; error?: { message: string } };
      if (response.ok && body.helper) {
        rememberAvailability(availability);
        this.dispatchEvent(new HelpSignedInEvent(body.helper));
      } else this.error = sentence(body.error?.message ?? words.failed);
    } catch {
      this.error = words.unreachable;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const start = rememberedAvailability();
    return html`<h1>${words.heading}</h1>
      <form @submit=${this.submit}>
        <label>${words.name} <input name="name" autocomplete="username" required /></label>
        <label
          >${words.password}
          <input name="password" type="password" autocomplete="current-password" required
        /></label>
        <fieldset>
          <legend>${words.startAs}</legend>
          ${(['available', 'away'] as const).map(
            (choice) =>
              html`<label
                ><input
                  type="radio"
                  name="availability"
                  value=${choice}
                  ?checked=${choice === start}
                />${words.startChoice[choice]}</label
              >`,
          )}
        </fieldset>
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
