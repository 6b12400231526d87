import { trackerCsv, trackerMarkdown, trackerSheets } from "../annex/formats.js";
import type { Documents } from "../documents.js";
import type { I18n, Localizer } from "../i18n.js";
import type { StoreView } from "../ports.js";
import type { WorkingGroup } from "../tracker/types.js";
import { reportDocument } from "./document.js";
import { reportHtml } from "./html.js";
import { reportMarkdown } from "./markdown.js";
import type { ReportPeriod } from "./model.js";

// The documents people ask for, as files: the same code serves chat and the command line.

export const REPORT_FORMATS = ["md", "html", "pdf"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export const TRACKER_FORMATS = ["csv", "xlsx", "md"] as const;
export type TrackerFormat = (typeof TRACKER_FORMATS)[number];

export interface FileOut {
  filename: string;
  mimeType: string;
  content: string | Uint8Array;
}

export interface DocumentDeps {
  store: StoreView;
  i18n: I18n;
  documents: Documents;
}

const MIME: Record<ReportFormat | TrackerFormat, string> = {
  md: "text/markdown; charset=utf-8",
  html: "text/html; charset=utf-8",
  pdf: "application/pdf",
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

const scopeName = (groups: WorkingGroup[]) =>
  groups.length === 1 && groups[0] ? groups[0].code.toLowerCase() : "all";

/** The annual report; null for a PDF when no browser is installed (the HTML still works). */
export async function reportFile(
  deps: DocumentDeps,
  l: Localizer,
  groups: WorkingGroup[],
  period: ReportPeriod,
  format: ReportFormat,
  at: string,
): Promise<FileOut | null> {
  const doc = await reportDocument(deps.store, l, groups, period, at);
  const filename = `cmp-report-${scopeName(groups)}-${period.from.slice(0, 10)}-${l.lang}.${format}`;
  if (format === "md") return { filename, mimeType: MIME.md, content: reportMarkdown(doc) };
  const html = reportHtml(doc);
  if (format === "html") return { filename, mimeType: MIME.html, content: html };
  const pdf = await deps.documents.pdf(html);
  return pdf ? { filename, mimeType: MIME.pdf, content: pdf } : null;
}

/** Annex A, the tracker, as CSV, XLSX or Markdown; `rows` counts the commitments. */
export async function trackerFile(
  deps: DocumentDeps,
  l: Localizer,
  groups: WorkingGroup[],
  format: TrackerFormat,
  at: string,
): Promise<FileOut & { rows: number }> {
  const filename = `cmp-tracker-${scopeName(groups)}-${at.slice(0, 10)}.${format}`;
  if (format === "csv") {
    const { csv, rows } = await trackerCsv(deps.store, l, groups);
    return { filename, mimeType: MIME.csv, content: csv, rows };
  }
  if (format === "md") {
    const { text, rows } = await trackerMarkdown(deps.store, l, groups, l.t("export:title"));
    return { filename, mimeType: MIME.md, content: text, rows };
  }
  const { sheets, rows } = await trackerSheets(
    deps.store,
    l,
    (lang) => deps.i18n.localizer(lang),
    groups,
  );
  return { filename, mimeType: MIME.xlsx, content: await deps.documents.workbook(sheets), rows };
}
