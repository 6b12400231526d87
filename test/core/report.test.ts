import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportDocument } from "../../src/core/report/document.js";
import { reportHtml } from "../../src/core/report/html.js";
import { reportMarkdown } from "../../src/core/report/markdown.js";
import { defaultPeriod, yearPeriod } from "../../src/core/report/model.js";
import { createHarness, type Harness } from "../support/harness.js";

// A scripted year: what the groups did in 2025, 2026 and early 2027, and the 2026 report.

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ now: "2025-12-01T15:00:00Z" });
  const at = async (iso: string, person: string, text: string) => {
    h.clock.set(iso);
    const reply = await h.say(person, text);
    return reply;
  };
  // 2025: before the period.
  await at("2025-12-01T15:00:00Z", "sara", "add TIIWG Finished last year due 2025-12");
  await at("2025-12-02T15:00:00Z", "sara", "done TIIWG-1");
  await at("2025-12-03T15:00:00Z", "sara", "decide TIIWG Decided last year");
  await at("2025-12-03T16:00:00Z", "sara", "confirm TIIWG-D1");
  await at("2025-12-03T17:00:00Z", "salvador", "confirm TIIWG-D1");
  // 2026: the period.
  await at(
    "2026-02-01T15:00:00Z",
    "sara",
    "add TIIWG Trade mission roadmap due end of January 2027 owner COMCE (MX)",
  );
  await at(
    "2026-02-02T15:00:00Z",
    "sara",
    "add TIIWG Joint study | with [a link](https://evil.example) due 2026-Q2",
  );
  await at("2026-02-03T15:00:00Z", "sara", "add TIIWG Bootcamp pilot due June–December 2026 (TBC)");
  await at("2026-02-04T15:00:00Z", "sara", "add TIIWG Data sharing due 2026-03");
  await at("2026-02-05T15:00:00Z", "sara", "add TIIWG Women delegation due 2026-H2");
  await at("2026-02-06T15:00:00Z", "sara", "add TIIWG Provinces roadshow due 2027-Q3");
  await at("2026-03-01T15:00:00Z", "sara", "decide TIIWG Hold the joint call in April");
  await at("2026-03-02T15:00:00Z", "sara", "confirm TIIWG-D2");
  await at("2026-03-03T15:00:00Z", "salvador", "confirm TIIWG-D2");
  await at("2026-04-01T15:00:00Z", "admin", "meeting TIIWG 2026-04-15 10:00 Spring teleconference");
  await at(
    "2026-04-02T15:00:00Z",
    "admin",
    "meeting TIIWG LMWG 2026-05-20 10:00 Joint session on mobility",
  );
  await at("2026-06-10T15:00:00Z", "sara", "done TIIWG-4");
  await at("2026-07-01T15:00:00Z", "sara", "update TIIWG-5 blocked");
  await at("2026-07-02T15:00:00Z", "sara", "update TIIWG-5 note Waiting for the provincial budget");
  await at("2026-07-03T15:00:00Z", "sara", "update TIIWG-3 note Partner changed");
  await at("2026-08-01T15:00:00Z", "sara", "update TIIWG-7 dropped");
  await at("2026-09-01T15:00:00Z", "sara", "decide TIIWG Invite the provinces");
  await at("2026-11-20T15:00:00Z", "sara", "update TIIWG-2 note Draft circulated");
  await at("2026-12-01T15:00:00Z", "admin", "meeting TIIWG 2027-01-20 10:00 Next year call");
  // 2027: after the period.
  await at("2027-01-05T15:00:00Z", "sara", "done TIIWG-2");
  await at("2027-01-06T15:00:00Z", "sara", "add TIIWG Added next year due 2027-06");
  await at("2027-01-07T15:00:00Z", "sara", "decide TIIWG Decided next year");
  await at("2027-01-08T15:00:00Z", "sara", "confirm TIIWG-D4");
  await at("2027-01-08T16:00:00Z", "salvador", "confirm TIIWG-D4");
  h.clock.set("2027-02-01T12:00:00Z");
});
afterAll(() => h.close());

async function report(lang: "en" | "es" | "fr", codes = ["TIIWG"]) {
  const groups = (await h.app.store.groups.all()).filter((g) => codes.includes(g.code));
  return reportDocument(
    h.app.store,
    h.app.i18n.localizer(lang),
    groups,
    yearPeriod(2026),
    h.clock.now().toISOString(),
  );
}

