import type { LookupFunction } from 'node:net';
import type { Logger } from 'pino';
import type { DueDelivery } from '../db/store.ts';
import type { CoreDeps } from './deps.ts';
import { postWebhook } from './webhook-post.ts';
import { signWebhook } from './webhooks.ts';

export interface WebhookWorkerOptions {
  /** A receiver that has not answered by then counts as a failure. */
  timeoutMs: number;
  /** Attempts before a delivery is given up (state `failed`). */
  maxAttempts: number;
  /** How often the worker looks for due deliveries when started. */
  pollMs: number;
  /** Deliveries sent at once per turn. */
  batch?: number;
  logger?: Logger | undefined;
  /** WEBHOOK_ALLOW_PRIVATE: deliver to loopback, private and link-local addresses too. */
  allowPrivate?: boolean | undefined;
  /** Name resolution for deliveries (tests inject one); node's dns.lookup by default. */
  lookup?: LookupFunction | undefined;
}

/**
 * Wait after the n-th failed attempt: quickly once, then ever longer, about a day and a half in
 * all (the schedule Standard Webhooks senders such as Svix use).
 */
export const RETRY_SCHEDULE_MS = [5_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 5 * 3_600_000, 10 * 3_600_000];

/** The shortest and longest pause of an endpoint that keeps failing. */
export const ENDPOINT_PAUSE_MS = { min: 5_000, max: 3_600_000 };

/**
 * How long to leave a failing endpoint alone: as long as it has been failing (so the pauses
 * double), between ENDPOINT_PAUSE_MS.min and .max. Judged by the endpoint, not the delivery:
 * a dead receiver with a thousand deliveries waiting gets one probe per pause, not a thousand
 * attempts, and the worker's time goes to receivers that answer.
 */
export function endpointPauseMs(failingSince: number | null, now: number): number {
  return Math.min(ENDPOINT_PAUSE_MS.max, Math.max(ENDPOINT_PAUSE_MS.min, now - (failingSince ?? now)));
}

export interface WebhookWorker {
  /** Poll every `pollMs` until stopped. */
  start(): void;
  /** Stop polling and wait for the deliveries in flight. */
  stop(): Promise<void>;
  /** Send what is due now, once; resolves with the number of attempts made. */
  tick(): Promise<number>;
}

/**
 * Delivers the outbox (db/stores/webhooks.ts). It runs beside the requests and never inside
 * one: a change only writes outbox rows, in its own unit of work. State is in the database, so
 * deliveries pending at a crash or restart go out after it (at least once: receivers
 * de-duplicate by `webhook-id`, which stays the same on every retry). Time comes from the core
 * clock, so tests drive retries with a fixed clock instead of waiting.
 */
export function createWebhookWorker(deps: CoreDeps, options: WebhookWorkerOptions): WebhookWorker {
  const batch = options.batch ?? 20;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = true;

  async function send(delivery: DueDelivery): Promise<void> {
    const at = deps.clock.now();
    const timestamp = Math.floor(at / 1000);
    const started = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    const outcome = await postWebhook({
      url: delivery.url,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'optbox-webhooks/1',
        'webhook-id': delivery.eventId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook(delivery.secret, delivery.eventId, timestamp, delivery.payload),
      },
      body: delivery.payload,
      timeoutMs: options.timeoutMs,
      allowPrivate: options.allowPrivate ?? false,
      lookup: options.lookup,
    });
    // The delivery log (read by API-key holders) gets the status or a fixed word; the operator's
    // log also gets the cause (ECONNREFUSED, ENOTFOUND …).
    if ('status' in outcome) {
      statusCode = outcome.status;
      if (outcome.status < 200 || outcome.status >= 300) error = `HTTP ${outcome.status}`;
    } else error = outcome.error === 'timeout' ? `timeout after ${options.timeoutMs} ms` : outcome.error;
    const cause = 'cause' in outcome ? outcome.cause : undefined;
    const attempt = delivery.attempts + 1;
    const delivered = error === null;
    const nextAttemptAt = delivered || attempt >= options.maxAttempts ? null : deps.clock.now() + RETRY_SCHEDULE_MS[Math.min(attempt, RETRY_SCHEDULE_MS.length) - 1]!;
    if (!delivered) options.logger?.warn({ delivery: delivery.id, attempt, error, cause, retry: nextAttemptAt !== null }, 'webhook delivery failed');
    const endpointPausedUntil = delivered ? null : deps.clock.now() + endpointPauseMs(delivery.failingSince, at);
    await deps.store.webhooks.recordAttempt({ deliveryId: delivery.id, at, statusCode, error, durationMs: Math.round(performance.now() - started), delivered, nextAttemptAt, endpointPausedUntil });
  }

  async function runOnce(): Promise<number> {
    const due = await deps.store.webhooks.due(deps.clock.now(), batch);
    await Promise.all(due.map(send));
    return due.length;
  }

  function tick(): Promise<number> {
    running ??= runOnce().finally(() => (running = undefined));
    return running;
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(async () => {
      try {
        // Keep going while there is a backlog, then wait for the next poll.
        while (!stopped && (await tick()) === batch);
      } catch (err) {
        options.logger?.error({ err }, 'webhook worker');
      }
      schedule();
    }, options.pollMs);
    timer.unref();
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
    tick,
  };
}
