/**
 * Reports on PostgreSQL (migrations/006-reports.sql): each ended conversation's report entry
 * and the hourly buckets summing them, kept by the same code as the local store's
 * (report-entry.ts, report-bucket.ts), in the transaction that saves the ended record.
 */
import type pg from 'pg';
import type { ConversationRecord } from '../../domain/conversation-types.ts';
import { emptyBucket, type HourBucket, replaceEntry } from '../../domain/report-bucket.ts';
import { type ReportEntry, reportEntry, sameEntry } from '../../domain/report-entry.ts';

/** Conversations counted per transaction when catching up. */
const BATCH = 500;

/**
 * Counts the latest entries of ended conversations whose rows this transaction has locked (the
 * save's update, or catch-up's FOR UPDATE), so no two transactions count one conversation at
 * once. Hour rows are locked in hour order: two transactions never wait on each other in a
 * circle.
 */
export async function keepReports(
  client: pg.ClientBase,
  records: readonly ConversationRecord[],
): Promise<void> {
  const entries = records.flatMap((record) => reportEntry(record) ?? []);
  if (entries.length === 0) return;
  const stored = await client.query<{ conversation_id: string; entry: ReportEntry }>(
    'SELECT conversation_id, entry FROM report_entries WHERE conversation_id = ANY($1::text[])',
    [entries.map((e) => e.id)],
  );
  const old = new Map(stored.rows.map((row) => [row.conversation_id, row.entry]));
  const changed = entries.filter((entry) => !sameEntry(old.get(entry.id), entry));
  if (changed.length === 0) return;
  const hours = [
    ...new Set(changed.flatMap((e) => [e.hour, ...(old.has(e.id) ? [old.get(e.id)?.hour] : [])])),
  ]
    .filter((hour): hour is string => hour !== undefined)
    .sort();
  await client.query(
    `INSERT INTO report_hours (hour, bucket)
     SELECT * FROM unnest($1::text[], $2::jsonb[]) ORDER BY 1
     ON CONFLICT (hour) DO NOTHING`,
    [hours, hours.map((hour) => JSON.stringify(emptyBucket(hour)))],
  );
  const locked = await client.query<{ bucket: HourBucket }>(
    'SELECT bucket FROM report_hours WHERE hour = ANY($1::text[]) ORDER BY hour FOR UPDATE',
    [hours],
  );
  const buckets = new Map(locked.rows.map((row) => [row.bucket.hour, row.bucket]));
  for (const entry of changed) replaceEntry(buckets, old.get(entry.id), entry);
  await client.query(
    `UPDATE report_hours h SET bucket = v.bucket
     FROM unnest($1::text[], $2::jsonb[]) AS v(hour, bucket) WHERE h.hour = v.hour`,
    [hours, hours.map((hour) => JSON.stringify(buckets.get(hour) ?? emptyBucket(hour)))],
  );
  await client.query(
    `INSERT INTO report_entries (conversation_id, hour, created_at, entry)
     SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::jsonb[])
     ON CONFLICT (conversation_id) DO UPDATE
       SET hour = excluded.hour, created_at = excluded.created_at, entry = excluded.entry`,
    [
      changed.map((e) => e.id),
      changed.map((e) => e.hour),
      changed.map((e) => e.createdAt),
      changed.map((e) => JSON.stringify(e)),
    ],
  );
}

/**
 * Counts conversations that ended before reports existed (or whose count was lost), a batch
 * per transaction; each batch locks its conversations' rows first, so a rating saved at the
 * same moment waits, and a second process catching up finds them counted.
 */
export async function catchUpReports(pool: pg.Pool): Promise<number> {
  let counted = 0;
  for (;;) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const waiting = await client.query<{ record: ConversationRecord }>(
        `SELECT c.record FROM conversations c
         WHERE c.status = 'ended'
           AND NOT EXISTS (SELECT 1 FROM report_entries r WHERE r.conversation_id = c.id)
         ORDER BY c.id LIMIT $1 FOR UPDATE OF c`,
        [BATCH],
      );
      await keepReports(
        client,
        waiting.rows.map((row) => row.record),
      );
      await client.query('COMMIT');
      counted += waiting.rows.length;
      if (waiting.rows.length < BATCH) return counted;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

export async function readReportHours(
  pool: pg.Pool,
  first: string,
  last: string,
): Promise<HourBucket[]> {
  const rows = await pool.query<{ bucket: HourBucket }>(
    'SELECT bucket FROM report_hours WHERE hour BETWEEN $1 AND $2 ORDER BY hour',
    [first, last],
  );
  return rows.rows.map((row) => row.bucket);
}

export async function listReportEntries(
  pool: pg.Pool,
  first: string,
  last: string,
  limit: number,
): Promise<ReportEntry[]> {
  const rows = await pool.query<{ entry: ReportEntry }>(
    `SELECT entry FROM report_entries WHERE hour BETWEEN $1 AND $2
     ORDER BY hour, created_at, conversation_id LIMIT $3`,
    [first, last, limit],
  );
  return rows.rows.map((row) => row.entry);
}
