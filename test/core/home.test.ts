import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness.js";

// "My CMP": what a person owes, the decisions waiting for their side, their groups' next
// meetings — for a co-chair and a member, in their languages.

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ now: "2026-11-20T15:00:00Z" });
  await h.say("sara", "add TIIWG Late report due 2026-10-31 owner @member", {
    mentions: [{ token: "@member", userId: "member", displayName: "Mia Member" }],
  });
  await h.say("sara", "add TIIWG Roadmap due 2027-Q1 owner @member", {
    mentions: [{ token: "@member", userId: "member", displayName: "Mia Member" }],
  });
  await h.say("sara", "decide TIIWG Share the roadmap draft");
  await h.say("sara", "meeting TIIWG 2026-12-15 10:00 Roadmap call");
});
afterEach(() => h.close());

describe("the personal dashboard", () => {
  it("shows a member what they owe, overdue first, with buttons to act", async () => {
    const reply = await h.run("member", "home");
    expect(reply.kind === "message" && reply.visibility).toBe("ephemeral");
    const text = await h.say("member", "home");
    expect(text).toContain("My CMP — Mia Member");
    expect(text).toMatch(/My open commitments \(2\):\n {2}• TIIWG-1 · Late report\n {4}OVERDUE/);
    expect(text.indexOf("TIIWG-1")).toBeLessThan(text.indexOf("TIIWG-2"));
    expect(text).toContain("No decision is waiting for you.");
    expect(text).toContain("Roadmap call");
    expect(text).toContain("10:00 Ottawa / 09:00 Mexico City");
    if (reply.kind !== "message") throw new Error("expected a message");
    const list = reply.doc.blocks.find((b) => b.type === "list");
    expect(list?.type === "list" && list.items[0]?.actions?.map((a) => a.id)).toEqual([
      "item.done",
      "item.note",
    ]);
  });

  it("shows the Mexican co-chair, in Spanish, the decision waiting for Mexico with a Confirm button", async () => {
    const reply = await h.run("salvador", "inicio");
    const text = await h.say("salvador", "inicio");
    expect(text).toContain("Mi CMP — Salvador Behar");
    expect(text).toContain("No tiene nada pendiente.");
    expect(text).toMatch(
      /Decisiones que esperan mi confirmación:\n {2}• TIIWG-D1 · Share the roadmap draft\n {4}Propuesta, falta México/,
    );
    if (reply.kind !== "message") throw new Error("expected a message");
    const confirm = reply.doc.blocks
      .flatMap((b) => (b.type === "list" ? b.items : []))
      .flatMap((i) => i.actions ?? [])
      .find((a) => a.id === "decision.confirm");
    expect(confirm?.value).toBe("TIIWG-D1");
    // Canada confirmed by logging it: Sara has nothing to confirm; in French for Chantal too.
    expect(await h.say("sara", "home")).toContain("No decision is waiting for you.");
    expect(await h.say("chantal", "accueil")).toContain("Aucune décision ne vous attend.");
    await h.say("salvador", "confirmar TIIWG-D1");
    expect(await h.say("salvador", "inicio")).toContain("Ninguna decisión espera su confirmación.");
  });
});
