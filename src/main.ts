import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { runConsole } from "./adapters/console/console.adapter.js";
import { createConsoleNotifier } from "./adapters/console/console.notifier.js";
import { type App, createApp, createLogger, systemActor } from "./app.js";
import { type Config, ConfigError, loadDotEnv, parseConfig } from "./config.js";
import { trackerCsv } from "./core/commands/export.js";
import { annualReportDraft } from "./core/report/annual-report.js";
import { LANGUAGES, type Language } from "./core/tracker/types.js";
import { BackupError, backup, restore } from "./db/backup.js";
import { ImportError, importData, readImportFile } from "./import/yaml-import.js";
import type { RunningScheduler } from "./scheduler/cron.js";
import { serve, startScheduler } from "./serve.js";

// The composition root and the command-line interface: the only place that knows everything.

const USAGE = `Usage: cmp-bot <command> [options]

Commands:
  start                 run the bot (the console when no platform is configured)
  console [--as KEY] [--channel ID]
                        type commands as a person (default: the local admin)
  migrate               apply database migrations
  import FILE           load groups, people, channels and commitments from YAML (idempotent)
  export [WG] [--lang en|es|fr] [--out FILE]
                        the tracker as CSV with Annex A's columns
  report [WG…] [--year YYYY] [--lang en|es|fr] [--out FILE]
                        a draft of the annual report (Markdown), one chapter per group
  backup FILE           copy the SQLite database to FILE while the bot runs (checked)
  restore FILE          replace the SQLite database with FILE (checked first; stop the bot)
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

// The scheduler runs alongside the platforms unless CMP_SCHEDULER=false; in the console only
// with CMP_SCHEDULER=true.

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

async function backupCommand(
  command: "backup" | "restore",
  [file]: string[],
  config: Config,
): Promise<number> {
  if (!file) {
    process.stderr.write(`${command} needs a file: cmp-bot ${command} backups/cmp-2026-11-30.db\n`);
    return 2;
  }
  if (command === "backup") {
    const { pages } = await backup(config.databaseUrl, file);
    process.stdout.write(`Backed up ${config.databaseUrl} to ${file} (${pages} pages, checked).\n`);
  } else {
    const { kept } = restore(config.databaseUrl, file);
    process.stdout.write(
      `Restored ${config.databaseUrl} from ${file}.${kept ? ` The previous database is kept as ${kept}.` : ""}\n`,
    );
  }
  return 0;
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
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command = "start", ...rest] = positionals;
  if (values.help || command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // The console keeps its screen for replies; serving a platform logs what it does.
  const serving = command === "start" && (config.slack !== null || config.teams !== null);
  const interactiveConsole = !serving && (command === "console" || command === "start");
  const logger = createLogger(config.logLevel, interactiveConsole ? "warn" : "info");
  // Before the app opens (and migrates) the database: a restore replaces the file.
  if (command === "backup" || command === "restore") return backupCommand(command, rest, config);
  const offset = config.ops.clockOffsetMs;
  const app = await createApp({
    databaseUrl: config.databaseUrl,
    logger,
    clock: { now: () => new Date(Date.now() + offset) },
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
      case "report": {
        const lang = (values.lang ?? "en") as Language;
        if (!LANGUAGES.includes(lang)) {
          process.stderr.write(`--lang must be one of ${LANGUAGES.join(", ")}\n`);
          return 2;
        }
        const all = await app.store.groups.all();
        const codes = rest.map((c) => c.toUpperCase());
        const unknown = codes.filter((c) => !all.some((g) => g.code === c));
        if (unknown.length > 0) {
          process.stderr.write(
            `No working group ${unknown.join(", ")}. Known: ${all.map((g) => g.code).join(", ")}\n`,
          );
          return 2;
        }
        const groups = codes.length ? all.filter((g) => codes.includes(g.code)) : all;
        const l = app.i18n.localizer(lang);
        const now = app.clock.now();
        let text: string;
        if (command === "export") text = (await trackerCsv(app.store, l, groups)).csv;
        else {
          const year = Number(values.year ?? now.getUTCFullYear());
          if (!Number.isInteger(year) || year < 2004 || year > 2100) {
            process.stderr.write("--year must be a year such as 2017\n");
            return 2;
          }
          text = await annualReportDraft(app.store, l, groups, year, now.toISOString());
        }
        if (values.out) writeFileSync(values.out, text);
        else process.stdout.write(text);
        return 0;
      }
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
