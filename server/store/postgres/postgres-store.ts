/**
 * The PostgreSQL store (`HELP_DATABASE_URL`), for running more than one server process: every
 * process reads and writes the same database, and the guarantees the local store gives inside
 * one process come from the database here. A change is stored only over the version it was
 * made from (`WHERE version = …`), a message once per client id (a unique constraint), and a
 * conversation's messages are numbered without gaps (appending locks the conversation's row,
 * in one function call: migrations/002-append-message.sql).
 * Every call resolves once PostgreSQL has committed, which with its defaults means on disk.
 */
import pg from 'pg';
import type { Author, CannedReply, Message } from '../../../protocol/domain.ts';
import { LIMITS } from '../../../protocol/limits.ts';
import type { ConversationRecord } from '../../domain/conversation-types.ts';
import type { HelperAccount, HelperPrefs, SessionRecord } from '../../domain/helper-types.ts';
import type { HourBucket } from '../../domain/report-bucket.ts';
import type { ReportEntry } from '../../domain/report-entry.ts';
import { queryTerms } from '../../domain/search-text.ts';
import {
  DEFAULT_PREFS,
  type MessageDraft,
  type ReadMarks,
  StaleVersionError,
  type Store,
  StoreConflictError,
  StoreNotFoundError,
} from '../store.ts';
import { migrate } from './migrate.ts';
import {
  catchUpReports,
  keepReports,
  listReportEntries,
  readReportHours,
} from './postgres-reports.ts';
import { catchUpSearch, fillSearch, prefixQuery } from './postgres-search.ts';

/** PostgreSQL's codes for a broken unique constraint, and for what append_message raises. */
const UNIQUE_VIOLATION = '23505';
const NO_DATA_FOUND = 'P0002';

export interface PostgresStoreOptions {
  /** `postgres://user@host:port/database` */
  url: string;
  /** A schema of its own (created if missing), e.g. one per test; default: the user's. */
  schema?: string;
  /** Connections this process keeps open at most. */
  poolSize?: number;
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === UNIQUE_VIOLATION;
}

