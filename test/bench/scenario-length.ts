/**
 * One conversation grows long: the visitor sends `messages` chat messages one after another
 * (each waits for its ack and for the helper to receive it), and the bytes the server writes
 * are measured over the first `window` messages and the last `window`. Follow mode's scroll
 * events are measured twice, while the conversation is short (after the first window) and
 * when it is long (after the last): the helper starts following, a copy of the page joins
 * with the follow token, and the visitor sends `scrolls` scroll changes at 60 a second, the
 * most the widget sends (one per animation frame).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StoredChange } from '../../protocol/cobrowse.ts';
import type { Message } from '../../protocol/domain.ts';
import { type ClientContext, Condition, type PhaseReport, withTimeout } from './client-context.ts';
import {
  ACK_TIMEOUT_MS,
  type AgentClient,
  connectFollower,
  connectHelper,
  connectVisitor,
  type FollowClient,
  requestHelp,
  type VisitorClient,
} from './people.ts';
import { ServerProbe, type WritesPer, writesPer } from './server-probe.ts';
import { type LatencyStats, stats } from './stats.ts';

export interface LengthOptions {
  helper: string;
  password: string;
  serverPid: number;
  hookUrl: string;
  messages: number;
  window: number;
  scrolls: number;
}

/** Messages `from`…`to` of the conversation. */
export interface MessageWindow {
  from: number;
  to: number;
  writes: WritesPer;
  /** Visitor sends → helper receives, ms. */
  latencyMs: LatencyStats | null;
}

/** `events` scroll changes while the conversation had `atMessages` messages. */
export interface ScrollWindow {
  events: number;
  atMessages: number;
  writes: WritesPer;
  /** Visitor sends → the copy of the page receives, ms. */
  latencyMs: LatencyStats | null;
}

export interface LengthResult extends PhaseReport {
  scenario: 'length';
  messages: number;
  early: MessageWindow | null;
  late: MessageWindow | null;
  scrollShort: ScrollWindow | null;
  scrollLong: ScrollWindow | null;
}

const SCROLLS_PER_SECOND = 60;

export async function runLengthScenario(
  ctx: ClientContext,
  options: LengthOptions,
): Promise<LengthResult> {
  const probe = new ServerProbe(options.serverPid, options.hookUrl);
  const arrived = new Set<string>();
  const assigned = new Set<string>();
  const progress = new Condition();
  const result: Omit<LengthResult, keyof PhaseReport> = {
    scenario: 'length',
    messages: options.messages,
    early: null,
    late: null,
    scrollShort: null,
    scrollLong: null,
  };
  try {
    let conversationId = '';
    const onMessage = (message: Message) => {
      arrived.add(message.id);
      progress.poke();
    };
    const helper = await ctx.phase('helper signs in and goes available', () =>
      connectHelper(ctx, options.helper, options.password, 20, {
        message: onMessage,
        assigned: (id) => {
          assigned.add(id);
          progress.poke();
        },
      }),
    );
    const visitor = await ctx.phase('help request, visitor connects', async () => {
      const created = await requestHelp(ctx, 1);
      if (!created) throw new Error('help request refused');
      conversationId = created.conversationId;
      // The helper is told once their socket is in the conversation's room: from then on
      // no message can miss them.
      await withTimeout(
        progress.until(() => assigned.has(conversationId)),
        ACK_TIMEOUT_MS,
      );
      return connectVisitor(ctx, created.visitorToken);
    });

    let sent = 0;
    const sendMessages = async (upTo: number, latencies: number[]) => {
      while (sent < upTo) {
        sent += 1;
        const id = randomUUID();
        const started = performance.now();
        const text = `message ${sent} of a long conversation, about as long as a person's line`;
        const delivered = progress.until(() => arrived.has(id));
        const answer = await withTimeout(
          visitor.emitWithAck('chat:send', { conversationId, id, text }),
          ACK_TIMEOUT_MS,
        );
        if (!answer.ok) throw new Error(`message ${sent}: ${answer.error.message}`);
        await withTimeout(delivered, ACK_TIMEOUT_MS);
        latencies.push(performance.now() - started);
      }
    };
    const messageWindow = async (from: number, to: number): Promise<MessageWindow> => {
      await sendMessages(from - 1, []);
      const latencies: number[] = [];
      const before = await probe.settledSample();
      await sendMessages(to, latencies);
      return {
        from,
        to,
        writes: writesPer(before, await probe.settledSample(), to - from + 1),
        latencyMs: stats(latencies),
      };
    };
    const window = Math.min(options.window, options.messages);
    result.early = await ctx.phase(`messages 1–${window}`, () => messageWindow(1, window));
    const follower = await ctx.phase('helper starts following, copy joins', () =>
      follow(ctx, helper, conversationId),
    );
    result.scrollShort = await ctx.phase(`${options.scrolls} scrolls at ${sent} messages`, () =>
      scrollWindow(probe, visitor, follower, conversationId, options.scrolls, sent),
    );
    const lateFrom = Math.max(window + 1, options.messages - window + 1);
    result.late = await ctx.phase(`messages ${lateFrom}–${options.messages}`, () =>
      messageWindow(lateFrom, options.messages),
    );
    result.scrollLong = await ctx.phase(`${options.scrolls} scrolls at ${sent} messages`, () =>
      scrollWindow(probe, visitor, follower, conversationId, options.scrolls, sent),
    );
  } catch (error) {
    ctx.stopped(error);
  }
  return { ...result, ...ctx.report() };
}

