/**
 * The local store's reports in memory: each ended conversation's report entry and the hourly
 * buckets summing them (report-bucket.ts), changed together as a conversation ends or is
 * rated. What it holds is kept on disk by the journal (recent ends) and the archive's report
 * log (report-log.ts); this file does no I/O.
 */
import { eachHour, type HourBucket, replaceEntry } from '../domain/report-bucket.ts';
import { type ReportEntry, sameEntry } from '../domain/report-entry.ts';

export class ReportIndex {
  readonly #entries = new Map<string, ReportEntry>();
  readonly #buckets = new Map<string, HourBucket>();
  /** Hour → ids of the conversations asked for in it, for the conversation list. */
  readonly #ids = new Map<string, Set<string>>();

  get size(): number {
    return this.#entries.size;
  }

  /** Counts a conversation's latest entry, in place of the one it had. */
  put(entry: ReportEntry): void {
    const old = this.#entries.get(entry.id);
    if (sameEntry(old, entry)) return;
    replaceEntry(this.#buckets, old, entry);
    if (old) this.#ids.get(old.hour)?.delete(old.id);
    this.#entries.set(entry.id, entry);
    let ids = this.#ids.get(entry.hour);
    if (!ids) {
      ids = new Set();
      this.#ids.set(entry.hour, ids);
    }
    ids.add(entry.id);
  }

  /** The buckets of the hours `first` to `last`: one lookup per hour. */
  hours(first: string, last: string): HourBucket[] {
    const found: HourBucket[] = [];
    for (const hour of eachHour(first, last)) {
      const bucket = this.#buckets.get(hour);
      if (bucket) found.push(bucket);
    }
    return found;
  }

  /** The entries of those hours, oldest asked first, at most `limit`. */
  entries(first: string, last: string, limit: number): ReportEntry[] {
    const found: ReportEntry[] = [];
    for (const hour of eachHour(first, last)) {
      const inHour: ReportEntry[] = [];
      for (const id of this.#ids.get(hour) ?? []) {
        const entry = this.#entries.get(id);
        if (entry) inHour.push(entry);
      }
      inHour.sort(oldestFirst);
      for (const entry of inHour) {
        if (found.length >= limit) return found;
        found.push(entry);
      }
    }
    return found;
  }
}

function oldestFirst(a: ReportEntry, b: ReportEntry): number {
  const ka = `${a.createdAt}|${a.id}`;
  const kb = `${b.createdAt}|${b.id}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
