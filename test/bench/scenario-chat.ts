/**
 * Chat load against the real server or the bare relay: set up the helpers and the
 * conversations the way each one needs, then run the same message pattern (chat-load.ts),
 * either once or as a sweep of rising offered rates that stops at the first saturated step.
 */
import { randomUUID } from 'node:crypto';
import {
  ChatLoad,
  type ChatPattern,
  type ChatRunResult,
  type ChatVisitor,
  isSaturated,
} from './chat-load.ts';
import { type ClientContext, Condition, type PhaseReport, pool } from './client-context.ts';
import {
  connectBareHelper,
  connectBareVisitor,
  connectHelper,
  connectVisitor,
  requestHelp,
} from './people.ts';

export type Target = 'real' | 'bare';

export interface ChatScenarioOptions {
  target: Target;
  helpers: string[];
  password: string;
  conversations: number;
  /** One run with this pattern, or a sweep. */
  load:
    | { kind: 'once'; pattern: ChatPattern }
    | { kind: 'sweep'; ratesPerSecond: number[]; stepMs: number; drainMs: number };
}

export interface ChatScenarioResult extends PhaseReport {
  scenario: 'chat';
  target: Target;
  conversations: number;
  helpers: number;
  /** Conversations set up: help requests accepted (real) or made up (bare). */
  created: number;
  /** Conversations a helper was told are theirs (real) or joined to (bare). */
  assigned: number;
  visitorsConnected: number;
  runs: ChatRunResult[];
}

export async function runChatScenario(
  ctx: ClientContext,
  options: ChatScenarioOptions,
): Promise<ChatScenarioResult> {
  const load = new ChatLoad();
  const setup = { created: 0, assigned: 0, visitors: [] as ChatVisitor[] };
  const runs: ChatRunResult[] = [];
  try {
    if (options.target === 'real') await setUpReal(ctx, options, load, setup);
    else await setUpBare(ctx, options, load, setup);
    const spec = options.load;
    if (spec.kind === 'once') {
      runs.push(await ctx.phase('chat', () => load.run(setup.visitors, spec.pattern)));
    } else {
      // Each conversation's first message takes a longer path on the real server: out of the way.
      await ctx.phase('warm-up: one message per conversation', () =>
        load.run(setup.visitors, { messages: 1, intervalMs: 1000, drainMs: spec.drainMs }),
      );
      for (const rate of spec.ratesPerSecond) {
        const intervalMs = (setup.visitors.length * 1000) / rate;
        const messages = Math.max(3, Math.round(spec.stepMs / intervalMs));
        const run = await ctx.phase(`sweep ${rate} msg/s`, () =>
          load.run(setup.visitors, { messages, intervalMs, drainMs: spec.drainMs }),
        );
        runs.push(run);
        process.stderr.write(
          `  [load] ${rate} msg/s offered: ${run.throughputPerSecond} delivered/s, ` +
            `p50 ${run.latencyMs?.p50} ms, p99 ${run.latencyMs?.p99} ms\n`,
        );
        if (isSaturated(run)) break;
      }
    }
  } catch (error) {
    ctx.stopped(error);
  }
  return {
    scenario: 'chat',
    target: options.target,
    conversations: options.conversations,
    helpers: options.helpers.length,
    created: setup.created,
    assigned: setup.assigned,
    visitorsConnected: setup.visitors.length,
    runs,
    ...ctx.report(),
  };
}

async function setUpReal(
  ctx: ClientContext,
  options: ChatScenarioOptions,
  load: ChatLoad,
  setup: { created: number; assigned: number; visitors: ChatVisitor[] },
): Promise<void> {
  const capacity = Math.ceil(options.conversations / options.helpers.length);
  if (capacity > 20) throw new Error(`capacity ${capacity} > 20: use more helpers`);
  const assigned = new Set<string>();
  const progress = new Condition();
  await ctx.phase('helpers sign in and go available', () =>
    Promise.all(
      options.helpers.map((name) =>
        connectHelper(ctx, name, options.password, capacity, {
          message: load.onHelperMessage,
          assigned: (id) => {
            assigned.add(id);
            setup.assigned = assigned.size;
            progress.poke();
          },
        }),
      ),
    ),
  );
  const tokens: { conversationId: string; visitorToken: string }[] = [];
  await ctx.phase('help requests', () =>
    pool(
      Array.from({ length: options.conversations }, (_, i) => i + 1),
      20,
      async (n) => {
        const created = await requestHelp(ctx, n);
        if (created) tokens.push(created);
        setup.created = tokens.length;
      },
    ),
  );
  await ctx.phase('assignment', () =>
    progress.until(() => tokens.every((t) => assigned.has(t.conversationId))),
  );
  await ctx.phase('visitors connect', () =>
    pool(tokens, 50, async ({ conversationId, visitorToken }) => {
      try {
        const socket = await connectVisitor(ctx, visitorToken);
        setup.visitors.push({ conversationId, send: (p) => socket.emitWithAck('chat:send', p) });
      } catch {
        ctx.fail('visitor-connect');
      }
    }),
  );
}

async function setUpBare(
  ctx: ClientContext,
  options: ChatScenarioOptions,
  load: ChatLoad,
  setup: { created: number; assigned: number; visitors: ChatVisitor[] },
): Promise<void> {
  await ctx.phase('helpers connect', () =>
    Promise.all(options.helpers.map((name) => connectBareHelper(ctx, name, load.onHelperMessage))),
  );
  const conversations = Array.from({ length: options.conversations }, (_, i) => ({
    conversationId: randomUUID(),
    helper: options.helpers[i % options.helpers.length] ?? '',
  }));
  setup.created = conversations.length;
  await ctx.phase('visitors connect', () =>
    pool(conversations, 50, async ({ conversationId, helper }) => {
      try {
        const socket = await connectBareVisitor(ctx, conversationId, helper);
        setup.assigned += 1;
        setup.visitors.push({ conversationId, send: (p) => socket.emitWithAck('chat:send', p) });
      } catch {
        ctx.fail('visitor-connect');
      }
    }),
  );
}
