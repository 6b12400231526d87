import { parseArgs } from "node:util";
import { type App, systemActor } from "./app.js";
import { documentCommand, importAnnexCommand } from "./cli-documents.js";
import { backup, restore } from "./db/backup.js";
import { importData, readImportFile } from "./import/yaml-import.js";

// The command line: what was asked (parseCli), and the one-shot tasks that need no platform
// (migrate, import, export, report, import-annex; the documents in cli-documents.ts). Running the
// bot itself is main.ts's.

export const USAGE = `Usage: cmp-bot <command> [options]

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
  backup FILE           copy the SQLite database to FILE while the bot runs (checked)
  restore FILE          replace the SQLite database with FILE (checked first; stop the bot)
  help                  this text`;

export type CliRequest =
  | { command: "help" }
  | { command: "start" | "console"; as?: string; channel?: string }
  | {
      command: Task;
      args: string[];
      lang?: string;
      year?: string;
      since?: string;
      format?: string;
      apply?: boolean;
      out?: string;
    }
  | { command: "backup"; file: string | undefined }
  | { command: "restore"; file: string | undefined }
  | { command: "unknown"; given: string };

const TASKS = ["migrate", "import", "export", "report", "import-annex"] as const;
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
      since: { type: "string" },
      format: { type: "string" },
      apply: { type: "boolean" },
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
      since: values.since,
      format: values.format,
      apply: values.apply,
      out: values.out,
    };
  return { command: "unknown", given: command };
}

const io = { out: process.stdout, err: process.stderr };
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
    case "report":
      return documentCommand(app, app.documents, command, { codes: rest, ...values }, io);
    case "import-annex":
      return importAnnexCommand(
        app,
        app.documents,
        rest[0],
        { apply: values.apply === true, lang: values.lang },
        io,
      );
  }
}
