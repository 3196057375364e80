/**
 * What every `Store` must do, whatever it is built on. Each implementation joins the list in
 * `storeKinds`; the same cases run against each, on real files (and, for PostgreSQL, a real
 * database).
 */
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { newId } from '../../server/desk/secrets.ts';
import type { ConversationRecord } from '../../server/domain/conversation-types.ts';
import {
  StaleVersionError,
  type Store,
  StoreConflictError,
  StoreNotFoundError,
} from '../../server/store/store.ts';
import { conversationRecord } from '../support/records.ts';
import { openStore, type StoreKind, storeKinds } from '../support/store-kinds.ts';

const root = resolve(import.meta.dirname, '../..');

/** What a writer child acknowledged before SIGKILL hit it. */
async function killWriterAfter(
  kind: string,
  where: string,
  acks: number,
): Promise<{ conversationId: string; messages: string[]; version: number; prefs: number }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/support/store-writer.ts', kind, where],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise((done) => child.once('exit', done));
  const seen = { conversationId: '', messages: [] as string[], version: 1, prefs: 0 };
  for await (const line of createInterface({ input: child.stdout })) {
    const [what, value = ''] = line.split(' ');
    if (what === 'conversation') seen.conversationId = value;
    if (what === 'message') seen.messages.push(value);
    if (what === 'version') seen.version = Math.max(seen.version, Number(value));
    if (what === 'prefs') seen.prefs = Number(value);
    if (seen.messages.length >= acks) {
      // In the middle of the next writes: nothing is flushed, nothing is closed.
      child.kill('SIGKILL');
      break;
    }
  }
  await exited;
  return seen;
}

async function filesUnder(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String);
}

const conversation = conversationRecord;

/** The next version of a record, changed as a command would change it. */
const next = (record: ConversationRecord, change: Partial<ConversationRecord>) => ({
  ...record,
  ...change,
  version: record.version + 1,
});

const draft = (from: 'visitor' | 'helper', text: string, id = newId()) => ({
  id,
  from,
  authorName: from === 'visitor' ? 'Ann' : 'Alex',
  text,
});

