/**
 * Live state in Redis (`HELP_REDIS_URL`), shared by every server process. Each change that
 * reads and writes is one Lua script, so two processes never interleave inside it; everything
 * has an expiry, so what a dead process left behind goes by itself. Presence is a lease: each
 * process renews its own connections every few seconds, and a connection whose process died
 * stops counting when its lease runs out.
 */
import { Redis } from 'ioredis';
import type { StoredChange } from '../../protocol/cobrowse.ts';
import type { KeptMirrorPart } from '../../protocol/mirror.ts';
import {
  type BackoffPolicy,
  type BucketAnswer,
  type FollowTokenGrant,
  type LiveState,
  type MirrorKeep,
  PAGE_KEY,
  type RateLimit,
  RECENT_WAITS,
} from './live-state.ts';

export interface RedisLiveStateOptions {
  /** `redis://host:6379` */
  url: string;
  /** Put before every key: several deployments (or tests) can share one Redis. */
  prefix?: string;
  /** How long a connection counts without its process renewing it. */
  leaseMs?: number;
}

/** What live state a conversation leaves (follow changes, the mirror) outlives it at most this. */
const CONVERSATION_STATE_MS = 24 * 3_600_000;

/**
 * Presence. KEYS: connections of the helper, helpers with connections, the helper's offline
 * mark. `connect`: ARGV connection, lease end. `disconnect`: ARGV connection, now, at; answers
 * how many connections are left.
 */
const CONNECT = `
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], 'GT', ARGV[2], ARGV[3])
redis.call('DEL', KEYS[3])
return 1`;

const DISCONNECT = `
local removed = redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
local left = redis.call('ZCARD', KEYS[1])
if removed == 1 and left == 0 then
  redis.call('ZREM', KEYS[2], ARGV[4])
  redis.call('SET', KEYS[3], ARGV[3], 'PX', ${CONVERSATION_STATE_MS})
end
return left`;

/**
 * A token bucket. KEYS: the bucket. ARGV: now, burst, per second, take (1) or give back (-1).
 * Answers whether a token was there and the wait until the next one, in ms.
 */
const BUCKET = `
local now, burst, rate, delta = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local held = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(held[1]) or burst
local at = tonumber(held[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) / 1000 * rate)
local ok = 0
if delta < 0 then
  tokens = math.min(burst, tokens + 1)
elseif tokens >= 1 then
  tokens = tokens - 1
  ok = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', ARGV[1])
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / rate * 1000) + 1000)
local missing = 1 - tokens
local wait = 0
if missing > 0 then wait = math.ceil(missing / rate * 1000) end
return {ok, wait}`;

/**
 * A turn with back-off. KEYS: the turn. `claim` ARGV: now, hold ms, forget ms. `end` ARGV: now,
 * failed (1/0), wait after this failure… computed here from the failures: free failures, base
 * ms, max ms, forget ms.
 */
const CLAIM_TURN = `
local now, hold, forget = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local t = redis.call('HMGET', KEYS[1], 'notBefore', 'heldUntil', 'lastFailureAt')
local notBefore, heldUntil, last = tonumber(t[1]) or 0, tonumber(t[2]) or 0, tonumber(t[3]) or 0
if heldUntil <= now and notBefore <= now and last + forget <= now then
  redis.call('DEL', KEYS[1])
  notBefore, heldUntil = 0, 0
end
local wait = math.max(notBefore, heldUntil) - now
if wait > 0 then return {0, wait} end
redis.call('HSET', KEYS[1], 'heldUntil', tostring(now + hold))
redis.call('PEXPIRE', KEYS[1], math.max(hold, forget) + 1000)
return {1, 0}`;

