/**
 * A report in the helper's time zone, assembled from UTC hour buckets. Each UTC hour counts
 * in the local day and hour its start falls in: in a zone a whole number of hours from UTC
 * (with or without daylight saving) that is exact. In a zone off by a half or three quarters
 * of an hour (India, Nepal, Newfoundland…) a bucket straddles two local hours, and is counted
 * in the earlier one: conversations asked up to 30 (45) minutes after local midnight may be
 * counted in the day before.
 */
import type { Report, ReportQuery } from '../../protocol/reports.ts';
import type { HourBucket } from './report-bucket.ts';
import { type Histogram, mergeInto, percentile } from './wait-histogram.ts';

const DAY_MS = 86_400_000;

/** Where a UTC hour's start falls in a time zone. */
export interface LocalHour {
  date: string;
  /** 0 = Monday … 6 = Sunday. */
  weekday: number;
  hour: number;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(tz: string): Intl.DateTimeFormat {
  let format = formats.get(tz);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      weekday: 'short',
      hourCycle: 'h23',
    });
    formats.set(tz, format);
  }
  return format;
}

/** The local date, weekday and hour of the start of UTC hour `hour` (`2026-03-01T14`). */
export function localHour(hour: string, tz: string): LocalHour {
  const parts: Record<string, string> = {};
  for (const part of formatFor(tz).formatToParts(Date.parse(`${hour}:00:00Z`))) {
    parts[part.type] = part.value;
  }
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ''),
    hour: Number(parts.hour) % 24,
  };
}

/** Every local date from `from` to `to`, both included. */
export function datesBetween(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS) {
    dates.push(new Date(t).toISOString().slice(0, 10));
  }
  return dates;
}

/**
 * The UTC hours a store must read for a range of local dates: a day either side covers every
 * zone (UTC−12 to UTC+14); hours outside the range are dropped by `assembleReport`.
 */
export function utcHoursFor(query: Pick<ReportQuery, 'from' | 'to'>): {
  first: string;
  last: string;
} {
  const first = Date.parse(`${query.from}T00:00:00Z`) - DAY_MS;
  const last = Date.parse(`${query.to}T23:00:00Z`) + DAY_MS;
  return {
    first: new Date(first).toISOString().slice(0, 13),
    last: new Date(last).toISOString().slice(0, 13),
  };
}

interface DaySums {
  chats: number;
  answered: number;
  missed: number;
  wait: Histogram;
}

/** The report for `query` from the buckets of (at least) `utcHoursFor(query)`. */
export function assembleReport(buckets: readonly HourBucket[], query: ReportQuery): Report {
  const days = new Map<string, DaySums>(
    datesBetween(query.from, query.to).map((date) => [
      date,
      { chats: 0, answered: 0, missed: 0, wait: {} },
    ]),
  );
  const heat = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  const wait: Histogram = {};
  const length: Histogram = {};
  const helpers = new Map<string, { name: string; conversations: number }>();
  const report: Report = {
    from: query.from,
    to: query.to,
    tz: query.tz,
    chats: 0,
    offline: 0,
    answered: 0,
    missed: 0,
    waitP50Ms: null,
    waitP90Ms: null,
    lengthP50Ms: null,
    ratings: { up: 0, down: 0, comments: [] },
    followed: 0,
    mirrored: 0,
    helpers: [],
    days: [],
    heat,
  };
  for (const bucket of buckets) {
    const local = localHour(bucket.hour, query.tz);
    const day = days.get(local.date);
    if (!day) continue;
    day.chats += bucket.chats;
    day.answered += bucket.answered;
    day.missed += bucket.missed;
    mergeInto(day.wait, bucket.wait);
    const row = heat[local.weekday];
    if (row) row[local.hour] = (row[local.hour] ?? 0) + bucket.chats + bucket.offline;
    report.chats += bucket.chats;
    report.offline += bucket.offline;
    report.answered += bucket.answered;
    report.missed += bucket.missed;
    mergeInto(wait, bucket.wait);
    mergeInto(length, bucket.length);
    report.ratings.up += bucket.up;
    report.ratings.down += bucket.down;
    for (const { value, comment, at } of bucket.comments) {
      report.ratings.comments.push({ value, comment, at });
    }
    report.followed += bucket.followed;
    report.mirrored += bucket.mirrored;
    for (const [id, helper] of Object.entries(bucket.helpers)) {
      const sum = helpers.get(id) ?? { name: helper.name, conversations: 0 };
      sum.conversations += helper.conversations;
      helpers.set(id, sum);
    }
  }
  report.waitP50Ms = percentile(wait, 0.5);
  report.waitP90Ms = percentile(wait, 0.9);
  report.lengthP50Ms = percentile(length, 0.5);
  report.ratings.comments.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  report.helpers = [...helpers]
    .map(([id, h]) => ({ id, ...h }))
    .sort((a, b) => b.conversations - a.conversations || a.name.localeCompare(b.name));
  report.days = [...days].map(([date, d]) => ({
    date,
    chats: d.chats,
    answered: d.answered,
    missed: d.missed,
    waitP50Ms: percentile(d.wait, 0.5),
    waitP90Ms: percentile(d.wait, 0.9),
  }));
  return report;
}
