import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import type { SheetSpec, TableSheet } from "../core/documents.js";
import { BotError } from "../core/errors.js";

// XLSX through exceljs, CSV through csv-parse: the only files that know those libraries.

/** A workbook of text cells: frozen, bold header row, set widths, wrapped cells, A4 landscape. */
export async function writeWorkbook(sheets: SheetSpec[]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "CMP bot";
  for (const spec of sheets) {
    const sheet = workbook.addWorksheet(spec.name, {
      state: spec.hidden ? "veryHidden" : "visible",
      views: [{ state: "frozen", ySplit: 1 }],
      pageSetup: {
        paperSize: 9, // A4
        orientation: "landscape",
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        printTitlesRow: "1:1",
      },
    });
    sheet.columns = spec.widths.map((width) => ({ width }));
    // Cells are set as plain strings: exceljs writes a formula only from { formula }, never from
    // text, so "=1+1" typed by someone stays text.
    sheet.addRow(spec.header).font = { bold: true };
    for (const row of spec.rows) sheet.addRow(row);
    sheet.eachRow((row) => {
      row.alignment = { wrapText: true, vertical: "top" };
    });
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    // Rich text, hyperlinks and formulas: what the cell shows, never what it computes from.
    if ("richText" in value) return value.richText.map((r) => r.text).join("");
    if ("text" in value && typeof value.text === "string") return value.text;
    if ("result" in value && value.result !== undefined)
      return cellText(value.result as ExcelJS.CellValue);
  }
  return "";
}

async function readXlsx(bytes: Uint8Array): Promise<TableSheet[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  } catch {
    throw new BotError("import:unreadable", {}, "examples:import");
  }
  return workbook.worksheets.map((sheet) => {
    const rows: string[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row, number) => {
      const values: string[] = [];
      for (let c = 1; c <= sheet.columnCount; c += 1) values.push(cellText(row.getCell(c).value));
      rows[number - 1] = values;
    });
    for (let i = 0; i < rows.length; i += 1) rows[i] ??= [];
    return { name: sheet.name, rows };
  });
}

function readCsv(bytes: Uint8Array): TableSheet[] {
  try {
    const rows: string[][] = parse(Buffer.from(bytes), {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: false,
    });
    return [{ name: "CSV", rows }];
  } catch {
    throw new BotError("import:unreadable", {}, "examples:import");
  }
}

/** The sheets of an .xlsx or .csv file, known by its name and its first bytes. */
export async function readTable(filename: string, bytes: Uint8Array): Promise<TableSheet[]> {
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b; // "PK": XLSX is a zip
  if (/\.xlsx$/i.test(filename) && zip) return readXlsx(bytes);
  if (/\.csv$/i.test(filename) && !zip) return readCsv(bytes);
  throw new BotError("import:unsupported", { name: filename }, "examples:import");
}
