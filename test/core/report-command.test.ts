import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RoutedReply } from "../../src/core/router.js";
import { createHarness, type Harness, textOf } from "../support/harness.js";

// `report` and `export` in chat: who gets which groups, the period, language and format words.

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ now: "2026-11-20T15:00:00Z" });
  await h.say("sara", "add TIIWG Trade mission roadmap due 2027-Q1");
  h.clock.advance(60_000);
});
afterAll(() => h.close());

function file(reply: RoutedReply) {
  if (reply.kind !== "file") throw new Error(`expected a file, got: ${textOf(reply)}`);
  return reply;
}

describe("report in chat", () => {
  it("gives a co-chair their group's report as a file, for them alone", async () => {
    const reply = file(await h.run("salvador", "informe en"));
    expect(reply.visibility).toBe("ephemeral");
    expect(reply.filename).toBe("cmp-report-tiiwg-2026-01-01-en.html");
    expect(reply.mimeType).toBe("text/html; charset=utf-8");
    expect(String(reply.content)).toContain("Trade mission roadmap");
    expect(reply.doc.summary).toBe("Informe anual de TIIWG, del 1 ene 2026 al 20 nov 2026.");
    // Sara chairs two groups: she names one.
    expect(textOf(await h.run("sara", "report"))).toContain("Which working group?");
  });

  it("reads a year or since a date, a language and a format, in any of the three languages", async () => {
    const es = file(await h.run("salvador", "informe TIIWG desde 2026-06-01 fr md"));
    expect(es.filename).toBe("cmp-report-tiiwg-2026-06-01-fr.md");
    expect(String(es.content)).toContain("### II. Activités futures");
    const year = file(await h.run("sara", "report TIIWG 2025"));
    expect(String(year.content)).not.toContain("Trade mission roadmap");
  });

  it("gives the secretariat the whole partnership; co-chairs only their groups", async () => {
    const all = file(await h.run("admin", "rapport tous"));
    expect(all.filename).toBe("cmp-report-all-2026-01-01-fr.html");
    expect(String(all.content)).toContain('<a href="#wg-lmwg">');
    expect(textOf(await h.run("sara", "report all"))).toContain(
      "Only the secretariat can do that.",
    );
    expect(textOf(await h.run("outsider", "report LMWG"))).toContain("LMWG");
    expect((await h.run("outsider", "report LMWG")).kind).toBe("message");
  });

  it("refuses a word it does not know with a correct example", async () => {
    const text = textOf(await h.run("sara", "report TIIWG docx"));
    expect(text).toContain("I don't understand “docx” here");
    expect(text).toContain("/cmp report TIIWG 2017 html");
    expect(textOf(await h.run("sara", "report TIIWG since yesterday"))).toContain(
      "“since” needs a date written as 2017-11-24",
    );
  });
});

describe("export in chat", () => {
  it("comes as CSV, XLSX or Markdown", async () => {
    const csv = file(await h.run("sara", "export TIIWG"));
    expect(csv.filename).toBe("cmp-tracker-tiiwg-2026-11-20.csv");
    const xlsx = file(await h.run("salvador", "exportar TIIWG xlsx"));
    expect(xlsx.filename).toBe("cmp-tracker-tiiwg-2026-11-20.xlsx");
    expect(
      Buffer.from(xlsx.content as Uint8Array)
        .subarray(0, 2)
        .toString(),
    ).toBe("PK");
    expect(xlsx.doc.summary).toBe("Exportación del seguimiento de TIIWG: 1 compromiso.");
    const md = file(await h.run("chantal", "exporter TIIWG md en"));
    expect(String(md.content)).toContain("| TIIWG\\-1 | Trade mission roadmap |");
  });
});
