/**
 * The chat message pattern, the same for the real server and the bare relay: every visitor
 * sends `messages` messages, one every `intervalMs`, the visitors spread evenly across one
 * interval so sends do not come in bursts. Open loop: a visitor does not wait for one
 * message's ack before sending the next, as people do not either. Latency is from just before
 * the visitor's `chat:send` to the helper's `chat:message`; both live in this process, so
 * there is one clock.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Ack } from '../../protocol/ack.ts';
import type { Message } from '../../protocol/domain.ts';
import type { ChatSendPayload } from '../../protocol/schemas.ts';
import { Condition, withTimeout } from './client-context.ts';
import { ACK_TIMEOUT_MS } from './people.ts';
import { type LatencyStats, round1, stats } from './stats.ts';

/** One visitor's way to send, whichever server it talks to. */
export interface ChatVisitor {
  conversationId: string;
  send(payload: ChatSendPayload): Promise<Ack<Message>>;
}

export interface ChatPattern {
  messages: number;
  intervalMs: number;
  /** How long to wait after the last send for acks and deliveries still on their way. */
  drainMs: number;
}

export interface ChatRunResult {
  conversations: number;
  messagesPerConversation: number;
  intervalMs: number;
  /** Messages per second the visitors were asked to send. */
  offeredPerSecond: number;
  sent: number;
  /** chat:send acks with ok: true. */
  acked: number;
  /** chat:message events received by the helper (each message once). */
  delivered: number;
  latencyMs: LatencyStats | null;
  /** The same without each conversation's first message, which takes a longer path. */
  laterMessagesLatencyMs: LatencyStats | null;
  firstMessageLatencyMs: LatencyStats | null;
  /** Send to ack, ms. */
  ackLatencyMs: LatencyStats | null;
  /** Delivered messages per second, from the first send to the last delivery. */
  throughputPerSecond: number;
  /** Everything went out, was acked and arrived before the drain time ran out. */
  drained: boolean;
  errors: Record<string, number>;
  /** CPU time this client used during the run, ms: it shares the machine with the server. */
  clientCpuMs: number;
}

interface Tally {
  sent: number;
  acked: number;
  settled: number;
  delivered: number;
  firstSendAt: number;
  lastDeliveryAt: number;
  latencies: number[];
  first: number[];
  later: number[];
  acks: number[];
  errors: Map<string, number>;
}

const now = () => performance.timeOrigin + performance.now();

export class ChatLoad {
  readonly #outgoing = new Map<
    string,
    { tally: Tally; sentAt: number; first: boolean; delivered: boolean }
  >();
  readonly #progress = new Condition();
  /** How many messages each conversation has sent so far, to spot its first. */
  readonly #sentPer = new Map<string, number>();

  /** Give every helper's `chat:message` here. */
  readonly onHelperMessage = (message: Message): void => {
    if (message.from !== 'visitor') return;
    const arrivedAt = now();
    const record = this.#outgoing.get(message.id);
    if (!record) return;
    const { tally } = record;
    if (record.delivered) {
      count(tally.errors, 'duplicate-delivery');
      return;
    }
    record.delivered = true;
    tally.delivered += 1;
    tally.lastDeliveryAt = arrivedAt;
    const latency = arrivedAt - record.sentAt;
    tally.latencies.push(latency);
    (record.first ? tally.first : tally.later).push(latency);
    this.#progress.poke();
  };

