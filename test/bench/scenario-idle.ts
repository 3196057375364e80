/**
 * Many idle visitors: connect one /visitor socket per token (each a seeded open
 * conversation), say so on stdout, then hold them, sending nothing, until stdin closes (the
 * bench closes it once it has measured; it also closes when the bench dies). The bench
 * starts several of these processes to stay within each one's file descriptors and CPU.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { type ClientContext, type PhaseReport, pool } from './client-context.ts';
import { connectVisitor } from './people.ts';

export interface IdleOptions {
  tokensFile: string;
  /** This process's share: tokens[from … from + count). */
  from: number;
  count: number;
}

export interface IdleResult extends PhaseReport {
  scenario: 'idle';
  /** `connected`: all sockets are up (or failed) and held; `done`: released and closed. */
  stage: 'connected' | 'done';
  connected: number;
  failedToConnect: number;
  connectMs: number;
}

/** Connections being opened at once; the server handles each handshake in turn anyway. */
const CONNECTING_AT_ONCE = 50;
/** A handshake queued behind thousands of others on a busy machine can take this long. */
const CONNECT_TIMEOUT_MS = 60_000;

export async function runIdleScenario(
  ctx: ClientContext,
  options: IdleOptions,
  emit: (result: IdleResult) => void,
): Promise<IdleResult> {
  const tokens = readFileSync(options.tokensFile, 'utf8')
    .split('\n')
    .slice(options.from, options.from + options.count);
  let connected = 0;
  let failed = 0;
  let connectMs = 0;
  const result = (stage: IdleResult['stage']): IdleResult => ({
    scenario: 'idle',
    stage,
    connected,
    failedToConnect: failed,
    connectMs,
    ...ctx.report(),
  });
  try {
    const started = performance.now();
    await ctx.phase(`${tokens.length} visitors connect`, () =>
      pool(tokens, CONNECTING_AT_ONCE, async (token) => {
        try {
          await connectVisitor(ctx, token, CONNECT_TIMEOUT_MS);
          connected += 1;
          if (connected % 1000 === 0) process.stderr.write(`  [load] ${connected} connected\n`);
        } catch {
          failed += 1;
          ctx.fail('visitor-connect');
        }
      }),
    );
    connectMs = Math.round(performance.now() - started);
    emit(result('connected'));
    await ctx.phase('hold', () => {
      process.stdin.resume();
      return new Promise<void>((resolve) => process.stdin.once('end', resolve));
    });
  } catch (error) {
    ctx.stopped(error);
  }
  return result('done');
}
