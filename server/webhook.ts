/**
 * Tells a site owner's server about new help requests and offline messages, off the request
 * path: `send` returns at once and delivery, with retries, runs in the background.
 *
 * Signing: `x-help-signature: sha256=<hex HMAC-SHA256(secret, `${x-help-timestamp}.${body}`)>`,
 * the timestamp being unix seconds at each attempt (a retry is signed afresh). A receiver
 * recomputes it over the raw body, refuses a timestamp more than a few minutes off its clock
 * (a replay), and drops a repeated `x-help-delivery` (a retry of an event that did arrive).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookEvent } from '../protocol/webhook.ts';

export interface WebhookOptions {
  url: string;
  secret: string;
  /** Tries per event, the first one included. */
  attempts?: number;
  /** Wait before the first retry; it doubles with every retry, up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Per attempt: a receiver that never answers costs one timeout, then a retry. */
  timeoutMs?: number;
  /** Events not yet delivered; past it the oldest is given up, so a dead receiver cannot grow memory. */
  maxQueued?: number;
}

interface Delivery {
  readonly event: WebhookEvent;
  readonly body: string;
  tries: number;
  /** Set while waiting to retry; unset while an attempt is out. */
  timer: NodeJS.Timeout | undefined;
}

type Answer =
  | { kind: 'delivered' }
  | { kind: 'refused'; status: number }
  | { kind: 'failed'; reason: string; retryAfter: string | null };

/** Delivers webhook events: signed, retried with back-off, never blocking the caller. */
export class Webhook {
  readonly #url: string;
  readonly #secret: string;
  readonly #attempts: number;
  readonly #delays: { baseMs: number; maxMs: number };
  readonly #timeoutMs: number;
  readonly #maxQueued: number;
  /** Oldest first (a Set keeps insertion order), so the one to give up is the first. */
  readonly #pending = new Set<Delivery>();
  readonly #inFlight = new Set<Promise<void>>();
  #closed = false;

  constructor(options: WebhookOptions) {
    // A bad URL or an empty secret fails at start-up, not silently at the first event.
    this.#url = new URL(options.url).href;
    if (!options.secret) throw new Error('HELP_WEBHOOK_URL needs a secret to sign with');
    this.#secret = options.secret;
    this.#attempts = options.attempts ?? 6;
    this.#delays = { baseMs: options.baseDelayMs ?? 1000, maxMs: options.maxDelayMs ?? 300_000 };
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#maxQueued = options.maxQueued ?? 1000;
  }

  /** Events neither delivered nor given up on yet. */
  get pending(): number {
    return this.#pending.size;
  }

