/** The Reports page's figures and CSV downloads, assembled from the store's hourly sums. */
import type { Report, ReportQuery } from '../../protocol/reports.ts';
import { assembleReport, localHour, utcHoursFor } from '../domain/report-assembly.ts';
import { conversationsCsv, figuresCsv } from '../domain/report-csv.ts';
import type { Store } from '../store/store.ts';

/** The longest conversation list one download holds; a year of a busy desk fits. */
export const CSV_MAX_CONVERSATIONS = 200_000;

export class DeskReports {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  /** The figures of a range of days in the helper's time zone. */
  async report(query: ReportQuery): Promise<Report> {
    const { first, last } = utcHoursFor(query);
    return assembleReport(await this.#store.readReportHours(first, last), query);
  }

  async figuresCsv(query: ReportQuery): Promise<string> {
    return figuresCsv(await this.report(query));
  }

  /** The range's conversations, those asked for on its days in the helper's time zone. */
  async conversationsCsv(query: ReportQuery): Promise<string> {
    const { first, last } = utcHoursFor(query);
    const entries = await this.#store.listReportEntries(first, last, CSV_MAX_CONVERSATIONS);
    const inRange = entries.filter((entry) => {
      const { date } = localHour(entry.hour, query.tz);
      return date >= query.from && date <= query.to;
    });
    return conversationsCsv(inRange, query.tz);
  }
}