  async run(visitors: readonly ChatVisitor[], pattern: ChatPattern): Promise<ChatRunResult> {
    const { messages, intervalMs, drainMs } = pattern;
    const tally: Tally = {
      sent: 0,
      acked: 0,
      settled: 0,
      delivered: 0,
      firstSendAt: 0,
      lastDeliveryAt: 0,
      latencies: [],
      first: [],
      later: [],
      acks: [],
      errors: new Map(),
    };
    const cpuBefore = process.cpuUsage();
    const timers = new Set<NodeJS.Timeout>();
    const total = visitors.length * messages;
    const start = performance.now() + 50;
    let lastDue = start;
    visitors.forEach((visitor, index) => {
      // Spread the visitors evenly over one interval so sends do not arrive in bursts.
      const offset = (index / visitors.length) * intervalMs;
      for (let n = 0; n < messages; n++) {
        const due = start + offset + n * intervalMs;
        lastDue = Math.max(lastDue, due);
        const timer = setTimeout(
          () => {
            timers.delete(timer);
            this.#send(tally, visitor, n + 1, messages);
          },
          Math.max(0, due - performance.now()),
        );
        timers.add(timer);
      }
    });
    // Done when every send is answered and every acked message has reached its helper.
    const done = this.#progress.until(
      () => tally.settled === total && tally.delivered >= tally.acked,
    );
    let drainTimer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      done.then(() => true),
      new Promise<boolean>((resolve) => {
        drainTimer = setTimeout(() => resolve(false), lastDue - performance.now() + drainMs);
      }),
    ]);
    clearTimeout(drainTimer);
    for (const timer of timers) clearTimeout(timer);
    if (tally.acked > tally.delivered)
      count(tally.errors, 'acked-not-delivered', tally.acked - tally.delivered);
    if (tally.sent > tally.settled)
      count(tally.errors, 'unanswered-at-stop', tally.sent - tally.settled);
    if (tally.sent < total) count(tally.errors, 'not-sent-at-stop', total - tally.sent);
    const cpu = process.cpuUsage(cpuBefore);
    const windowMs = tally.lastDeliveryAt - tally.firstSendAt;
    return {
      conversations: visitors.length,
      messagesPerConversation: messages,
      intervalMs: round1(intervalMs),
      offeredPerSecond: Math.round((visitors.length * 1000) / intervalMs),
      sent: tally.sent,
      acked: tally.acked,
      delivered: tally.delivered,
      latencyMs: stats(tally.latencies),
      laterMessagesLatencyMs: stats(tally.later),
      firstMessageLatencyMs: stats(tally.first),
      ackLatencyMs: stats(tally.acks),
      throughputPerSecond: windowMs > 0 ? round1((tally.delivered / windowMs) * 1000) : 0,
      drained,
      errors: Object.fromEntries(tally.errors),
      clientCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    };
  }

  #send(tally: Tally, visitor: ChatVisitor, n: number, of: number): void {
    const id = randomUUID();
    const sentAt = now();
    if (tally.firstSendAt === 0) tally.firstSendAt = sentAt;
    const sentBefore = this.#sentPer.get(visitor.conversationId) ?? 0;
    this.#sentPer.set(visitor.conversationId, sentBefore + 1);
    this.#outgoing.set(id, { tally, sentAt, first: sentBefore === 0, delivered: false });
    tally.sent += 1;
    // The text carries its send time, as a person's message carries words: a realistic size.
    const text = `bench message ${n}/${of} sent-at ${sentAt.toFixed(3)}`;
    withTimeout(visitor.send({ conversationId: visitor.conversationId, id, text }), ACK_TIMEOUT_MS)
      .then(
        (answer) => {
          if (answer.ok) {
            tally.acked += 1;
            tally.acks.push(now() - sentAt);
          } else count(tally.errors, `ack:${answer.error.code}`);
        },
        () => count(tally.errors, 'ack-timeout'),
      )
      .finally(() => {
        tally.settled += 1;
        this.#progress.poke();
      });
  }
}

function count(errors: Map<string, number>, kind: string, n = 1): void {
  errors.set(kind, (errors.get(kind) ?? 0) + n);
}

/** Past saturation: the tail is queueing, or the server no longer keeps up with the offer. */
export const SATURATION = { p99Ms: 100, deliveredShare: 0.95 } as const;

export function isSaturated(run: ChatRunResult): boolean {
  return (
    !run.drained ||
    (run.latencyMs?.p99 ?? Number.POSITIVE_INFINITY) > SATURATION.p99Ms ||
    run.throughputPerSecond < SATURATION.deliveredShare * run.offeredPerSecond
  );
}
