import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../protocol/domain.ts';
import { newId } from '../../server/desk/secrets.ts';
import { connected, requestHelpAt, visitorAt } from '../support/process-clients.ts';
import { type Harness, startHarness } from '../support/server-harness.ts';
import { type ServerProcess, startServerProcess } from '../support/server-process.ts';

describe('nothing acknowledged is lost', () => {
  let h: Harness | undefined;
  let server: ServerProcess | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    await h?.stop();
    server?.child.kill('SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    h = server = dataDir = undefined;
  });

  it('stores a message sent twice with the same id once, and acks both the same', async () => {
    h = await startHarness();
    const { json } = await h.requestHelp();
    const visitor = await h.visitor(json.visitorToken);
    const payload = { conversationId: json.conversationId, id: newId(), text: 'Hello?' };
    const [first, second] = await Promise.all([
      visitor.emitWithAck('chat:send', payload),
      visitor.emitWithAck('chat:send', payload),
    ]);
    const again = await visitor.emitWithAck('chat:send', payload);
    expect(first).toMatchObject({ ok: true, data: { id: payload.id, seq: 1 } });
    expect(second).toEqual(first);
    expect(again).toEqual(first);
    expect(await h.store.listMessages(json.conversationId)).toHaveLength(1);
  });

  it('keeps every acked message when the server is killed with SIGKILL right after the acks', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'help-kill-'));
    server = await startServerProcess({ HELP_DATA_DIR: dataDir });
    const { conversationId, visitorToken } = await requestHelpAt(server.url);
    const connect = (url: string) => connected(visitorAt(url, visitorToken));

    const visitor = await connect(server.url);
    const acked: Message[] = [];
    // 15 in flight at once, under the per-socket burst: writes coalesce, acks follow fsync.
    const answers = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        visitor.emitWithAck('chat:send', { conversationId, id: newId(), text: `message ${i}` }),
      ),
    );
    for (const answer of answers) if (answer.ok) acked.push(answer.data);
    server.child.kill('SIGKILL');
    await server.exited;
    visitor.disconnect();
    expect(acked).toHaveLength(15);

    server = await startServerProcess({ HELP_DATA_DIR: dataDir });
    const back = await connect(server.url);
    const history = await back.emitWithAck('chat:history', { conversationId });
    back.disconnect();
    expect(history.ok).toBe(true);
    const stored = history.ok ? history.data.messages : [];
    expect(stored.map((m) => m.id).sort()).toEqual(acked.map((m) => m.id).sort());
    expect(new Set(stored.map((m) => m.seq)).size).toBe(15);
  });
});

describe('memory', () => {
  it('lets an ended conversation leave memory once archived, and still reads it from disk', async () => {
    const h = await startHarness({ archiveAfterMs: 0 });
    try {
      const { json } = await h.requestHelp();
      const visitor = await h.visitor(json.visitorToken);
      const id = newId();
      await visitor.emitWithAck('chat:send', {
        conversationId: json.conversationId,
        id,
        text: 'Bye',
      });
      expect(h.store.stats().hotConversations).toBe(1);
      await visitor.emitWithAck('conversation:end', { conversationId: json.conversationId });
      await expect.poll(() => h.store.stats().hotConversations).toBe(0);
      const messages = await h.store.listMessages(json.conversationId);
      expect(messages.map((m) => m.id)).toEqual([id]);
      expect(await h.store.getConversation(json.conversationId)).toMatchObject({ status: 'ended' });
    } finally {
      await h.stop();
    }
  });
});
