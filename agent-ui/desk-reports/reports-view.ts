import { css, html, LitElement, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import type { Report } from '../../protocol/reports.ts';
import { base } from '../shared-styles.ts';
import './heat-map.ts';
import './per-day-bars.ts';
import { duration, reportWords as words } from './report-strings.ts';
import './wait-lines.ts';

type Range = 'today' | 'week' | 'month' | 'custom';

/** The helper's own calendar date, `days` before today. */
function localDate(daysBefore = 0): string {
  const d = new Date();
  d.setDate(d.getDate() - daysBefore);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * @summary The Reports page: how the desk is doing over a range of days in the helper's time
 * zone — figures, three charts with table alternatives, and CSV downloads. Loaded only when
 * opened (desk-page imports it on demand), so the rest of the agent page never carries it.
 */
export class HelpReports extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      .ranges {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: end;
        margin-bottom: 0.75rem;
      }
      form {
        display: flex;
        gap: 0.5rem;
        align-items: end;
      }
      label {
        display: grid;
        gap: 0.25rem;
      }
      dl {
        display: grid;
        grid-template-columns: max-content auto;
        gap: 0.25rem 1rem;
        margin: 0 0 1rem;
      }
      dt {
        font-weight: 600;
      }
      dd {
        margin: 0;
      }
      table {
        border-collapse: collapse;
        font-size: 0.9rem;
      }
      th,
      td {
        border: 1px solid #d0d4da;
        padding: 0.2rem 0.5rem;
        text-align: left;
      }
      .downloads {
        display: flex;
        gap: 1rem;
      }
      a {
        color: #1f5fd1;
      }
      blockquote {
        margin: 0.25rem 0 0.5rem;
      }
    `,
  ];

  @state() private range: Range = 'week';
  @state() private from = localDate(6);
  @state() private to = localDate();
  @state() private report: Report | undefined;
  @state() private loading = false;
  @state() private error = '';
  readonly #tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  #asked = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  /** Fetches the report for the range chosen; a slower answer to an older choice is dropped. */
  async load(): Promise<void> {
    const asked = ++this.#asked;
    this.loading = true;
    try {
      const response = await fetch(`/api/agent/reports?${this.#params()}`);
      const body = (await response.json()) as { report?: Report; error?: { message: string } };
      if (asked !== this.#asked) return;
      if (!response.ok || !body.report) {
        throw new Error(body.error?.message ?? `status ${response.status}`);
      }
      this.report = body.report;
      this.error = '';
    } catch (error) {
      if (asked === this.#asked) this.error = words.failed((error as Error).message);
    } finally {
      if (asked === this.#asked) this.loading = false;
    }
  }

  #params(what?: 'figures' | 'conversations'): URLSearchParams {
    return new URLSearchParams({
      from: this.from,
      to: this.to,
      tz: this.#tz,
      ...(what ? { what } : {}),
    });
  }

  private choose(range: Range): void {
    this.range = range;
    if (range === 'custom') return;
    const back = { today: 0, week: 6, month: 29 }[range];
    this.from = localDate(back);
    this.to = localDate();
    void this.load();
  }

  private applyCustom(event: SubmitEvent): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value;
    this.from = value('from');
    this.to = value('to');
    void this.load();
  }

  #figures(r: Report) {
    const rated = r.ratings.up + r.ratings.down;
    const rows: [string, string | number][] = [
      [words.chats, r.chats],
      [words.offline, r.offline],
      [words.answered, r.answered],
      [words.missed, r.missed],
      [words.waitP50, duration(r.waitP50Ms)],
      [words.waitP90, duration(r.waitP90Ms)],
      [words.lengthP50, duration(r.lengthP50Ms)],
      [
        words.thumbsUp,
        rated ? words.upShare(Math.round((100 * r.ratings.up) / rated), rated) : words.noRatings,
      ],
      [words.followed, r.followed],
      [words.mirrored, r.mirrored],
    ];
    return html`<dl>
      ${rows.map(([term, value]) => html`<dt>${term}</dt><dd>${value}</dd>`)}
    </dl>`;
  }

  #helpers(r: Report) {
    if (r.helpers.length === 0) return html`<p class="muted">${words.noHelpers}</p>`;
    const total = r.helpers.reduce((sum, h) => sum + h.conversations, 0);
    return html`<table>
      <thead>
        <tr>
          <th scope="col">${words.helper}</th>
          <th scope="col">${words.conversations}</th>
          <th scope="col">${words.share}</th>
        </tr>
      </thead>
      <tbody>
        ${r.helpers.map(
          (h) => html`<tr>
            <th scope="row">${h.name}</th>
            <td>${h.conversations}</td>
            <td>${Math.round((100 * h.conversations) / total)}%</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }

  #comments(r: Report) {
    if (r.ratings.comments.length === 0) return html`<p class="muted">${words.noComments}</p>`;
    return html`<ul>
      ${r.ratings.comments.map(
        (c) => html`<li>
          <strong>${c.value === 'up' ? words.up : words.down}</strong>
          <span class="muted">${new Date(c.at).toLocaleString()}</span>
          <blockquote>${c.comment}</blockquote>
        </li>`,
      )}
    </ul>`;
  }

  override render() {
    const r = this.report;
    const button = (range: Range, label: string) =>
      html`<button
        type="button"
        class="quiet"
        aria-pressed=${this.range === range}
        @click=${() => this.choose(range)}
      >
        ${label}
      </button>`;
    return html`<h2>${words.heading}</h2>
      <div class="ranges">
        <div role="group" aria-label=${words.range} class="ranges">
          ${button('today', words.today)} ${button('week', words.week)}
          ${button('month', words.month)} ${button('custom', words.custom)}
        </div>
        ${
          this.range === 'custom'
            ? html`<form @submit=${this.applyCustom}>
              <label>${words.from} <input name="from" type="date" required .value=${this.from} /></label>
              <label>${words.to} <input name="to" type="date" required .value=${this.to} /></label>
              <button type="submit">${words.apply}</button>
            </form>`
            : nothing
        }
      </div>
      <p role="status">${this.loading ? words.loading : r ? words.period(r.from, r.to, r.tz) : ''}</p>
      <p role="alert">${this.error}</p>
      ${
        r
          ? html`<section aria-labelledby="figures-title">
              <h3 id="figures-title">${words.figures}</h3>
              ${this.#figures(r)}
              <p class="downloads">
                ${words.download}:
                <a href="/api/agent/reports.csv?${this.#params('figures')}" download>${words.figuresCsv}</a>
                <a href="/api/agent/reports.csv?${this.#params('conversations')}" download
                  >${words.conversationsCsv}</a
                >
              </p>
            </section>
            <help-report-bars .report=${r}></help-report-bars>
            <help-report-wait .report=${r}></help-report-wait>
            <help-report-heat .report=${r}></help-report-heat>
            <section aria-labelledby="helpers-title">
              <h3 id="helpers-title">${words.helpers}</h3>
              ${this.#helpers(r)}
            </section>
            <section aria-labelledby="comments-title">
              <h3 id="comments-title">${words.comments}</h3>
              ${this.#comments(r)}
            </section>`
          : nothing
      }`;
  }
}

if (!customElements.get('help-reports')) customElements.define('help-reports', HelpReports);

declare global {
  interface HTMLElementTagNameMap {
    'help-reports': HelpReports;
  }
}
