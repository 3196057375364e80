/**
 * Simulated helpers and visitors for `npm run bench`. Runs as its own process, started by
 * chat-bench.ts, so the server under test shares nothing with it but the loopback interface.
 *
 *   node --import tsx test/bench/load-client.ts --url http://127.0.0.1:PORT \
 *     --helpers bench-01,bench-02 --conversations 50 --messages 20 --interval-ms 100 \
 *     --timeout-ms 45000        (helper password in BENCH_HELPER_PASSWORD)
 *
 * Steps: sign the helpers in over REST, connect them to /agent and make them available;
 * create the help requests over REST; wait until every conversation is assigned; connect one
 * /visitor socket per conversation; then every visitor sends its messages at a steady pace
 * (open loop: the next send does not wait for the previous ack). Each text carries its send
 * time; the helper who receives it computes the latency. On the hard timeout the client
 * stops where it is and reports what it has.
 *
 * Prints exactly one JSON line (LoadResult) on stdout; progress goes to stderr.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import type { HelpRequestCreated, Message } from '../../protocol/domain.ts';
import type {
  AgentClientEvents,
  AgentServerEvents,
  VisitorClientEvents,
  VisitorServerEvents,
} from '../../protocol/events.ts';
import type { HelpRequestBody } from '../../protocol/schemas.ts';

type AgentClient = Socket<AgentServerEvents, AgentClientEvents>;
type VisitorClient = Socket<VisitorServerEvents, VisitorClientEvents>;

export interface LatencyStats {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export interface LoadResult {
  conversations: number;
  helpers: number;
  messagesPerConversation: number;
  intervalMs: number;
  /** Help requests the server accepted (201). */
  created: number;
  /** Conversations a helper was told are assigned to them. */
  assigned: number;
  visitorsConnected: number;
  /** chat:send events emitted by visitors. */
  sent: number;
  /** chat:send acks with ok: true. */
  acked: number;
  /** chat:message events received by the assigned helper (each message once). */
  delivered: number;
  /** Send (visitor) to chat:message arrival (helper), ms. */
  latencyMs: LatencyStats | null;
  /**
   * The same for each conversation's first message only, which takes a longer server path
   * (conversation file loaded, index rewritten for the queue preview, queue re-broadcast).
   */
  firstMessageLatencyMs: LatencyStats | null;
  /** Send to ack, ms: the ack comes after the message is fsynced and broadcast. */
  ackLatencyMs: LatencyStats | null;
  /** Delivered messages per second, from the first send to the last delivery. */
  throughputPerSecond: number;
  /** Messages per second the visitors were asked to offer. */
  offeredPerSecond: number;
  phasesMs: Record<string, number>;
  errors: { total: number; byKind: Record<string, number> };
  timedOut: boolean;
  /** The phase the hard timeout (or a failure) interrupted, if any. */
  stoppedIn?: string;
  /** Why the run stopped early, other than the timeout. */
  failure?: string;
  /** CPU time this client process used (user + system), ms. */
  clientCpuMs: number;
}

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    helpers: { type: 'string' },
    conversations: { type: 'string', default: '50' },
    messages: { type: 'string', default: '20' },
    'interval-ms': { type: 'string', default: '100' },
    'timeout-ms': { type: 'string', default: '45000' },
  },
});

const url = args.url ?? '';
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(url)) fatal('--url must be http://127.0.0.1:PORT');
const origin = url;
const helperNames = (args.helpers ?? '').split(',').filter(Boolean);
const password = process.env.BENCH_HELPER_PASSWORD ?? '';
const conversations = positiveInt(args.conversations, 'conversations');
const messagesPerConversation = positiveInt(args.messages, 'messages');
const intervalMs = positiveInt(args['interval-ms'], 'interval-ms');
const timeoutMs = positiveInt(args['timeout-ms'], 'timeout-ms');
if (helperNames.length === 0 || !password) fatal('--helpers and BENCH_HELPER_PASSWORD required');
const capacity = Math.ceil(conversations / helperNames.length);
if (capacity > 20) fatal(`capacity ${capacity} > 20: use more helpers`);

const ACK_TIMEOUT_MS = 10_000;
const now = () => performance.timeOrigin + performance.now();

// Results, filled in as the run goes.
const errors = new Map<string, number>();
const fail = (kind: string) => errors.set(kind, (errors.get(kind) ?? 0) + 1);
const phasesMs: Record<string, number> = {};
const latencies: number[] = [];
const firstLatencies: number[] = [];
const ackLatencies: number[] = [];
const sockets: Socket[] = [];
const assigned = new Set<string>();
const createdIds: string[] = [];
let sent = 0;
let acked = 0;
let settled = 0;
let delivered = 0;
let firstSendAt = 0;
let lastDeliveryAt = 0;
let visitorsConnected = 0;
let onProgress = () => {};

/** Send time by message id, and whether the helper has seen it. */
const outgoing = new Map<string, { sentAt: number; first: boolean; delivered: boolean }>();

class PhaseTimeout extends Error {}