  /** Queues `event` and returns at once; what becomes of it is logged, never thrown. */
  send(event: WebhookEvent): void {
    if (this.#closed) {
      console.warn(`webhook: ${describe(event)} not sent: the webhook is closed`);
      return;
    }
    const delivery: Delivery = { event, body: JSON.stringify(event), tries: 0, timer: undefined };
    this.#pending.add(delivery);
    if (this.#pending.size > this.#maxQueued) this.#giveUpOldest();
    this.#start(delivery);
  }

  /** Cancels waiting retries and resolves once attempts in flight end (each within its timeout). */
  async close(): Promise<void> {
    this.#closed = true;
    let cancelled = 0;
    for (const delivery of this.#pending) {
      if (delivery.timer === undefined) continue;
      clearTimeout(delivery.timer);
      this.#pending.delete(delivery);
      cancelled += 1;
    }
    if (cancelled > 0) {
      console.warn(`webhook: closed with ${cancelled} event(s) waiting to retry; not delivered`);
    }
    await Promise.all(this.#inFlight);
  }

  #start(delivery: Delivery): void {
    delivery.timer = undefined;
    const attempt = this.#attempt(delivery).finally(() => this.#inFlight.delete(attempt));
    this.#inFlight.add(attempt);
  }

  async #attempt(delivery: Delivery): Promise<void> {
    delivery.tries += 1;
    const answer = await this.#post(delivery);
    // Given up for a newer event while this attempt was out: that was logged then.
    if (!this.#pending.has(delivery)) return;
    if (answer.kind === 'failed' && delivery.tries < this.#attempts && !this.#closed) {
      const wait = retryDelayMs(delivery.tries, answer.retryAfter, this.#delays);
      delivery.timer = setTimeout(() => this.#start(delivery), wait);
      // A retry must never keep a stopping server alive.
      delivery.timer.unref();
      return;
    }
    this.#pending.delete(delivery);
    const what = describe(delivery.event);
    if (answer.kind === 'refused') {
      console.warn(`webhook: ${what} refused with status ${answer.status}; not retried`);
    } else if (answer.kind === 'failed') {
      const why = this.#closed ? 'the webhook closed' : 'giving up';
      console.warn(
        `webhook: ${what} not delivered after ${delivery.tries} tries (last: ${answer.reason}); ${why}`,
      );
    }
  }

  /** One signed POST; every outcome, a thrown one included, comes back as an Answer. */
  async #post({ event, body }: Delivery): Promise<Answer> {
    const timestamp = String(Math.floor(Date.now() / 1000));
    try {
      const response = await fetch(this.#url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'help-widget-webhook',
          'x-help-event': event.type,
          'x-help-delivery': event.id,
          'x-help-timestamp': timestamp,
          'x-help-signature': sign(this.#secret, timestamp, body),
        },
        body,
        // A redirect would resend the signed event somewhere the owner did not configure.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      // Only the status matters; cancelling the body frees the connection now.
      await response.body?.cancel().catch(() => undefined);
      return answerOf(response.status, response.headers.get('retry-after'));
    } catch (error) {
      return { kind: 'failed', reason: reasonOf(error, this.#timeoutMs), retryAfter: null };
    }
  }

  #giveUpOldest(): void {
    const [oldest] = this.#pending;
    if (!oldest) return;
    this.#pending.delete(oldest);
    // An attempt already out is left to finish (it may still arrive); no retry follows it.
    clearTimeout(oldest.timer);
    console.warn(
      `webhook: more than ${this.#maxQueued} events undelivered; gave up the oldest, ${describe(oldest.event)}`,
    );
  }
}

/**
 * The wait after the `failures`-th failed try: base·2^(failures−1), or a numeric `Retry-After`
 * (seconds) when that is longer; both capped at `maxMs`, so a receiver cannot park an event
 * for days (nor overflow a timer).
 */
export function retryDelayMs(
  failures: number,
  retryAfter: string | null,
  delays: { baseMs: number; maxMs: number },
): number {
  const backoff = delays.baseMs * 2 ** (failures - 1);
  const asked =
    retryAfter !== null && /^\s*\d+\s*$/.test(retryAfter) ? Number(retryAfter) * 1000 : 0;
  return Math.min(Math.max(backoff, asked), delays.maxMs);
}

/**
 * Checks an `x-help-signature` against the raw body and `x-help-timestamp`, in constant time.
 * The timestamp's age is the receiver's to check: refuse one more than a few minutes off.
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string,
  body: string,
  signature: string,
): boolean {
  const expected = Buffer.from(sign(secret, timestamp, body));
  const given = Buffer.from(signature);
  // timingSafeEqual throws on unequal lengths; a signature's length is no secret.
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function sign(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

function answerOf(status: number, retryAfter: string | null): Answer {
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  // Timeouts, rate limits and server errors pass; any other answer would be the same next time.
  if (status === 408 || status === 429 || status >= 500) {
    return { kind: 'failed', reason: `status ${status}`, retryAfter };
  }
  return { kind: 'refused', status };
}

/** Why an attempt threw, short enough for a log line: a timeout, or a network error's code. */
function reasonOf(error: unknown, timeoutMs: number): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  const cause = error.cause;
  if (cause instanceof Error) {
    return `${error.message}: ${(cause as NodeJS.ErrnoException).code ?? cause.message}`;
  }
  return error.message;
}

function describe(event: WebhookEvent): string {
  return `${event.type} ${event.id}`;
}
