/**
 * Starts a real help server on 127.0.0.1:0 with a fresh data directory, and makes real
 * typed Socket.IO clients and REST calls against it. Shared by the server tests and the bench.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { HelpRequestCreated } from '../../protocol/domain.ts';
import type {
  AgentClientEvents,
  AgentServerEvents,
  FollowClientEvents,
  FollowServerEvents,
  VisitorClientEvents,
  VisitorServerEvents,
} from '../../protocol/events.ts';
import type { HelpRequestBody } from '../../protocol/schemas.ts';
import { defaultConfig, type ServerConfig } from '../../server/config.ts';
import { createServer, type HelpServer } from '../../server/create-server.ts';
import { hashPassword, newId } from '../../server/desk/secrets.ts';
import { LocalStore } from '../../server/store/local-store.ts';
import { MemoryLiveState } from '../../server/store/memory-live-state.ts';

export type VisitorClient = Socket<VisitorServerEvents, VisitorClientEvents>;
export type AgentClient = Socket<AgentServerEvents, AgentClientEvents>;
export type FollowClient = Socket<FollowServerEvents, FollowClientEvents>;

export const UA = {
  chromeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  safariIphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  firefoxLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  edgeAndroid:
    'Mozilla/5.0 (Linux; Android 10; HD1913) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.135 Mobile Safari/537.36 EdgA/131.0.2903.87',
} as const;

export function helpRequestBody(overrides: Partial<HelpRequestBody> = {}): HelpRequestBody {
  return {
    pageUrl: 'https://shop.example/checkout?step=2',
    pageTitle: 'Checkout — Shop',
    referrer: 'https://shop.example/cart',
    languages: ['en-GB', 'en'],
    timezone: 'Europe/London',
    screen: { width: 1920, height: 1080 },
    viewport: { width: 1280, height: 720 },
    pixelRatio: 1,
    userAgent: UA.chromeWindows,
    kind: 'chat',
    ...overrides,
  };
}

export interface Harness {
  server: HelpServer;
  store: LocalStore;
  live: MemoryLiveState;
  dataDir: string;
  /** e.g. http://127.0.0.1:43121 */
  url: string;
  /** The origin clients present; allowed because it is the server's own. */
  origin: string;
  addHelper(
    name: string,
    password?: string,
  ): Promise<{ id: string; name: string; password: string }>;
  requestHelp(
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{
    status: number;
    json: HelpRequestCreated & { error?: { code: string; message: string } };
  }>;
  /** A visitor socket; `headers` as a proxy in front would add them (X-Forwarded-For). */
  visitor(token: string, headers?: Record<string, string>): Promise<VisitorClient>;
  signIn(name: string, password: string): Promise<string>;
  agent(name: string, password: string): Promise<AgentClient>;
  /** A follower (the helper's copy of the page) joining with a follow token. */
  follower(token: string): Promise<FollowClient>;
  /** An agent socket on an existing session cookie (`help_agent_session=…`). */
  agentWithCookie(cookie: string): Promise<AgentClient>;
  /** Closes clients and the server; removes the data directory unless `keepData`. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export async function startHarness(
  overrides: Partial<ServerConfig> = {},
  existingDataDir?: string,
  /** The live state's clock, for tests that let follow tokens or buckets run out. */
  liveNow?: () => number,
): Promise<Harness> {
  const dataDir = existingDataDir ?? (await mkdtemp(join(tmpdir(), 'help-test-')));
  const config = defaultConfig({ dataDir, ...overrides });
  const store = await LocalStore.open(dataDir, { archiveAfterMs: config.archiveAfterMs });
  const live = new MemoryLiveState(liveNow ? { now: liveNow } : {});
  const server = await createServer(config, store, live);
  await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = server.httpServer.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const origin = url;
  const clients: Socket[] = [];

  const connect = async <S extends Socket>(socket: S): Promise<S> => {
    clients.push(socket);
    // Recorded from before the handshake: the server sends state right on connection.
    const log: LoggedEvent[] = [];
    logs.set(socket, log);
    socket.onAny((event: string, payload: unknown) => log.push({ event, payload }));
    socket.connect();
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return socket;
  };

  const harness: Harness = {
    server,
    store,
    live,
    dataDir,
    url,
    origin,
    async addHelper(name, password = 'correct horse battery') {
      const id = newId();
      await store.addHelper({
        id,
        name,
        passwordHash: await hashPassword(password),
        createdAt: new Date().toISOString(),
      });
      return { id, name, password };
    },
    async requestHelp(body = helpRequestBody(), headers = {}) {
      const response = await fetch(`${url}/api/help-requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin, ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: response.status, json: await response.json() };
    },
    visitor(token, headers = {}) {
      return connect<VisitorClient>(
        io(`${url}/visitor`, {
          // Each person has their own connection, as separate browsers do.
          forceNew: true,
          auth: { token },
          extraHeaders: { ...headers, origin },
          transports: ['websocket'],
          reconnection: false,
        }),
      );
    },
    follower(token) {
      return connect<FollowClient>(
        io(`${url}/follow`, {
          // Its own connection, as a copy of the page in another window would have.
          forceNew: true,
          auth: { token },
          extraHeaders: { origin },
          transports: ['websocket'],
          reconnection: false,
          autoConnect: false,
        }),
      );
    },
    async signIn(name, password) {
      const response = await fetch(`${url}/api/agent/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify({ name, password }),
      });
      if (response.status !== 200) throw new Error(`sign-in failed: ${response.status}`);
      const cookie = response.headers.get('set-cookie') ?? '';
      return cookie.split(';')[0] ?? '';
    },
    async agent(name, password) {
      return harness.agentWithCookie(await harness.signIn(name, password));
    },
    agentWithCookie(cookie) {
      return connect<AgentClient>(
        io(`${url}/agent`, {
          forceNew: true,
          extraHeaders: { origin, cookie },
          transports: ['websocket'],
          reconnection: false,
        }),
      );
    },
    async stop(options = {}) {
      for (const client of clients) client.disconnect();
      await server.close();
      if (!options.keepData && !existingDataDir)
        await rm(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

interface LoggedEvent {
  event: string;
  payload: unknown;
}
const logs = new WeakMap<object, LoggedEvent[]>();

type AnyClient = VisitorClient | AgentClient | FollowClient;
type ListenEvents<S> = S extends Socket<infer L, infer _E> ? L : never;
type EventName<S> = keyof ListenEvents<S> & string;
type PayloadOf<S, E> = E extends keyof ListenEvents<S>
  ? ListenEvents<S>[E] extends (payload: infer P) => void
    ? P
    : never
  : never;
interface LooseEmitter {
  on(event: string, listener: (payload: unknown) => void): unknown;
  off(event: string, listener: (payload: unknown) => void): unknown;
}

/**
 * Resolves with the first `event` matching `match`, whether it already arrived or arrives
 * later: for state the server pushes (conversation:updated, helper:status, queue:updated).
 */
export async function waitFor<S extends AnyClient, E extends EventName<S>>(
  socket: S,
  event: E,
  match: (payload: PayloadOf<S, E>) => boolean = () => true,
  timeoutMs = 5000,
): Promise<PayloadOf<S, E>> {
  const seen = logs
    .get(socket)
    ?.find((e) => e.event === event && match(e.payload as PayloadOf<S, E>));
  if (seen) return seen.payload as PayloadOf<S, E>;
  return nextEvent(socket, event, match, timeoutMs);
}

/** Resolves with the next `event` whose payload passes `match`. */
export function nextEvent<S extends AnyClient, E extends EventName<S>>(
  socket: S,
  event: E,
  match: (payload: PayloadOf<S, E>) => boolean = () => true,
  timeoutMs = 5000,
): Promise<PayloadOf<S, E>> {
  // The typed overloads of on/off do not accept a computed event name; the types above do.
  const emitter = socket as unknown as LooseEmitter;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`no matching ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: unknown) => {
      if (!match(payload as PayloadOf<S, E>)) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve(payload as PayloadOf<S, E>);
    };
    emitter.on(event, listener);
  });
}

export { newId };
