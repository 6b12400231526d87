import { runConsole } from "./adapters/console/console.adapter.js";
import { createConsoleNotifier } from "./adapters/console/console.notifier.js";
import { type App, consoleSpeaker, createApp, createLogger, systemActor } from "./app.js";
import { backupTask, parseCli, runTask, USAGE } from "./cli.js";
import { type Config, ConfigError, loadDotEnv, parseConfig } from "./config.js";
import { BackupError } from "./db/backup.js";
import { ImportError, importData, readImportFile } from "./import/yaml-import.js";
import type { RunningScheduler } from "./scheduler/cron.js";

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

// The scheduler runs alongside the platforms unless CMP_SCHEDULER=false (serve.ts); in the
// console only with CMP_SCHEDULER=true. serve.ts, with the platform SDKs behind it, is loaded
// only when it runs: the console and the one-shot tasks start in half the time without them.

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
  const { startScheduler } = await import("./serve.js");
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
    const speaker = await consoleSpeaker(app.store, user, app.clock.now().toISOString());
    if (!speaker)
      throw new ConfigError(
        `Unknown console user "${user}": use a person key from the imported data.`,
      );
    await runConsole({
      router: app.router,
      speaker,
      i18n: app.i18n,
      user,
      channel,
      input: process.stdin,
      output: process.stdout,
      filesDir: process.cwd(),
      interactive: Boolean(process.stdin.isTTY),
    });
  } finally {
    await scheduler?.stop();
  }
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
  // Before the app opens (and migrates) the database: a restore replaces the file.
  if (request.command === "backup" || request.command === "restore")
    return backupTask(request, config.databaseUrl);
  // The console keeps its screen for replies; serving a platform logs what it does.
  const serving = request.command === "start" && (config.slack !== null || config.teams !== null);
  const interactiveConsole =
    !serving && (request.command === "console" || request.command === "start");
  const logger = createLogger(config.logLevel, interactiveConsole ? "warn" : "info");
  const offset = config.ops.clockOffsetMs;
  const app = await createApp({
    databaseUrl: config.databaseUrl,
    logger,
    publicUrl: config.publicUrl,
    clock: { now: () => new Date(Date.now() + offset) },
    chromiumPath: config.chromiumPath,
    overdueReminders: config.scheduler.overdueReminders,
  });
  try {
    if ("args" in request) return await runTask(app, request);
    if (serving && (await (await import("./serve.js")).serve(app, config))) return 0;
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
    if (
      error instanceof ConfigError ||
      error instanceof ImportError ||
      error instanceof BackupError
    )
      process.stderr.write(`${error.message}\n`);
    else
      process.stderr.write(
        `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    process.exitCode = 1;
  },
);
