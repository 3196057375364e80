/**
 * What only the default, embedded store has: a journal that stays the size of what is open,
 * a torn last line after a crash, the old layout brought over, the visitors' index built for
 * an archive from before it, and accounts that two processes change at once without losing
 * either change.
 */
import { appendFile, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../../server/desk/secrets.ts';
import type { ConversationRecord } from '../../server/domain/conversation-types.ts';
import { HelperAccounts } from '../../server/store/helper-accounts.ts';
import { LocalStore } from '../../server/store/local-store.ts';
import { conversationRecord } from '../support/records.ts';
import { volunteer } from '../support/volunteer-cli.ts';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});
async function freshDir(): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'help-local-'));
  return dir;
}

const record = (overrides: Partial<ConversationRecord> = {}) =>
  conversationRecord({ joinCode: '123456789', ...overrides });

const journalBytes = async (dataDir: string) => {
  const names = await readdir(join(dataDir, 'journal'));
  const sizes = await Promise.all(names.map((n) => stat(join(dataDir, 'journal', n))));
  return { segments: names.length, bytes: sizes.reduce((sum, s) => sum + s.size, 0) };
};

describe('the local store', () => {
  it('keeps the journal the size of what is open: ended chats leave it, whatever the history', async () => {
    const dataDir = await freshDir();
    const store = await LocalStore.open(dataDir, { archiveAfterMs: 0, compactBytes: 64 * 1024 });
    const open = record({ joinCode: '999999999' });
    await store.createConversation(open);
    for (let round = 0; round < 30; round++) {
      const chat = record({ status: 'assigned', helperId: 'alex', helperName: 'Alex' });
      await store.createConversation(chat);
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.appendMessage(chat.id, {
            id: newId(),
            from: 'visitor',
            authorName: 'Ann',
            text: `${i} ${'x'.repeat(200)}`,
          }),
        ),
      );
      await store.saveConversation({
        ...chat,
        version: 2,
        status: 'ended',
        endedAt: new Date().toISOString(),
      });
      await store.archiveEnded();
    }
    await store.appendMessage(open.id, {
      id: 'still-here-1',
      from: 'visitor',
      authorName: 'Ann',
      text: 'Hello',
    });
    // 30 chats of ~5 KB each went through; the journal holds about one compaction's worth.
    const { segments, bytes } = await journalBytes(dataDir);
    expect(segments).toBe(1);
    expect(bytes).toBeLessThan(64 * 1024 + 8 * 1024);
    expect(store.stats().hotConversations).toBe(1);
    await store.close();

    const reopened = await LocalStore.open(dataDir);
    expect((await reopened.listOpenConversations()).map((c) => c.id)).toEqual([open.id]);
    expect((await reopened.listMessages(open.id)).map((m) => m.id)).toEqual(['still-here-1']);
    expect(await reopened.listEndedConversations('alex', { limit: 100 })).toHaveLength(30);
    await reopened.close();
  });

  it('cuts off a torn last line (a crash mid-write) and goes on appending after it', async () => {
    const dataDir = await freshDir();
    const store = await LocalStore.open(dataDir);
    const chat = record();
    await store.createConversation(chat);
    await store.appendMessage(chat.id, {
      id: 'acked-message',
      from: 'visitor',
      authorName: 'Ann',
      text: 'Kept',
    });
    await store.close();
    // What a crash halfway through a write leaves: the start of a line and no newline.
    await appendFile(join(dataDir, 'journal', '00000001.log'), '{"t":"msg","message":{"id":"torn');

    const reopened = await LocalStore.open(dataDir);
    await reopened.appendMessage(chat.id, {
      id: 'after-crash',
      from: 'helper',
      authorName: 'Alex',
      text: 'Back',
    });
    await reopened.close();
    const again = await LocalStore.open(dataDir);
    expect((await again.listMessages(chat.id)).map((m) => [m.id, m.seq])).toEqual([
      ['acked-message', 1],
      ['after-crash', 2],
    ]);
    await again.close();
  });

  it('shows a returning visitor the chats archived before they were looked up, past a torn line', async () => {
    const dataDir = await freshDir();
    const store = await LocalStore.open(dataDir);
    // Ended in the next hour, so the archiver waits for the test to move them itself.
    const base = Math.ceil((Date.now() + 1) / 3_600_000) * 3_600_000;
    const ended = (minute: number, visitorKey: string) =>
      record({
        status: 'ended',
        visitorKey,
        createdAt: new Date(base).toISOString(),
        endedAt: new Date(base + minute * 60_000).toISOString(),
      });
    const first = ended(1, 'browser-key-0001-aaaa');
    const second = ended(2, 'browser-key-0002-bbbb');
    await store.createConversation(first);
    await store.appendMessage(first.id, {
      id: 'm1',
      from: 'visitor',
      authorName: 'Ann',
      text: 'Hi',
    });
    await store.archiveEnded(base + 86_400_000);
    // A crash while archiving left a line torn inside a character ("é" is two bytes here).
    const month = new Date(base + 60_000).toISOString().slice(0, 7);
    const segment = join(dataDir, 'archive', 'conversations', `${month}.log`);
    const torn = Buffer.from('{"record":{"visitor":{"name":"René');
    await appendFile(segment, torn.subarray(0, torn.length - 1));
    await store.createConversation(second);
    await store.archiveEnded(base + 86_400_000);
    await store.close();
    // As a store archived before the visitors' index existed.
    await rm(join(dataDir, 'archive', 'visitors'), { recursive: true, force: true });

    const reopened = await LocalStore.open(dataDir);
    const keys = ['browser:browser-key-0001-aaaa', 'browser:browser-key-0002-bbbb'];
    const earlier = await reopened.listVisitorEndedConversations(keys, 10);
    expect(earlier.map((r) => r.id)).toEqual([second.id, first.id]);
    expect((await reopened.listMessages(first.id)).map((m) => m.text)).toEqual(['Hi']);
    await reopened.close();
    // Built once: the next start finds the index whole and leaves it as it is.
    const bucketFiles = async () => (await readdir(join(dataDir, 'archive', 'visitors'))).sort();
    const before = await bucketFiles();
    const again = await LocalStore.open(dataDir);
    expect(await bucketFiles()).toEqual(before);
    expect((await again.listVisitorEndedConversations(keys, 10)).map((r) => r.id)).toEqual([
      second.id,
      first.id,
    ]);
    await again.close();
  });

  it('brings a data directory of the first layout over, once', async () => {
    const dataDir = await freshDir();
    const openOne = record({ status: 'assigned', helperId: 'alex', helperName: 'Alex' });
    const endedOne = record({
      status: 'ended',
      helperId: 'alex',
      helperName: 'Alex',
      endedAt: '2026-11-30T10:00:00.000Z',
    });
    const strip = ({ version: _v, ...rest }: ConversationRecord) => rest;
    await writeFile(
      join(dataDir, 'index.json'),
      JSON.stringify({
        version: 1,
        conversations: [strip(openOne), strip(endedOne)],
        prefs: { alex: { availability: 'available', capacity: 4 } },
        sessions: [
          {
            tokenHash: 'sess',
            helperId: 'alex',
            createdAt: '',
            expiresAt: '2999-01-01T00:00:00.000Z',
          },
        ],
      }),
    );
    await mkdir(join(dataDir, 'conversations'));
    const message = (conversationId: string, id: string, seq: number) => ({
      id,
      conversationId,
      seq,
      from: 'visitor',
      authorName: 'Ann',
      text: id,
      sentAt: '2026-11-30T09:00:00.000Z',
    });
    await writeFile(
      join(dataDir, 'conversations', `${openOne.id}.json`),
      JSON.stringify({
        id: openOne.id,
        messages: [message(openOne.id, 'old-open-1', 1)],
        readMarks: { helper: 'old-open-1' },
      }),
    );
    await writeFile(
      join(dataDir, 'conversations', `${endedOne.id}.json`),
      JSON.stringify({
        id: endedOne.id,
        messages: [message(endedOne.id, 'old-ended-1', 1)],
        readMarks: {},
      }),
    );

    const store = await LocalStore.open(dataDir);
    expect((await store.listOpenConversations()).map((c) => [c.id, c.version])).toEqual([
      [openOne.id, 1],
    ]);
    expect((await store.listMessages(openOne.id)).map((m) => m.id)).toEqual(['old-open-1']);
    expect(await store.getReadMarks(openOne.id)).toEqual({ helper: 'old-open-1' });
    expect((await store.listEndedConversations('alex', { limit: 5 })).map((c) => c.id)).toEqual([
      endedOne.id,
    ]);
    expect((await store.listMessages(endedOne.id)).map((m) => m.id)).toEqual(['old-ended-1']);
    expect(await store.getHelperPrefs('alex')).toEqual({ availability: 'available', capacity: 4 });
    expect(await store.getSession('sess')).toMatchObject({ helperId: 'alex' });
    await store.close();
    const names = await readdir(dataDir);
    expect(names).toContain('index.json.migrated');
    expect(names).not.toContain('index.json');
    // A second start finds nothing more to bring over, and nothing doubled.
    const again = await LocalStore.open(dataDir);
    expect(await again.listMessages(openOne.id)).toHaveLength(1);
    await again.close();
  });

  it('loses no account when two processes add helpers at the same time', async () => {
    const dataDir = await freshDir();
    // Two instances on one directory behave as two processes: no shared memory, one file.
    const [a, b] = [new HelperAccounts(dataDir), new HelperAccounts(dataDir)];
    const add = (accounts: HelperAccounts, name: string) =>
      accounts.add({ id: newId(), name, passwordHash: 'x', createdAt: '' });
    await Promise.all(
      Array.from({ length: 15 }, (_, i) => [add(a, `A${i}`), add(b, `B${i}`)]).flat(),
    );
    expect((await new HelperAccounts(dataDir).list()).map((h) => h.name).sort()).toHaveLength(30);
  });

  it('`npm run volunteer -- add`, four at once, keeps all four', async () => {
    const dataDir = await freshDir();
    const results = await Promise.all(
      ['Ann', 'Ben', 'Cat', 'Dan'].map((name) =>
        volunteer(dataDir, 'add', name, '--password', 'long enough'),
      ),
    );
    expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    expect((await new HelperAccounts(dataDir).list()).map((h) => h.name).sort()).toEqual([
      'Ann',
      'Ben',
      'Cat',
      'Dan',
    ]);
  }, 60_000);
});
