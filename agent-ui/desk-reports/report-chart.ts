import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Report } from '../../protocol/reports.ts';
import { base } from '../shared-styles.ts';
import { reportWords } from './report-strings.ts';

/**
 * What every report chart shares: a heading, the SVG drawn by Lit (role="img" with a name),
 * and a "Show as table" toggle that swaps it for the same numbers as a table, for screen
 * readers and for anyone who would rather read. Colours and sizes come from the stylesheet
 * or SVG attributes: the agent page's CSP allows no `style` attribute.
 */
export abstract class ReportChart extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
        margin: 1rem 0;
      }
      .top {
        display: flex;
        gap: 1rem;
        align-items: baseline;
        justify-content: space-between;
      }
      h3 {
        font-size: 1rem;
        margin: 0 0 0.5rem;
      }
      svg {
        width: 100%;
        max-width: 48rem;
        height: auto;
        display: block;
      }
      svg text {
        font: 11px system-ui, sans-serif;
        fill: #1d1d1f;
      }
      .answered {
        fill: #1f5fd1;
      }
      .missed {
        fill: #c2410c;
      }
      .other {
        fill: #8a929c;
      }
      .median {
        stroke: #1f5fd1;
        fill: none;
        stroke-width: 2;
      }
      .p90 {
        stroke: #c2410c;
        fill: none;
        stroke-width: 2;
        stroke-dasharray: 6 3;
      }
      .axis {
        stroke: #8a929c;
      }
      .cell {
        fill: #1f5fd1;
      }
      .empty {
        fill: #f0f2f5;
      }
      .legend {
        display: flex;
        gap: 1rem;
        font-size: 0.85rem;
      }
      .key::before {
        content: '';
        display: inline-block;
        width: 0.8rem;
        height: 0.8rem;
        margin-right: 0.3rem;
        vertical-align: -0.1rem;
        background: var(--key);
      }
      .key.answered-key {
        --key: #1f5fd1;
      }
      .key.missed-key {
        --key: #c2410c;
      }
      .key.other-key {
        --key: #8a929c;
      }
      table {
        border-collapse: collapse;
        font-size: 0.85rem;
      }
      th,
      td {
        border: 1px solid #d0d4da;
        padding: 0.2rem 0.4rem;
        text-align: right;
      }
      th[scope='row'] {
        text-align: left;
      }
      .scroll {
        overflow-x: auto;
      }
    `,
  ];

  @property({ attribute: false }) report: Report | undefined;
  @state() private showTable = false;

  protected abstract heading(): string;
  protected abstract chart(report: Report): TemplateResult;
  protected abstract table(report: Report): TemplateResult;

  override render() {
    const report = this.report;
    if (!report) return nothing;
    return html`<div class="top">
        <h3>${this.heading()}</h3>
        <button
          type="button"
          class="quiet"
          aria-pressed=${this.showTable}
          @click=${() => {
            this.showTable = !this.showTable;
          }}
        >
          ${reportWords.showTable}
        </button>
      </div>
      ${
        this.showTable
          ? // A wide table scrolls: focusable, so a keyboard can scroll it too.
            html`<div class="scroll" tabindex="0" role="region" aria-label=${this.heading()}>
              ${this.table(report)}
            </div>`
          : this.chart(report)
      }`;
  }
}
