/**
 * History search as a helper's page makes it: the helper signs in, then searches one query
 * after another (`GET /api/agent/history?q=…`, the default page of 50), each timed from the
 * request to the whole answer read, and no two at once, so each is timed alone.
 */
import { performance } from 'node:perf_hooks';
import type { ClientContext, PhaseReport } from './client-context.ts';
import { signIn } from './people.ts';
import { type LatencyStats, stats } from './stats.ts';

export interface SearchOptions {
  helper: string;
  password: string;
  queries: string[];
}

export interface SearchResult extends PhaseReport {
  scenario: 'search';
  /** Over every timed search. */
  latencyMs: LatencyStats | null;
  /** Per query, in the order given: the worst of each kind shows here. */
  byQuery: { q: string; ms: number; found: number }[];
  /** Conversations found per search, on average. */
  meanFound: number;
}

const WARM_UP = 5;

export async function runSearchScenario(
  ctx: ClientContext,
  options: SearchOptions,
): Promise<SearchResult> {
  const byQuery: SearchResult['byQuery'] = [];
  try {
    const cookie = await ctx.phase('helper signs in', () =>
      signIn(ctx, options.helper, options.password),
    );
    const search = async (q: string) => {
      const started = performance.now();
      const response = await fetch(
        `${ctx.helperUrl}/api/agent/history?q=${encodeURIComponent(q)}`,
        { headers: { cookie } },
      );
      const body = (await response.json()) as { conversations?: unknown[] };
      const ms = performance.now() - started;
      if (response.status !== 200 || !body.conversations) {
        ctx.fail(`http-${response.status}`);
        return undefined;
      }
      return { q, ms, found: body.conversations.length };
    };
    await ctx.phase('warm-up', async () => {
      for (const q of options.queries.slice(0, WARM_UP)) await search(q);
    });
    await ctx.phase('timed searches', async () => {
      for (const q of options.queries) {
        const timed = await search(q);
        if (timed) byQuery.push(timed);
      }
    });
  } catch (error) {
    ctx.stopped(error);
  }
  return {
    scenario: 'search',
    latencyMs: stats(byQuery.map((s) => s.ms)),
    byQuery,
    meanFound: byQuery.reduce((sum, s) => sum + s.found, 0) / Math.max(byQuery.length, 1),
    ...ctx.report(),
  };
}
