import { html, svg } from 'lit';
import type { Report } from '../../protocol/reports.ts';
import { ReportChart } from './report-chart.ts';
import { reportWords } from './report-strings.ts';

const CELL_W = 24;
const CELL_H = 20;
const LEFT = 36;
const TOP = 16;
const HOURS = Array.from({ length: 24 }, (_, h) => h);

/** @summary Requests by weekday and hour (helper's time), darker where more people asked. */
export class HelpReportHeat extends ReportChart {
  protected heading() {
    return reportWords.heat;
  }

  protected chart(report: Report) {
    const max = Math.max(1, ...report.heat.flat());
    return html`<svg
      viewBox="0 0 ${LEFT + 24 * CELL_W} ${TOP + 7 * CELL_H}"
      role="img"
      aria-label=${reportWords.heatAlt}
    >
      ${HOURS.filter((h) => h % 3 === 0).map(
        (h) =>
          svg`<text x=${LEFT + h * CELL_W + 2} y=${TOP - 4}>${String(h).padStart(2, '0')}</text>`,
      )}
      ${report.heat.map(
        (
          row,
          day,
        ) => svg`<text x=${LEFT - 4} y=${TOP + day * CELL_H + 14} text-anchor="end">${reportWords.weekdays[day]}</text>
          ${row.map((n, h) =>
            n === 0
              ? svg`<rect class="empty" x=${LEFT + h * CELL_W} y=${TOP + day * CELL_H} width=${CELL_W - 2} height=${CELL_H - 2}></rect>`
              : svg`<rect class="cell" x=${LEFT + h * CELL_W} y=${TOP + day * CELL_H} width=${CELL_W - 2} height=${CELL_H - 2} fill-opacity=${(0.15 + (0.85 * n) / max).toFixed(2)}></rect>`,
          )}`,
      )}
    </svg>`;
  }

  protected table(report: Report) {
    return html`<table>
      <caption class="sr">${reportWords.heat}</caption>
      <thead>
        <tr>
          <th scope="col">${reportWords.weekday}</th>
          ${HOURS.map((h) => html`<th scope="col">${reportWords.hourLabel(h)}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${report.heat.map(
          (row, day) => html`<tr>
            <th scope="row">${reportWords.weekdays[day]}</th>
            ${row.map((n) => html`<td>${n}</td>`)}
          </tr>`,
        )}
      </tbody>
    </table>`;
  }
}

if (!customElements.get('help-report-heat'))
  customElements.define('help-report-heat', HelpReportHeat);

declare global {
  interface HTMLElementTagNameMap {
    'help-report-heat': HelpReportHeat;
  }
}
