import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness.js";

// "My CMP": what a person owes, the decisions waiting for their side, their groups' next
// meetings, what changed since they last looked, and their own settings — for a co-chair and a
// member, in their languages.

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
      "item.snooze",
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

  it("says what changed in my groups since I last looked, then only what is newer", async () => {
    // A first visit covers the past week: the two items and the decision logged today.
    h.clock.set("2026-11-20T15:01:00Z");
    const first = await h.say("member", "home");
    expect(first).toMatch(/What changed in my groups this past week \(3\):/);
    expect(first).toContain("TIIWG-1 · Late report\n    new");
    expect(first).toContain("TIIWG-D1 · Share the roadmap draft");

    h.clock.set("2026-11-23T15:00:00Z");
    expect(await h.say("member", "home")).toContain("Nothing has changed in your groups.");
    h.clock.set("2026-11-24T15:00:00Z");
    await h.say("sara", "done TIIWG-2");
    await h.say("sara", "update TIIWG-1 note Draft sent to both ministries");
    const later = await h.say("member", "home");
    expect(later).toMatch(/since I last looked, Nov 23, 2026 \(2\):/);
    expect(later.indexOf("new note")).toBeLessThan(later.indexOf("now Done"));
    // In Spanish for Salvador, who never looked: his first visit is the past week.
    expect(await h.say("salvador", "inicio")).toContain(
      "Qué cambió en mis grupos la última semana",
    );
  });

  it("keeps my settings — language, time zone, reminders — from the settings form", async () => {
    const page = await h.run("member", "home");
    if (page.kind !== "message") throw new Error("expected a message");
    expect(JSON.stringify(page.doc)).toContain('"id":"me.settings"');
    expect(await h.say("member", "home")).toContain(
      "My settings: reminders by direct message · English · time zone not set",
    );
    const invocation = {
      platform: "console" as const,
      text: "",
      actor: { userId: "member", displayName: "Mia Member" },
      channelId: null,
    };
    const form = await h.app.router.press(invocation, "me.settings", "me");
    expect(form?.kind === "form" && form.form.fields.map((f) => f.name)).toEqual([
      "reminders",
      "language",
      "zone",
    ]);
    const saved = await h.app.router.submitForm(
      { ...invocation, requestKey: "form-1" },
      {
        form: "prefs",
        values: { reminders: "digest", language: "es", zone: "America/Mexico_City" },
        context: {},
      },
    );
    expect(saved.kind === "message" && JSON.stringify(saved.doc)).toContain(
      "Guardado. Mis ajustes: recordatorios solo en el resumen semanal · español · Ciudad de México",
    );
    const member = await h.app.store.people.byHandle("member");
    expect(member).toMatchObject({
      language: "es",
      languageChosen: true,
      timeZone: "America/Mexico_City",
      remindersVia: "digest",
    });
    // Anything but the options offered is refused under its field, and changes nothing.
    const refused = await h.app.router.submitForm(
      { ...invocation, requestKey: "form-2" },
      { form: "prefs", values: { reminders: "pigeon", language: "es", zone: "UTC" }, context: {} },
    );
    expect(refused.kind === "refused" && refused.field).toBe("reminders");
  });
});
