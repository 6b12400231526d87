import { parseArgs } from "node:util";
import { runConsole } from "./adapters/console/console.adapter.js";
import { createConsoleNotifier } from "./adapters/console/console.notifier.js";
import { createSlackAdapter } from "./adapters/slack/slack.adapter.js";
import { createTeamsAdapter } from "./adapters/teams/teams.adapter.js";
import { type App, createApp, createLogger, systemActor } from "./app.js";
import { documentCommand, importAnnexCommand } from "./cli/documents.js";
import { type Config, ConfigError, loadDotEnv, parseConfig } from "./config.js";
import type { Notifier } from "./core/ports.js";
import { CALENDAR_PREFIX, calendarRoute } from "./http/calendar.route.js";
import { createHttpServer } from "./http/server.js";
import { ImportError, importData, readImportFile } from "./import/yaml-import.js";
import { type RunningScheduler, startCron } from "./scheduler/cron.js";
import { createScheduler } from "./scheduler/runner.js";
import { staleTimeZoneWarning } from "./scheduler/tzdata.js";

// The composition root and the command-line interface: the only place that knows everything.

const USAGE = `Usage: cmp-bot <command> [options]

Commands:
  start                 run the bot (the console when no platform is configured)
  console [--as KEY] [--channel ID]
                        type commands as a person (default: the local admin)
  migrate               apply database migrations
  import FILE           load groups, people, channels and commitments from YAML (idempotent)
  export [WG…] [--format csv|xlsx|md] [--lang en|es|fr] [--out FILE]
                        Annex A, the tracker (CSV by default)
  report [WG…] [--year YYYY | --since YYYY-MM-DD] [--format md|html|pdf] [--lang en|es|fr] [--out FILE]
                        the annual report draft, one chapter per group (default period: since
                        the last annual meeting recorded, else this calendar year)
  import-annex FILE.xlsx|FILE.csv [--apply] [--lang en|es|fr]
                        what an edited tracker would add and change; --apply applies it
  help                  this text`;

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
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      as: { type: "string" },
      channel: { type: "string" },
      lang: { type: "string" },
      year: { type: "string" },
      since: { type: "string" },
      format: { type: "string" },
      apply: { type: "boolean" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command = "start", ...rest] = positionals;
  if (values.help || command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const interactiveConsole = command === "console" || command === "start";
  const logger = createLogger(config.logLevel, interactiveConsole ? "warn" : "info");
  const app = await createApp({
    databaseUrl: config.databaseUrl,
    logger,
    chromiumPath: config.chromiumPath,
  });
  try {
    switch (command) {
      case "start":
      case "console":
        if (command === "start" && (await serve(app, config))) return 0;
        await consoleMode(
          app,
          config,
          values.as ?? config.console.user,
          values.channel ?? config.console.channel,
        );
        return 0;
      case "migrate":
        logger.info({ database: app.database.kind }, "migrations applied");
        return 0;
      case "import": {
        const [file] = rest;
        if (!file) {
          process.stderr.write("import needs a file: cmp-bot import examples/cmp-2017.yaml\n");
          return 2;
        }
        const now = app.clock.now();
        const report = await importData(
          app.store,
          readImportFile(file),
          await systemActor(app.store, now.toISOString()),
          now,
        );
        process.stdout.write(
          `Imported ${file}: ${report.groups} groups, ${report.people} people; added ${report.commitmentsAdded} commitments, ${report.decisionsAdded} decisions, ${report.meetingsAdded} meetings.\n`,
        );
        return 0;
      }
      case "export":
      case "report":
        return await documentCommand(
          app,
          app.documents,
          command,
          { codes: rest, ...values },
          { out: process.stdout, err: process.stderr },
        );
      case "import-annex":
        return await importAnnexCommand(
          app,
          app.documents,
          rest[0],
          { apply: values.apply === true, lang: values.lang },
          { out: process.stdout, err: process.stderr },
        );
      default:
        process.stderr.write(`Unknown command "${command}".\n\n${USAGE}\n`);
        return 2;
    }
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
