import { join } from 'node:path';
import { Low } from 'lowdb';
import type { CannedReply } from '../../protocol/domain.ts';
import type { HelperPrefs, SessionRecord } from '../domain/helper-types.ts';
import { DurableJsonFile } from './durable-json-file.ts';
import { DEFAULT_PREFS, StoreConflictError } from './store.ts';

/** Written by the server only. */
export interface DeskFile {
  prefs: Record<string, HelperPrefs>;
  sessions: SessionRecord[];
  /** Absent in files from before canned replies. */
  canned?: CannedReply[];
}

/**
 * The desk's small whole document (`desk.json`, lowdb): each helper's availability and
 * capacity, and sign-in sessions. Rewritten whole, durably, only on a change people make.
 */
export class DeskDocument {
  readonly #db: Low<DeskFile>;

  private constructor(dataDir: string) {
    this.#db = new Low(new DurableJsonFile<DeskFile>(join(dataDir, 'desk.json')), {
      prefs: {},
      sessions: [],
    });
  }

  static async open(dataDir: string): Promise<DeskDocument> {
    const doc = new DeskDocument(dataDir);
    await doc.#db.read();
    return doc;
  }

  async getPrefs(id: string): Promise<HelperPrefs> {
    return { ...(this.#db.data.prefs[id] ?? DEFAULT_PREFS) };
  }

  setPrefs(id: string, prefs: HelperPrefs): Promise<void> {
    this.#db.data.prefs[id] = { ...prefs };
    return this.#db.write();
  }

  async listCanned(): Promise<CannedReply[]> {
    return (this.#db.data.canned ?? []).map((reply) => ({ ...reply }));
  }

  putCanned(reply: CannedReply): Promise<void> {
    const others = (this.#db.data.canned ?? []).filter((r) => r.id !== reply.id);
    const key = reply.shortcut.toLocaleLowerCase();
    if (others.some((r) => r.shortcut.toLocaleLowerCase() === key)) {
      return Promise.reject(new StoreConflictError(`a reply with /${reply.shortcut} exists`));
    }
    this.#db.data.canned = [...others, { ...reply }].sort((a, b) =>
      a.shortcut.localeCompare(b.shortcut),
    );
    return this.#db.write();
  }

  async deleteCanned(id: string): Promise<boolean> {
    const before = this.#db.data.canned ?? [];
    const after = before.filter((r) => r.id !== id);
    if (after.length === before.length) return false;
    this.#db.data.canned = after;
    await this.#db.write();
    return true;
  }

  putSession(session: SessionRecord): Promise<void> {
    const now = new Date().toISOString();
    // Expired sessions are dropped whenever a new one is stored, so the list stays small.
    this.#db.data.sessions = this.#db.data.sessions.filter((s) => s.expiresAt > now);
    this.#db.data.sessions.push({ ...session });
    return this.#db.write();
  }

  async getSession(tokenHash: string): Promise<SessionRecord | undefined> {
    const session = this.#db.data.sessions.find((s) => s.tokenHash === tokenHash);
    return session && session.expiresAt > new Date().toISOString() ? { ...session } : undefined;
  }

  deleteSession(tokenHash: string): Promise<void> {
    this.#db.data.sessions = this.#db.data.sessions.filter((s) => s.tokenHash !== tokenHash);
    return this.#db.write();
  }

  async deleteSessionsOf(helperId: string): Promise<string[]> {
    const gone = this.#db.data.sessions.filter((s) => s.helperId === helperId);
    if (gone.length === 0) return [];
    this.#db.data.sessions = this.#db.data.sessions.filter((s) => s.helperId !== helperId);
    await this.#db.write();
    return gone.map((s) => s.tokenHash);
  }

  /** Replaces everything (the one-time import of the old layout). */
  async replace(data: DeskFile): Promise<void> {
    this.#db.data = { prefs: { ...data.prefs }, sessions: [...data.sessions] };
    await this.#db.write();
  }
}
