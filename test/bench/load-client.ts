/**
 * The simulated helpers and visitors of `npm run bench`, one scenario per process, started
 * by the bench so the server under test shares nothing with it but the loopback interface.
 *
 *   node --import tsx test/bench/load-client.ts --scenario chat --url http://127.0.0.1:PORT …
 *
 * Scenarios (each in its own file): `chat` (scenario-chat.ts, real server or bare relay),
 * `history` (scenario-history.ts), `search` (scenario-search.ts), `length` (scenario-length.ts), `idle` (scenario-idle.ts),
 * `calm` and `flood` (scenario-flood.ts).
 * The helper password comes in BENCH_HELPER_PASSWORD. Results are JSON lines on stdout
 * (one, or two for `idle`); progress goes to stderr. On the hard timeout (--timeout-ms) a
 * scenario stops where it is and reports what it has.
 */
import { parseArgs } from 'node:util';
import { ClientContext } from './client-context.ts';
import { runChatScenario, type Target } from './scenario-chat.ts';
import { type FloodEvent, runCalmScenario, runFloodScenario } from './scenario-flood.ts';
import { runHistoryScenario } from './scenario-history.ts';
import { runIdleScenario } from './scenario-idle.ts';
import { runLengthScenario } from './scenario-length.ts';
import { runSearchScenario } from './scenario-search.ts';

const { values: args } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'chat' },
    url: { type: 'string' },
    // Helpers on another server process (the scale section).
    'helper-url': { type: 'string' },
    'timeout-ms': { type: 'string', default: '45000' },
    // chat
    target: { type: 'string', default: 'real' },
    helpers: { type: 'string', default: '' },
    conversations: { type: 'string', default: '50' },
    messages: { type: 'string', default: '20' },
    'interval-ms': { type: 'string', default: '100' },
    sweep: { type: 'string' },
    'step-ms': { type: 'string', default: '3000' },
    // After the last send: long enough for every ack to arrive or time out (10 s).
    'drain-ms': { type: 'string', default: '11000' },
    // history and length
    'server-pid': { type: 'string' },
    hook: { type: 'string' },
    requests: { type: 'string', default: '500' },
    'time-limit-ms': { type: 'string', default: '60000' },
    'fsync-requests': { type: 'string', default: '20' },
    window: { type: 'string', default: '20' },
    // search: a JSON array of queries
    queries: { type: 'string', default: '[]' },
    scrolls: { type: 'string', default: '500' },
    // calm and flood
    seconds: { type: 'string', default: '6' },
    event: { type: 'string', default: 'conversation:page' },
    sockets: { type: 'string', default: '10' },
    // idle
    'tokens-file': { type: 'string' },
    from: { type: 'string', default: '0' },
    count: { type: 'string', default: '0' },
  },
});

const url = args.url ?? '';
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(url)) fatal('--url must be http://127.0.0.1:PORT');
const ctx = new ClientContext(url, number(args['timeout-ms'], 'timeout-ms'));
if (args['helper-url']) {
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(args['helper-url'])) {
    fatal('--helper-url must be http://127.0.0.1:PORT');
  }
  ctx.helperUrl = args['helper-url'];
}
const password = process.env.BENCH_HELPER_PASSWORD ?? '';
const helpers = (args.helpers ?? '').split(',').filter(Boolean);
const print = (result: object) => process.stdout.write(`${JSON.stringify(result)}\n`);

async function main(): Promise<object> {
  switch (args.scenario) {
    case 'chat': {
      const target = args.target as Target;
      if (target !== 'real' && target !== 'bare') fatal('--target must be real or bare');
      if (helpers.length === 0) fatal('--helpers required');
      if (target === 'real' && !password) fatal('BENCH_HELPER_PASSWORD required');
      return runChatScenario(ctx, {
        target,
        helpers,
        password,
        conversations: number(args.conversations, 'conversations'),
        load: args.sweep
          ? {
              kind: 'sweep',
              ratesPerSecond: args.sweep.split(',').map((rate) => number(rate, 'sweep')),
              stepMs: number(args['step-ms'], 'step-ms'),
              drainMs: number(args['drain-ms'], 'drain-ms'),
            }
          : {
              kind: 'once',
              pattern: {
                messages: number(args.messages, 'messages'),
                intervalMs: number(args['interval-ms'], 'interval-ms'),
                drainMs: number(args['drain-ms'], 'drain-ms'),
              },
            },
      });
    }
    case 'history':
      return runHistoryScenario(ctx, {
        ...serverUnderTest(),
        requests: number(args.requests, 'requests'),
        timeLimitMs: number(args['time-limit-ms'], 'time-limit-ms'),
        fsyncRequests: number(args['fsync-requests'], 'fsync-requests', true),
      });
    case 'search': {
      const [helper] = helpers;
      if (!helper || !password) fatal('--helpers NAME and BENCH_HELPER_PASSWORD required');
      const queries: unknown = JSON.parse(args.queries ?? '[]');
      if (!Array.isArray(queries) || !queries.every((q) => typeof q === 'string')) {
        fatal('--queries must be a JSON array of strings');
      }
      return runSearchScenario(ctx, { helper, password, queries });
    }
    case 'length':
      return runLengthScenario(ctx, {
        ...serverUnderTest(),
        messages: number(args.messages, 'messages'),
        window: number(args.window, 'window'),
        scrolls: number(args.scrolls, 'scrolls'),
      });
    case 'idle':
      return runIdleScenario(
        ctx,
        {
          tokensFile: args['tokens-file'] ?? fatal('--tokens-file required'),
          from: number(args.from, 'from', true),
          count: number(args.count, 'count'),
        },
        print,
      );
    case 'calm': {
      const [helper] = helpers;
      if (!helper || !password) fatal('--helpers NAME and BENCH_HELPER_PASSWORD required');
      return runCalmScenario(ctx, {
        helper,
        password,
        conversations: number(args.conversations, 'conversations'),
        seconds: number(args.seconds, 'seconds'),
      });
    }
    case 'flood': {
      const event = args.event as FloodEvent;
      if (!['conversation:page', 'chat:typing', 'chat:send'].includes(event)) {
        fatal('--event must be conversation:page, chat:typing or chat:send');
      }
      return runFloodScenario(ctx, {
        event,
        sockets: number(args.sockets, 'sockets'),
        seconds: number(args.seconds, 'seconds'),
      });
    }
    default:
      return fatal(`unknown --scenario ${args.scenario}`);
  }
}

/** One helper, and where to read the server's counters from. */
function serverUnderTest() {
  const [helper] = helpers;
  if (!helper || !password) fatal('--helpers NAME and BENCH_HELPER_PASSWORD required');
  return {
    helper,
    password,
    serverPid: number(args['server-pid'], 'server-pid'),
    hookUrl: args.hook ?? fatal('--hook required'),
  };
}

function number(value: string | undefined, name: string, zeroAllowed = false): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (n === 0 && !zeroAllowed)) {
    fatal(`--${name} must be a ${zeroAllowed ? 'non-negative' : 'positive'} number`);
  }
  return n;
}

function fatal(message: string): never {
  process.stderr.write(`load-client: ${message}\n`);
  process.exit(2);
}

main().then(
  (result) => {
    ctx.closeSockets();
    print(result);
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`load-client failed: ${error instanceof Error ? error.stack : error}\n`);
    ctx.closeSockets();
    process.exit(1);
  },
);
