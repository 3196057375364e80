/**
 * Floods, and who notices. Two roles, each its own process:
 * - `calm`: conversations with one helper, each visitor sending a chat message every 250 ms
 *   (within the chat limit); measures visitor chat:send → helper chat:message.
 * - `flood`: one visitor's conversation, ten sockets on its token, each sending `event` as
 *   fast as the acks come back; counts what was accepted and what was refused.
 * Each visitor comes from its own address (X-Forwarded-For through a trusted proxy hop), as
 * they would in the field, so the flood meets its own limits, not the calm visitors'.
 */
import { performance } from 'node:perf_hooks';
import type { Message } from '../../protocol/domain.ts';
import { type ClientContext, type PhaseReport, withTimeout } from './client-context.ts';
import { ACK_TIMEOUT_MS, connectHelper, connectVisitor, requestHelp } from './people.ts';
import { type LatencyStats, stats } from './stats.ts';

export type FloodEvent = 'conversation:page' | 'chat:typing' | 'chat:send';

export interface CalmOptions {
  helper: string;
  password: string;
  conversations: number;
  seconds: number;
}

export interface CalmResult extends PhaseReport {
  scenario: 'calm';
  latencyMs: LatencyStats | null;
  sent: number;
  refused: number;
}

export interface FloodOptions {
  event: FloodEvent;
  sockets: number;
  seconds: number;
}

export interface FloodResult extends PhaseReport {
  scenario: 'flood';
  accepted: number;
  refused: number;
  seconds: number;
}

const CALM_INTERVAL_MS = 250;
const address = (n: number) => `198.51.100.${n % 250}`;

export async function runCalmScenario(ctx: ClientContext, o: CalmOptions): Promise<CalmResult> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let sent = 0;
  let refused = 0;
  await connectHelper(ctx, o.helper, o.password, o.conversations + 1, {
    message: (message: Message) => {
      const at = sentAt.get(message.id);
      if (at !== undefined && message.from === 'visitor') latencies.push(performance.now() - at);
    },
  });
  const visitors = await ctx.phase('calm visitors connect', () =>
    Promise.all(
      Array.from({ length: o.conversations }, async (_, i) => {
        const created = await requestHelp(ctx, i);
        if (!created) throw new Error('a calm help request was refused');
        const socket = await connectVisitor(ctx, created.visitorToken, ACK_TIMEOUT_MS, {
          'x-forwarded-for': address(i),
        });
        return { socket, conversationId: created.conversationId };
      }),
    ),
  );
  await ctx.phase('calm chat', async () => {
    const until = performance.now() + o.seconds * 1000;
    await Promise.all(
      visitors.map(async ({ socket, conversationId }, v) => {
        for (let n = 0; performance.now() < until; n++) {
          const id = `calm-${v}-${n}-${Date.now().toString(36)}`;
          sentAt.set(id, performance.now());
          sent += 1;
          const answer = await withTimeout(
            socket.emitWithAck('chat:send', { conversationId, id, text: 'How do I return this?' }),
            ACK_TIMEOUT_MS,
          );
          if (!answer.ok) refused += 1;
          await new Promise((done) => setTimeout(done, CALM_INTERVAL_MS));
        }
      }),
    );
    // The last messages' deliveries.
    await new Promise((done) => setTimeout(done, 200));
  });
  // Ended, so the next round's conversations find the helper with room again.
  await ctx.phase('calm conversations end', () =>
    Promise.all(
      visitors.map(({ socket, conversationId }) =>
        withTimeout(socket.emitWithAck('conversation:end', { conversationId }), ACK_TIMEOUT_MS),
      ),
    ),
  );
  return { scenario: 'calm', latencyMs: stats(latencies), sent, refused, ...ctx.report() };
}

export async function runFloodScenario(ctx: ClientContext, o: FloodOptions): Promise<FloodResult> {
  const created = await requestHelp(ctx, 10_000);
  if (!created) throw new Error('the flooding help request was refused');
  const { conversationId, visitorToken } = created;
  const sockets = await ctx.phase('flooding sockets connect', () =>
    Promise.all(
      Array.from({ length: o.sockets }, () =>
        connectVisitor(ctx, visitorToken, ACK_TIMEOUT_MS, { 'x-forwarded-for': '203.0.113.66' }),
      ),
    ),
  );
  let accepted = 0;
  let refused = 0;
  const started = performance.now();
  await ctx.phase(`flood of ${o.event}`, async () => {
    const until = started + o.seconds * 1000;
    await Promise.all(
      sockets.map(async (socket, s) => {
        for (let n = 0; performance.now() < until; n++) {
          const answer = await withTimeout(
            send(socket, o.event, conversationId, s, n),
            ACK_TIMEOUT_MS,
          );
          if (answer.ok) accepted += 1;
          else refused += 1;
        }
      }),
    );
  });
  const seconds = (performance.now() - started) / 1000;
  return { scenario: 'flood', accepted, refused, seconds, ...ctx.report() };
}

function send(
  socket: Awaited<ReturnType<typeof connectVisitor>>,
  event: FloodEvent,
  conversationId: string,
  s: number,
  n: number,
): Promise<{ ok: boolean }> {
  switch (event) {
    case 'conversation:page':
      return socket.emitWithAck(event, {
        conversationId,
        url: `https://shop.example/p/${s}-${n}`,
        title: `Page ${n}`,
      });
    case 'chat:typing':
      return socket.emitWithAck(event, { conversationId, typing: n % 2 === 0 });
    case 'chat:send':
      return socket.emitWithAck(event, {
        conversationId,
        id: `flood-${s}-${n}-${Date.now().toString(36)}`,
        text: 'spam',
      });
  }
}
