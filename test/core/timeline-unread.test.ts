import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness, type Harness, SMALL_PARTNERSHIP } from "../support/harness.js";

// A phrase the bot cannot read is kept as the document wrote it, marked as not understood, and
// listed by `status` until a co-chair gives it a timeline the bot reads.

let h: Harness;
beforeEach(async () => {
  const [tiiwg, ...others] = SMALL_PARTNERSHIP.groups;
  const commitments = [
    { title: "Women in mining panel", due: "PDAC 2018" },
    { title: "Teleconference", due: "first trimester of 2018" },
  ].map((c) => ({ ...c, status: "introduction" as const, owners: [], milestones: [] }));
  h = await createHarness({
    now: "2026-11-20T15:00:00Z",
    data: {
      ...SMALL_PARTNERSHIP,
      groups: [{ ...(tiiwg as NonNullable<typeof tiiwg>), commitments }, ...others],
    },
  });
});
afterEach(async () => {
  await h.close();
});

describe("timelines the bot cannot read", () => {
  it("are imported verbatim, shown as not understood, and listed by status for a co-chair", async () => {
    const item = await h.app.store.commitments.byTitle(
      (await h.app.store.groups.byCode("TIIWG"))?.id ?? 0,
      "Women in mining panel",
    );
    expect(item?.timeline).toEqual({ text: "PDAC 2018", phases: [], unread: true });
    expect(item?.dueAt).toBeNull();
    expect(await h.say("sara", "show TIIWG-1")).toContain("“PDAC 2018” (not understood yet)");

    const status = await h.say("sara", "status TIIWG");
    expect(status).toContain("Timeline to fix (1)");
    expect(status).toContain("TIIWG-1 · Women in mining panel");
    expect(status).toContain("/cmp update TIIWG-1 due Q1 2027");
    // "first trimester of 2018" is read: a quarter, not a phrase to fix.
    expect(status).not.toContain("TIIWG-2 · Teleconference\n    first trimester");
    expect(await h.say("salvador", "estado TIIWG")).toContain("Plazo por corregir (1)");
  });

  it("a co-chair fixes one with update … due, and it leaves the list", async () => {
    expect(await h.say("sara", "update TIIWG-1 due early March 2018")).toContain(
      "TIIWG-1 is now due: early March 2018.",
    );
    expect(await h.say("sara", "status TIIWG")).not.toContain("Timeline to fix");
    const item = await h.app.store.commitments.byTitle(
      (await h.app.store.groups.byCode("TIIWG"))?.id ?? 0,
      "Women in mining panel",
    );
    expect(item?.timeline?.unread).toBeUndefined();
    expect(item?.dueAt).not.toBeNull();
  });

  it("a member may not fix one, and a timeline it cannot read is refused, not stored", async () => {
    expect(await h.say("member", "update TIIWG-1 due Q1 2027")).toContain(
      "Only the co-chairs of TIIWG and the secretariat can do that.",
    );
    expect(await h.say("sara", "modifier TIIWG-1 échéance bientôt")).toContain(
      "Je n’ai pas pu lire l’échéancier «\u202fbientôt\u202f»",
    );
    expect(await h.say("sara", "status TIIWG")).toContain("Timeline to fix (1)");
  });
});