async function follow(
  ctx: ClientContext,
  helper: AgentClient,
  conversationId: string,
): Promise<FollowClient> {
  const grant = await withTimeout(
    helper.emitWithAck('cobrowse:start', { conversationId }),
    ACK_TIMEOUT_MS,
  );
  if (!grant.ok) throw new Error(`cobrowse:start: ${grant.error.message}`);
  return connectFollower(ctx, grant.data.token);
}

/** Scroll changes at the widget's pace; each is timed until the copy receives it. */
async function scrollWindow(
  probe: ServerProbe,
  visitor: VisitorClient,
  follower: FollowClient,
  conversationId: string,
  count: number,
  atMessages: number,
): Promise<ScrollWindow> {
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  const progress = new Condition();
  // ratioY identifies the event: each scroll goes to a new place, as a real one does.
  const onChange = (change: StoredChange) => {
    if (change.type !== 'scroll') return;
    const started = sentAt.get(change.value.ratioY);
    if (started === undefined) return;
    latencies.push(performance.now() - started);
    sentAt.delete(change.value.ratioY);
    progress.poke();
  };
  follower.on('cobrowse:change', onChange);
  const refusals: string[] = [];
  const before = await probe.settledSample();
  const started = performance.now();
  for (let i = 1; i <= count; i++) {
    const due = started + (i * 1000) / SCROLLS_PER_SECOND;
    await sleep(Math.max(0, due - performance.now()));
    const ratioY = i / (count + 1);
    sentAt.set(ratioY, performance.now());
    visitor
      .emitWithAck('cobrowse:change', {
        conversationId,
        type: 'scroll',
        key: 'window',
        value: { anchor: { path: '#shipping', offsetRatio: 0.25 }, ratioX: 0, ratioY },
      })
      .then((answer) => {
        if (!answer.ok) refusals.push(answer.error.code);
        progress.poke();
      });
  }
  await withTimeout(
    progress.until(() => latencies.length + refusals.length >= count),
    ACK_TIMEOUT_MS,
  );
  follower.off('cobrowse:change', onChange);
  if (refusals.length > 0) throw new Error(`scroll refused: ${refusals.slice(0, 3).join(', ')}`);
  return {
    events: count,
    atMessages,
    writes: writesPer(before, await probe.settledSample(), count),
    latencyMs: stats(latencies),
  };
}
