import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

// What an operator watches, in Prometheus text format at /metrics. One registry per app (not
// prom-client's global one), so two apps in one test process never share counts.

export type CommandOutcome = "ok" | "refused" | "bad_input" | "error";
export type PlatformCallResult = "ok" | "rate_limited" | "error";
export type ScheduledPostResult = "sent" | "failed" | "skipped" | "expired" | "retried";

/** Figures read at scrape time (the ledger's pending count, the pool). */
export interface MetricsSources {
  pendingDeliveries?: () => Promise<number>;
  secondsSinceLastTick?: () => Promise<number | null>;
  pool?: () => { total: number; idle: number; waiting: number } | null;
}

export interface Metrics {
  registry: Registry;
  command(verb: string, platform: string, outcome: CommandOutcome, seconds: number): void;
  platformCall(platform: string, method: string, result: PlatformCallResult): void;
  scheduledPosts(result: ScheduledPostResult, count: number): void;
  tick(seconds: number, lagSeconds: number): void;
  /** Connects the scrape-time figures once the database and scheduler exist. */
  watch(sources: MetricsSources): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "cmp_" });
  const registers = [registry];
  const sources: MetricsSources = {};

  const commands = new Counter({
    name: "cmp_commands_total",
    help: "Commands handled, by verb, platform and outcome (ok, refused, bad_input, error).",
    labelNames: ["verb", "platform", "outcome"] as const,
    registers,
  });
  const replySeconds = new Histogram({
    name: "cmp_command_reply_seconds",
    help: "Time from a command reaching the router to its reply being ready.",
    labelNames: ["platform"] as const,
    // Slack wants an answer within 3 s; Teams message extensions within about 5 s.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  const platformCalls = new Counter({
    name: "cmp_platform_calls_total",
    help: "Calls to Slack and the Bot Connector, by method and result (ok, rate_limited, error).",
    labelNames: ["platform", "method", "result"] as const,
    registers,
  });
  const posts = new Counter({
    name: "cmp_scheduled_posts_total",
    help: "Scheduled posts by result: sent, failed, skipped, expired, retried.",
    labelNames: ["result"] as const,
    registers,
  });
  const tickSeconds = new Histogram({
    name: "cmp_scheduler_tick_seconds",
    help: "Duration of one scheduler tick (claiming and delivering).",
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 30, 60, 120],
    registers,
  });
  const tickLag = new Gauge({
    name: "cmp_scheduler_tick_lag_seconds",
    help: "How late the last tick started after the minute it was due.",
    registers,
  });
  new Gauge({
    name: "cmp_scheduler_seconds_since_last_tick",
    help: "Seconds since any scheduler on this database last ticked (alert when it grows).",
    registers,
    async collect() {
      const value = await sources.secondsSinceLastTick?.().catch(() => null);
      if (value !== null && value !== undefined) this.set(value);
    },
  });
  new Gauge({
    name: "cmp_deliveries_pending",
    help: "Scheduled posts claimed but not yet sent, failed or expired.",
    registers,
    async collect() {
      const value = await sources.pendingDeliveries?.().catch(() => null);
      if (value !== null && value !== undefined) this.set(value);
    },
  });
  new Gauge({
    name: "cmp_db_pool_connections",
    help: "PostgreSQL pool connections by state (total, idle, waiting clients).",
    labelNames: ["state"] as const,
    registers,
    collect() {
      const pool = sources.pool?.();
      if (!pool) return;
      this.set({ state: "total" }, pool.total);
      this.set({ state: "idle" }, pool.idle);
      this.set({ state: "waiting" }, pool.waiting);
    },
  });

  return {
    registry,
    command(verb, platform, outcome, seconds) {
      commands.inc({ verb, platform, outcome });
      replySeconds.observe({ platform }, seconds);
    },
    platformCall(platform, method, result) {
      platformCalls.inc({ platform, method, result });
    },
    scheduledPosts(result, count) {
      if (count > 0) posts.inc({ result }, count);
    },
    tick(seconds, lagSeconds) {
      tickSeconds.observe(seconds);
      tickLag.set(lagSeconds);
    },
    watch(next) {
      Object.assign(sources, next);
    },
  };
}

/** A `fetch` that counts each Slack Web API call by method and HTTP result, and logs it at debug. */
export function countingFetch(
  metrics: Metrics,
  platform: string,
  logger?: { debug(obj: object, msg: string): void },
  inner = globalThis.fetch,
) {
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const method = new URL(url).pathname.split("/").pop() || "unknown";
    try {
      const response = await inner(input, init);
      const result = response.status === 429 ? "rate_limited" : response.ok ? "ok" : "error";
      metrics.platformCall(platform, method, result);
      logger?.debug({ method, status: response.status, result }, "platform call");
      return response;
    } catch (error) {
      metrics.platformCall(platform, method, "error");
      logger?.debug({ method, err: error }, "platform call failed");
      throw error;
    }
  };
}