const deadline = new Promise<never>((_, reject) => {
  const timer = setTimeout(() => reject(new PhaseTimeout('hard timeout')), timeoutMs);
  timer.unref();
});
deadline.catch(() => undefined);

let currentPhase = 'start';
async function phase<T>(name: string, run: () => Promise<T>): Promise<T> {
  currentPhase = name;
  process.stderr.write(`  [load] ${name}…\n`);
  const started = performance.now();
  const result = await Promise.race([run(), deadline]);
  phasesMs[name] = Math.round(performance.now() - started);
  return result;
}

/** Resolves once `done()` holds; re-checked whenever a relevant event arrives. */
function until(done: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!done()) return;
      onProgress = () => {};
      resolve();
    };
    onProgress = check;
    check();
  });
}

async function pool<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Resolves on `connect` and on the first `event` after it; rejects on `connect_error`. */
function connected(socket: Socket, event: string): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once(event, () => resolve());
    socket.once('connect_error', (error: Error) => reject(error));
  });
}

/** What the widget sends; same shape as helpRequestBody() in the test harness. */
function helpRequestBody(n: number): HelpRequestBody {
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
  };
}

async function signIn(name: string): Promise<string> {
  const response = await fetch(`${url}/api/agent/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ name, password }),
  });
  if (response.status !== 200) throw new Error(`sign-in ${name}: HTTP ${response.status}`);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  if (!cookie.startsWith('help_session=')) throw new Error(`sign-in ${name}: no session cookie`);
  return cookie;
}

function onHelperMessage(message: Message): void {
  if (message.from !== 'visitor') return;
  const arrivedAt = now();
  const record = outgoing.get(message.id);
  const stamp = /sent-at (\d+(?:\.\d+)?)$/.exec(message.text)?.[1];
  if (!record || stamp === undefined) {
    fail('unexpected-message');
    return;
  }
  if (record.delivered) {
    fail('duplicate-delivery');
    return;
  }
  record.delivered = true;
  delivered += 1;
  lastDeliveryAt = arrivedAt;
  latencies.push(arrivedAt - Number(stamp));
  if (record.first) firstLatencies.push(arrivedAt - Number(stamp));
  onProgress();
}

async function connectHelper(name: string): Promise<AgentClient> {
  const cookie = await signIn(name);
  const socket: AgentClient = io(`${url}/agent`, {
    extraHeaders: { origin, cookie },
    transports: ['websocket'],
    reconnection: false,
    // One WebSocket per simulated person, as with real browsers (no multiplexing).
    forceNew: true,
  });
  sockets.push(socket);
  socket.on('conversation:updated', (conversation) => {
    if (conversation.status === 'assigned') assigned.add(conversation.id);
    onProgress();
  });
  socket.on('chat:message', onHelperMessage);
  socket.on('disconnect', (reason) => {
    if (reason !== 'io client disconnect') fail(`helper-disconnect:${reason}`);
  });
  // helper:status is the last thing the server's connection handler sends.
  await connected(socket, 'helper:status');
  const answer = await withTimeout(
    socket.emitWithAck('helper:availability', { availability: 'available', capacity }),
    ACK_TIMEOUT_MS,
  );
  if (!answer.ok) throw new Error(`availability ${name}: ${answer.error.message}`);
  return socket;
}

async function requestHelp(n: number): Promise<HelpRequestCreated | undefined> {
  try {
    const response = await fetch(`${url}/api/help-requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify(helpRequestBody(n)),
    });
    if (response.status !== 201) {
      fail(`help-request:http-${response.status}`);
      return undefined;
    }
    const created = (await response.json()) as HelpRequestCreated;
    createdIds.push(created.conversationId);
    onProgress();
    return created;
  } catch {
    fail('help-request:network');
    return undefined;
  }
}