const END_TURN = `
local now, failed = tonumber(ARGV[1]), ARGV[2] == '1'
local free, base, max, forget = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
if not failed or redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[1])
  return 0
end
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local over = failures - free
local wait = 0
if over > 0 then wait = math.min(max, base * 2 ^ (over - 1)) end
redis.call('HSET', KEYS[1], 'lastFailureAt', ARGV[1], 'heldUntil', '0', 'notBefore', tostring(now + wait))
redis.call('PEXPIRE', KEYS[1], wait + forget + 1000)
return failures`;

/**
 * Follow mode's latest change per key, in the order keys were last set. KEYS: values (hash),
 * order (sorted set), the counter. ARGV: key, value, and for a navigation the page load it
 * names (else ''): from another page load than the kept navigation's, everything kept goes
 * first (as startsAnotherPageLoad says).
 */
const PUT_CHANGE = `
if ARGV[3] ~= '' then
  local kept = redis.call('HGET', KEYS[1], '${PAGE_KEY}')
  if kept then
    local ok, decoded = pcall(cjson.decode, kept)
    if not ok or type(decoded.value) ~= 'table' or decoded.value.load ~= ARGV[3] then
      redis.call('DEL', KEYS[1], KEYS[2])
    end
  end
end
local n = redis.call('INCR', KEYS[3])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], n, ARGV[1])
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ${CONVERSATION_STATE_MS}) end
return n`;

/**
 * A piece of a mirror recording. KEYS: the pieces (list), the recording's bytes kept. ARGV:
 * the piece, whether it starts a snapshot (1/0), the most bytes kept, the piece's recording
 * bytes. Answers 1 kept, 0 snapshot needed.
 */
const PUT_MIRROR_PART = `
local piece, starts, max, size = ARGV[1], ARGV[2] == '1', tonumber(ARGV[3]), tonumber(ARGV[4])
if starts then
  redis.call('DEL', KEYS[1], KEYS[2])
elseif redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
local bytes = tonumber(redis.call('GET', KEYS[2]) or '0')
if bytes + size > max then
  redis.call('DEL', KEYS[1], KEYS[2])
  return 0
end
redis.call('RPUSH', KEYS[1], piece)
redis.call('SET', KEYS[2], bytes + size, 'PX', ${CONVERSATION_STATE_MS})
redis.call('PEXPIRE', KEYS[1], ${CONVERSATION_STATE_MS})
return 1`;

/** A kept piece in one Redis string: its fields as JSON, a newline, then its bytes. */
function packPart({ data, ...fields }: KeptMirrorPart): Buffer {
  return Buffer.concat([Buffer.from(`${JSON.stringify(fields)}\n`), data]);
}

function unpackPart(stored: Buffer): KeptMirrorPart {
  const end = stored.indexOf(10);
  const fields = JSON.parse(stored.subarray(0, end).toString()) as Omit<KeptMirrorPart, 'data'>;
  return { ...fields, data: new Uint8Array(stored.subarray(end + 1)) };
}

export class RedisLiveState implements LiveState {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #leaseMs: number;
  /** This process's connections, renewed while it lives. */
  readonly #mine = new Map<string, Set<string>>();
  readonly #renewal: NodeJS.Timeout;

  private constructor(redis: Redis, prefix: string, leaseMs: number) {
    this.#redis = redis;
    this.#prefix = prefix;
    this.#leaseMs = leaseMs;
    this.#renewal = setInterval(() => void this.#renew(), leaseMs / 3);
    this.#renewal.unref();
  }

  static async open(options: RedisLiveStateOptions): Promise<RedisLiveState> {
    const redis = new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    try {
      await redis.connect();
    } catch (error) {
      redis.disconnect();
      const { host } = new URL(options.url);
      throw new Error(`Redis at ${host}: ${(error as Error).message}`);
    }
    redis.on('error', (error: Error) => console.error('Redis:', error.message));
    return new RedisLiveState(redis, options.prefix ?? 'help:', options.leaseMs ?? 30_000);
  }

