import { runConsole } from "./adapters/console/console.adapter.js";
import { createConsoleNotifier } from "./adapters/console/console.notifier.js";
import { createSlackAdapter } from "./adapters/slack/slack.adapter.js";
import { createTeamsAdapter } from "./adapters/teams/teams.adapter.js";
import { type App, createApp, createLogger, systemActor } from "./app.js";
import { parseCli, runTask, USAGE } from "./cli.js";
import { type Config, ConfigError, loadDotEnv, parseConfig } from "./config.js";
import type { Notifier } from "./core/ports.js";
import { CALENDAR_PREFIX, calendarRoute } from "./http/calendar.route.js";
import { createHttpServer } from "./http/server.js";
import { ImportError, importData, readImportFile } from "./import/yaml-import.js";
import { type RunningScheduler, startCron } from "./scheduler/cron.js";
import { createScheduler } from "./scheduler/runner.js";
import { staleTimeZoneWarning } from "./scheduler/tzdata.js";

// The composition root: the only place that knows everything. It reads the configuration, opens
// the database, builds the router and runs the platforms, the console or a command-line task
// (cli.ts).

async function loadDemoIfEmpty(app: App, config: Config): Promise<void> {
  if (config.demoData === false) return;
  if ((await app.store.groups.all()).length > 0) return;
  const now = app.clock.now();
  const report = await importData(
    app.store,
    readImportFile(config.demoFile),
    await systemActor(app.store, now.toISOString()),
    now,
  );
  app.logger.info({ ...report, file: config.demoFile }, "loaded demo data into an empty database");
}

// ---------------------------------------------------------------------------------------------
// Scheduler: reminders, digests, agendas and summaries, posted through the Notifier of each
// running platform. On alongside the platforms unless CMP_SCHEDULER=false; in the console only
// with CMP_SCHEDULER=true.

function startScheduler(app: App, config: Config, notifiers: Notifier[]): RunningScheduler {
  const warning = staleTimeZoneWarning();
  if (warning) app.logger.warn({}, warning);
  const scheduler = createScheduler({
    store: app.store,
    i18n: app.i18n,
    clock: app.clock,
    logger: app.logger,
    notifiers,
    graceMs: config.scheduler.graceHours * 3_600_000,
  });
  const running = startCron(scheduler, { expression: config.scheduler.cron, logger: app.logger });
  app.logger.info(
    { platforms: notifiers.map((n) => n.platform), graceHours: config.scheduler.graceHours },
    "scheduler started",
  );
  return running;
}

async function consoleScheduler(
  app: App,
  config: Config,
  user: string,
): Promise<RunningScheduler | null> {
  if (config.scheduler.enabled !== true) return null;
  const language = (await app.store.people.byHandle(user))?.language ?? "en";
  const notifier = createConsoleNotifier({
    output: process.stdout,
    l: app.i18n.localizer(language),
  });
  return startScheduler(app, config, [notifier]);
}

// ---------------------------------------------------------------------------------------------

async function consoleMode(
  app: App,
  config: Config,
  user: string,
  channel: string | undefined,
): Promise<void> {
  await loadDemoIfEmpty(app, config);
  const scheduler = await consoleScheduler(app, config, user);
  try {
    await runConsole({
      router: app.router,
      store: app.store,
      i18n: app.i18n,
      user,
      channel,
      input: process.stdin,
      output: process.stdout,
      notes: process.stderr,
      interactive: Boolean(process.stdin.isTTY),
      now: () => app.clock.now(),
    });
  } finally {
    await scheduler?.stop();
  }
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
async function serve(app: App, config: Config): Promise<boolean> {
  const http = createHttpServer(app.logger);
  const platforms: string[] = [];
  const stops: (() => Promise<void>)[] = [];
  // Each platform's outbound side, for scheduled posts.
  const notifiers: Notifier[] = [];
  // Platform adapters register their routes on `http` here, each when its settings are present.
  if (config.slack) {
    // HTTP mode serves POST /slack/events on `http`; Socket Mode connects out on start.
    const slack = await createSlackAdapter({ app, config: config.slack, http });
    await slack.start();
    stops.push(() => slack.stop());
    notifiers.push(slack.notifier);
    platforms.push(`slack-${slack.mode}`);
  }
  if (config.teams) {
    const teams = createTeamsAdapter({
      router: app.router,
      store: app.store,
      i18n: app.i18n,
      clock: app.clock,
      logger: app.logger,
      settings: config.teams,
    });
    http.route("POST", "/api/messages", teams.handler);
    notifiers.push(teams.notifier);
    platforms.push("teams");
    if (config.teams.allowUnauthenticated)
      app.logger.warn(
        "TEAMS RUNS UNAUTHENTICATED (TEAMS_ALLOW_UNAUTHENTICATED=true): /api/messages accepts unsigned requests from this machine, so anyone here can act as any Teams user. For local testing only; set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD for real use.",
      );
  }
  if (platforms.length === 0) return false;
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
  app.logger.info({ port, host: config.host ?? "all interfaces", platforms }, "listening");
  const scheduler =
    config.scheduler.enabled === false ? null : startScheduler(app, config, notifiers);
  const signal = await shutdownSignal();
  app.logger.info({ signal }, "shutting down");
  await scheduler?.stop();
  await http.close();
  for (const stop of stops) await stop();
  return true;
}

async function main(argv: string[]): Promise<number> {
  loadDotEnv();
  const config = parseConfig(process.env);
  const request = parseCli(argv);
  if (request.command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (request.command === "unknown") {
    process.stderr.write(`Unknown command "${request.given}".\n\n${USAGE}\n`);
    return 2;
  }
  const interactiveConsole = request.command === "console" || request.command === "start";
  const logger = createLogger(config.logLevel, interactiveConsole ? "warn" : "info");
  const app = await createApp({
    databaseUrl: config.databaseUrl,
    logger,
    publicUrl: config.publicUrl,
  });
  try {
    if ("args" in request) return await runTask(app, request);
    if (request.command === "start" && (await serve(app, config))) return 0;
    await consoleMode(
      app,
      config,
      request.as ?? config.console.user,
      request.channel ?? config.console.channel,
    );
    return 0;
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Expected problems get one clear line; anything else keeps its stack for the operator.
    if (error instanceof ConfigError || error instanceof ImportError)
      process.stderr.write(`${error.message}\n`);
    else
      process.stderr.write(
        `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    process.exitCode = 1;
  },
);
