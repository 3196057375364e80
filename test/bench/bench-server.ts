/**
 * Bench-only server entry: what server/main.ts does (runServer with the config from the
 * environment), with two rate limits raised. Started by chat-bench.ts as a child process; never used in
 * production.
 *
 * Why the limits are raised: the bench measures the chat path, not the limiters.
 * - helpRequestRate is per client IP (10 at once, then one per 6 s). Every simulated visitor
 *   comes from 127.0.0.1, so all but the first 10 of the bench's 50 or 200 help requests
 *   would get 429.
 * - chatRate is per socket (20 at once, then 5/s). A bench visitor sends one message every
 *   100 ms, faster than a person types, and would soon be refused.
 * Every other setting, and every code path a message takes, is the one main.ts runs.
 */
import { configFromEnv, defaultConfig } from '../../server/config.ts';
import { runServer } from '../../server/run.ts';

const { config: fromEnv, listen } = configFromEnv(process.env);
await runServer(
  defaultConfig({
    ...fromEnv,
    helpRequestRate: { burst: 100_000, perSecond: 100_000 },
    chatRate: { burst: 1000, perSecond: 1000 },
  }),
  listen,
);
