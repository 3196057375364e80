/**
 * History search on PostgreSQL (migrations/003-search.sql): the `search` column of an ended
 * conversation holds its terms as a tsvector, made here by the same code as the local store's
 * index (search-text.ts), so both stores match the same conversations.
 */
import type pg from 'pg';
import type { Message } from '../../../protocol/domain.ts';
import type { ConversationRecord } from '../../domain/conversation-types.ts';
import { searchTerms } from '../../domain/search-text.ts';

/** Conversations filled per round trip when catching up. */
const BATCH = 200;

/**
 * A query's terms as a tsquery: each a prefix (`:*`), all required (`&`). Cast with
 * `::tsquery`, not parsed by `to_tsquery`, so the words are taken as they are. A term is
 * letters, marks and digits only: nothing in one needs escaping inside the quotes.
 */
export function prefixQuery(terms: readonly string[]): string {
  return terms.map((term) => `'${term}':*`).join(' & ');
}

/**
 * Fills the conversation's terms. Called in the transaction that ends it, after the update
 * that took its row's lock: a message appended meanwhile waits for that lock (append_message),
 * so the terms are made from every message it will ever have.
 */
export async function fillSearch(client: pg.ClientBase, record: ConversationRecord): Promise<void> {
  const rows = await client.query<{ message: Message }>(
    'SELECT message FROM messages WHERE conversation_id = $1 ORDER BY seq',
    [record.id],
  );
  const terms = searchTerms(
    record,
    rows.rows.map((row) => row.message),
  );
  await client.query(
    'UPDATE conversations SET search = array_to_tsvector($2::text[]) WHERE id = $1',
    [record.id, terms],
  );
}

/**
 * Fills the terms of conversations that ended before the search column existed (or whose
 * filling was lost), a batch at a time; once done, a start finds nothing to do through a
 * partial index. Two processes starting together may fill the same rows: they write the same.
 */
export async function catchUpSearch(pool: pg.Pool): Promise<number> {
  let filled = 0;
  for (;;) {
    const waiting = await pool.query<{ id: string; record: ConversationRecord }>(
      `SELECT id, record FROM conversations
       WHERE status = 'ended' AND search IS NULL ORDER BY id LIMIT $1`,
      [BATCH],
    );
    if (waiting.rows.length === 0) break;
    const ids = waiting.rows.map((row) => row.id);
    const messages = new Map<string, Message[]>(ids.map((id) => [id, []]));
    const rows = await pool.query<{ conversation_id: string; message: Message }>(
      `SELECT conversation_id, message FROM messages
       WHERE conversation_id = ANY($1::text[]) ORDER BY conversation_id, seq`,
      [ids],
    );
    for (const row of rows.rows) messages.get(row.conversation_id)?.push(row.message);
    // Joined by spaces, which no term has, to pass one array of arrays as a text[].
    const terms = waiting.rows.map((row) =>
      searchTerms(row.record, messages.get(row.id) ?? []).join(' '),
    );
    const updated = await pool.query(
      `UPDATE conversations c SET search = array_to_tsvector(string_to_array(v.terms, ' '))
       FROM unnest($1::text[], $2::text[]) AS v(id, terms)
       WHERE c.id = v.id AND c.search IS NULL`,
      [ids, terms],
    );
    filled += updated.rowCount ?? 0;
    // Nothing filled: another process got there first and is catching up too; stop rather
    // than go round again.
    if (!updated.rowCount) break;
  }
  // The planner picks the GIN index for a rare word only once it knows the column: without
  // statistics it walks the helper's whole history (seconds) until autovacuum gets to it.
  if (filled > 0) await pool.query('ANALYZE conversations');
  return filled;
}
