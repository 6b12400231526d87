import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { annualReportDraft } from "../../src/core/report/annual-report.js";
import { createHarness, type Harness } from "../support/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ now: "2026-03-02T15:00:00Z" });
  await h.say(
    "sara",
    "add TIIWG Roadmap | with [a link](https://evil.example) due 2026-06 owner COMCE (MX)",
  );
  await h.say("sara", "add TIIWG Finished study due 2026-Q1");
  await h.say("sara", "add TIIWG Stuck pilot due 2026-H2");
  await h.say("sara", "done TIIWG-2");
  await h.say("sara", "update TIIWG-3 blocked");
  await h.say("sara", "decide TIIWG Hold the joint call in April");
  await h.say("sara", "decide LMWG Share the NOC table");
});
afterAll(() => h.close());

async function draft(lang: "en" | "es" | "fr", codes = ["TIIWG"]) {
  const groups = (await h.app.store.groups.all()).filter((g) => codes.includes(g.code));
  return annualReportDraft(
    h.app.store,
    h.app.i18n.localizer(lang),
    groups,
    2026,
    h.clock.now().toISOString(),
  );
}

describe("annual report draft", () => {
  it("has every part of a CMP chapter, filled from what the group recorded", async () => {
    const text = await draft("en");
    expect(text).toContain("# Canada–Mexico Partnership — 2026 annual report (draft)");
    expect(text).toContain("**Co-chairs for Mexico:** Salvador Behar");
    expect(text).toContain("**Co-chairs for Canada:** Chantal Roy (private sector); Sara Wilshaw");
    const results = text.slice(text.indexOf("### II. Results"), text.indexOf("### III."));
    expect(results).toContain("TIIWG-2 — Finished study (Q1 2026)");
    const future = text.slice(text.indexOf("### III. Future activities"), text.indexOf("### IV."));
    expect(future).toContain("TIIWG-1 — Roadmap");
    expect(future).not.toContain("Finished study");
    const challenges = text.slice(
      text.indexOf("### IV. Challenges and opportunities"),
      text.indexOf("### Annex A"),
    );
    expect(challenges).toContain("TIIWG-3 — Stuck pilot (H2 2026) — Blocked");
    expect(challenges).toContain("TIIWG-D1 — Hold the joint call in April (Proposed)");
    expect(text).toContain(
      "| Initiative | Key milestones | Timeline proposed | Status | Participants | Comments |",
    );
  });

  it("keeps user text inert: a pipe cannot split a table cell, brackets cannot make a link", async () => {
    const row = (await draft("en")).split("\n").find((line) => line.startsWith("| TIIWG-1"));
    expect(row).toBe(
      "| TIIWG-1 Roadmap \\| with \\[a link\\](https://evil.example) |  | 2026-06 | Introduction phase | COMCE (Mexico) |  |",
    );
  });

  it("is written in the reader's language", async () => {
    expect(await draft("es")).toContain("### II. Resultados");
    expect(await draft("fr")).toContain("### IV. Défis et possibilités");
  });
});
