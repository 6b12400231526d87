import type { I18n } from "../core/i18n.js";
import type { Notifier, PostResult } from "../core/notifier.js";
import type { Clock, Logger, Store } from "../core/ports.js";
import { DAY_MS } from "../core/schedule/calendar.js";
import { channelFallback } from "../core/schedule/fallback.js";
import {
  deliveryKey,
  type Occasion,
  occasionsIn,
  placementsOf,
  targetKey,
} from "../core/schedule/planner.js";
import { createComposer } from "../core/schedule/posts.js";
import { createThreading } from "../core/schedule/threads.js";
import type { Delivery, NewDelivery, TimeRange } from "../core/schedule/types.js";
import type { Platform } from "../core/tracker/types.js";

// One tick: (1) claim what is owed in [now − grace, now] — the ledger's unique key decides who
// posts, so two schedulers on one database post once — and record older missed occasions as
// skipped; (2) deliver pending claims through each platform's Notifier, marking a post sent only
// once the platform accepted it, reconciling an unknown outcome before any second attempt.

/** How far before a claim the channel is searched for its post after an ambiguous failure. */
const RECONCILE_MARGIN_MS = 10 * 60_000;

export interface SchedulerOptions {
  store: Store;
  i18n: I18n;
  clock: Clock;
  logger: Logger;
  notifiers: Notifier[];
  /** Occasions missed by less than this are posted late; older ones are recorded as skipped. */
  graceMs: number;
  /** Attempts per post before it is recorded as failed. */
  maxAttempts?: number;
  /** Least time between two posts to one channel or person, per platform. */
  pacingMs?: Partial<Record<Platform, number>>;
  /** How long one attempt holds a delivery against other schedulers. */
  leaseMs?: number;
  /** Deliveries per tick; the rest wait for the next one. */
  batchSize?: number;
  /** After a longer outage, older occasions are neither posted nor recorded. */
  maxCatchUpMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Aborted at shutdown: no new post starts; the one under way finishes and is recorded. */
  signal?: AbortSignal;
  /** Retention: deletes what is older than its cutoff; run at most once an hour, after posting. */
  prune?: (now: Date) => Promise<{ deliveries: number; requestKeys: number }>;
}

export interface TickReport {
  claimed: number;
  skipped: number;
  sent: number;
  retried: number;
  /** Failed posts that failed by expiring (counted in `failed` too). */
  expired: number;
  failed: number;
}

export interface Scheduler {
  tick(): Promise<TickReport>;
}

/** Slack: about one message a second per channel; Teams: 60 per 30 s per conversation. */
const DEFAULT_PACING_MS: Record<Platform, number> = {
  slack: 1100,
  teams: 550,
  console: 0,
};

/** Each tick looks this far behind the previous one: claims are idempotent, so overlap is free. */
const OVERLAP_MS = 5 * 60_000;
const BACKOFF_BASE_MS = 30_000;
const PRUNE_EVERY_MS = 3_600_000;
const BACKOFF_MAX_MS = 30 * 60_000;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const iso = (ms: number) => new Date(ms).toISOString();

