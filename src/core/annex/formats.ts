import type { SheetSpec } from "../documents.js";
import type { Localizer } from "../i18n.js";
import type { StoreView } from "../ports.js";
import { csvCell, escapeMarkdown as markdownText, sheetText } from "../render/inert.js";
import type { Commitment, Language, WorkingGroup } from "../tracker/types.js";
import { ANNEX_FIELDS, type AnnexField, annexRowsByGroup, BASELINE_SHEET } from "./rows.js";

// Annex A as files: CSV (one table), Markdown (a table per group) and the sheets of an XLSX
// workbook (an "All groups" sheet, then one per group). Every cell is inert text.

const header = (l: Localizer) => ANNEX_FIELDS.map((k) => l.t(`export:column.${k}`));

/** The tracker in Annex A's columns, one row per commitment, in the reader's language. */
export async function trackerCsv(
  store: StoreView,
  l: Localizer,
  groups: WorkingGroup[],
): Promise<{ csv: string; rows: number }> {
  const lines = [header(l).map(csvCell).join(",")];
  for await (const { rows } of annexRowsByGroup(store, l, groups))
    for (const row of rows) lines.push(ANNEX_FIELDS.map((k) => csvCell(row[k])).join(","));
  return { csv: `${lines.join("\r\n")}\r\n`, rows: lines.length - 1 };
}

/** One Markdown table (no ID or group columns, as in the report) per group. */
export function markdownTable(l: Localizer, rows: Record<AnnexField, string>[]): string[] {
  const fields = ANNEX_FIELDS.filter((k) => k !== "group");
  const cell = (text: string) => markdownText(text.replaceAll("\n", " / "));
  return [
    `| ${fields.map((k) => cell(l.t(`export:column.${k}`))).join(" | ")} |`,
    `|${fields.map(() => " --- ").join("|")}|`,
    ...rows.map((row) => `| ${fields.map((k) => cell(row[k])).join(" | ")} |`),
  ];
}

export async function trackerMarkdown(
  store: StoreView,
  l: Localizer,
  groups: WorkingGroup[],
  title: string,
): Promise<{ text: string; rows: number }> {
  const lines = [`# ${markdownText(title)}`, ""];
  let count = 0;
  for await (const { group, rows } of annexRowsByGroup(store, l, groups)) {
    count += rows.length;
    lines.push(`## ${markdownText(group.names[l.lang])} (${group.code})`, "");
    lines.push(...(rows.length ? markdownTable(l, rows) : [l.t("report:nothing_recorded")]), "");
  }
  return { text: lines.join("\n"), rows: count };
}

/** Column widths in characters, chosen so a sheet prints on landscape A4 with wrapped text. */
const WIDTHS: Record<AnnexField, number> = {
  id: 10,
  group: 9,
  initiative: 28,
  milestones: 44,
  timeline: 22,
  status: 16,
  participants: 32,
  comments: 36,
};

/** Headers in each of the group's languages, stacked: "Initiative / Iniciativa". */
function groupHeader(localizers: (lang: Language) => Localizer, languages: Language[]): string[] {
  return ANNEX_FIELDS.map((k) =>
    [...new Set(languages.map((lang) => localizers(lang).t(`export:column.${k}`)))].join(" / "),
  );
}

/** Excel refuses sheet names over 31 characters or with []:*?/\ in them. */
const sheetName = (name: string) => name.replace(/[[\]:*?/\\]/g, " ").slice(0, 31);

export async function trackerSheets(
  store: StoreView,
  l: Localizer,
  localizers: (lang: Language) => Localizer,
  groups: WorkingGroup[],
  keep?: (item: Commitment) => boolean,
): Promise<{ sheets: SheetSpec[]; rows: number }> {
  const widths = ANNEX_FIELDS.map((k) => WIDTHS[k]);
  const all: SheetSpec = {
    name: sheetName(l.t("export:all_groups_sheet")),
    header: header(l),
    rows: [],
    widths,
  };
  const sheets = [all];
  for await (const { group, rows } of annexRowsByGroup(store, l, groups, keep)) {
    const cells = rows.map((row) => ANNEX_FIELDS.map((k) => sheetText(row[k])));
    all.rows.push(...cells);
    sheets.push({
      name: sheetName(group.code),
      header: groupHeader(localizers, group.languages.length ? group.languages : [l.lang]),
      rows: cells,
      widths,
    });
  }
  sheets.push({
    name: BASELINE_SHEET,
    header: [...ANNEX_FIELDS],
    rows: all.rows,
    widths,
    hidden: true,
  });
  return { sheets, rows: all.rows.length };
}
