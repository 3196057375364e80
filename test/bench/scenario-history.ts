/**
 * Help requests against a store that already holds many ended conversations: one helper is
 * available; each help request is made over REST as the widget makes it, timed, then ended
 * by the helper (`conversation:end`), one after another so each is timed alone. The bytes
 * the server writes over the batch, per request, come from server-probe.ts; fsyncs are
 * counted in a separate short pass (fsync-count.ts) when strace is there.
 */
import { performance } from 'node:perf_hooks';
import { type ClientContext, type PhaseReport, withTimeout } from './client-context.ts';
import { countFsyncs, straceAvailable } from './fsync-count.ts';
import { ACK_TIMEOUT_MS, type AgentClient, connectHelper, requestHelp } from './people.ts';
import { ServerProbe, type WritesPer, writesPer } from './server-probe.ts';
import { type LatencyStats, stats } from './stats.ts';

export interface HistoryOptions {
  helper: string;
  password: string;
  serverPid: number;
  hookUrl: string;
  /** Requests in the measured batch. */
  requests: number;
  /** The batch stops early, with what it has, once this much time has passed. */
  timeLimitMs: number;
  /** Requests in the fsync-counting pass (0: none). */
  fsyncRequests: number;
}

export interface HistoryResult extends PhaseReport {
  scenario: 'history';
  requested: number;
  /** Requests created and ended within the batch. */
  measured: number;
  hitTimeLimit: boolean;
  /** `POST /api/help-requests` round trip, ms. */
  latencyMs: LatencyStats | null;
  /** The helper's `conversation:end` round trip, ms. */
  endLatencyMs: LatencyStats | null;
  /** Per request, create and end together. */
  writes: WritesPer | null;
  fsyncs: { requests: number; fsync: number; fdatasync: number } | null;
}

const WARM_UP = 5;
/** The fsync pass stops after this long even if it has not made all its requests. */
const FSYNC_PASS_LIMIT_MS = 15_000;

export async function runHistoryScenario(
  ctx: ClientContext,
  options: HistoryOptions,
): Promise<HistoryResult> {
  const probe = new ServerProbe(options.serverPid, options.hookUrl);
  const latencies: number[] = [];
  const endLatencies: number[] = [];
  let measured = 0;
  let hitTimeLimit = false;
  let writes: WritesPer | null = null;
  let fsyncs: HistoryResult['fsyncs'] = null;
  let next = 1;
  try {
    const helper = await ctx.phase('helper signs in and goes available', () =>
      connectHelper(ctx, options.helper, options.password, 20),
    );
    const once = async (timed: boolean) => {
      const n = next++;
      const started = performance.now();
      const created = await requestHelp(ctx, n);
      const answered = performance.now();
      if (!created) return false;
      const ended = await end(helper, created.conversationId);
      if (!ended) {
        ctx.fail('end-refused');
        return false;
      }
      if (timed) {
        latencies.push(answered - started);
        endLatencies.push(performance.now() - answered);
      }
      return true;
    };
    await ctx.phase('warm-up', async () => {
      for (let i = 0; i < WARM_UP; i++) await once(false);
    });
    await ctx.phase('measured batch', async () => {
      const before = await probe.settledSample();
      const stopAt = performance.now() + options.timeLimitMs;
      while (measured < options.requests) {
        if (performance.now() > stopAt) {
          hitTimeLimit = true;
          break;
        }
        if (await once(true)) measured += 1;
      }
      writes = writesPer(before, await probe.settledSample(), measured);
    });
    if (options.fsyncRequests > 0 && straceAvailable()) {
      await ctx.phase('fsync count (strace attached)', async () => {
        const counter = await countFsyncs(options.serverPid);
        if (!counter) return;
        let done = 0;
        const stopAt = performance.now() + FSYNC_PASS_LIMIT_MS;
        for (let i = 0; i < options.fsyncRequests && performance.now() < stopAt; i++) {
          if (await once(false)) done += 1;
        }
        await probe.settledSample();
        const counted = await counter.stop();
        if (counted && done > 0) fsyncs = { requests: done, ...counted };
      });
    }
  } catch (error) {
    ctx.stopped(error);
  }
  return {
    scenario: 'history',
    requested: options.requests,
    measured,
    hitTimeLimit,
    latencyMs: stats(latencies),
    endLatencyMs: stats(endLatencies),
    writes,
    fsyncs,
    ...ctx.report(),
  };
}

async function end(helper: AgentClient, conversationId: string): Promise<boolean> {
  const answer = await withTimeout(
    helper.emitWithAck('conversation:end', { conversationId }),
    ACK_TIMEOUT_MS,
  );
  return answer.ok;
}
