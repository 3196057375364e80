/**
 * Reports as CSV, for a spreadsheet: the figures of a range, and its conversations one per
 * line. Every cell is text a spreadsheet may evaluate, and some come from visitors (rating
 * comments) or helpers (names): see `csvCell`.
 */
import type { Report } from '../../protocol/reports.ts';
import type { ReportEntry } from './report-entry.ts';

/**
 * One cell: a leading = + - @ (or tab / carriage return, which some spreadsheets skip before
 * one) is made text by a leading `'`, so `=HYPERLINK(…)` in a comment stays words (OWASP's
 * CSV injection advice); then quoted when it holds a comma, quote or line break.
 */
export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csv(rows: (string | number | null | undefined)[][]): string {
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

const seconds = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? '' : Math.round(ms / 1000);

/** The figures: `scope,figure,value`, the range first, then each day, helper and comment. */
export function figuresCsv(report: Report): string {
  const range = `${report.from}..${report.to}`;
  const rows: (string | number | null)[][] = [
    ['scope', 'figure', 'value'],
    [range, 'time zone', report.tz],
    [range, 'chats started', report.chats],
    [range, 'offline messages', report.offline],
    [range, 'answered', report.answered],
    [range, 'missed', report.missed],
    [range, 'wait p50 (s)', seconds(report.waitP50Ms)],
    [range, 'wait p90 (s)', seconds(report.waitP90Ms)],
    [range, 'length p50 (s)', seconds(report.lengthP50Ms)],
    [range, 'thumbs up', report.ratings.up],
    [range, 'thumbs down', report.ratings.down],
    [range, 'followed', report.followed],
    [range, 'mirrored', report.mirrored],
  ];
  for (const day of report.days) {
    rows.push([day.date, 'chats started', day.chats]);
    rows.push([day.date, 'answered', day.answered]);
    rows.push([day.date, 'missed', day.missed]);
    rows.push([day.date, 'wait p50 (s)', seconds(day.waitP50Ms)]);
    rows.push([day.date, 'wait p90 (s)', seconds(day.waitP90Ms)]);
  }
  for (const helper of report.helpers) {
    rows.push([`helper ${helper.name}`, 'conversations', helper.conversations]);
  }
  for (const comment of report.ratings.comments) {
    rows.push([
      `comment ${comment.at}`,
      comment.value === 'up' ? 'thumbs up' : 'thumbs down',
      comment.comment,
    ]);
  }
  return csv(rows);
}

const dateTimes = new Map<string, Intl.DateTimeFormat>();

/** `2026-03-01 14:05:09` in the zone. */
export function localDateTime(iso: string, tz: string): string {
  let format = dateTimes.get(tz);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    dateTimes.set(tz, format);
  }
  const p: Record<string, string> = {};
  for (const part of format.formatToParts(Date.parse(iso))) p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** The conversations of the range, oldest first. */
export function conversationsCsv(entries: readonly ReportEntry[], tz: string): string {
  const rows: (string | number | null | undefined)[][] = [
    [
      'conversation',
      'asked at',
      'ended at',
      'kind',
      'outcome',
      'wait (s)',
      'length (s)',
      'helper',
      'rating',
      'rating comment',
      'followed',
      'mirrored',
    ],
  ];
  for (const e of entries) {
    rows.push([
      e.id,
      localDateTime(e.createdAt, tz),
      localDateTime(e.endedAt, tz),
      e.kind === 'message' ? 'offline message' : 'chat',
      e.outcome ?? '',
      seconds(e.waitMs),
      seconds(e.lengthMs),
      e.helperName ?? '',
      e.rating ? (e.rating.value === 'up' ? 'thumbs up' : 'thumbs down') : '',
      e.rating?.comment ?? '',
      e.followed ? 'yes' : 'no',
      e.mirrored ? 'yes' : 'no',
    ]);
  }
  return csv(rows);
}