  #key(...parts: string[]): string {
    return this.#prefix + parts.join(':');
  }

  async #run(script: string, keys: string[], args: (string | number | Buffer)[]) {
    return this.#redis.eval(script, keys.length, ...keys, ...args);
  }

  // Presence --------------------------------------------------------------------------------

  async helperConnected(helperId: string, connectionId: string): Promise<void> {
    const mine = this.#mine.get(helperId) ?? new Set<string>();
    mine.add(connectionId);
    this.#mine.set(helperId, mine);
    await this.#lease(helperId, connectionId);
  }

  #lease(helperId: string, connectionId: string) {
    return this.#run(
      CONNECT,
      [this.#key('conn', helperId), this.#key('helpers'), this.#key('offline', helperId)],
      [connectionId, Date.now() + this.#leaseMs, helperId],
    );
  }

  async #renew(): Promise<void> {
    for (const [helperId, connections] of this.#mine) {
      for (const connectionId of connections) {
        await this.#lease(helperId, connectionId).catch(() => undefined);
      }
    }
  }

  async helperDisconnected(helperId: string, connectionId: string, at: number): Promise<number> {
    const mine = this.#mine.get(helperId);
    mine?.delete(connectionId);
    if (mine?.size === 0) this.#mine.delete(helperId);
    const left = await this.#run(
      DISCONNECT,
      [this.#key('conn', helperId), this.#key('helpers'), this.#key('offline', helperId)],
      [connectionId, Date.now(), at, helperId],
    );
    return Number(left);
  }

  async connectedHelpers(): Promise<Set<string>> {
    return new Set(await this.#redis.zrangebyscore(this.#key('helpers'), Date.now(), '+inf'));
  }

  async offlineSince(helperId: string): Promise<number | undefined> {
    const marked = await this.#redis.get(this.#key('offline', helperId));
    if (marked !== null) return Number(marked);
    // No goodbye: the process holding the last connection died. Offline since its lease ran out.
    const leaseEnd = await this.#redis.zscore(this.#key('helpers'), helperId);
    return leaseEnd !== null && Number(leaseEnd) <= Date.now() ? Number(leaseEnd) : undefined;
  }

  // Follow tokens ------------------------------------------------------------------------------

  async putFollowToken(tokenHash: string, grant: FollowTokenGrant, ttlMs: number): Promise<void> {
    await this.#redis.set(this.#key('follow-token', tokenHash), JSON.stringify(grant), 'PX', ttlMs);
  }

  async takeFollowToken(tokenHash: string): Promise<FollowTokenGrant | undefined> {
    const stored = await this.#redis.getdel(this.#key('follow-token', tokenHash));
    return stored === null ? undefined : (JSON.parse(stored) as FollowTokenGrant);
  }

  // Rate limits and turns ----------------------------------------------------------------------

  async takeToken(key: string, limit: RateLimit): Promise<BucketAnswer> {
    const [ok, wait] = (await this.#run(
      BUCKET,
      [this.#key('bucket', key)],
      [Date.now(), limit.burst, limit.perSecond, 1],
    )) as [number, number];
    return { ok: ok === 1, retryAfterMs: wait };
  }

  async returnToken(key: string, limit: RateLimit): Promise<void> {
    await this.#run(
      BUCKET,
      [this.#key('bucket', key)],
      [Date.now(), limit.burst, limit.perSecond, -1],
    );
  }

  async claimTurn(key: string, policy: BackoffPolicy): Promise<BucketAnswer> {
    const [ok, wait] = (await this.#run(
      CLAIM_TURN,
      [this.#key('turn', key)],
      [Date.now(), policy.holdMs, policy.forgetMs],
    )) as [number, number];
    return { ok: ok === 1, retryAfterMs: wait };
  }

  async endTurn(key: string, failed: boolean, policy: BackoffPolicy): Promise<void> {
    await this.#run(
      END_TURN,
      [this.#key('turn', key)],
      [
        Date.now(),
        failed ? 1 : 0,
        policy.freeFailures,
        policy.baseMs,
        policy.maxMs,
        policy.forgetMs,
      ],
    );
  }

  // Follow mode's latest changes ------------------------------------------------------------

  #changeKeys(conversationId: string): string[] {
    return [
      this.#key('changes', conversationId),
      this.#key('change-order', conversationId),
      this.#key('change-count', conversationId),
    ];
  }

  async putChange(conversationId: string, change: StoredChange): Promise<void> {
    const load = change.type === 'navigate' ? (change.value.load ?? '') : '';
    await this.#run(PUT_CHANGE, this.#changeKeys(conversationId), [
      change.key,
      JSON.stringify(change),
      load,
    ]);
  }

  async getChanges(conversationId: string): Promise<StoredChange[]> {
    const [values, order] = this.#changeKeys(conversationId) as [string, string];
    const keys = await this.#redis.zrange(order, '0', '-1');
    if (keys.length === 0) return [];
    const stored = await this.#redis.hmget(values, ...keys);
    return stored.flatMap((value) => (value === null ? [] : [JSON.parse(value) as StoredChange]));
  }

  async clearChanges(conversationId: string): Promise<void> {
    await this.#redis.del(...this.#changeKeys(conversationId));
  }

  // Mirror mode's kept recording ------------------------------------------------------------

  #mirrorKeys(conversationId: string): string[] {
    return [this.#key('mirror', conversationId), this.#key('mirror-bytes', conversationId)];
  }

  async putMirrorPart(
    conversationId: string,
    part: KeptMirrorPart,
    maxBytes: number,
  ): Promise<MirrorKeep> {
    const starts = part.full && part.part === 0;
    // The limit counts the recording's bytes, as the memory store does, not the fields.
    const kept = await this.#run(PUT_MIRROR_PART, this.#mirrorKeys(conversationId), [
      packPart(part),
      starts ? 1 : 0,
      maxBytes,
      part.data.byteLength,
    ]);
    return kept === 1 ? 'kept' : 'snapshot-needed';
  }

  async getMirror(conversationId: string): Promise<KeptMirrorPart[]> {
    const [list] = this.#mirrorKeys(conversationId) as [string];
    return (await this.#redis.lrangeBuffer(list, 0, -1)).map(unpackPart);
  }

  async clearMirror(conversationId: string): Promise<void> {
    await this.#redis.del(...this.#mirrorKeys(conversationId));
  }

  // Visitors' leases ------------------------------------------------------------------------

  async holdVisitors(conversationIds: readonly string[], until: number): Promise<void> {
    if (conversationIds.length === 0) return;
    const key = this.#key('visitor-leases');
    await this.#redis
      .multi()
      // GT: two processes holding one conversation (two tabs) keep the later end.
      .zadd(key, 'GT', ...conversationIds.flatMap((id) => [String(until), id]))
      // Leases a day old belong to conversations long over.
      .zremrangebyscore(key, '-inf', String(Date.now() - CONVERSATION_STATE_MS))
      .exec();
  }

  async visitorLeases(conversationIds: readonly string[]): Promise<(number | undefined)[]> {
    if (conversationIds.length === 0) return [];
    const scores = await this.#redis.zmscore(this.#key('visitor-leases'), ...conversationIds);
    return scores.map((score) => (score === null ? undefined : Number(score)));
  }

  // Waits -----------------------------------------------------------------------------------

  async noteWait(waitMs: number): Promise<void> {
    await this.#redis
      .multi()
      .lpush(this.#key('waits'), String(waitMs))
      .ltrim(this.#key('waits'), 0, RECENT_WAITS - 1)
      .exec();
  }

  async recentWaits(): Promise<number[]> {
    return (await this.#redis.lrange(this.#key('waits'), 0, RECENT_WAITS - 1)).map(Number);
  }

  async close(): Promise<void> {
    clearInterval(this.#renewal);
    await this.#redis.quit().catch(() => undefined);
  }
}
