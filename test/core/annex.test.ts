import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trackerFile } from "../../src/core/report/files.js";
import { LANGUAGES, type Language } from "../../src/core/tracker/types.js";
import { createDocuments } from "../../src/documents/documents.js";
import { readImportFile } from "../../src/import/yaml-import.js";
import { createHarness, type Harness } from "../support/harness.js";

// Annex A of the 2017 demo data, exported as CSV and XLSX and read back with a real CSV parser
// and exceljs: every initiative, field by field, in the three languages.

const demo = readImportFile("examples/cmp-2017.yaml");
/** The groups as exports list them, by code. */
const groupsByCode = [...demo.groups].sort((a, b) => a.code.localeCompare(b.code));
const documents = createDocuments({ chromiumPath: null });
const locale = (lang: Language, ns: string) =>
  JSON.parse(readFileSync(`locales/${lang}/${ns}.json`, "utf8"));

/** What Annex A must say for each demo initiative, computed from the YAML itself. */
function expected(lang: Language): string[][] {
  const common = locale(lang, "common");
  const names = new Map(demo.people.map((p) => [p.key, p.name]));
  return groupsByCode.flatMap((g) =>
    g.commitments.map((c, index) => [
      `${g.code}-${index + 1}`,
      g.code,
      c.title,
      [
        ...(c.description ? [c.description] : []),
        ...c.milestones.map((m, i) => `${i + 1}. ${m.title}${m.due ? ` (${m.due.trim()})` : ""}`),
      ].join("\n"),
      c.due?.trim() ?? "",
      common.status[c.status],
      c.owners
        .map((o) =>
          "person" in o
            ? (names.get(o.person) ?? "")
            : `${o.org}${o.country ? ` (${common.country[o.country]})` : ""}${o.tbc ? ` ${common.tbc}` : ""}`,
        )
        .join("; "),
      c.comments ?? "",
    ]),
  );
}

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ data: demo, now: "2017-12-01T15:00:00Z" });
});
afterAll(() => h.close());

async function exportAs(lang: Language, format: "csv" | "xlsx") {
  const groups = await h.app.store.groups.all();
  return trackerFile(
    { store: h.app.store, i18n: h.app.i18n, documents },
    h.app.i18n.localizer(lang),
    groups,
    format,
    h.clock.now().toISOString(),
  );
}

function sheetRows(sheet: ExcelJS.Worksheet): string[][] {
  const rows: string[][] = [];
  sheet.eachRow((row) => {
    const cells: string[] = [];
    for (let c = 1; c <= 8; c += 1) cells.push(String(row.getCell(c).value ?? ""));
    rows.push(cells);
  });
  return rows;
}

describe.each(LANGUAGES)("Annex A of the 2017 demo data in %s", (lang) => {
  const header = Object.values(locale(lang, "export").column);
  const want = expected(lang);

  it("has every initiative in the CSV, field by field", async () => {
    const file = await exportAs(lang, "csv");
    const rows: string[][] = parse(String(file.content));
    expect(rows[0]).toEqual(header);
    expect(rows.length - 1).toBe(want.length);
    expect(want.length).toBeGreaterThan(30);
    want.forEach((fields, i) => {
      header.forEach((column, c) => {
        expect({ row: i + 1, column, value: rows[i + 1]?.[c] }).toEqual({
          row: i + 1,
          column,
          value: fields[c],
        });
      });
    });
  });

  it("has every initiative in the workbook: all groups, then a sheet per group that prints", async () => {
    const file = await exportAs(lang, "xlsx");
    expect(file.filename).toMatch(/^cmp-tracker-all-2017-12-01\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(file.content as Uint8Array) as unknown as ExcelJS.Buffer);
    const [all, ...groupSheets] = book.worksheets.filter((s) => s.state === "visible");
    expect(all?.name).toBe(locale(lang, "export").all_groups_sheet);
    expect(groupSheets.map((s) => s.name)).toEqual(groupsByCode.map((g) => g.code));
    expect(sheetRows(all as ExcelJS.Worksheet)).toEqual([header, ...want]);
    for (const [index, sheet] of groupSheets.entries()) {
      const group = groupsByCode[index];
      const rows = sheetRows(sheet);
      // The header in each of the group's languages, stacked.
      const initiative = rows[0]?.[2] ?? "";
      for (const l of group?.languages ?? [])
        expect(initiative.split(" / ")).toContain(locale(l, "export").column.initiative);
      expect(rows.slice(1)).toEqual(want.filter((r) => r[1] === group?.code));
      expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
      expect(sheet.pageSetup).toMatchObject({ orientation: "landscape", fitToWidth: 1 });
      expect(sheet.getColumn(4).width).toBeGreaterThan(30);
      expect(sheet.getRow(2).getCell(4).alignment).toMatchObject({ wrapText: true });
    }
  });
});
