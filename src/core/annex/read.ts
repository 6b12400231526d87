import type { TableSheet } from "../documents.js";
import type { I18n } from "../i18n.js";
import { fromSheetText } from "../render/inert.js";
import { LANGUAGES } from "../tracker/types.js";
import { ANNEX_FIELDS, type AnnexField, BASELINE_SHEET } from "./rows.js";

// Reading an edited Annex A back: find the header row (in any of the three languages, or the
// stacked "Initiative / Iniciativa" of a group sheet), then each row's cells by column.

export interface ReadRow {
  sheet: string;
  /** 1-based, as the spreadsheet shows it. */
  line: number;
  cells: Partial<Record<AnnexField, string>>;
  /** Column letters, for pointing at a cell in a problem. */
  columns: Partial<Record<AnnexField, string>>;
}

export interface ReadProblem {
  sheet: string;
  line: number | null;
  column: string | null;
  key: string;
  vars?: Record<string, unknown>;
}

const normal = (text: string) => text.trim().toLowerCase();

export function columnLetter(index: number): string {
  let n = index + 1;
  let out = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** Every spelling of each column's header, in the three languages. */
function headerNames(i18n: I18n): Map<string, AnnexField> {
  const names = new Map<string, AnnexField>();
  for (const lang of LANGUAGES)
    for (const field of ANNEX_FIELDS)
      names.set(normal(i18n.localizer(lang).t(`export:column.${field}`)), field);
  return names;
}

function headerField(names: Map<string, AnnexField>, cell: string): AnnexField | null {
  for (const part of cell.split(" / ")) {
    const field = names.get(normal(part));
    if (field) return field;
  }
  return null;
}

/** A cell as the secretariat meant it: the formula guard removed, line ends unified, trimmed. */
export function cellValue(raw: string | undefined): string {
  return fromSheetText((raw ?? "").replace(/\r\n?/g, "\n")).trim();
}

export function readSheets(
  i18n: I18n,
  sheets: TableSheet[],
): { rows: ReadRow[]; problems: ReadProblem[]; baseline: Map<string, ReadRow["cells"]> } {
  const names = headerNames(i18n);
  const rows: ReadRow[] = [];
  const problems: ReadProblem[] = [];
  const baseline = new Map<string, ReadRow["cells"]>();
  for (const sheet of sheets) {
    if (sheet.name === BASELINE_SHEET) {
      for (const raw of sheet.rows.slice(1)) {
        const cells = Object.fromEntries(ANNEX_FIELDS.map((k, c) => [k, cellValue(raw[c])]));
        if (cells.id) baseline.set(cells.id, cells);
      }
      continue;
    }
    // The header is the first of the first ten rows naming at least the initiative column.
    let headerAt = -1;
    let map = new Map<number, AnnexField>();
    for (let r = 0; r < Math.min(10, sheet.rows.length) && headerAt < 0; r += 1) {
      const found = new Map<number, AnnexField>();
      (sheet.rows[r] ?? []).forEach((cell, c) => {
        const field = headerField(names, cell);
        if (field && ![...found.values()].includes(field)) found.set(c, field);
      });
      if ([...found.values()].includes("initiative")) {
        headerAt = r;
        map = found;
      }
    }
    if (headerAt < 0) {
      problems.push({
        sheet: sheet.name,
        line: null,
        column: null,
        key: "import:problem.no_header",
      });
      continue;
    }
    for (let r = headerAt + 1; r < sheet.rows.length; r += 1) {
      const raw = sheet.rows[r] ?? [];
      if (raw.every((cell) => cellValue(cell) === "")) continue;
      const row: ReadRow = { sheet: sheet.name, line: r + 1, cells: {}, columns: {} };
      for (const [c, field] of map) {
        row.cells[field] = cellValue(raw[c]);
        row.columns[field] = columnLetter(c);
      }
      rows.push(row);
    }
  }
  return { rows, problems, baseline };
}
