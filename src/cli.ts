import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { type App, systemActor } from "./app.js";
import { trackerCsv } from "./core/commands/export.js";
import { annualReportDraft } from "./core/report/annual-report.js";
import { LANGUAGES, type Language } from "./core/tracker/types.js";
import { backup, restore } from "./db/backup.js";
import { importData, readImportFile } from "./import/yaml-import.js";

// The command line: what was asked (parseCli), and the one-shot tasks that need no platform
// (migrate, import, export, report). Running the bot itself is main.ts's.

export const USAGE = `Usage: cmp-bot <command> [options]

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

export type CliRequest =
  | { command: "help" }
  | { command: "start" | "console"; as?: string; channel?: string }
  | { command: Task; args: string[]; lang?: string; year?: string; out?: string }
  | { command: "backup"; file: string | undefined }
  | { command: "restore"; file: string | undefined }
  | { command: "unknown"; given: string };

const TASKS = ["migrate", "import", "export", "report"] as const;
type Task = (typeof TASKS)[number];
export type TaskRequest = Extract<CliRequest, { command: Task }>;

export function parseCli(argv: string[]): CliRequest {
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
  const [command = "start", ...args] = positionals;
  if (values.help || command === "help") return { command: "help" };
  if (command === "start" || command === "console")
    return { command, as: values.as, channel: values.channel };
  if (command === "backup" || command === "restore") return { command, file: args[0] };
  if ((TASKS as readonly string[]).includes(command))
    return {
      command: command as Task,
      args,
      lang: values.lang,
      year: values.year,
      out: values.out,
    };
  return { command: "unknown", given: command };
}

/** `backup FILE` and `restore FILE`, which work on the database file, not through the app. */
export async function backupTask(
  request: Extract<CliRequest, { command: "backup" | "restore" }>,
  databaseUrl: string,
): Promise<number> {
  const { command, file } = request;
  if (!file) {
    process.stderr.write(`${command} needs a file: cmp-bot ${command} backups/cmp-2026-11-30.db\n`);
    return 2;
  }
  if (command === "backup") {
    const { pages } = await backup(databaseUrl, file);
    process.stdout.write(`Backed up ${databaseUrl} to ${file} (${pages} pages, checked).\n`);
  } else {
    const { kept } = restore(databaseUrl, file);
    process.stdout.write(
      `Restored ${databaseUrl} from ${file}.${kept ? ` The previous database is kept as ${kept}.` : ""}\n`,
    );
  }
  return 0;
}

/** Runs one task against an opened, migrated database; returns the exit code. */
export async function runTask(app: App, request: TaskRequest): Promise<number> {
  const { command, args: rest, ...values } = request;
  switch (command) {
    case "migrate":
      app.logger.info({ database: app.database.kind }, "migrations applied");
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
  }
}
