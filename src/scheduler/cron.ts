import cron from "node-cron";
import { ConfigError } from "../config.js";
import type { Logger } from "../core/ports.js";
import type { Scheduler } from "./runner.js";

// node-cron only ticks; the database decides what is owed (runner.ts). The tick runs on UTC
// wall-clock time so it never pauses across a daylight-saving change; local times are the
// occasions' business. `noOverlap` skips a tick while the previous one is still delivering.

export interface RunningScheduler {
  stop(): Promise<void>;
}

export function startCron(
  scheduler: Scheduler,
  options: { expression: string; logger: Logger },
): RunningScheduler {
  if (!cron.validate(options.expression))
    throw new ConfigError(
      `CMP_SCHEDULER_CRON: "${options.expression}" is not a cron expression (e.g. "* * * * *").`,
    );
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = scheduler.tick().then(
      (report) => {
        if (report.claimed + report.sent + report.failed + report.skipped > 0)
          options.logger.info({ ...report }, "scheduler tick");
      },
      (error: unknown) => options.logger.error({ err: error }, "scheduler tick failed"),
    );
    return running;
  };
  const task = cron.schedule(options.expression, tick, {
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