function section(doc: Awaited<ReturnType<typeof report>>, part: string): string[] {
  const s = doc.chapters[0]?.sections.find((x) => x.id === `wg-tiiwg-${part}`);
  return (s?.lines ?? []).map((l) => `${l.text} | ${l.detail ?? ""}`);
}

describe("the annual report of a scripted year", () => {
  it("puts each item and decision of the period in its section, and nothing from outside it", async () => {
    const doc = await report("en");
    const refs = (part: string) => section(doc, part).map((l) => l.split(" — ")[0]);
    expect(refs("results")).toEqual(["TIIWG-4", "TIIWG-D2"]);
    expect(section(doc, "results")[0]).toContain("done Jun 10, 2026");
    expect(section(doc, "results")[1]).toContain("decision confirmed Mar 3, 2026");
    // Done in January 2027: still open when 2026 ended.
    expect(refs("future")).toEqual(["TIIWG-2"]);
    expect(section(doc, "future")[0]).toContain("end of January 2027");
    expect(section(doc, "future")[0]).toContain("COMCE (Mexico)");
    expect(refs("challenges")).toEqual(["TIIWG-3", "TIIWG-5", "TIIWG-6", "TIIWG-7", "TIIWG-D3"]);
    const challenges = section(doc, "challenges");
    expect(challenges[0]).toContain("overdue since");
    expect(challenges[0]).toContain("latest note: Partner changed");
    expect(challenges[1]).toContain("blocked");
    expect(challenges[1]).toContain("latest note: Waiting for the provincial budget");
    expect(challenges[2]).toContain("no news since Feb 5, 2026");
    expect(challenges[3]).toContain("dropped Aug 1, 2026");
    expect(challenges[4]).toContain("awaiting confirmation");
    const meetings = section(doc, "meetings");
    expect(meetings.map((l) => l.split(" | ")[0])).toEqual([
      "Spring teleconference",
      "Joint session on mobility",
    ]);
    expect(meetings[1]).toContain("joint session LMWG and TIIWG");
    const annex = doc.chapters[0]?.annex.rows.map((r) => r[0]);
    expect(annex).toEqual(["TIIWG-2", "TIIWG-3", "TIIWG-4", "TIIWG-5", "TIIWG-6", "TIIWG-7"]);
    const all = JSON.stringify(doc);
    for (const outside of [
      "Finished last year",
      "Decided last year",
      "Added next year",
      "Decided next year",
      "Next year call",
    ])
      expect(all).not.toContain(outside);
  });

  it("names the co-chairs per country and sector", async () => {
    const chairs = (await report("en")).chapters[0]?.coChairs;
    expect(chairs).toEqual([
      { label: "Mexican co-chair", names: "Salvador Behar" },
      { label: "Canadian co-chair", names: "Sara Wilshaw" },
      { label: "Canadian co-chair (private sector)", names: "Chantal Roy" },
    ]);
  });

  it("keeps user text inert in Markdown and HTML", async () => {
    const doc = await report("en");
    const md = reportMarkdown(doc);
    expect(md).toContain(
      "TIIWG\\-3 — Joint study \\| with \\[a link\\]\\(https\\://evil\\.example\\)",
    );
    expect(md).not.toContain("[a link](https");
    const html = reportHtml(doc);
    expect(html).toContain("Joint study | with [a link](https://evil.example)");
    expect(html).not.toContain('href="https://evil.example"');
  });

  it("is written in the reader's language, labels and dates, users' text as they wrote it", async () => {
    const es = await report("es");
    expect(es.chapters[0]?.sections.map((s) => s.heading)).toEqual([
      "Resultados",
      "Actividades futuras",
      "Retos y oportunidades",
      "Reuniones celebradas",
    ]);
    expect(section(es, "results")[0]).toContain("concluido el 10 jun 2026");
    const fr = reportHtml(await report("fr"));
    expect(fr).toContain('<html lang="fr">');
    expect(fr).toContain("Défis et possibilités");
    expect(fr).toContain("Waiting for the provincial budget");
  });

  it("has a table of contents for the partnership-wide report only", async () => {
    expect(reportHtml(await report("en"))).not.toContain("<nav");
    const all = reportHtml(await report("en", ["TIIWG", "LMWG"]));
    expect(all).toContain('<a href="#wg-tiiwg">');
    expect(all).toContain('<a href="#wg-lmwg">');
  });

  it("defaults to the calendar year when no annual meeting of every group is recorded", async () => {
    expect(await defaultPeriod(h.app.store, new Date("2027-02-01T12:00:00Z"))).toEqual({
      from: "2027-01-01T00:00:00.000Z",
      to: "2027-02-01T12:00:00.000Z",
    });
  });
});
