import type { App } from "./app.js";
import type { Config } from "./config.js";
import { createDirectory } from "./core/directory.js";
import type { Notifier } from "./core/notifier.js";
import { readiness } from "./db/health.js";
import { createOpsRepository } from "./db/ops.repository.js";
import { CALENDAR_PREFIX, calendarRoute } from "./http/calendar.route.js";
import { createHttpServer, type HttpServer } from "./http/server.js";
import { createDrain } from "./ops/drain.js";
import { addMetrics, addReadiness } from "./ops/routes.js";
import { type RunningScheduler, startCron } from "./scheduler/cron.js";
import { createScheduler } from "./scheduler/runner.js";
import { staleTimeZoneWarning } from "./scheduler/tzdata.js";

// Serving the platforms: one HTTP server, the scheduler, probes and metrics, and a shutdown
// that lets work under way finish.

const DAY_MS = 86_400_000;

/** Reminders, digests, agendas and summaries, posted through each running platform's Notifier. */
export function startScheduler(
  app: App,
  config: Config,
  notifiers: Notifier[],
  signal?: AbortSignal,
): RunningScheduler {
  const warning = staleTimeZoneWarning();
  if (warning) app.logger.warn({}, warning);
  const scheduler = createScheduler({
    store: app.store,
    i18n: app.i18n,
    clock: app.clock,
    logger: app.logger,
    notifiers,
    graceMs: config.scheduler.graceHours * 3_600_000,
    signal,
    prune: (now) => {
      const before = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
      return createOpsRepository(app.database.db).prune({
        deliveriesBefore: before(config.retention.deliveriesDays),
        requestKeysBefore: before(config.retention.requestKeysDays),
      });
    },
  });
  const running = startCron(scheduler, {
    expression: config.scheduler.cron,
    logger: app.logger,
    metrics: app.metrics,
  });
  app.logger.info(
    { platforms: notifiers.map((n) => n.platform), graceHours: config.scheduler.graceHours },
    "scheduler started",
  );
  return running;
}

/** The database as the log may name it: a file path, or a PostgreSQL URL without its password. */
function storeName(url: string): string {
  if (!/^postgres(ql)?:\/\//.test(url)) return url;
  const parsed = new URL(url);
  parsed.password = "";
  return parsed.toString();
}

function shutdownSignal(): Promise<string> {
  return new Promise((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const)
      process.once(signal, () => resolve(signal));
  });
}

/**
 * Serves the configured platforms on one HTTP server until SIGINT/SIGTERM.
 * Resolves false when no platform is configured, so `start` falls back to the console.
 */
export async function serve(base: App, config: Config): Promise<boolean> {
  if (!config.slack && !config.teams) return false;
  const { logger } = base;
  const drain = createDrain();
  // Adapters get the counted router, so shutdown knows which commands are still running.
  const app: App = { ...base, router: drain.track(base.router) };
  const ops = createOpsRepository(app.database.db);
  let stopping = false;
  app.metrics.watch({
    pendingDeliveries: () => ops.pendingDeliveries(),
    secondsSinceLastTick: async () => {
      const last = await ops.lastTick();
      return last ? (app.clock.now().getTime() - Date.parse(last)) / 1000 : null;
    },
    pool: () => app.database.pool(),
  });

  const http = createHttpServer(logger);
  addReadiness(http, async () =>
    stopping ? { ready: false, reason: "shutting down" } : readiness(app.database.db),
  );
  let metricsHttp: HttpServer | null = null;
  if (config.ops.metricsPort === null) addMetrics(http, app.metrics, config.ops.metricsToken);
  else {
    metricsHttp = createHttpServer(logger);
    addMetrics(metricsHttp, app.metrics, config.ops.metricsToken);
  }

  const platforms: string[] = [];
  const stops: (() => Promise<void>)[] = [];
  const notifiers: Notifier[] = [];
  if (config.slack) {
    // HTTP mode serves POST /slack/events on `http`; Socket Mode connects out on start. Each
    // platform's SDK is loaded only when that platform is configured (botbuilder alone takes
    // most of a second to load).
    const { createSlackAdapter } = await import("./adapters/slack/slack.adapter.js");
    const slack = await createSlackAdapter({
      router: app.router,
      i18n: app.i18n,
      logger: app.logger,
      metrics: app.metrics,
      queue: app.queue,
      clock: app.clock,
      config: config.slack,
      http,
      track: drain.run,
    });
    await slack.start();
    stops.push(() => slack.stop());
    notifiers.push(slack.notifier);
    platforms.push(`slack-${slack.mode}`);
  }
  if (config.teams) {
    const { createTeamsAdapter } = await import("./adapters/teams/teams.adapter.js");
    const teams = createTeamsAdapter({
      router: app.router,
      queue: app.queue,
      metrics: app.metrics,
      directory: createDirectory(app.store, "teams", app.clock),
      i18n: app.i18n,
      logger,
      settings: config.teams,
    });
    http.route("POST", "/api/messages", teams.handler);
    notifiers.push(teams.notifier);
    platforms.push("teams");
    if (config.teams.allowUnauthenticated)
      logger.warn(
        "TEAMS RUNS UNAUTHENTICATED (TEAMS_ALLOW_UNAUTHENTICATED=true): /api/messages accepts unsigned requests from this machine, so anyone here can act as any Teams user. For local testing only; set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD for real use.",
      );
  }
  http.routePrefix(
    "GET",
    CALENDAR_PREFIX,
    calendarRoute({
      store: app.store,
      i18n: app.i18n,
      clock: app.clock,
      uidDomain: new URL(config.publicUrl).hostname,
    }),
  );
  const port = await http.listen(config.port, config.host);
  const metricsPort = metricsHttp
    ? await metricsHttp.listen(config.ops.metricsPort ?? 0, config.host)
    : port;
  const halt = new AbortController();
  const scheduler =
    config.scheduler.enabled === false ? null : startScheduler(app, config, notifiers, halt.signal);
  logger.info(
    {
      port,
      host: config.host ?? "all interfaces",
      metricsPort,
      platforms,
      store: { kind: app.database.kind, at: storeName(config.databaseUrl) },
      scheduler: scheduler !== null,
    },
    "listening",
  );

  const signal = await shutdownSignal();
  const graceMs = config.ops.shutdownGraceMs;
  const deadline = Date.now() + graceMs;
  const left = () => Math.max(0, deadline - Date.now());
  stopping = true;
  logger.info({ signal, graceMs, commandsUnderWay: drain.active }, "shutting down");
  // New connections are refused at once; requests and commands under way get the grace period.
  // The scheduler starts no new post; one under way is finished and recorded (or, if cut, its
  // lease marks it for reconciling before any second attempt).
  halt.abort();
  const closing = http.close(graceMs);
  const finished = await drain.idle(graceMs);
  await Promise.race([scheduler?.stop(), new Promise((r) => setTimeout(r, left()).unref())]);
  await closing;
  await metricsHttp?.close(0);
  for (const stop of stops) await stop();
  logger.info({ finished, commandsCut: drain.active }, "stopped");
  return true;
}
