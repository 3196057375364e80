import { html, svg } from 'lit';
import type { Report } from '../../protocol/reports.ts';
import { ReportChart } from './report-chart.ts';
import { reportWords } from './report-strings.ts';

const W = 640;
const H = 200;
const LEFT = 36;
const BOTTOM = 22;
const TOP = 8;

/** @summary Chats per day as stacked bars: answered, missed, and the rest. */
export class HelpReportBars extends ReportChart {
  protected heading() {
    return reportWords.perDay;
  }

  protected chart(report: Report) {
    const days = report.days;
    const max = Math.max(1, ...days.map((d) => d.chats));
    const step = (W - LEFT) / Math.max(days.length, 1);
    const width = Math.max(1, step * 0.7);
    const y = (n: number) => ((H - TOP - BOTTOM) * n) / max;
    const labelEvery = Math.ceil(days.length / 6);
    return html`<svg viewBox="0 0 ${W} ${H}" role="img" aria-label=${reportWords.perDayAlt(report.chats, days.length)}>
        <line class="axis" x1=${LEFT} y1=${H - BOTTOM} x2=${W} y2=${H - BOTTOM}></line>
        <text x=${LEFT - 4} y=${TOP + 8} text-anchor="end">${max}</text>
        <text x=${LEFT - 4} y=${H - BOTTOM} text-anchor="end">0</text>
        ${days.map((day, i) => {
          const x = LEFT + i * step + (step - width) / 2;
          const other = Math.max(0, day.chats - day.answered - day.missed);
          let base = H - BOTTOM;
          const part = (n: number, kind: string) => {
            const h = y(n);
            base -= h;
            return n > 0
              ? svg`<rect class=${kind} x=${x} y=${base} width=${width} height=${h}></rect>`
              : svg``;
          };
          return svg`${part(day.answered, 'answered')}${part(day.missed, 'missed')}${part(other, 'other')}
            ${i % labelEvery === 0 ? svg`<text x=${x + width / 2} y=${H - 6} text-anchor="middle">${day.date.slice(5)}</text>` : svg``}`;
        })}
      </svg>
      <p class="legend" aria-hidden="true">
        <span class="key answered-key">${reportWords.answered}</span>
        <span class="key missed-key">${reportWords.missed}</span>
        <span class="key other-key">${reportWords.other}</span>
      </p>`;
  }

  protected table(report: Report) {
    return html`<table>
      <caption class="sr">${reportWords.perDay}</caption>
      <thead>
        <tr>
          <th scope="col">${reportWords.date}</th>
          <th scope="col">${reportWords.chats}</th>
          <th scope="col">${reportWords.answered}</th>
          <th scope="col">${reportWords.missed}</th>
        </tr>
      </thead>
      <tbody>
        ${report.days.map(
          (d) => html`<tr>
            <th scope="row">${d.date}</th>
            <td>${d.chats}</td>
            <td>${d.answered}</td>
            <td>${d.missed}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }
}

if (!customElements.get('help-report-bars'))
  customElements.define('help-report-bars', HelpReportBars);

declare global {
  interface HTMLElementTagNameMap {
    'help-report-bars': HelpReportBars;
  }
}
