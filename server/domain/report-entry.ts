/**
 * What one ended conversation adds to the reports, decided once from its record: both stores
 * keep these (and hourly sums of them, report-bucket.ts) as conversations end or are rated,
 * so a report never opens a conversation.
 */
import type { Rating } from '../../protocol/domain.ts';
import type { ConversationRecord } from './conversation-types.ts';

export interface ReportEntry {
  id: string;
  /** The UTC hour the visitor asked in, `2026-03-01T14`: the bucket it is counted in. */
  hour: string;
  createdAt: string;
  endedAt: string;
  kind: 'chat' | 'message';
  /** Chats only: a helper wrote (`answered`), or the visitor went before one did (`missed`). */
  outcome?: 'answered' | 'missed';
  /** Chats only: from the request to the first helper message. */
  waitMs?: number;
  /** Chats only: from the request to the end. */
  lengthMs?: number;
  helperId?: string;
  helperName?: string;
  rating?: Rating;
  followed?: true;
  mirrored?: true;
}

/** The UTC hour an ISO time falls in, as reports key their buckets. */
export function hourOf(iso: string): string {
  return new Date(iso).toISOString().slice(0, 13);
}

/** The entry of an ended conversation; none for one still open. */
export function reportEntry(record: ConversationRecord): ReportEntry | undefined {
  if (record.status !== 'ended') return undefined;
  const endedAt = record.endedAt ?? record.createdAt;
  const kind = record.kind ?? 'chat';
  const since = (iso: string) => Math.max(0, Date.parse(iso) - Date.parse(record.createdAt));
  const entry: ReportEntry = {
    id: record.id,
    hour: hourOf(record.createdAt),
    createdAt: record.createdAt,
    endedAt,
    kind,
  };
  if (kind === 'chat') {
    if (record.answeredAt) {
      entry.outcome = 'answered';
      entry.waitMs = since(record.answeredAt);
    } else if (record.endedBy === 'system' || record.endedBy === 'visitor') {
      // Nobody wrote before the visitor left (or the sweep found them gone). One a helper
      // ended unanswered (spam, a duplicate) is neither answered nor missed.
      entry.outcome = 'missed';
    }
    entry.lengthMs = since(endedAt);
  }
  if (record.helperId) {
    entry.helperId = record.helperId;
    entry.helperName = record.helperName ?? record.helperId;
  }
  if (record.rating) entry.rating = record.rating;
  if (record.followedOnce) entry.followed = true;
  if (record.mirroredOnce) entry.mirrored = true;
  return entry;
}

/** Whether two entries count the same: a save that changes nothing reported is skipped. */
export function sameEntry(a: ReportEntry | undefined, b: ReportEntry | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
