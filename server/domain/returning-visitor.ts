/**
 * Who a visitor is across conversations: the widget's id for their browser on the site
 * (`visitorKey`, a hint anyone could copy) or the site's own user id once verified. Pure: the
 * conversation core decides with it, the stores index by it.
 */
import type { ConversationRecord } from './conversation-types.ts';

/** The keys a conversation is found by; the same key on two means the same visitor. */
export function visitorKeys(record: Pick<ConversationRecord, 'visitorKey' | 'visitor'>): string[] {
  const keys: string[] = [];
  if (record.visitorKey) keys.push(`browser:${record.visitorKey}`);
  // A claimed user id proves nothing: only a verified one joins conversations up.
  if (record.visitor.userId !== undefined && record.visitor.verified) {
    keys.push(`user:${record.visitor.userId}`);
  }
  return keys;
}

export function sameVisitor(
  a: Pick<ConversationRecord, 'visitorKey' | 'visitor'>,
  b: Pick<ConversationRecord, 'visitorKey' | 'visitor'>,
): boolean {
  const theirs = new Set(visitorKeys(b));
  return visitorKeys(a).some((key) => theirs.has(key));
}

/**
 * A friendly, stable number for an anonymous visitor ("Visitor 4821"): the same browser gets
 * the same number each time it asks. A handle for people, not an id: two may share one.
 */
export function visitorNumber(record: Pick<ConversationRecord, 'visitorKey' | 'id'>): string {
  // FNV-1a: small, pure and spreads short ids well; nothing here needs a cryptographic hash.
  let hash = 0x811c9dc5;
  for (const char of record.visitorKey ?? record.id) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return String(1000 + (hash % 9000));
}
