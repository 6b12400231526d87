import { join } from "node:path";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { createHarness, type Harness } from "../support/harness.js";

// `status WG` and the overview are kept once computed (src/core/reply-cache.ts) until the group
// changes, the minute turns, or the reader's language differs. What a person notices: every
// change shows in the very next status, whichever process made it.

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ now: "2026-11-20T15:00:00Z" });
});
afterEach(async () => {
  await h.close();
});

const summary = async (person: string, text: string) => {
  const reply = await h.run(person, text);
  return reply.kind === "message" ? reply.doc.summary : "";
};

describe("a status read again", () => {
  it("shows each change at once: a new item, a closed one, a decision, a meeting", async () => {
    expect(await summary("sara", "status TIIWG")).toBe("TIIWG: 0 open, 0 overdue");
    await h.say("sara", "add TIIWG Trade mission report due 2026-11-19 owner COMCE (MX)");
    expect(await summary("sara", "status TIIWG")).toBe("TIIWG: 1 open, 1 overdue");
    await h.say("sara", "add TIIWG Roadshow plan due 2027-Q1 owner COMCE (MX)");
    expect(await summary("sara", "status TIIWG")).toBe("TIIWG: 2 open, 1 overdue");
    await h.say("sara", "done TIIWG-1");
    expect(await summary("sara", "status TIIWG")).toBe("TIIWG: 1 open, 0 overdue");
    expect(await h.say("sara", "status TIIWG")).not.toContain("Trade mission report");

    await h.say("sara", "decide TIIWG Joint roadmap adopted");
    expect(await h.say("sara", "status TIIWG")).toContain("Joint roadmap adopted");
    await h.say("sara", "meeting TIIWG 2026-12-03 10:00 Quarterly review");
    expect(await h.say("sara", "status TIIWG")).toContain("Quarterly review");
  });

  it("counts an item overdue as soon as its due moment passes", async () => {
    await h.say("sara", "add TIIWG Trade mission report due 2026-11-20 owner COMCE (MX)");
    expect(await summary("sara", "status TIIWG")).toBe("TIIWG: 1 open, 0 overdue");
    // The end of 20 November in Mexico City (UTC−6), and a minute later.
    h.clock.set("2026-11-21T06:00:30Z");
    expect(await summary("sara", "status TIIWG")).toBe("TIIWG: 1 open, 1 overdue");
    expect(await h.say("sara", "status")).toContain("1 open · 1 overdue");
  });

  it("answers each reader in their own language, and the overview only with what they may see", async () => {
    await h.say("sara", "add TIIWG Roadshow plan due 2027-Q1 owner COMCE (MX)");
    expect(await summary("sara", "status TIIWG")).toBe("TIIWG: 1 open, 0 overdue");
    expect(await summary("salvador", "estado TIIWG")).toBe("TIIWG: 1 abierto, 0 vencidos");
    expect(await h.say("sara", "status")).toContain("LMWG");
    // LMWG is restricted to its members: the outsider's overview is not the co-chair's.
    expect(await h.say("outsider", "status")).not.toContain("LMWG");
  });

  it("shows a change made by another process on the same database", async () => {
    expect(await summary("sara", "status TIIWG")).toBe("TIIWG: 0 open, 0 overdue");
    expect(await h.say("sara", "status")).toContain("0 open · 0 overdue");
    const other = await createApp({
      databaseUrl: join(h.dir, "cmp.db"),
      logger: pino({ level: "silent" }),
      clock: h.clock,
    });
    try {
      const reply = await other.router.handle({
        platform: "console",
        text: "add TIIWG Investment guide due 2026-11-01 owner COMCE (MX)",
        actor: { userId: "sara", displayName: "Sara Wilshaw" },
        channelId: null,
      });
      expect(reply.kind === "message" && reply.doc.summary).toContain("TIIWG-1");
    } finally {
      await other.close();
    }
    expect(await summary("sara", "status TIIWG")).toBe("TIIWG: 1 open, 1 overdue");
    expect(await h.say("sara", "status")).toContain("1 open · 1 overdue");
  });
});

describe("the overview of a group with many overdue items", () => {
  it("counts overdue items up to 100, then says 100+", async () => {
    for (let i = 1; i <= 101; i += 1)
      await h.say("sara", `add TIIWG Item ${i} due 2026-10-01 owner COMCE (MX)`);
    expect(await h.say("sara", "status")).toContain("101 open · 100+ overdue");
    expect(await summary("sara", "status TIIWG")).toBe("TIIWG: 101 open, 101 overdue");
    await h.say("sara", "done TIIWG-1");
    expect(await h.say("sara", "status")).toContain("100 open · 100+ overdue");
    await h.say("sara", "done TIIWG-2");
    expect(await h.say("sara", "status")).toContain("99 open · 99 overdue");
  });
});
