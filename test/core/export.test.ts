import { parse } from "csv-parse/sync";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isInert } from "../../src/core/render/inert.js";
import type { ImportFile } from "../../src/import/yaml-import.js";
import { createHarness, type Harness, SMALL_PARTNERSHIP } from "../support/harness.js";

/** Titles, owners, milestones and comments as hostile as an import file can carry them. */
const HOSTILE_TITLES = [
  '=HYPERLINK("https://evil.example","x")',
  "+1+1",
  "-2+3+cmd|'/C calc'!A0",
  "@SUM(A1:A9)",
  "\t=1+1",
  " =1+1",
  "Budget\u202Etxt.exe",
  "Repaint \u001b[31mred\u001b[0m\u0007 and \u009b2J",
  'Comma, "quotes" and\r\nlines',
];

function hostileData(): ImportFile {
  const [tiiwg, ...rest] = SMALL_PARTNERSHIP.groups;
  if (!tiiwg) throw new Error("fixture changed");
  return {
    ...SMALL_PARTNERSHIP,
    groups: [
      {
        ...tiiwg,
        commitments: HOSTILE_TITLES.map((title, index) => ({
          title,
          due: "2027-Q1",
          status: "introduction",
          owners: [{ org: index % 2 ? "-Org" : "@Org", country: "MX" }],
          comments: index === 0 ? "=1+1\u0000" : undefined,
          milestones: [{ title: "-milestone\u2066hidden\u2069", due: "2027-01" }],
        })),
      },
      ...rest,
    ],
  };
}

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ data: hostileData() });
});
afterEach(async () => {
  await h.close();
});

describe("export as a spreadsheet opens it", () => {
  it("every field parses back, none starts a formula, none carries a control or bidi character", async () => {
    const reply = await h.run("sara", "export TIIWG");
    if (reply.kind !== "file") throw new Error(`expected a file, got ${reply.kind}`);
    const rows = parse(reply.content, { relax_column_count: false }) as string[][];
    expect(rows).toHaveLength(1 + HOSTILE_TITLES.length);
    const width = rows[0]?.length;
    for (const row of rows) {
      expect(row).toHaveLength(width ?? 0);
      for (const field of row) {
        expect(field).not.toMatch(/^[ \u00a0]*[=+\-@\t\r\n]/);
        expect(isInert(field)).toBe(true);
      }
    }
    const titles = rows.slice(1).map((row) => row[2]);
    expect(titles).toEqual([
      '\'=HYPERLINK("https://evil.example","x")',
      "'+1+1",
      "'-2+3+cmd|'/C calc'!A0",
      "'@SUM(A1:A9)",
      "'\t=1+1",
      "' =1+1",
      "Budgettxt.exe",
      "Repaint [31mred[0m and 2J",
      'Comma, "quotes" and\nlines',
    ]);
  });

  it("leaves the stored titles verbatim", async () => {
    const stored = await h.app.database.db
      .selectFrom("commitments")
      .select("title")
      .where("title", "!=", "NOC–SINCO equivalences feedback")
      .execute();
    expect(stored.map((r) => r.title).sort()).toEqual([...HOSTILE_TITLES].sort());
  });
});
