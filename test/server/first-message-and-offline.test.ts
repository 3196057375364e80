/**
 * A conversation is asked for with the visitor's first message (rule 8): what helpers see of
 * it, who gets it, which email addresses pass, and messages left while nobody was available.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationSummary } from '../../protocol/domain.ts';
import {
  type AgentClient,
  type Harness,
  helpRequestBody,
  newId,
  nextEvent,
  startHarness,
  waitFor,
} from '../support/server-harness.ts';

const PASSWORD = 'correct horse battery';

describe('the first message makes the help request', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ helpRequestRate: { burst: 100, perSecond: 100 } });
  });
  afterEach(() => h.stop());

  async function helper(name: string, availability: 'available' | 'away') {
    await h.addHelper(name, PASSWORD);
    const agent = await h.agent(name, PASSWORD);
    const ack = await agent.emitWithAck('helper:availability', { availability });
    expect(ack.ok).toBe(true);
    return agent;
  }

  it('stores the first message with the conversation, signed with the name the site gave, and shows it in the queue', async () => {
    const alex = await helper('Alex', 'away');
    const messageId = newId();
    const queued = waitFor(alex, 'queue:changed', (q) => q.waiting[0]?.firstMessage !== undefined);
    const { status, json } = await h.requestHelp(
      helpRequestBody({
        visitor: { name: 'Dana' },
        message: { id: messageId, text: 'My card is declined at checkout' },
      }),
    );
    expect(status).toBe(201);

    const entry = (await queued).waiting[0];
    expect(entry).toMatchObject({
      id: json.conversationId,
      kind: 'chat',
      status: 'waiting',
      queuePosition: 1,
      firstMessage: 'My card is declined at checkout',
    });

    const visitor = await h.visitor(json.visitorToken);
    const history = await visitor.emitWithAck('chat:history', {
      conversationId: json.conversationId,
    });
    expect(history).toMatchObject({
      ok: true,
      data: {
        messages: [
          {
            id: messageId,
            from: 'visitor',
            authorName: 'Dana',
            text: 'My card is declined at checkout',
          },
        ],
      },
    });

    // A helper who opens the page later sees the same preview.
    await h.addHelper('Sam', PASSWORD);
    const sam = await h.agent('Sam', PASSWORD);
    const queue = await waitFor(sam, 'queue:updated');
    expect(queue.waiting).toEqual([
      expect.objectContaining({
        id: json.conversationId,
        firstMessage: 'My card is declined at checkout',
      }),
    ]);
  });

  it('gives the chat at once to an available helper, who receives the first message', async () => {
    const alex = await helper('Alex', 'available');
    const received = nextEvent(alex, 'chat:message', (m) => m.text === 'Where is my parcel?');
    const { json } = await h.requestHelp(
      helpRequestBody({ message: { id: newId(), text: 'Where is my parcel?' } }),
    );
    const message = await received;
    expect(message).toMatchObject({
      conversationId: json.conversationId,
      from: 'visitor',
      authorName: 'Visitor',
    });
    const mine = await waitFor(
      alex,
      'conversation:updated',
      (c) => c.id === json.conversationId && c.firstMessage !== undefined,
    );
    expect(mine).toMatchObject({
      status: 'assigned',
      helperName: 'Alex',
      firstMessage: 'Where is my parcel?',
    });
    // The helper answers in the same conversation.
    const reply = await alex.emitWithAck('chat:send', {
      conversationId: json.conversationId,
      id: newId(),
      text: 'Let me check',
    });
    expect(reply).toMatchObject({ ok: true, data: { from: 'helper', authorName: 'Alex' } });
  });

  it.each(['ann@localhost', 'a@b.c', 'x+tag@sub.example.co.uk'])(
    'accepts the odd but valid email address %s',
    async (email) => {
      const { status, json } = await h.requestHelp(
        helpRequestBody({ visitor: { email }, message: { id: newId(), text: 'Hello' } }),
      );
      expect(status).toBe(201);
      expect((await h.store.getConversation(json.conversationId))?.visitor).toEqual({ email });
    },
  );

  it.each([
    ['words', 'not an email'],
    ['no domain', 'a@'],
    ['markup', '<script>@x'],
    ['300 characters', `${'a'.repeat(288)}@example.com`],
  ])(
    'refuses an email address with %s, naming the field, and creates nothing',
    async (_label, email) => {
      const before = await h.store.listOpenConversations();
      const { status, json } = await h.requestHelp(
        helpRequestBody({ visitor: { email }, message: { id: newId(), text: 'Hello' } }),
      );
      expect(status).toBe(400);
      expect(json).toMatchObject({
        ok: false,
        error: { code: 'invalid_payload', message: expect.stringContaining('visitor.email') },
      });
      expect(await h.store.listOpenConversations()).toEqual(before);
    },
  );
});

describe('messages left while nobody was available', () => {
  let h: Harness;
  afterEach(() => h.stop());

  async function availableHelper(name: string): Promise<AgentClient> {
    await h.addHelper(name, PASSWORD);
    const agent = await h.agent(name, PASSWORD);
    const ack = await agent.emitWithAck('helper:availability', { availability: 'available' });
    expect(ack.ok).toBe(true);
    return agent;
  }

  const offlineMessage = (text: string) =>
    helpRequestBody({
      kind: 'message',
      visitor: { name: 'Ann', email: 'ann@localhost' },
      message: { id: newId(), text },
    });

  it('waits for a helper to accept it, and the visitor who comes back later reads the reply', async () => {
    h = await startHarness();
    // A helper who is away still sees messages arrive.
    await h.addHelper('Sam', PASSWORD);
    const sam = await h.agent('Sam', PASSWORD);
    const listed = nextEvent(sam, 'queue:changed', (q) => q.waiting[0]?.kind === 'message');
    const left = await h.requestHelp(offlineMessage('Please call me about my order'));
    expect(left.status).toBe(201);
    const conversationId = left.json.conversationId;
    expect(await listed).toEqual({
      waiting: [expect.objectContaining({ id: conversationId, status: 'waiting' })],
      gone: [],
    });

    // A helper comes on duty: the message is listed for them, not handed out.
    const alex = await availableHelper('Alex');
    const queue = await waitFor(alex, 'queue:updated');
    const entry = queue.waiting.find((c) => c.id === conversationId);
    expect(entry).toMatchObject({
      kind: 'message',
      status: 'waiting',
      visitor: { email: 'ann@localhost' },
      firstMessage: 'Please call me about my order',
    });
    expect(entry).not.toHaveProperty('queuePosition');
    // Going available hands out waiting chats before it is acknowledged; not this one.
    expect((await h.store.getConversation(conversationId))?.status).toBe('waiting');

    const taken = nextEvent(sam, 'queue:changed', (q) => q.gone.includes(conversationId));
    const accepted = await alex.emitWithAck('conversation:accept', { conversationId });
    expect(accepted).toMatchObject({
      ok: true,
      data: { kind: 'message', status: 'assigned', helperName: 'Alex' },
    });
    const reply = await alex.emitWithAck('chat:send', {
      conversationId,
      id: newId(),
      text: 'I will call you at 3pm',
    });
    expect(reply.ok).toBe(true);
    await taken;

    // The visitor returns with the token their browser kept.
    const visitor = await h.visitor(left.json.visitorToken);
    const history = await visitor.emitWithAck('chat:history', { conversationId });
    expect(history.ok && history.data.messages.map((m) => [m.from, m.text])).toEqual([
      ['visitor', 'Please call me about my order'],
      ['helper', 'I will call you at 3pm'],
    ]);
  });

  it('does not hold up a later chat, which goes to the helper at once', async () => {
    h = await startHarness();
    const message = await h.requestHelp(offlineMessage('Call me back please'));
    const alex = await availableHelper('Alex');
    const chat = await h.requestHelp(
      helpRequestBody({ message: { id: newId(), text: 'Quick question' } }),
    );
    expect(await h.store.getConversation(chat.json.conversationId)).toMatchObject({
      status: 'assigned',
      helperName: 'Alex',
    });
    expect((await h.store.getConversation(message.json.conversationId))?.status).toBe('waiting');
    const updated = await waitFor(
      alex,
      'conversation:updated',
      (c: ConversationSummary) => c.id === chat.json.conversationId,
    );
    expect(updated.status).toBe('assigned');
  });

  it('stays waiting however long its visitor is gone, where a chat would leave the queue', async () => {
    // The sweep runs every 20 ms; a waiting chat's visitor may be gone 300 ms.
    h = await startHarness({ graceMs: 80, visitorGoneMs: 100, waitingVisitorTimeoutMs: 300 });
    const message = await h.requestHelp(offlineMessage('Call me back please'));
    const chat = await h.requestHelp(
      helpRequestBody({ message: { id: newId(), text: 'Anyone there?' } }),
    );
    // Neither visitor ever connects. The chat leaves the queue; the message stays.
    await expect
      .poll(async () => (await h.store.getConversation(chat.json.conversationId))?.status, {
        timeout: 3000,
      })
      .toBe('ended');
    // Asked for before the chat, so past the queue's limit by the same sweep: still waiting.
    expect(await h.store.getConversation(message.json.conversationId)).toMatchObject({
      status: 'waiting',
      kind: 'message',
    });
    await expect
      .poll(
        async () => (await h.store.getConversation(message.json.conversationId))?.presence?.state,
      )
      .toBe('gone');
    expect((await h.store.getConversation(message.json.conversationId))?.status).toBe('waiting');
    const alex = await availableHelper('Alex');
    const queue = await waitFor(alex, 'queue:updated');
    expect(queue.waiting.map((c) => c.id)).toContain(message.json.conversationId);
  });
});