/** A schema name we put in SQL ourselves: plain letters, digits and underscores only. */
function schemaName(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a schema name: ${name}`);
  return name;
}

/**
 * What a change can move of the columns a conversation is looked up by, then the record
 * itself: `$1`… in both the insert and the compare-and-set update.
 */
function changingColumns(record: ConversationRecord) {
  return [
    record.id,
    record.version,
    record.status,
    record.helperId ?? null,
    record.visitorTokenHash,
    record.joinCode,
    // The local store dates an ended conversation without an end time by its start.
    record.endedAt ?? (record.status === 'ended' ? record.createdAt : null),
    record,
  ];
}

/** The compare-and-set update of a conversation, over `changingColumns`. */
const SAVE = `UPDATE conversations
  SET version = $2, status = $3, helper_id = $4, visitor_token_hash = $5, join_code = $6,
      ended_at = $7, record = $8
  WHERE id = $1 AND version = $2 - 1`;

export class PostgresStore implements Store {
  readonly #pool: pg.Pool;

  private constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  /** Connects, and creates or migrates the schema; an error names the database it tried. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    try {
      return await PostgresStore.#open(options);
    } catch (error) {
      const { host, pathname } = new URL(options.url);
      throw new Error(`PostgreSQL at ${host}${pathname}: ${(error as Error).message}`);
    }
  }

  static async #open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const schema = options.schema === undefined ? undefined : schemaName(options.schema);
    if (schema) {
      const setup = new pg.Client({ connectionString: options.url });
      await setup.connect();
      try {
        await setup.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      } finally {
        await setup.end();
      }
    }
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    // An idle connection the database dropped must not take the process down.
    pool.on('error', (error) => console.error('PostgreSQL connection lost:', error.message));
    try {
      await migrate(pool);
      const filled = await catchUpSearch(pool);
      if (filled > 0) {
        console.log(`history search: indexed ${filled} conversations that had ended before it`);
      }
      const counted = await catchUpReports(pool);
      if (counted > 0) console.log(`reports: counted ${counted} conversations ended before them`);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresStore(pool);
  }

  async #rows<R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
    return (await this.#pool.query<R>(sql, values)).rows;
  }

  // Helpers, preferences, sessions ---------------------------------------------------------

  async listHelpers(): Promise<HelperAccount[]> {
    const rows = await this.#rows<{ account: HelperAccount }>(
      'SELECT account FROM helpers ORDER BY added',
    );
    return rows.map((row) => row.account);
  }

  async getHelper(id: string): Promise<HelperAccount | undefined> {
    const rows = await this.#rows<{ account: HelperAccount }>(
      'SELECT account FROM helpers WHERE id = $1',
      [id],
    );
    return rows[0]?.account;
  }

  async findHelperByName(name: string): Promise<HelperAccount | undefined> {
    const rows = await this.#rows<{ account: HelperAccount }>(
      'SELECT account FROM helpers WHERE name_key = $1',
      [name.toLocaleLowerCase()],
    );
    return rows[0]?.account;
  }

  async addHelper(account: HelperAccount): Promise<void> {
    try {
      await this.#pool.query('INSERT INTO helpers (id, name_key, account) VALUES ($1, $2, $3)', [
        account.id,
        account.name.toLocaleLowerCase(),
        account,
      ]);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new StoreConflictError(`a helper named "${account.name}" already exists`);
      }
      throw error;
    }
  }

  async listCannedReplies(): Promise<CannedReply[]> {
    const rows = await this.#rows<{ reply: CannedReply }>(
      'SELECT reply FROM canned_replies ORDER BY shortcut_key',
    );
    return rows.map((row) => row.reply);
  }

  async putCannedReply(reply: CannedReply): Promise<void> {
    try {
      await this.#pool.query(
        `INSERT INTO canned_replies (id, shortcut_key, reply) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET shortcut_key = EXCLUDED.shortcut_key, reply = EXCLUDED.reply`,
        [reply.id, reply.shortcut.toLocaleLowerCase(), reply],
      );
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new StoreConflictError(`a reply with /${reply.shortcut} exists`);
      }
      throw error;
    }
  }

  async deleteCannedReply(id: string): Promise<boolean> {
    const rows = await this.#rows('DELETE FROM canned_replies WHERE id = $1 RETURNING id', [id]);
    return rows.length > 0;
  }

  async removeHelper(name: string): Promise<HelperAccount | undefined> {
    const rows = await this.#rows<{ account: HelperAccount }>(
      'DELETE FROM helpers WHERE name_key = $1 RETURNING account',
      [name.toLocaleLowerCase()],
    );
    return rows[0]?.account;
  }

  async getHelperPrefs(id: string): Promise<HelperPrefs> {
    const rows = await this.#rows<{ prefs: HelperPrefs }>(
      'SELECT prefs FROM helper_prefs WHERE helper_id = $1',
      [id],
    );
    return { ...(rows[0]?.prefs ?? DEFAULT_PREFS) };
  }

  async setHelperPrefs(id: string, prefs: HelperPrefs): Promise<void> {
    await this.#pool.query(
      `INSERT INTO helper_prefs (helper_id, prefs) VALUES ($1, $2)
       ON CONFLICT (helper_id) DO UPDATE SET prefs = EXCLUDED.prefs`,
      [id, prefs],
    );
  }

  async putSession(session: SessionRecord): Promise<void> {
    await this.#pool.query(
      `INSERT INTO sessions (token_hash, helper_id, session) VALUES ($1, $2, $3)
       ON CONFLICT (token_hash) DO UPDATE SET helper_id = EXCLUDED.helper_id, session = EXCLUDED.session`,
      [session.tokenHash, session.helperId, session],
    );
  }

  async getSession(tokenHash: string): Promise<SessionRecord | undefined> {
    const rows = await this.#rows<{ session: SessionRecord }>(
      'SELECT session FROM sessions WHERE token_hash = $1',
      [tokenHash],
    );
    const session = rows[0]?.session;
    // Compared on this process's clock, as the local store does.
    return session && Date.parse(session.expiresAt) > Date.now() ? session : undefined;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.#pool.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
  }

  async deleteSessionsOf(helperId: string): Promise<string[]> {
    const rows = await this.#rows<{ token_hash: string }>(
      'DELETE FROM sessions WHERE helper_id = $1 RETURNING token_hash',
      [helperId],
    );
    return rows.map((row) => row.token_hash);
  }

  // Conversations ---------------------------------------------------------------------------

  async createConversation(record: ConversationRecord): Promise<void> {
    try {
      await this.#pool.query(
        `INSERT INTO conversations
           (id, version, status, helper_id, visitor_token_hash, join_code, ended_at, record,
            created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [...changingColumns(record), record.createdAt],
      );
    } catch (error) {
      if (isUniqueViolation(error))
        throw new StoreConflictError(`conversation ${record.id} exists`);
      throw error;
    }
  }

  /** Conversation records from a query whose rows have a `record` column. */
  async #records(sql: string, values: unknown[] = []): Promise<ConversationRecord[]> {
    return (await this.#rows<{ record: ConversationRecord }>(sql, values)).map((row) => row.record);
  }

  async getConversation(id: string): Promise<ConversationRecord | undefined> {
    return (await this.#records('SELECT record FROM conversations WHERE id = $1', [id]))[0];
  }

  async findConversationByTokenHash(tokenHash: string): Promise<ConversationRecord | undefined> {
    const found = await this.#records(
      'SELECT record FROM conversations WHERE visitor_token_hash = $1 ORDER BY created DESC LIMIT 1',
      [tokenHash],
    );
    return found[0];
  }

  async findOpenConversationByJoinCode(code: string): Promise<ConversationRecord | undefined> {
    const found = await this.#records(
      `SELECT record FROM conversations WHERE join_code = $1 AND status <> 'ended' LIMIT 1`,
      [code],
    );
    return found[0];
  }

  listOpenConversations(): Promise<ConversationRecord[]> {
    return this.#records(
      `SELECT record FROM conversations WHERE status <> 'ended' ORDER BY created`,
    );
  }

  async saveConversation(record: ConversationRecord): Promise<void> {
    const saved =
      record.status === 'ended'
        ? await this.#saveEnded(record)
        : await this.#pool.query(SAVE, changingColumns(record));
    if (saved.rowCount === 1) return;
    const stored = await this.getConversation(record.id);
    if (!stored) throw new StoreNotFoundError(`no conversation ${record.id}`);
    throw new StaleVersionError(`conversation ${record.id} is at version ${stored.version}`);
  }

  /**
   * Saves an ended conversation, and in the same transaction makes it searchable once and
   * counts it in the reports (again, in place, when it is rated).
   */
  async #saveEnded(record: ConversationRecord): Promise<{ rowCount: number | null }> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const saved = await client.query<{ unsearchable: boolean }>(
        `${SAVE} RETURNING search IS NULL AS unsearchable`,
        changingColumns(record),
      );
      if (saved.rows[0]?.unsearchable) await fillSearch(client, record);
      if (saved.rowCount === 1) await keepReports(client, [record]);
      await client.query('COMMIT');
      return saved;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async listEndedConversations(
    helperId: string,
    page: { limit: number; after?: string },
  ): Promise<ConversationRecord[]> {
    // Newest ended first; ties by creation time, then id, as the local store orders them.
    // A page starts after the given conversation's place in that order (from the start when
    // there is no such conversation).
    return this.#records(
      `SELECT c.record FROM conversations c
       WHERE c.status = 'ended' AND c.helper_id = $1
         AND ($3::text IS NULL
           OR NOT EXISTS (SELECT 1 FROM conversations a WHERE a.id = $3)
           OR (c.ended_at, c.created_at, c.id) < (
             SELECT a.ended_at, a.created_at, a.id FROM conversations a WHERE a.id = $3))
       ORDER BY c.ended_at DESC, c.created_at DESC, c.id DESC
       LIMIT $2`,
      [helperId, page.limit, page.after ?? null],
    );
  }

  async listVisitorEndedConversations(
    keys: string[],
    limit: number,
  ): Promise<ConversationRecord[]> {
    // The keys' two kinds (returning-visitor.ts), each matched through its own index (005).
    const of = (prefix: string) =>
      keys.filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
    return this.#records(
      `SELECT c.record FROM conversations c
       WHERE c.status = 'ended'
         AND (c.record->>'visitorKey' = ANY($1::text[])
           OR (c.record->'visitor'->>'userId' = ANY($2::text[])
             AND c.record->'visitor'->>'verified' = 'true'))
       ORDER BY c.ended_at DESC, c.created_at DESC, c.id DESC
       LIMIT $3`,
      [of('browser:'), of('user:'), limit],
    );
  }

  async searchEndedConversations(
    helperId: string,
    query: string,
    page: { limit: number; after?: string },
  ): Promise<ConversationRecord[]> {
    const terms = queryTerms(query);
    if (terms.length === 0) return [];
    // The GIN index finds the matches, or the helper's history index is walked newest first
    // and filtered, whichever PostgreSQL reckons cheaper. A cursor that is not one of this
    // helper's ended conversations means from the start, as in the local store.
    return this.#records(
      `SELECT c.record FROM conversations c
       WHERE c.status = 'ended' AND c.helper_id = $1 AND c.search @@ $2::tsquery
         AND ($4::text IS NULL
           OR NOT EXISTS (SELECT 1 FROM conversations a
                          WHERE a.id = $4 AND a.status = 'ended' AND a.helper_id = $1)
           OR (c.ended_at, c.created_at, c.id) < (
             SELECT a.ended_at, a.created_at, a.id FROM conversations a WHERE a.id = $4))
       ORDER BY c.ended_at DESC, c.created_at DESC, c.id DESC
       LIMIT $3`,
      [helperId, prefixQuery(terms), page.limit, page.after ?? null],
    );
  }

  // Messages ----------------------------------------------------------------------------------

  readReportHours(first: string, last: string): Promise<HourBucket[]> {
    return readReportHours(this.#pool, first, last);
  }

  listReportEntries(first: string, last: string, limit: number): Promise<ReportEntry[]> {
    return listReportEntries(this.#pool, first, last, limit);
  }

  async appendMessage(
    conversationId: string,
    draft: MessageDraft,
  ): Promise<{ message: Message; duplicate: boolean }> {
    // One round trip: the function (migration 002) locks the conversation's row, so appends
    // to one conversation take turns, numbers have no gaps, and a resend sent at the same
    // time finds the first. The number is filled in there.
    const message: Message = { ...draft, conversationId, seq: 0, sentAt: new Date().toISOString() };
    try {
      const rows = await this.#rows<{ stored: Message; was_duplicate: boolean }>(
        'SELECT stored, was_duplicate FROM append_message($1, $2, $3)',
        [conversationId, draft.id, message],
      );
      const row = rows[0];
      if (!row) throw new Error('append_message answered nothing');
      return { message: row.stored, duplicate: row.was_duplicate };
    } catch (error) {
      if ((error as { code?: unknown }).code === NO_DATA_FOUND) {
        throw new StoreNotFoundError(`no conversation ${conversationId}`);
      }
      throw error;
    }
  }

  async listMessages(
    conversationId: string,
    after?: string,
    limit: number = LIMITS.historyPage,
  ): Promise<Message[]> {
    const rows = await this.#rows<{ message: Message }>(
      `SELECT message FROM messages
       WHERE conversation_id = $1
         AND seq > COALESCE(
           (SELECT seq FROM messages WHERE conversation_id = $1 AND id = $2), 0)
       ORDER BY seq
       LIMIT $3`,
      [conversationId, after ?? null, limit],
    );
    if (rows.length === 0 && !(await this.getConversation(conversationId))) {
      throw new StoreNotFoundError(`no conversation ${conversationId}`);
    }
    return rows.map((row) => row.message);
  }

  async getMessage(conversationId: string, messageId: string): Promise<Message | undefined> {
    const rows = await this.#rows<{ message: Message }>(
      'SELECT message FROM messages WHERE conversation_id = $1 AND id = $2',
      [conversationId, messageId],
    );
    return rows[0]?.message;
  }

  async getReadMarks(conversationId: string): Promise<ReadMarks> {
    const rows = await this.#rows<{ side: Author; up_to: string }>(
      'SELECT side, up_to FROM read_marks WHERE conversation_id = $1',
      [conversationId],
    );
    return Object.fromEntries(rows.map((row) => [row.side, row.up_to])) as ReadMarks;
  }

  async setReadMark(conversationId: string, by: Author, upTo: string): Promise<void> {
    // A conversation that does not exist has no marks to keep (the local store's archive
    // ignores them too).
    await this.#pool.query(
      `INSERT INTO read_marks (conversation_id, side, up_to)
       SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM conversations WHERE id = $1)
       ON CONFLICT (conversation_id, side) DO UPDATE SET up_to = EXCLUDED.up_to`,
      [conversationId, by, upTo],
    );
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