async function connectVisitor(
  created: HelpRequestCreated,
): Promise<{ socket: VisitorClient; conversationId: string } | undefined> {
  const socket: VisitorClient = io(`${url}/visitor`, {
    auth: { token: created.visitorToken },
    extraHeaders: { origin },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  sockets.push(socket);
  socket.on('disconnect', (reason) => {
    if (reason !== 'io client disconnect') fail(`visitor-disconnect:${reason}`);
  });
  try {
    // conversation:updated is the last thing the server's connection handler sends.
    await withTimeout(connected(socket, 'conversation:updated'), ACK_TIMEOUT_MS);
    visitorsConnected += 1;
    return { socket, conversationId: created.conversationId };
  } catch {
    fail('visitor-connect');
    return undefined;
  }
}

function send(socket: VisitorClient, conversationId: string, n: number): void {
  const id = randomUUID();
  const sentAt = now();
  if (firstSendAt === 0) firstSendAt = sentAt;
  outgoing.set(id, { sentAt, first: n === 1, delivered: false });
  sent += 1;
  const text = `bench message ${n}/${messagesPerConversation} sent-at ${sentAt.toFixed(3)}`;
  withTimeout(socket.emitWithAck('chat:send', { conversationId, id, text }), ACK_TIMEOUT_MS)
    .then(
      (answer) => {
        if (answer.ok) {
          acked += 1;
          ackLatencies.push(now() - sentAt);
        } else fail(`ack:${answer.error.code}`);
      },
      () => fail('ack-timeout'),
    )
    .finally(() => {
      settled += 1;
      onProgress();
    });
}

const timers = new Set<NodeJS.Timeout>();

async function chat(visitors: { socket: VisitorClient; conversationId: string }[]): Promise<void> {
  const total = visitors.length * messagesPerConversation;
  const start = performance.now() + 50;
  visitors.forEach(({ socket, conversationId }, index) => {
    // Spread the visitors evenly over one interval so sends do not arrive in bursts.
    const offset = (index / visitors.length) * intervalMs;
    const tick = (n: number) => {
      send(socket, conversationId, n);
      if (n >= messagesPerConversation) return;
      const due = start + offset + n * intervalMs;
      const timer = setTimeout(() => {
        timers.delete(timer);
        tick(n + 1);
      }, due - performance.now());
      timers.add(timer);
    };
    const first = setTimeout(
      () => {
        timers.delete(first);
        tick(1);
      },
      start + offset - performance.now(),
    );
    timers.add(first);
  });
  // Done when every send is answered and every acked message has reached its helper.
  await until(() => settled === total && delivered >= acked);
}

function stats(values: number[]): LatencyStats | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  const round = (value: number | undefined) => Math.round((value ?? 0) * 10) / 10;
  return {
    count: sorted.length,
    p50: round(rank(0.5)),
    p95: round(rank(0.95)),
    p99: round(rank(0.99)),
    max: round(sorted.at(-1)),
    mean: round(sorted.reduce((sum, v) => sum + v, 0) / sorted.length),
  };
}

async function main(): Promise<void> {
  let timedOut = false;
  let failure: string | undefined;
  try {
    await phase('helpers sign in and go available', () =>
      Promise.all(helperNames.map(connectHelper)),
    );
    const created: HelpRequestCreated[] = [];
    await phase('help requests', () =>
      pool(
        Array.from({ length: conversations }, (_, i) => i + 1),
        20,
        async (n) => {
          const result = await requestHelp(n);
          if (result) created.push(result);
        },
      ),
    );
    await phase('assignment', () => until(() => createdIds.every((id) => assigned.has(id))));
    const visitors: { socket: VisitorClient; conversationId: string }[] = [];
    await phase('visitors connect', () =>
      pool(created, 50, async (c) => {
        const visitor = await connectVisitor(c);
        if (visitor) visitors.push(visitor);
      }),
    );
    await phase('chat', () => chat(visitors));
  } catch (error) {
    if (error instanceof PhaseTimeout) {
      timedOut = true;
      fail(`hard-timeout:${currentPhase}`);
    } else {
      // Still report: what was measured up to here is worth seeing, and so is the reason.
      fail(`failed:${currentPhase}`);
      failure = error instanceof Error ? error.message : String(error);
      process.stderr.write(`  [load] ${currentPhase} failed: ${failure}\n`);
    }
  }
  for (const timer of timers) clearTimeout(timer);
  const undelivered = acked - delivered;
  if (undelivered > 0) errors.set('acked-not-delivered', undelivered);
  const unanswered = sent - settled;
  if (unanswered > 0) errors.set('unanswered-at-stop', unanswered);
  const windowMs = lastDeliveryAt - firstSendAt;
  const cpu = process.cpuUsage();
  const result: LoadResult = {
    conversations,
    helpers: helperNames.length,
    messagesPerConversation,
    intervalMs,
    created: createdIds.length,
    assigned: createdIds.filter((id) => assigned.has(id)).length,
    visitorsConnected,
    sent,
    acked,
    delivered,
    latencyMs: stats(latencies),
    firstMessageLatencyMs: stats(firstLatencies),
    ackLatencyMs: stats(ackLatencies),
    throughputPerSecond: windowMs > 0 ? Math.round((delivered / windowMs) * 10_000) / 10 : 0,
    offeredPerSecond: Math.round((conversations * 1000) / intervalMs),
    phasesMs,
    errors: {
      total: [...errors.values()].reduce((sum, n) => sum + n, 0),
      byKind: Object.fromEntries(errors),
    },
    timedOut,
    ...(timedOut || failure ? { stoppedIn: currentPhase } : {}),
    ...(failure ? { failure } : {}),
    clientCpuMs: Math.round((cpu.user + cpu.system) / 1000),
  };
  for (const socket of sockets) socket.disconnect();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function positiveInt(value: string | undefined, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) fatal(`--${name} must be a positive integer`);
  return n;
}

function fatal(message: string): never {
  process.stderr.write(`load-client: ${message}\n`);
  process.exit(2);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`load-client failed: ${error instanceof Error ? error.stack : error}\n`);
    for (const socket of sockets) socket.disconnect();
    process.exit(1);
  },
);
