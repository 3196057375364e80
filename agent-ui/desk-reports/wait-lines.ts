import { html, svg } from 'lit';
import type { Report } from '../../protocol/reports.ts';
import { ReportChart } from './report-chart.ts';
import { duration, reportWords } from './report-strings.ts';

const W = 640;
const H = 200;
const LEFT = 56;
const BOTTOM = 22;
const TOP = 8;

/** @summary The median and 90th-percentile wait for a first answer, one point per day. */
export class HelpReportWait extends ReportChart {
  protected heading() {
    return reportWords.waitPerDay;
  }

  protected chart(report: Report) {
    const days = report.days;
    const max = Math.max(1000, ...days.map((d) => d.waitP90Ms ?? 0));
    const step = (W - LEFT) / Math.max(days.length, 1);
    const x = (i: number) => LEFT + i * step + step / 2;
    const y = (ms: number) => H - BOTTOM - ((H - TOP - BOTTOM) * ms) / max;
    /** Days with no answered chat leave a gap: points only where there was a wait. */
    const line = (pick: (d: Report['days'][number]) => number | null, kind: string) => {
      const points = days.flatMap((d, i) => {
        const ms = pick(d);
        return ms === null ? [] : [[x(i), y(ms)] as const];
      });
      return svg`<polyline class=${kind} points=${points.map((p) => p.join(',')).join(' ')}></polyline>
        ${points.map(([px, py]) => svg`<circle class=${kind} cx=${px} cy=${py} r="3"></circle>`)}`;
    };
    const labelEvery = Math.ceil(days.length / 6);
    return html`<svg viewBox="0 0 ${W} ${H}" role="img" aria-label=${reportWords.waitAlt}>
        <line class="axis" x1=${LEFT} y1=${H - BOTTOM} x2=${W} y2=${H - BOTTOM}></line>
        <text x=${LEFT - 4} y=${TOP + 8} text-anchor="end">${duration(max)}</text>
        <text x=${LEFT - 4} y=${H - BOTTOM} text-anchor="end">0</text>
        ${line((d) => d.waitP50Ms, 'median')} ${line((d) => d.waitP90Ms, 'p90')}
        ${days.map((d, i) =>
          i % labelEvery === 0
            ? svg`<text x=${x(i)} y=${H - 6} text-anchor="middle">${d.date.slice(5)}</text>`
            : svg``,
        )}
      </svg>
      <p class="legend" aria-hidden="true">
        <span class="key answered-key">${reportWords.median}</span>
        <span class="key missed-key">${reportWords.p90}</span>
      </p>`;
  }

  protected table(report: Report) {
    return html`<table>
      <caption class="sr">${reportWords.waitPerDay}</caption>
      <thead>
        <tr>
          <th scope="col">${reportWords.date}</th>
          <th scope="col">${reportWords.median}</th>
          <th scope="col">${reportWords.p90}</th>
        </tr>
      </thead>
      <tbody>
        ${report.days.map(
          (d) => html`<tr>
            <th scope="row">${d.date}</th>
            <td>${duration(d.waitP50Ms)}</td>
            <td>${duration(d.waitP90Ms)}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }
}

if (!customElements.get('help-report-wait'))
  customElements.define('help-report-wait', HelpReportWait);

declare global {
  interface HTMLElementTagNameMap {
    'help-report-wait': HelpReportWait;
  }
}