describe.each(storeKinds(inject('services').database))('the $name store', (kind: StoreKind) => {
  let opened: Awaited<ReturnType<StoreKind['open']>> | undefined;
  afterEach(async () => {
    await opened?.dispose();
    opened = undefined;
  });
  async function open(): Promise<Store> {
    opened = await kind.open();
    return opened.store;
  }

  it('finds a conversation by id, visitor token and join code, and lists the open ones', async () => {
    const store = await open();
    const a = conversation();
    const b = conversation({ createdAt: new Date(Date.now() + 1).toISOString() });
    await store.createConversation(a);
    await store.createConversation(b);
    expect(await store.getConversation(a.id)).toEqual(a);
    expect(await store.findConversationByTokenHash(b.visitorTokenHash)).toEqual(b);
    expect(await store.findOpenConversationByJoinCode(a.joinCode)).toEqual(a);
    expect((await store.listOpenConversations()).map((c) => c.id)).toEqual([a.id, b.id]);
    expect(await store.getConversation(newId())).toBeUndefined();
    await expect(store.createConversation(a)).rejects.toThrow();
  });

  it('of two changes made from the same version, exactly one is stored', async () => {
    const store = await open();
    const record = conversation();
    await store.createConversation(record);
    const results = await Promise.allSettled([
      store.saveConversation(next(record, { priority: 1 })),
      store.saveConversation(next(record, { priority: 2 })),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected');
    expect(refused?.status === 'rejected' && refused.reason).toBeInstanceOf(StaleVersionError);
    const stored = await store.getConversation(record.id);
    expect(stored?.version).toBe(2);
    expect([1, 2]).toContain(stored?.priority);
    // Neither an old version nor one from the future is taken.
    await expect(store.saveConversation(next(record, { priority: 3 }))).rejects.toBeInstanceOf(
      StaleVersionError,
    );
    const ahead = { ...record, version: 4 };
    await expect(store.saveConversation(ahead)).rejects.toBeInstanceOf(StaleVersionError);
    expect((await store.getConversation(record.id))?.version).toBe(2);
  });

  it('keeps an ended conversation readable, not open, and its code expired', async () => {
    const store = await open();
    const record = conversation({ status: 'assigned', helperId: 'alex', helperName: 'Alex' });
    await store.createConversation(record);
    await store.appendMessage(record.id, draft('visitor', 'Thanks'));
    const ended = next(record, { status: 'ended', endedAt: new Date().toISOString() });
    await store.saveConversation(ended);
    expect(await store.listOpenConversations()).toEqual([]);
    expect(await store.findOpenConversationByJoinCode(record.joinCode)).toBeUndefined();
    await kind.archive?.(store);
    expect(await store.getConversation(record.id)).toEqual(ended);
    expect((await store.listMessages(record.id)).map((m) => m.text)).toEqual(['Thanks']);
  });

  it('stores a message once per id, even sent twice at once, and numbers them in order', async () => {
    const store = await open();
    const record = conversation();
    await store.createConversation(record);
    const first = draft('visitor', 'Hello?');
    const [a, b] = await Promise.all([
      store.appendMessage(record.id, first),
      store.appendMessage(record.id, first),
    ]);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    expect(a.message).toEqual(b.message);
    const second = await store.appendMessage(record.id, draft('helper', 'Hi, Ann'));
    expect(second.message.seq).toBe(2);
    const again = await store.appendMessage(record.id, first);
    expect(again).toEqual({ message: a.message, duplicate: true });
    expect(await store.getMessage(record.id, first.id)).toEqual(a.message);
    expect(await store.getMessage(record.id, newId())).toBeUndefined();
    await expect(store.appendMessage(newId(), draft('visitor', 'Anyone?'))).rejects.toBeInstanceOf(
      StoreNotFoundError,
    );
  });

  it('pages messages after a given one, oldest first', async () => {
    const store = await open();
    const record = conversation();
    await store.createConversation(record);
    const ids: string[] = [];
    for (let i = 1; i <= 12; i++) {
      ids.push((await store.appendMessage(record.id, draft('visitor', `m${i}`))).message.id);
    }
    const texts = (list: { text: string }[]) => list.map((m) => m.text);
    expect(texts(await store.listMessages(record.id))).toHaveLength(12);
    expect(texts(await store.listMessages(record.id, ids[4], 3))).toEqual(['m6', 'm7', 'm8']);
    expect(texts(await store.listMessages(record.id, ids[11]))).toEqual([]);
    // An id this conversation never had means "from the start".
    expect(texts(await store.listMessages(record.id, newId(), 2))).toEqual(['m1', 'm2']);
  });

  it('keeps read marks per side', async () => {
    const store = await open();
    const record = conversation();
    await store.createConversation(record);
    const { message } = await store.appendMessage(record.id, draft('visitor', 'Hi'));
    await store.setReadMark(record.id, 'helper', message.id);
    expect(await store.getReadMarks(record.id)).toEqual({ helper: message.id });
  });

  it('lists a helper’s ended conversations newest first, a page at a time', async () => {
    const store = await open();
    const ended: string[] = [];
    for (let i = 0; i < 7; i++) {
      const record = conversation({ status: 'assigned', helperId: 'alex', helperName: 'Alex' });
      await store.createConversation(record);
      const endedAt = new Date(Date.UTC(2026, 11, 1, 10, i)).toISOString();
      await store.saveConversation(next(record, { status: 'ended', endedAt }));
      ended.push(record.id);
      // Half of them reach the archive, half are still recent.
      if (i === 3) await kind.archive?.(store);
    }
    const other = conversation({ status: 'assigned', helperId: 'sam', helperName: 'Sam' });
    await store.createConversation(other);
    await store.saveConversation(
      next(other, { status: 'ended', endedAt: new Date().toISOString() }),
    );
    const newestFirst = [...ended].reverse();
    const first = await store.listEndedConversations('alex', { limit: 3 });
    expect(first.map((c) => c.id)).toEqual(newestFirst.slice(0, 3));
    const second = await store.listEndedConversations('alex', { limit: 3, after: first[2]?.id });
    expect(second.map((c) => c.id)).toEqual(newestFirst.slice(3, 6));
    const last = await store.listEndedConversations('alex', { limit: 3, after: second[2]?.id });
    expect(last.map((c) => c.id)).toEqual(newestFirst.slice(6));
    expect((await store.listEndedConversations('sam', { limit: 10 })).map((c) => c.id)).toEqual([
      other.id,
    ]);
  });

  it('finds a helper’s ended conversations by the words they start, all words, newest first', async () => {
    let store = await open();
    // From the next hour's start on: a conversation that ended in the past is due for the
    // archive at once, and the archiver would race the rating below (which saves it again).
    const base = Math.ceil((Date.now() + 1) / 3_600_000) * 3_600_000;
    const minute = (i: number) => new Date(base + i * 60_000).toISOString();
    /** A conversation of `helperId`, with these messages, ended at `minute(i)` unless open. */
    const add = async (
      i: number,
      texts: string[],
      change: Partial<ConversationRecord> = {},
      helperId = 'alex',
    ) => {
      const record = conversation({ status: 'assigned', helperId, helperName: 'Alex', ...change });
      await store.createConversation(record);
      for (const text of texts) await store.appendMessage(record.id, draft('visitor', text));
      if (i >= 0)
        await store.saveConversation(next(record, { status: 'ended', endedAt: minute(i) }));
      return record.id;
    };
    const refundLate = await add(1, ['My REFUND is late', 'Checking the warehouse'], {
      visitor: { name: 'Ann Lee', email: 'ann@example.com' },
    });
    const refunded = await add(2, ['Refunded yesterday, thanks'], {
      details: {
        ...conversation().details,
        pageTitle: 'Billing',
        pageUrl: 'https://shop.example/pay',
      },
    });
    // Half of them in the archive (where the store has one), half still recent.
    await kind.archive?.(store);
    const hello = await add(3, ['Hello, is a refund possible?']);
    await add(-1, ['A refund while it is still open']);
    await add(4, ['Another refund, but Sam’s'], {}, 'sam');

    const search = (q: string, page: { limit: number; after?: string } = { limit: 10 }) =>
      store.searchEndedConversations('alex', q, page).then((list) => list.map((c) => c.id));
    const expectations = async () => {
      // A word in a message, of any case, and the start of a longer one ("Refunded").
      expect(await search('refund')).toEqual([hello, refunded, refundLate]);
      expect(await search('WAREHOUSE')).toEqual([refundLate]);
      expect(await search('wareh')).toEqual([refundLate]);
      // Every word must match, in any order.
      expect(await search('late refund')).toEqual([refundLate]);
      expect(await search('refund nowhere')).toEqual([]);
      // The visitor's name and email, the page's title and URL.
      expect(await search('ann@')).toEqual([refundLate]);
      expect(await search('ann@example.com')).toEqual([refundLate]);
      expect(await search('lee')).toEqual([refundLate]);
      expect(await search('billing')).toEqual([refunded]);
      expect(await search('shop.example/pay')).toEqual([refunded]);
      // Not the middle of a word; a query with no words finds nothing.
      expect(await search('fund')).toEqual([]);
      expect(await search(' @ ')).toEqual([]);
      // Pages, and a cursor that is not one of the helper's ended conversations.
      const first = await search('refund', { limit: 2 });
      expect(first).toEqual([hello, refunded]);
      expect(await search('refund', { limit: 2, after: first[1] ?? '' })).toEqual([refundLate]);
      expect(await search('refund', { limit: 2, after: newId() })).toEqual([hello, refunded]);
      const records = await store.searchEndedConversations('alex', 'refund', { limit: 1 });
      expect(records).toEqual([await store.getConversation(hello)]);
      expect((await store.searchEndedConversations('sam', 'refund', { limit: 10 })).length).toBe(1);
    };
    await expectations();
    // A rating after the end is a save of an ended conversation: found once, as before.
    const rated = await store.getConversation(hello);
    if (!rated) throw new Error('lost');
    await store.saveConversation(next(rated, { rating: { value: 'up', at: minute(5) } }));
    await expectations();

    const reopen = opened?.reopen;
    if (!reopen) throw new Error('no reopen');
    store = await reopen();
    await expectations();
    // A store whose ended conversations were never indexed (from before history search).
    await kind.archive?.(store);
    store = await reopen({ withoutSearchIndex: true });
    await expectations();
  });

  it('keeps the reports’ hourly sums as conversations end and are rated, through restarts', async () => {
    let store = await open();
    // From the next hour's start on: nothing has ended ten minutes ago, so nothing is due for
    // the archive (which would race the rating) before the test moves it there itself.
    const base = Math.ceil((Date.now() + 1) / 3_600_000) * 3_600_000;
    const at = (minute: number, second = 0) =>
      new Date(base + minute * 60_000 + second * 1000).toISOString();
    const hour = (n: number) => new Date(base + n * 3_600_000).toISOString().slice(0, 13);
    const helper = { helperId: 'alex', helperName: 'Alex' };
    const answered = conversation({ status: 'assigned', ...helper, createdAt: at(1) });
    const missed = conversation({ createdAt: at(2) });
    const offline = conversation({ kind: 'message', ...helper, createdAt: at(3) });
    const stillOpen = conversation({ createdAt: at(4) });
    const nextHour = conversation({ createdAt: at(61), followedOnce: true });
    for (const record of [answered, missed, offline, stillOpen, nextHour]) {
      await store.createConversation(record);
    }
    const answeredEnded = next(answered, {
      status: 'ended',
      answeredAt: at(1, 30),
      endedAt: at(11),
      endedBy: 'helper',
    });
    await store.saveConversation(answeredEnded);
    await store.saveConversation(
      next(missed, { status: 'ended', endedAt: at(3), endedBy: 'visitor' }),
    );
    await store.saveConversation(
      next(offline, { status: 'ended', endedAt: at(20), endedBy: 'helper' }),
    );
    await store.saveConversation(
      next(nextHour, { status: 'ended', endedAt: at(62), endedBy: 'system' }),
    );
    // Rated after its end: counted again in place, not twice.
    await store.saveConversation(
      next(answeredEnded, { rating: { value: 'up', comment: 'Quick, thanks', at: at(12) } }),
    );
    const expected = {
      hour: hour(0),
      chats: 2,
      offline: 1,
      answered: 1,
      missed: 1,
      up: 1,
      down: 0,
      followed: 0,
      comments: [{ id: answered.id, value: 'up', comment: 'Quick, thanks', at: at(12) }],
      helpers: { alex: { name: 'Alex', conversations: 2 } },
    };
    const check = async (reading: Store) => {
      const hours = await reading.readReportHours(hour(-5), hour(5));
      expect(hours.map((b) => b.hour)).toEqual([hour(0), hour(1)]);
      expect(hours[0]).toMatchObject(expected);
      expect(hours[1]).toMatchObject({ chats: 1, missed: 1, followed: 1 });
      expect(await reading.readReportHours(hour(1), hour(1))).toHaveLength(1);
      const entries = await reading.listReportEntries(hour(0), hour(0), 10);
      expect(entries.map((e) => e.id)).toEqual([answered.id, missed.id, offline.id]);
      expect(entries[0]).toMatchObject({ waitMs: 30_000, lengthMs: 600_000 });
      expect(await reading.listReportEntries(hour(0), hour(1), 2)).toHaveLength(2);
    };
    await check(store);
    if (!opened) throw new Error('no store opened');
    // Ended, rated, not archived yet: read back from where recent ends are kept.
    store = await opened.reopen();
    await check(store);
    await kind.archive?.(store);
    await check(store);
    store = await opened.reopen();
    await check(store);
    // A store from before reports: counted once, at the first start.
    store = await opened.reopen({ withoutReports: true });
    await check(store);
    store = await opened.reopen();
    await check(store);
  });

  it('keeps sessions until they expire, are deleted, or their helper’s are', async () => {
    const store = await open();
    const later = new Date(Date.now() + 60_000).toISOString();
    const session = (tokenHash: string, helperId: string, expiresAt = later) => ({
      tokenHash,
      helperId,
      createdAt: new Date().toISOString(),
      expiresAt,
    });
    await store.putSession(session('s1', 'alex'));
    await store.putSession(session('s2', 'alex'));
    await store.putSession(session('s3', 'sam'));
    await store.putSession(session('old', 'sam', new Date(Date.now() - 1).toISOString()));
    expect(await store.getSession('s1')).toMatchObject({ helperId: 'alex' });
    expect(await store.getSession('old')).toBeUndefined();
    await store.deleteSession('s3');
    expect(await store.getSession('s3')).toBeUndefined();
    expect((await store.deleteSessionsOf('alex')).sort()).toEqual(['s1', 's2']);
    expect(await store.getSession('s2')).toBeUndefined();
  });

  it('keeps helper names unique whatever their case, and preferences per helper', async () => {
    const store = await open();
    const helper = { id: newId(), name: 'Alex', passwordHash: 'x', createdAt: '' };
    await store.addHelper(helper);
    await expect(store.addHelper({ ...helper, id: newId(), name: 'alex' })).rejects.toThrow(
      /already exists/,
    );
    expect(await store.findHelperByName('ALEX')).toEqual(helper);
    expect(await store.getHelperPrefs(helper.id)).toEqual({ availability: 'away', capacity: 3 });
    await store.setHelperPrefs(helper.id, { availability: 'available', capacity: 5 });
    expect(await store.getHelperPrefs(helper.id)).toEqual({
      availability: 'available',
      capacity: 5,
    });
    expect(await store.removeHelper('ALEX')).toEqual(helper);
    expect(await store.listHelpers()).toEqual([]);
  });

  it('finds a visitor’s ended conversations by browser key or verified user id, newest first', async () => {
    const store = await open();
    const ended = (at: string, fields: Partial<ConversationRecord>) => ({
      ...conversation(),
      status: 'ended' as const,
      endedAt: at,
      ...fields,
    });
    const first = ended('2026-11-01T10:00:00.000Z', { visitorKey: 'browser-key-0001-aaaa' });
    const second = ended('2026-11-20T10:00:00.000Z', {
      visitor: { userId: 'u-42', verified: true },
    });
    // Claimed, not verified: proves nothing, joins nothing up.
    const claimed = ended('2026-11-25T10:00:00.000Z', { visitor: { userId: 'u-42' } });
    const other = ended('2026-11-26T10:00:00.000Z', { visitorKey: 'browser-key-0002-bbbb' });
    const open_ = { ...conversation(), visitorKey: 'browser-key-0001-aaaa' };
    for (const record of [first, claimed, other]) await store.createConversation(record);
    // Some in the archive (where the store has one), one still recent.
    await kind.archive?.(store);
    for (const record of [second, open_]) await store.createConversation(record);
    const keys = ['browser:browser-key-0001-aaaa', 'user:u-42'];
    const ids = async (s: Store) =>
      (await s.listVisitorEndedConversations(keys, 10)).map((r) => r.id);
    expect(await ids(store)).toEqual([second.id, first.id]);
    expect((await store.listVisitorEndedConversations(keys, 1)).map((r) => r.id)).toEqual([
      second.id,
    ]);
    expect(await store.listVisitorEndedConversations([], 10)).toEqual([]);
    const reopened = await opened?.reopen();
    if (!reopened) throw new Error('no reopen');
    expect(await ids(reopened)).toEqual([second.id, first.id]);
    // A store archived before visitors were looked up finds them all the same.
    const older = await opened?.reopen({ withoutVisitorIndex: true });
    if (!older) throw new Error('no reopen');
    expect(await ids(older)).toEqual([second.id, first.id]);
  });

  it('keeps canned replies by shortcut, unique whatever the case, through a reopen', async () => {
    const store = await open();
    const reply = (shortcut: string, text: string, id = newId()) => ({
      id,
      shortcut,
      text,
      updatedBy: 'Alex',
      updatedAt: '2026-12-02T10:00:00.000Z',
    });
    const refund = reply('refund', 'Refunds take 5 working days.');
    const hours = reply('hours', 'We answer 9:00-17:00.');
    await store.putCannedReply(refund);
    await store.putCannedReply(hours);
    expect(await store.listCannedReplies()).toEqual([hours, refund]);
    await expect(store.putCannedReply(reply('REFUND', 'again'))).rejects.toThrow(
      StoreConflictError,
    );
    // Saved again under the same id: replaced, its own shortcut is no conflict.
    const edited = { ...refund, shortcut: 'Refund', text: 'Refunds take 3 working days.' };
    await store.putCannedReply(edited);
    expect(await store.deleteCannedReply(hours.id)).toBe(true);
    expect(await store.deleteCannedReply(hours.id)).toBe(false);
    const reopened = await opened?.reopen();
    if (!reopened) throw new Error('no reopen');
    expect(await reopened.listCannedReplies()).toEqual([edited]);
  });

  it('has everything acknowledged after it is closed and opened again', async () => {
    const store = await open();
    const record = conversation();
    await store.createConversation(record);
    const { message } = await store.appendMessage(record.id, draft('visitor', 'Still there?'));
    await store.saveConversation(next(record, { priority: 5 }));
    await store.setReadMark(record.id, 'helper', message.id);
    const reopened = await opened?.reopen();
    if (!reopened) throw new Error('no reopen');
    expect(await reopened.getConversation(record.id)).toMatchObject({ version: 2, priority: 5 });
    expect(await reopened.listMessages(record.id)).toEqual([message]);
    expect(await reopened.getReadMarks(record.id)).toEqual({ helper: message.id });
    // And a duplicate is still a duplicate.
    expect((await reopened.appendMessage(record.id, { ...message })).duplicate).toBe(true);
  });

  it('keeps every acknowledged write through kill -9, and leaves no temp file behind', async () => {
    const child = await kind.child();
    try {
      const acked = new Set<string>();
      let conversationId = '';
      for (let round = 1; round <= 4; round++) {
        // Each round starts a new conversation in the same store, killed mid-write.
        const seen = await killWriterAfter(child.kind, child.where, 30 + round * 7);
        conversationId = seen.conversationId;
        for (const id of seen.messages) acked.add(`${conversationId}/${id}`);
        const store = await openStore(child.kind, child.where);
        try {
          const stored = new Set(
            (await store.listMessages(conversationId)).map((m) => `${conversationId}/${m.id}`),
          );
          for (const id of seen.messages) expect(stored.has(`${conversationId}/${id}`)).toBe(true);
          expect((await store.getConversation(conversationId))?.version).toBeGreaterThanOrEqual(
            seen.version,
          );
          if (child.kind === 'local') {
            expect((await filesUnder(child.where)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
          }
        } finally {
          await store.close();
        }
      }
      expect(acked.size).toBeGreaterThan(100);
    } finally {
      await child.dispose();
    }
  }, 60_000);
});
