import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderText } from "../../src/adapters/console/to-text.js";
import { systemActor } from "../../src/app.js";
import { describeImport } from "../../src/core/annex/describe.js";
import { applyImport, planImport } from "../../src/core/annex/import.js";
import { trackerFile } from "../../src/core/report/files.js";
import { createDocuments } from "../../src/documents/documents.js";
import { readImportFile } from "../../src/import/yaml-import.js";
import { createHarness, type Harness } from "../support/harness.js";

// The secretariat's round-trip: export, edit in a spreadsheet, import shows the diff, apply.

const documents = createDocuments({ chromiumPath: null });
let h: Harness;
beforeAll(async () => {
  h = await createHarness({
    data: readImportFile("examples/cmp-2017.yaml"),
    now: "2017-12-01T15:00:00Z",
  });
});
afterAll(() => h.close());

const deps = () => ({ store: h.app.store, i18n: h.app.i18n, documents });
const en = () => h.app.i18n.localizer("en");

async function exportTiiwg(format: "xlsx" | "csv" = "xlsx") {
  const groups = (await h.app.store.groups.all()).filter((g) => g.code === "TIIWG");
  return trackerFile(deps(), en(), groups, format, h.clock.now().toISOString());
}

async function load(bytes: Uint8Array) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  return book;
}

function values(sheet: ExcelJS.Worksheet): string[][] {
  const rows: string[][] = [];
  sheet.eachRow((row) => {
    const cells: string[] = [];
    for (let c = 1; c <= 8; c += 1) cells.push(String(row.getCell(c).value ?? ""));
    rows.push(cells);
  });
  return rows;
}

async function plan(name: string, bytes: Uint8Array) {
  const sheets = await documents.readTable(name, bytes);
  return planImport(
    h.app.store,
    h.app.i18n,
    en(),
    name,
    sheets,
    await h.app.store.groups.all(),
    "2017-12-01",
  );
}

describe("importing an edited Annex A", () => {
  it("changes nothing when the file comes back unedited, as XLSX or CSV", async () => {
    const xlsx = await plan("tracker.xlsx", (await exportTiiwg()).content as Uint8Array);
    expect(xlsx).toMatchObject({ changed: [], added: [], problems: [] });
    expect(xlsx.unchanged).toBe(9);
    const csv = await exportTiiwg("csv");
    const again = await plan("tracker.csv", new TextEncoder().encode(String(csv.content)));
    expect(again).toMatchObject({ changed: [], added: [], problems: [], unchanged: 9 });
  });

  it("shows exactly the four edits, applies them with audit rows, and exports the edited file back", async () => {
    const book = await load((await exportTiiwg()).content as Uint8Array);
    const sheet = book.getWorksheet("TIIWG") as ExcelJS.Worksheet;
    // Row 2 is TIIWG-1; columns: ID, group, initiative, milestones, timeline, status, participants, comments.
    sheet.getRow(3).getCell(6).value = "In progress";
    sheet.getRow(4).getCell(5).value = "March 2018 – September 2018 (tentative)";
    sheet.getRow(2).getCell(8).value = "Budget agreed on 28 November.";
    const added = [
      "",
      "TIIWG",
      "Export readiness webinar",
      "Two sessions, one per country.",
      "Q2 2018",
      "Introduction phase",
      "ProMexico (Mexico)",
      "",
    ];
    sheet.addRow(added);
    const edited = new Uint8Array(await book.xlsx.writeBuffer());
    const before = await h.count("audit_log");

    const shown = await plan("tracker-edited.xlsx", edited);
    expect(shown.problems).toEqual([]);
    expect(shown.added.map((a) => [a.group.code, a.title, a.timeline?.text])).toEqual([
      ["TIIWG", "Export readiness webinar", "Q2 2018"],
    ]);
    expect(
      shown.changed.flatMap((c) =>
        c.changes.map((x) => [`${c.item.groupCode}-${c.item.number}`, x.field, x.after]),
      ),
    ).toEqual([
      ["TIIWG-1", "comments", "Budget agreed on 28 November."],
      ["TIIWG-2", "status", "In progress"],
      ["TIIWG-3", "timeline", "March 2018 – September 2018 (tentative)"],
    ]);
    const text = renderText(describeImport(en(), shown, false));
    expect(text).toContain(
      "1 to add, 3 to change, 6 unchanged, 0 not readable. Nothing has been changed yet.",
    );
    expect(await h.count("audit_log")).toBe(before);

    await applyImport(
      h.app.store,
      await systemActor(h.app.store, "2017-12-01T15:00:00Z"),
      shown,
      "2017-12-01T15:00:00Z",
    );
    expect(await h.count("audit_log")).toBe(before + 4);
    const audit = await h.app.database.db
      .selectFrom("audit_log")
      .selectAll()
      .orderBy("id", "desc")
      .limit(4)
      .execute();
    for (const row of audit)
      expect(String(row.after_json)).toContain('"file":"tracker-edited.xlsx"');

    const again = values(
      (await load((await exportTiiwg()).content as Uint8Array)).getWorksheet(
        "TIIWG",
      ) as ExcelJS.Worksheet,
    );
    const want = values(sheet);
    // The new row now has its ID; everything else is the edited file, cell for cell.
    expect(again.at(-1)?.[0]).toBe("TIIWG-10");
    expect(again.slice(0, -1)).toEqual(want.slice(0, -1));
    expect(again.at(-1)?.slice(1)).toEqual(added.slice(1));
    // Importing the same file again adds and changes nothing.
    expect(await plan("tracker-edited.xlsx", edited)).toMatchObject({ changed: [], added: [] });
  });

  it("says which row and column it could not read, and leaves them out", async () => {
    const book = await load((await exportTiiwg()).content as Uint8Array);
    const sheet = book.getWorksheet("TIIWG") as ExcelJS.Worksheet;
    sheet.getRow(2).getCell(6).value = "Nearly there";
    sheet.getRow(3).getCell(5).value = "whenever the moon is blue";
    sheet.addRow(["TIIWG-99", "TIIWG", "Ghost", "", "", "", "", ""]);
    const shown = await plan("bad.xlsx", new Uint8Array(await book.xlsx.writeBuffer()));
    const text = renderText(describeImport(en(), shown, false));
    expect(text).toContain('Unknown status "Nearly there"');
    expect(text).toContain("sheet TIIWG, row 2, column F");
    expect(text).toContain('Timeline "whenever the moon is blue" not understood');
    expect(text).toContain("sheet TIIWG, row 3, column E");
    expect(text).toContain("No commitment TIIWG-99");
    expect(shown.changed).toEqual([]);
  });

  it("refuses a file that is not a spreadsheet, in the reader's language", async () => {
    await expect(documents.readTable("notes.txt", new Uint8Array([1, 2]))).rejects.toMatchObject({
      key: "import:unsupported",
    });
    await expect(
      documents.readTable("fake.xlsx", new TextEncoder().encode("PK not a zip")),
    ).rejects.toMatchObject({ key: "import:unreadable" });
  });
});
