/**
 * The simulated people, as real clients: helpers and visitors of the real server (REST calls
 * and typed Socket.IO sockets, as the agent page and the widget make them) and their
 * counterparts on the bare relay. One WebSocket per person, as with real browsers, each
 * sending the `origin` header a browser would.
 */
import { io, type Socket } from 'socket.io-client';
import type { HelpRequestCreated, Message } from '../../protocol/domain.ts';
import type {
  AgentClientEvents,
  AgentServerEvents,
  FollowClientEvents,
  FollowServerEvents,
  VisitorClientEvents,
  VisitorServerEvents,
} from '../../protocol/events.ts';
import type { HelpRequestBody } from '../../protocol/schemas.ts';
import type {
  BareClientEvents,
  BareHelperAuth,
  BareServerEvents,
  BareVisitorAuth,
} from './bare-protocol.ts';
import { type ClientContext, withTimeout } from './client-context.ts';

export type AgentClient = Socket<AgentServerEvents, AgentClientEvents>;
export type VisitorClient = Socket<VisitorServerEvents, VisitorClientEvents>;
export type FollowClient = Socket<FollowServerEvents, FollowClientEvents>;
export type BareClient = Socket<BareServerEvents, BareClientEvents>;

export const ACK_TIMEOUT_MS = 10_000;

/** What the widget sends; the same shape as helpRequestBody() in the test harness. */
export function helpRequestBody(n: number): HelpRequestBody {
  return {
    pageUrl: `https://shop.example/checkout?visitor=${n}`,
    pageTitle: 'Checkout — Shop',
    referrer: 'https://shop.example/cart',
    languages: ['en-GB', 'en'],
    timezone: 'Europe/London',
    screen: { width: 1920, height: 1080 },
    viewport: { width: 1280, height: 720 },
    pixelRatio: 1,
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    kind: 'chat',
  };
}

function socket<S extends Socket>(
  ctx: ClientContext,
  path: string,
  options: { auth?: object; cookie?: string; headers?: Record<string, string> },
): S {
  // Helpers may be on another process than visitors (the scale section); each page's origin
  // is its own server's.
  const base = path === '/agent' ? ctx.helperUrl : ctx.url;
  const created = io(`${base}${path}`, {
    ...(options.auth ? { auth: options.auth } : {}),
    extraHeaders: {
      ...options.headers,
      origin: base,
      ...(options.cookie ? { cookie: options.cookie } : {}),
    },
    transports: ['websocket'],
    reconnection: false,
    // One WebSocket per simulated person, as with real browsers (no multiplexing).
    forceNew: true,
  }) as S;
  created.on('disconnect', (reason) => {
    if (reason !== 'io client disconnect') ctx.fail(`${path.slice(1)}-disconnect:${reason}`);
  });
  return ctx.track(created);
}

/** Resolves on the first `event` after connecting; rejects on `connect_error` or timeout. */
function ready(socket: Socket, event: string, timeoutMs = ACK_TIMEOUT_MS): Promise<void> {
  return withTimeout(
    new Promise((resolve, reject) => {
      socket.once(event, () => resolve());
      socket.once('connect_error', (error: Error) => reject(error));
    }),
    timeoutMs,
  );
}

export async function signIn(ctx: ClientContext, name: string, password: string): Promise<string> {
  const response = await fetch(`${ctx.helperUrl}/api/agent/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ctx.helperUrl },
    body: JSON.stringify({ name, password }),
  });
  if (response.status !== 200) throw new Error(`sign-in ${name}: HTTP ${response.status}`);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  if (!cookie.startsWith('help_agent_session='))
    throw new Error(`sign-in ${name}: no session cookie`);
  return cookie;
}

/**
 * A helper signed in, connected to /agent and available with `capacity`. Listeners in `on`
 * are attached before connecting, so nothing sent on connect is missed.
 */
export async function connectHelper(
  ctx: ClientContext,
  name: string,
  password: string,
  capacity: number,
  on: {
    message?: (message: Message) => void;
    assigned?: (conversationId: string) => void;
  } = {},
): Promise<AgentClient> {
  const cookie = await signIn(ctx, name, password);
  const agent = socket<AgentClient>(ctx, '/agent', { cookie });
  const { message, assigned } = on;
  if (message) agent.on('chat:message', message);
  if (assigned) {
    agent.on('conversation:updated', (c) => {
      if (c.status === 'assigned') assigned(c.id);
    });
  }
  // helper:status is the last thing the server's connection handler sends.
  await ready(agent, 'helper:status');
  const answer = await withTimeout(
    agent.emitWithAck('helper:availability', { availability: 'available', capacity }),
    ACK_TIMEOUT_MS,
  );
  if (!answer.ok) throw new Error(`availability ${name}: ${answer.error.message}`);
  return agent;
}

/** `POST /api/help-requests` as the widget makes it; failures are counted, not thrown. */
export async function requestHelp(
  ctx: ClientContext,
  n: number,
): Promise<HelpRequestCreated | undefined> {
  try {
    const response = await fetch(`${ctx.url}/api/help-requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ctx.origin },
      body: JSON.stringify(helpRequestBody(n)),
    });
    if (response.status !== 201) {
      ctx.fail(`help-request:http-${response.status}`);
      await response.body?.cancel();
      return undefined;
    }
    return (await response.json()) as HelpRequestCreated;
  } catch {
    ctx.fail('help-request:network');
    return undefined;
  }
}

/**
 * The widget's socket for one conversation, once the server has sent its first state.
 * `timeoutMs` is longer where thousands connect at once and a handshake waits its turn.
 */
export async function connectVisitor(
  ctx: ClientContext,
  token: string,
  timeoutMs = ACK_TIMEOUT_MS,
  /** As a proxy in front would add them: `X-Forwarded-For` makes each visitor its own address. */
  headers: Record<string, string> = {},
): Promise<VisitorClient> {
  const visitor = socket<VisitorClient>(ctx, '/visitor', { auth: { token }, headers });
  // conversation:updated is the first thing the server's connection handler sends.
  await ready(visitor, 'conversation:updated', timeoutMs);
  return visitor;
}

/** The helper's copy of the visitor's page (follow mode), once it has the current state. */
export async function connectFollower(ctx: ClientContext, token: string): Promise<FollowClient> {
  const follower = socket<FollowClient>(ctx, '/follow', { auth: { token } });
  await ready(follower, 'cobrowse:state');
  return follower;
}

export async function connectBareHelper(
  ctx: ClientContext,
  helper: string,
  onMessage: (message: Message) => void,
): Promise<BareClient> {
  const auth: BareHelperAuth = { helper };
  const agent = socket<BareClient>(ctx, '/agent', { auth });
  agent.on('chat:message', onMessage);
  await ready(agent, 'bare:ready');
  return agent;
}

export async function connectBareVisitor(
  ctx: ClientContext,
  conversationId: string,
  helper: string,
): Promise<BareClient> {
  const auth: BareVisitorAuth = { conversationId, helper };
  const visitor = socket<BareClient>(ctx, '/visitor', { auth });
  await ready(visitor, 'bare:ready');
  return visitor;
}
