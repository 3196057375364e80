/**
 * Vitest browser commands: run in Node, called from tests in Chromium. They start a real help
 * server that allows the test page's origin, play the helper over a real agent socket, and
 * record the requests the test's own frame sends.
 */
import type { Request } from 'playwright-core';
import type { BrowserCommand } from 'vitest/node';
import type { CobrowseChange, ControlChange, ControlStatus } from '../../protocol/cobrowse.ts';
import type { ConversationSummary, Message } from '../../protocol/domain.ts';
import type { MirrorStatus } from '../../protocol/mirror.ts';
import type { ConversationRecord } from '../../server/domain/conversation-types.ts';
import {
  type AgentClient,
  type Harness,
  newId,
  startHarness,
  type VisitorClient,
  waitFor,
} from './server-harness.ts';

interface Running {
  harness: Harness;
  helper?: AgentClient;
  received: Message[];
  /** Follow mode: the visitor's socket, their conversation, and what control applied there. */
  visitor?: { socket: VisitorClient; conversationId: string; applied: ControlChange[] };
}
const servers = new Map<string, Running>();

function running(url: string): Running {
  const found = servers.get(url);
  if (!found) throw new Error(`no test server at ${url}`);
  return found;
}

function helperOf(url: string): AgentClient {
  const helper = running(url).helper;
  if (!helper) throw new Error('call helperOnline first');
  return helper;
}

async function unwrap<T>(
  answer: Promise<{ ok: true; data: T } | { ok: false; error: { message: string } }>,
) {
  const result = await answer;
  if (!result.ok) throw new Error(result.error.message);
  return result.data;
}

const startHelpServer: BrowserCommand<[origin: string]> = async (_ctx, origin) => {
  const harness = await startHarness({ allowedOrigins: [origin] });
  servers.set(harness.url, { harness, received: [] });
  return { url: harness.url };
};

const stopHelpServer: BrowserCommand<[url: string]> = async (_ctx, url) => {
  await servers.get(url)?.harness.stop();
  servers.delete(url);
};

const storedConversation: BrowserCommand<[url: string, id: string]> = async (_ctx, url, id) =>
  (await running(url).harness.store.getConversation(id)) ?? null;

const storedMessages: BrowserCommand<[url: string, id: string]> = (_ctx, url, id) =>
  running(url).harness.store.listMessages(id);

/** Alex signs in on a real agent socket and goes available, so requests are assigned to him. */
const helperOnline: BrowserCommand<[url: string]> = async (_ctx, url) => {
  const server = running(url);
  await server.harness.addHelper('Alex', 'alex-password');
  server.helper = await server.harness.agent('Alex', 'alex-password');
  server.helper.on('chat:message', (m) => server.received.push(m));
  await unwrap(
    server.helper.emitWithAck('helper:availability', { availability: 'available', capacity: 5 }),
  );
};

const helperConversations: BrowserCommand<[url: string]> = async (_ctx, url) =>
  (await running(url).harness.store.listOpenConversations()).map((c) => c.id);

const helperSend: BrowserCommand<[url: string, conversationId: string, text: string]> = (
  _ctx,
  url,
  conversationId,
  text,
) => unwrap(helperOf(url).emitWithAck('chat:send', { conversationId, id: newId(), text }));

const helperTyping: BrowserCommand<[url: string, conversationId: string, typing: boolean]> = (
  _ctx,
  url,
  conversationId,
  typing,
) => unwrap(helperOf(url).emitWithAck('chat:typing', { conversationId, typing }));

const helperRead: BrowserCommand<[url: string, conversationId: string, upTo: string]> = (
  _ctx,
  url,
  conversationId,
  upTo,
) => unwrap(helperOf(url).emitWithAck('chat:read', { conversationId, upTo }));

/** Alex answers a waiting conversation, e.g. a message left while no one was online. */
const helperAccept: BrowserCommand<[url: string, conversationId: string]> = (
  _ctx,
  url,
  conversationId,
) => unwrap(helperOf(url).emitWithAck('conversation:accept', { conversationId }));

/** Alex presses "Follow page" on a conversation (the widget's own, in widget tests). */
const helperFollow: BrowserCommand<[url: string, conversationId: string]> = async (
  _ctx,
  url,
  conversationId,
) => {
  await unwrap(helperOf(url).emitWithAck('cobrowse:start', { conversationId }));
};

/** Alex presses "Mirror page"; resolves with the share as the server then tells it. */
const helperMirror: BrowserCommand<[url: string, conversationId: string]> = (
  _ctx,
  url,
  conversationId,
) => unwrap(helperOf(url).emitWithAck('mirror:request', { conversationId }));

/** The share of a conversation as stored now: none, asked, or shared. */
const mirrorState: BrowserCommand<[url: string, conversationId: string]> = async (
  _ctx,
  url,
  conversationId,
) => (await running(url).harness.store.getConversation(conversationId))?.mirror?.state ?? 'none';

const helperEnd: BrowserCommand<[url: string, conversationId: string]> = (
  _ctx,
  url,
  conversationId,
) => unwrap(helperOf(url).emitWithAck('conversation:end', { conversationId }));

/** Messages the helper's socket has received so far. */
const helperReceived: BrowserCommand<[url: string]> = (_ctx, url) => running(url).received;

/**
 * Requests a test's own frame makes to one path, as the network sees them (method and body),
 * so a test can show what an element sent, or did not. One recording per test session.
 */
interface Recording {
  requests: { method: string; body: string | null }[];
  stop: () => void;
}
const recordings = new Map<string, Recording>();

