import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness.js";
import { HOUR, recordingNotifier, testScheduler } from "../support/scheduling.js";

// Overdue reminders stop nagging: after four weekly reminders (CMP_OVERDUE_REMINDERS) an item
// goes quiet (the weekly digest still lists it, marked stalled) and `status` lists it apart as
// stalled, for co-chairs to act on. The small partnership's LMWG item was due in 2018-Q1: years
// overdue.

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ now: "2026-10-01T12:00:00Z" });
  // Due Thursday 1 October 2026 (Mexico City); known since September.
  await h.say("sara", "add TIIWG Trade mission report due 2026-10-01 owner COMCE (MX)");
});
afterAll(() => h.close());

describe("stalled items", () => {
  it("get four weekly overdue reminders and then none, while a 2018 item gets none at all", async () => {
    const channel = recordingNotifier("console", h.clock);
    const scheduler = testScheduler(h.app, h.clock, [channel.notifier]);
    const end = Date.parse("2026-11-20T12:00:00Z");
    h.clock.set("2026-10-01T13:00:00Z");
    while (h.clock.now().getTime() < end) {
      await scheduler.tick();
      h.clock.advance(6 * HOUR);
    }
    const reminders = channel.delivered.filter((c) => c.key.startsWith("reminder:"));
    const overdue = reminders.filter((c) => /:\+?\d+d:/.test(c.key) && !c.key.includes(":0d:"));
    const tiiwg = overdue.filter((c) => c.to === "tiiwg").map((c) => c.at.slice(0, 10));
    expect(tiiwg).toEqual(["2026-10-08", "2026-10-15", "2026-10-22", "2026-10-29"]);
    expect(reminders.filter((c) => c.to === "lmwg")).toEqual([]);
    // The weekly digest still lists both, marking the stalled ones and saying what to do.
    const digests = channel.delivered.filter((c) => c.key.startsWith("digest:"));
    const lmwg = digests.find((d) => d.to === "lmwg")?.text ?? "";
    expect(lmwg).toMatch(/NOC–SINCO equivalences feedback\s*\n?.*Stalled, no more reminders/);
    expect(lmwg).toContain(
      "1 overdue item has had all its weekly reminders and now shows only here",
    );
    // TIIWG's item: overdue but still reminded on 12 October; stalled by 2 November.
    const digestOf = (day: string) =>
      digests.find((d) => d.to === "tiiwg" && d.at.startsWith(day))?.text;
    expect(digestOf("2026-10-12")).toContain("Trade mission report");
    expect(digestOf("2026-10-12")).not.toContain("Stalled");
    expect(digestOf("2026-11-02")).toMatch(
      /Trade mission report\s*\n?.*Stalled, no more reminders/,
    );
  });

  it("are listed apart in status, with what to do, in each language", async () => {
    const en = await h.say("sara", "status LMWG");
    expect(en).toContain("Nothing overdue.");
    expect(en).toContain("Stalled — no more reminders (1)");
    expect(en).toMatch(/NOC–SINCO equivalences feedback/);
    expect(en).toContain("Reminders stop after 4 weeks overdue");
    // The way out names the stalled item itself, with the verb in the reader's language.
    expect(en).toMatch(/Close them \(\/cmp done LMWG-\d+\)/);
    const es = await h.say("sara", "status LMWG", { language: "es" });
    expect(es).toContain("Estancados: sin más recordatorios (1)");
    expect(es).toContain("Los recordatorios se detienen tras 4 semanas de retraso");
    expect(es).toMatch(/\/cmp hecho LMWG-\d+/);
    const fr = await h.say("sara", "status LMWG", { language: "fr" });
    expect(fr).toContain("Au point mort — plus de rappels (1)");
    // Overdue for three weeks: still reminded, so still simply overdue.
    h.clock.set("2026-10-22T12:00:00Z");
    const recent = await h.say("sara", "status TIIWG");
    expect(recent).toContain("Overdue (1)");
    expect(recent).not.toContain("Stalled");
  });
});

describe("a deployment that sets CMP_OVERDUE_REMINDERS=2", () => {
  it("reminds an overdue item twice, then lists it as stalled, and says so", async () => {
    const two = await createHarness({ now: "2026-10-01T12:00:00Z", overdueReminders: 2 });
    try {
      await two.say("sara", "add TIIWG Trade mission report due 2026-10-01 owner COMCE (MX)");
      const channel = recordingNotifier("console", two.clock);
      const scheduler = testScheduler(two.app, two.clock, [channel.notifier]);
      two.clock.set("2026-10-01T13:00:00Z");
      while (two.clock.now().getTime() < Date.parse("2026-11-05T12:00:00Z")) {
        await scheduler.tick();
        two.clock.advance(6 * HOUR);
      }
      const overdue = channel.delivered.filter(
        (c) => c.key.startsWith("reminder:") && /:\+?\d+d:/.test(c.key) && !c.key.includes(":0d:"),
      );
      expect(overdue.filter((c) => c.to === "tiiwg").map((c) => c.at.slice(0, 10))).toEqual([
        "2026-10-08",
        "2026-10-15",
      ]);
      const status = await two.say("sara", "status TIIWG");
      expect(status).toContain("Stalled — no more reminders (1)");
      expect(status).toContain("Reminders stop after 2 weeks overdue");
      expect(status).toContain("weekly while overdue (for 2 weeks)");
      const digest = channel.delivered.find(
        (d) => d.to === "tiiwg" && d.key.startsWith("digest:") && d.at.startsWith("2026-10-26"),
      );
      expect(digest?.text).toContain("Stalled, no more reminders");
    } finally {
      await two.close();
    }
  });
});