export function createScheduler(options: SchedulerOptions): Scheduler {
  const { store, clock, logger } = options;
  const maxAttempts = options.maxAttempts ?? 5;
  const pacing = { ...DEFAULT_PACING_MS, ...options.pacingMs };
  const leaseMs = options.leaseMs ?? 120_000;
  const batchSize = options.batchSize ?? 200;
  const maxCatchUpMs = options.maxCatchUpMs ?? 35 * DAY_MS;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const notifiers = new Map(options.notifiers.map((n) => [n.platform, n]));
  let lastPrune = Number.NEGATIVE_INFINITY;
  /** When each channel or person was last posted to, for pacing across ticks. */
  const lastPost = new Map<string, number>();

  function backoff(attempts: number, retryAfterMs: number | undefined): number {
    const exponential = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (attempts - 1));
    const base = Math.max(retryAfterMs ?? 0, exponential);
    // Jitter spreads the retries of many channels hit by the same outage.
    return Math.round(base * (1 + 0.2 * random()));
  }

  async function unclaimed(occasions: Occasion[]): Promise<Occasion[]> {
    if (occasions.length === 0) return [];
    const claimed = await store.schedule.claimedOccasions(occasions.map((o) => o.key));
    return occasions.filter((o) => !claimed.has(o.key));
  }

  function skippedRow(occasion: Occasion, note: string, at: string): NewDelivery {
    return {
      deliveryKey: `${occasion.key}|skipped`,
      occasionKey: occasion.key,
      kind: occasion.kind,
      groupId: occasion.groupId,
      target: null,
      languages: [],
      dueAt: occasion.at,
      status: "skipped",
      note,
      doc: null,
      createdAt: at,
    };
  }

  async function claimOwed(range: TimeRange, at: string, report: TickReport): Promise<void> {
    const composer = createComposer({ store, i18n: options.i18n });
    const threading = createThreading({ store, i18n: options.i18n });
    for (const occasion of await unclaimed(await occasionsIn(store, range))) {
      if (occasion.skip) {
        report.skipped += await store.schedule.claim([skippedRow(occasion, occasion.skip, at)]);
        continue;
      }
      const rows: NewDelivery[] = [];
      const placements = await placementsOf(store, occasion);
      for (const placement of placements) {
        const doc = await composer.compose(occasion, placement);
        if (!doc) continue;
        const row: NewDelivery = {
          deliveryKey: deliveryKey(occasion.key, placement.target),
          occasionKey: occasion.key,
          kind: occasion.kind,
          groupId: occasion.groupId,
          target: placement.target,
          languages: placement.languages,
          dueAt: occasion.at,
          status: "pending",
          note: null,
          doc,
          createdAt: at,
        };
        rows.push(...(await threading.rows(occasion, row)));
      }
      if (rows.length === 0) {
        // Nowhere to post it, or its item closed or changed since it was found.
        const note = placements.length === 0 ? "no_target" : "stale";
        report.skipped += await store.schedule.claim([skippedRow(occasion, note, at)]);
        continue;
      }
      report.claimed += await store.schedule.claim(rows);
    }
  }

  async function recordMissed(range: TimeRange, at: string, report: TickReport): Promise<void> {
    const missed = await unclaimed(await occasionsIn(store, range));
    if (missed.length === 0) return;
    report.skipped += await store.schedule.claim(missed.map((o) => skippedRow(o, "missed", at)));
    logger.warn(
      {
        count: missed.length,
        from: range.from,
        to: range.to,
        occasions: missed.slice(0, 20).map((o) => o.key),
      },
      "scheduler: occasions missed by more than the grace period were recorded as skipped, not posted",
    );
  }

  async function settle(
    delivery: Delivery,
    result: PostResult,
    attempts: number,
    report: TickReport,
  ): Promise<void> {
    const schedule = store.schedule;
    const now = clock.now().getTime();
    switch (result.status) {
      case "sent":
        await schedule.markSent(delivery.id, result.messageId, iso(now));
        await recordThread(delivery, result.messageId);
        report.sent += 1;
        return;
      case "failed":
        await schedule.markFailed(delivery.id, result.reason);
        report.failed += 1;
        logger.warn({ key: delivery.deliveryKey, reason: result.reason }, "scheduled post failed");
        return;
      case "retry":
      case "unknown": {
        if (attempts >= maxAttempts) {
          const reason = `gave up after ${attempts} attempts: ${result.reason}${
            result.status === "unknown" ? " (the last outcome is unknown)" : ""
          }`;
          await schedule.markFailed(delivery.id, reason);
          report.failed += 1;
          logger.warn({ key: delivery.deliveryKey, reason }, "scheduled post failed");
          return;
        }
        const retryAfter = result.status === "retry" ? result.retryAfterMs : undefined;
        await schedule.markRetry(
          delivery.id,
          iso(now + backoff(attempts, retryAfter)),
          result.reason,
          result.status === "unknown",
        );
        report.retried += 1;
        return;
      }
    }
  }

  /** A post that starts its commitment's thread in a channel: later ones reply to it. */
  async function recordThread(delivery: Delivery, messageId: string): Promise<void> {
    const target = delivery.target;
    if (target?.kind !== "channel" || !target.threadOf || target.threadId || !messageId) return;
    await store.schedule.saveItemThread(
      target.threadOf,
      target.platform,
      target.channelId,
      messageId,
      iso(clock.now().getTime()),
    );
  }

  /** A post already made by an earlier attempt whose answer was lost, if there is one. */
  async function findEarlierPost(
    notifier: Notifier,
    delivery: Delivery,
  ): Promise<string | null | "unreachable"> {
    const target = delivery.target;
    // Our clock and the platform's may disagree by more than a minute; reading a little
    // further back costs one page of history and never misses the post.
    const since = new Date(new Date(delivery.createdAt).getTime() - RECONCILE_MARGIN_MS);
    if (target?.kind === "channel")
      return notifier.findDelivered(target.channelId, delivery.deliveryKey, since, target.threadId);
    if (target?.kind === "direct" && notifier.findDeliveredDirect)
      return notifier.findDeliveredDirect(
        { personId: target.personId, userId: target.userId },
        delivery.deliveryKey,
        since,
      );
    return "unreachable";
  }

  /** One attempt at one delivery; the platform's answer, when it was asked. */
  async function attempt(
    delivery: Delivery,
    report: TickReport,
  ): Promise<PostResult["status"] | null> {
    const target = delivery.target;
    const notifier = target ? notifiers.get(target.platform) : undefined;
    if (!target || !notifier || !delivery.doc) return null;
    const now = clock.now().getTime();
    if (!(await store.schedule.lease(delivery.id, iso(now), iso(now + leaseMs)))) return null;
    const attempts = delivery.attempts + 1;
    let result: PostResult;
    try {
      if (delivery.reconcile) {
        const earlier = await findEarlierPost(notifier, delivery);
        if (earlier === "unreachable") {
          await store.schedule.markFailed(
            delivery.id,
            "outcome unknown and the platform cannot be searched: not retried, to never post twice",
          );
          report.failed += 1;
          return null;
        }
        if (earlier) {
          await store.schedule.markSent(delivery.id, earlier, iso(clock.now().getTime()));
          await recordThread(delivery, earlier);
          report.sent += 1;
          logger.info({ key: delivery.deliveryKey }, "scheduled post found already delivered");
          return null;
        }
      }
      // Never late in bulk: a post that could not go out within the grace period is dropped.
      if (now > new Date(delivery.dueAt).getTime() + options.graceMs) {
        await store.schedule.markFailed(delivery.id, "expired: not posted within the grace period");
        report.failed += 1;
        report.expired += 1;
        return null;
      }
      const postOptions = { deliveryKey: delivery.deliveryKey };
      result =
        target.kind === "channel"
          ? await notifier.post(target.channelId, delivery.doc, {
              ...postOptions,
              ...(target.threadId ? { threadId: target.threadId } : {}),
            })
          : ((await notifier.postDirect(
              { personId: target.personId, userId: target.userId },
              delivery.doc,
              postOptions,
            )) ?? { status: "failed", reason: "the platform cannot message this person" });
    } catch (error) {
      // A throw may come after the request left: treat it as maybe-posted.
      result = {
        status: "unknown",
        reason: error instanceof Error ? error.message : String(error),
      };
    }
    lastPost.set(targetKey(target), clock.now().getTime());
    if (target.kind === "direct" && result.status === "failed") {
      // Never reachable directly (another organisation's account): the group's channel instead.
      const rows = await channelFallback({ store, i18n: options.i18n }, delivery, iso(now));
      if ((await store.schedule.claim(rows)) > 0)
        result = { status: "failed", reason: `${result.reason}; posted to the channel instead` };
    }
    await settle(delivery, result, attempts, report);
    return result.status;
  }

  async function deliverQueue(queue: Delivery[], report: TickReport): Promise<void> {
    for (const delivery of queue) {
      const target = delivery.target;
      if (!target) continue;
      const key = targetKey(target);
      if (options.signal?.aborted) return;
      const wait = (lastPost.get(key) ?? 0) + pacing[target.platform] - clock.now().getTime();
      if (wait > 0) await sleep(wait);
      if (options.signal?.aborted) return;
      try {
        // Rate-limited: the rest of this channel's posts wait for a later tick.
        if ((await attempt(delivery, report)) === "retry") return;
      } catch (error) {
        // A database hiccup on one post must not stop the others; the lease expires and the
        // next tick reconciles it.
        logger.error({ err: error, key: delivery.deliveryKey }, "scheduled delivery failed");
      }
    }
  }

  async function deliver(report: TickReport): Promise<void> {
    const now = clock.now().getTime();
    // Posts for a platform no scheduler serves would wait forever, then go out late.
    const expired = await store.schedule.expireStale(
      iso(now - options.graceMs),
      "expired: no scheduler with this platform posted it within the grace period",
    );
    if (expired > 0) {
      report.failed += expired;
      report.expired += expired;
      logger.warn({ count: expired }, "scheduled posts expired undelivered");
    }
    const due = await store.schedule.duePending(
      iso(clock.now().getTime()),
      [...notifiers.keys()],
      batchSize,
    );
    // One queue per channel or person: a slow or failing one never holds up the others.
    const queues = new Map<string, Delivery[]>();
    for (const delivery of due) {
      if (!delivery.target) continue;
      const key = targetKey(delivery.target);
      queues.set(key, [...(queues.get(key) ?? []), delivery]);
    }
    await Promise.all([...queues.values()].map((queue) => deliverQueue(queue, report)));
  }

  return {
    async tick() {
      const report: TickReport = {
        claimed: 0,
        skipped: 0,
        sent: 0,
        retried: 0,
        expired: 0,
        failed: 0,
      };
      const now = clock.now().getTime();
      const graceStart = now - options.graceMs;
      const lastValue = await store.schedule.lastTick();
      const last = lastValue ? new Date(lastValue).getTime() : graceStart;
      if (last < graceStart) {
        const from = Math.max(last, now - maxCatchUpMs);
        await recordMissed({ from: iso(from), to: iso(graceStart - 1) }, iso(now), report);
      }
      // From where the last tick got to (a little before, for data committed while it ran),
      // never further back than the grace period.
      const from = Math.max(graceStart, last - OVERLAP_MS);
      await claimOwed({ from: iso(from), to: iso(now) }, iso(now), report);
      await store.schedule.recordTick(iso(now));
      await deliver(report);
      if (options.prune && now - lastPrune >= PRUNE_EVERY_MS) {
        lastPrune = now;
        const pruned = await options.prune(new Date(now));
        if (pruned.deliveries + pruned.requestKeys > 0)
          logger.info({ ...pruned }, "retention: pruned old deliveries and request keys");
      }
      return report;
    },
  };
}
