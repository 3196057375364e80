/**
 * Reports: the query a helper's page sends (`GET /api/agent/reports`, `…/reports.csv`) and the
 * figures it gets back. The answer's type is inferred from its schema, so the page and the
 * server read the same shape; only the query is parsed (the server makes the answer).
 */
import { z } from 'zod';

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The longest range one report covers: a year of days keeps every answer small. */
export const REPORT_MAX_DAYS = 366;

/** A calendar date in the helper's time zone, e.g. 2026-03-01. */
const localDate = z
  .string()
  .regex(LOCAL_DATE, 'must be a date like 2026-03-01')
  .refine((value) => {
    // Date.parse takes 2026-02-30 (as 2 March): only a date that reads back the same is real.
    const ms = Date.parse(`${value}T00:00:00Z`);
    return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(value);
  }, 'must be a real date');

/** An IANA zone the server's Intl knows (`Europe/Paris`, `UTC`). */
const timeZone = z
  .string()
  .min(1)
  .max(64)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'must be a time zone such as Europe/Paris');

const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

/** A range of whole days: `from` not after `to`, and not longer than REPORT_MAX_DAYS. */
function inRange<S extends z.ZodType<{ from: string; to: string }>>(schema: S) {
  return schema
    .refine((q) => q.from <= q.to, { message: 'must not be after to', path: ['from'] })
    .refine((q) => dayOf(q.to) - dayOf(q.from) < REPORT_MAX_DAYS, {
      message: `a report covers at most ${REPORT_MAX_DAYS} days`,
      path: ['to'],
    });
}

/** `from` and `to` are both included, as the page's date fields show them. */
export const reportQuerySchema = inRange(
  z.strictObject({ from: localDate, to: localDate, tz: timeZone }),
);
export type ReportQuery = z.infer<typeof reportQuerySchema>;

/** The CSV download: the same query, and which of the two tables. */
export const reportCsvQuerySchema = inRange(
  z.strictObject({
    from: localDate,
    to: localDate,
    tz: timeZone,
    what: z.enum(['figures', 'conversations']),
  }),
);
export type ReportCsvQuery = z.infer<typeof reportCsvQuerySchema>;

const count = z.number().int().min(0);
/** Milliseconds, or null where nothing was measured (no answered chat that day). */
const ms = z.number().min(0).nullable();

export const reportDaySchema = z.strictObject({
  date: z.string(),
  chats: count,
  answered: count,
  missed: count,
  waitP50Ms: ms,
  waitP90Ms: ms,
});
export type ReportDay = z.infer<typeof reportDaySchema>;

export const reportSchema = z.strictObject({
  from: z.string(),
  to: z.string(),
  tz: z.string(),
  /** Chats started (offline messages not included). */
  chats: count,
  offline: count,
  answered: count,
  missed: count,
  waitP50Ms: ms,
  waitP90Ms: ms,
  lengthP50Ms: ms,
  ratings: z.strictObject({
    up: count,
    down: count,
    comments: z.array(
      z.strictObject({ value: z.enum(['up', 'down']), comment: z.string(), at: z.string() }),
    ),
  }),
  followed: count,
  mirrored: count,
  helpers: z.array(z.strictObject({ id: z.string(), name: z.string(), conversations: count })),
  days: z.array(reportDaySchema),
  /** Chats and offline messages started, by weekday (0 = Monday) then hour, local time. */
  heat: z.array(z.array(count).length(24)).length(7),
});
export type Report = z.infer<typeof reportSchema>;