const recordRequests: BrowserCommand<[path: string]> = async (ctx, path) => {
  recordings.get(ctx.sessionId)?.stop();
  const frame = await ctx.frame();
  const requests: Recording['requests'] = [];
  const onRequest = (request: Request) => {
    if (request.frame() === frame && new URL(request.url()).pathname === path) {
      requests.push({ method: request.method(), body: request.postData() });
    }
  };
  ctx.page.on('request', onRequest);
  recordings.set(ctx.sessionId, { requests, stop: () => ctx.page.off('request', onRequest) });
};

const recordedRequests: BrowserCommand<[]> = (ctx) => recordings.get(ctx.sessionId)?.requests ?? [];

const stopRecordingRequests: BrowserCommand<[]> = (ctx) => {
  recordings.get(ctx.sessionId)?.stop();
  recordings.delete(ctx.sessionId);
};

function visitorOf(url: string) {
  const visitor = running(url).visitor;
  if (!visitor) throw new Error('call followVisitor first');
  return visitor;
}

/**
 * Follow mode from both real ends but the copy: a visitor (on the server's own origin) asks
 * for help, Alex is given it and presses "Follow page". Resolves with the follow token the
 * agent page would hand its copy of the page.
 */
const followVisitor: BrowserCommand<[url: string]> = async (_ctx, url) => {
  const server = running(url);
  if (!server.helper) await helperOnline(_ctx, url);
  const { json } = await server.harness.requestHelp();
  const socket = await server.harness.visitor(json.visitorToken);
  await waitFor(socket, 'conversation:updated', (c) => c.status === 'assigned');
  const applied: ControlChange[] = [];
  socket.on('control:apply', ({ conversationId: _ignored, ...change }) => applied.push(change));
  server.visitor = { socket, conversationId: json.conversationId, applied };
  return followToken(_ctx, url);
};

/** Another "Follow page" press: a fresh single-use token for the same conversation. */
const followToken: BrowserCommand<[url: string]> = async (_ctx, url) => {
  const { conversationId } = visitorOf(url);
  const grant = await unwrap(helperOf(url).emitWithAck('cobrowse:start', { conversationId }));
  return { conversationId, token: grant.token };
};

/** A change on the visitor's page, as their widget reports it. */
const visitorChange: BrowserCommand<[url: string, change: CobrowseChange]> = (
  _ctx,
  url,
  change,
) => {
  const { socket, conversationId } = visitorOf(url);
  return unwrap(socket.emitWithAck('cobrowse:change', { conversationId, ...change }));
};

/** Alex asks for control and the visitor answers: allow or take it back. */
const visitorControl: BrowserCommand<[url: string, allow: boolean]> = async (_ctx, url, allow) => {
  const { socket, conversationId } = visitorOf(url);
  if (allow) await unwrap(helperOf(url).emitWithAck('control:request', { conversationId }));
  return unwrap(socket.emitWithAck('control:answer', { conversationId, allow }));
};

/** "Stop sharing" on the visitor's side. */
const visitorStopSharing: BrowserCommand<[url: string]> = async (_ctx, url) => {
  const { socket, conversationId } = visitorOf(url);
  await unwrap(socket.emitWithAck('cobrowse:stop', { conversationId }));
};

/** What the helper's control changed on the visitor's page so far. */
const visitorApplied: BrowserCommand<[url: string]> = (_ctx, url) => visitorOf(url).applied;

/** Copies of the page connected to the server right now. */
const followSockets: BrowserCommand<[url: string]> = (_ctx, url) =>
  running(url).harness.server.io.of('/follow').sockets.size;

export const helpCommands = {
  startHelpServer,
  stopHelpServer,
  storedConversation,
  storedMessages,
  helperOnline,
  helperConversations,
  helperSend,
  helperTyping,
  helperRead,
  helperAccept,
  helperFollow,
  helperMirror,
  mirrorState,
  helperEnd,
  helperReceived,
  recordRequests,
  recordedRequests,
  stopRecordingRequests,
  followVisitor,
  followToken,
  visitorChange,
  visitorControl,
  visitorStopSharing,
  visitorApplied,
  followSockets,
};

declare module 'vitest/browser' {
  interface BrowserCommands {
    startHelpServer: (origin: string) => Promise<{ url: string }>;
    stopHelpServer: (url: string) => Promise<void>;
    storedConversation: (url: string, id: string) => Promise<ConversationRecord | null>;
    storedMessages: (url: string, id: string) => Promise<Message[]>;
    helperOnline: (url: string) => Promise<void>;
    helperConversations: (url: string) => Promise<string[]>;
    helperSend: (url: string, conversationId: string, text: string) => Promise<Message>;
    helperTyping: (url: string, conversationId: string, typing: boolean) => Promise<null>;
    helperRead: (url: string, conversationId: string, upTo: string) => Promise<null>;
    helperAccept: (url: string, conversationId: string) => Promise<ConversationSummary>;
    helperFollow: (url: string, conversationId: string) => Promise<void>;
    helperMirror: (url: string, conversationId: string) => Promise<MirrorStatus>;
    mirrorState: (url: string, conversationId: string) => Promise<string>;
    helperEnd: (url: string, conversationId: string) => Promise<ConversationSummary>;
    helperReceived: (url: string) => Promise<Message[]>;
    recordRequests: (path: string) => Promise<void>;
    recordedRequests: () => Promise<{ method: string; body: string | null }[]>;
    stopRecordingRequests: () => Promise<void>;
    followVisitor: (url: string) => Promise<{ conversationId: string; token: string }>;
    followToken: (url: string) => Promise<{ conversationId: string; token: string }>;
    visitorChange: (url: string, change: CobrowseChange) => Promise<null>;
    visitorControl: (url: string, allow: boolean) => Promise<ControlStatus>;
    visitorStopSharing: (url: string) => Promise<void>;
    visitorApplied: (url: string) => Promise<ControlChange[]>;
    followSockets: (url: string) => Promise<number>;
  }
}
