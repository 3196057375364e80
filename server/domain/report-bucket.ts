/**
 * The reports' aggregate: one bucket per UTC hour of requests, summing the entries of the
 * conversations asked for in it. Entries are added as conversations end and taken back when
 * one is saved again (a rating comes after the end), so a bucket is always the sum of the
 * latest entries. A report merges at most a range's hours (report-assembly.ts).
 */

import type { ReportEntry } from './report-entry.ts';
import { addSample, type Histogram } from './wait-histogram.ts';

export interface RatingComment {
  id: string;
  value: 'up' | 'down';
  comment: string;
  at: string;
}

export interface HourBucket {
  /** `2026-03-01T14`, UTC. */
  hour: string;
  chats: number;
  offline: number;
  answered: number;
  missed: number;
  wait: Histogram;
  length: Histogram;
  up: number;
  down: number;
  /** Ratings with a comment: few, and listed whole by the report. */
  comments: RatingComment[];
  followed: number;
  mirrored: number;
  /** Conversations each helper last held, by helper id. */
  helpers: Record<string, { name: string; conversations: number }>;
}

export function emptyBucket(hour: string): HourBucket {
  return {
    hour,
    chats: 0,
    offline: 0,
    answered: 0,
    missed: 0,
    wait: {},
    length: {},
    up: 0,
    down: 0,
    comments: [],
    followed: 0,
    mirrored: 0,
    helpers: {},
  };
}

/** Adds an entry to its hour's bucket (`times` 1), or takes it back out (`times` −1). */
export function countEntry(bucket: HourBucket, entry: ReportEntry, times: 1 | -1): void {
  if (entry.kind === 'message') bucket.offline += times;
  else bucket.chats += times;
  if (entry.outcome === 'answered') bucket.answered += times;
  if (entry.outcome === 'missed') bucket.missed += times;
  if (entry.waitMs !== undefined) addSample(bucket.wait, entry.waitMs, times);
  if (entry.lengthMs !== undefined) addSample(bucket.length, entry.lengthMs, times);
  if (entry.rating?.value === 'up') bucket.up += times;
  if (entry.rating?.value === 'down') bucket.down += times;
  bucket.comments = bucket.comments.filter((c) => c.id !== entry.id);
  if (times === 1 && entry.rating?.comment) {
    const { value, comment, at } = entry.rating;
    bucket.comments.push({ id: entry.id, value, comment, at });
  }
  if (entry.followed) bucket.followed += times;
  if (entry.mirrored) bucket.mirrored += times;
  if (entry.helperId) {
    const helper = bucket.helpers[entry.helperId] ?? { name: '', conversations: 0 };
    helper.conversations += times;
    // The name the helper had when they last ended one: renames show once they end another.
    if (times === 1) helper.name = entry.helperName ?? entry.helperId;
    if (helper.conversations > 0) bucket.helpers[entry.helperId] = helper;
    else delete bucket.helpers[entry.helperId];
  }
}

/**
 * Replaces a conversation's entry in `buckets` (hour → bucket): the old one taken out, the
 * new one added. Returns the buckets it changed, for a store to write back.
 */
export function replaceEntry(
  buckets: Map<string, HourBucket>,
  old: ReportEntry | undefined,
  entry: ReportEntry | undefined,
): HourBucket[] {
  const touched = new Set<HourBucket>();
  for (const [e, times] of [
    [old, -1],
    [entry, 1],
  ] as const) {
    if (!e) continue;
    let bucket = buckets.get(e.hour);
    if (!bucket) {
      bucket = emptyBucket(e.hour);
      buckets.set(e.hour, bucket);
    }
    countEntry(bucket, e, times);
    touched.add(bucket);
  }
  return [...touched];
}

/** Every UTC hour key from `first` to `last`, both included. */
export function* eachHour(first: string, last: string): Generator<string> {
  const end = Date.parse(`${last}:00:00Z`);
  for (let t = Date.parse(`${first}:00:00Z`); t <= end; t += 3_600_000) {
    yield new Date(t).toISOString().slice(0, 13);
  }
}
