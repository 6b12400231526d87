import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { renderText } from "./adapters/console/to-text.js";
import { type App, systemActor } from "./app.js";
import { describeImport } from "./core/annex/describe.js";
import { applyImport, planImport } from "./core/annex/import.js";
import type { Documents } from "./core/documents.js";
import { BotError } from "./core/errors.js";
import {
  REPORT_FORMATS,
  type ReportFormat,
  reportFile,
  TRACKER_FORMATS,
  type TrackerFormat,
  trackerFile,
} from "./core/report/files.js";
import { defaultPeriod, type ReportPeriod, yearPeriod } from "./core/report/model.js";
import { LANGUAGES, type Language } from "./core/tracker/types.js";

// `export`, `report` and `import-annex` on the command line: the operator's side of the
// documents the bot also sends in chat.

export interface DocumentOptions {
  codes: string[];
  lang?: string;
  format?: string;
  year?: string;
  since?: string;
  out?: string;
}

type Io = { out: NodeJS.WritableStream; err: NodeJS.WritableStream };

function fail(io: Io, message: string): number {
  io.err.write(`${message}\n`);
  return 2;
}

function write(io: Io, content: string | Uint8Array, out: string | undefined): void {
  if (out) writeFileSync(out, content);
  else io.out.write(content);
}

function periodOf(options: DocumentOptions, now: Date): ReportPeriod | string | null {
  if (options.year !== undefined) {
    const year = Number(options.year);
    if (!Number.isInteger(year) || year < 2004 || year > 2100)
      return "--year must be a year such as 2017";
    return yearPeriod(year);
  }
  if (options.since !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(options.since) || Number.isNaN(Date.parse(options.since)))
      return "--since must be a date such as 2017-11-24";
    return { from: new Date(options.since).toISOString(), to: now.toISOString() };
  }
  return null;
}

export async function documentCommand(
  app: App,
  documents: Documents,
  command: "export" | "report",
  options: DocumentOptions,
  io: Io,
): Promise<number> {
  const lang = (options.lang ?? "en") as Language;
  if (!LANGUAGES.includes(lang)) return fail(io, `--lang must be one of ${LANGUAGES.join(", ")}`);
  const all = await app.store.groups.all();
  const codes = options.codes.map((c) => c.toUpperCase());
  const unknown = codes.filter((c) => !all.some((g) => g.code === c));
  if (unknown.length > 0)
    return fail(
      io,
      `No working group ${unknown.join(", ")}. Known: ${all.map((g) => g.code).join(", ")}`,
    );
  const groups = codes.length ? all.filter((g) => codes.includes(g.code)) : all;
  const l = app.i18n.localizer(lang);
  const now = app.clock.now();
  const deps = { store: app.store, i18n: app.i18n, documents };
  if (command === "export") {
    const format = (options.format ?? "csv") as TrackerFormat;
    if (!TRACKER_FORMATS.includes(format))
      return fail(
        io,
        `--format must be one of ${TRACKER_FORMATS.join(", ")} (export --format xlsx --out tracker.xlsx)`,
      );
    const file = await trackerFile(deps, l, groups, format, now.toISOString());
    write(io, file.content, options.out);
    return 0;
  }
  const format = (options.format ?? "md") as ReportFormat;
  if (!REPORT_FORMATS.includes(format))
    return fail(
      io,
      `--format must be one of ${REPORT_FORMATS.join(", ")} (report --format html --out report.html)`,
    );
  const period = periodOf(options, now) ?? (await defaultPeriod(app.store, now));
  if (typeof period === "string") return fail(io, period);
  const file = await reportFile(deps, l, groups, period, format, now.toISOString());
  if (!file) return fail(io, l.t("report:no_browser"));
  write(io, file.content, options.out);
  return 0;
}

/** `import-annex FILE [--apply]`: the plan always; the change only with --apply. */
export async function importAnnexCommand(
  app: App,
  documents: Documents,
  path: string | undefined,
  options: { apply: boolean; lang?: string },
  io: Io,
): Promise<number> {
  if (!path)
    return fail(io, "import-annex needs a file: cmp-bot import-annex tracker.xlsx [--apply]");
  const lang = (options.lang ?? "en") as Language;
  if (!LANGUAGES.includes(lang)) return fail(io, `--lang must be one of ${LANGUAGES.join(", ")}`);
  const l = app.i18n.localizer(lang);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch {
    return fail(io, `Cannot read ${path}.`);
  }
  const at = app.clock.now().toISOString();
  try {
    const sheets = await documents.readTable(path, bytes);
    const groups = await app.store.groups.all();
    const plan = await planImport(
      app.store,
      app.i18n,
      l,
      basename(path),
      sheets,
      groups,
      at.slice(0, 10),
    );
    if (options.apply) await applyImport(app.store, await systemActor(app.store, at), plan, at);
    io.out.write(`${renderText(describeImport(l, plan, options.apply))}\n`);
    return 0;
  } catch (error) {
    if (error instanceof BotError) return fail(io, l.t(error.key, error.vars));
    throw error;
  }
}
