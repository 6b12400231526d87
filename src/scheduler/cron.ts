import cron from "node-cron";
import { ConfigError } from "../config.js";
import type { Logger } from "../core/ports.js";
import type { Metrics } from "../ops/metrics.js";
import type { Scheduler } from "./runner.js";

// node-cron only ticks; the database decides what is owed (runner.ts). The tick runs on UTC
// wall-clock time so it never pauses across a daylight-saving change; local times are the
// occasions' business. `noOverlap` skips a tick while the previous one is still delivering.

export interface RunningScheduler {
  stop(): Promise<void>;
}

export function startCron(
  scheduler: Scheduler,
  options: { expression: string; logger: Logger; metrics?: Metrics },
): RunningScheduler {
  const { metrics } = options;
  if (!cron.validate(options.expression))
    throw new ConfigError(
      `CMP_SCHEDULER_CRON: "${options.expression}" is not a cron expression (e.g. "* * * * *").`,
    );
  let running: Promise<unknown> = Promise.resolve();
  let ticking = false;
  /**
   * `due` is the minute node-cron meant to tick; lag is how late we started. A tick while one
   * is still delivering is skipped (node-cron's noOverlap does not cover the catch-up tick at
   * start): two at once would pace a channel's posts each on its own and post too close.
   */
  const tick = (due?: Date) => {
    if (ticking) return running;
    ticking = true;
    const started = Date.now();
    running = scheduler
      .tick()
      .then(
        (report) => {
          if (report.claimed + report.sent + report.failed + report.skipped > 0)
            options.logger.info({ ...report }, "scheduler tick");
          metrics?.tick((Date.now() - started) / 1000, due ? (started - due.getTime()) / 1000 : 0);
          metrics?.scheduledPosts("sent", report.sent);
          metrics?.scheduledPosts("failed", report.failed - report.expired);
          metrics?.scheduledPosts("expired", report.expired);
          metrics?.scheduledPosts("skipped", report.skipped);
          metrics?.scheduledPosts("retried", report.retried);
        },
        (error: unknown) => options.logger.error({ err: error }, "scheduler tick failed"),
      )
      .finally(() => {
        ticking = false;
      });
    return running;
  };
  const task = cron.schedule(options.expression, (context) => tick(context.date), {
    name: "cmp-scheduler",
    timezone: "UTC",
    noOverlap: true,
  });
  // Catch up at once on start rather than at the next minute.
  void tick();
  return {
    async stop() {
      await task.stop();
      await task.destroy();
      await running;
    },
  };
}
