import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness.js";

// `upcoming`, `schedule` and `snooze`, as co-chairs, owners and members use them, in English,
// Spanish and French.

let h: Harness;
beforeEach(async () => {
  // Friday 20 November 2026, 09:00 in Mexico City.
  h = await createHarness({ now: "2026-11-20T15:00:00Z" });
  const salvador = await h.app.store.people.byHandle("salvador");
  await h.app.store.people.linkIdentity(salvador!.id, "slack", "U-SAL");
  await h.say("sara", "add TIIWG Roadmap due 2026-11-27 owner @salvador");
  await h.say("sara", "add TIIWG Bootcamp due 2026-12-03 (TBC) owner COMCE (MX)");
  await h.say("sara", "meeting TIIWG 2026-12-01 10:00 CDMX Monthly call");
});
afterEach(async () => {
  await h.close();
});

describe("upcoming", () => {
  it("lists what will be posted next, when, where and in which languages", async () => {
    const text = await h.say("sara", "upcoming TIIWG");
    expect(text).toContain("Upcoming posts — TIIWG");
    const lines = text.split("\n");
    const at = (needle: string) => lines.findIndex((l) => l.includes(needle));
    // Reminders to the owner by direct message, in his language, at 09:00 in his zone.
    expect(text).toContain(
      "Nov 26, 2026 · 09:00 Mexico City · Reminder TIIWG-1 · Roadmap — Due tomorrow, Nov 27, 2026.",
    );
    expect(lines[at("Reminder TIIWG-1 · Roadmap — Due tomorrow") + 1]).toBe(
      "    → direct message to Salvador Behar · Spanish",
    );
    // Organisation owners: the group's channel, in both of the group's languages.
    expect(lines[at("Reminder TIIWG-2 · Bootcamp — Due in 7 days") + 1]).toBe(
      "    → console channel tiiwg · English and Spanish",
    );
    expect(text).toContain("Nov 23, 2026 · 09:00 Mexico City · Weekly digest");
    expect(text).toContain("Nov 30, 2026 · 10:00 Mexico City · Agenda · Monthly call");
    expect(text).toContain("Dec 1, 2026 · 11:30 Mexico City · Summary · Monthly call");
    // In time order.
    expect(at("Weekly digest")).toBeLessThan(at("Agenda · Monthly call"));
    expect(at("Agenda · Monthly call")).toBeLessThan(at("Summary · Monthly call"));
  });

  it("answers in Spanish and French, and in the channel's group when none is named", async () => {
    const es = await h.say("salvador", "próximos", { channel: "tiiwg" });
    expect(es).toContain("Próximas publicaciones — TIIWG");
    expect(es).toContain("Resumen semanal");
    expect(es).toContain("→ mensaje directo a Salvador Behar · español");
    expect(es).toContain("Vence mañana");
    const fr = await h.say("chantal", "prochains TIIWG");
    expect(fr).toContain("Prochaines publications — TIIWG");
    expect(fr).toContain("Ordre du jour · Monthly call");
    expect(fr).toContain("→ canal console tiiwg · anglais et espagnol");
  });

  it("shows a snoozed reminder as not to be posted, and nothing for a paused group", async () => {
    await h.say("salvador", "snooze TIIWG-1");
    const text = await h.say("sara", "upcoming TIIWG");
    const lines = text.split("\n");
    const line = lines.findIndex((l) => l.includes("Reminder TIIWG-1 · Roadmap — Due tomorrow"));
    expect(lines[line + 1]).toBe("    snoozed: will not be posted");
    const today = lines.findIndex((l) => l.includes("Reminder TIIWG-1 · Roadmap — Due today"));
    expect(lines[today + 1]).toBe("    → direct message to Salvador Behar · Spanish");

    await h.say("sara", "schedule TIIWG pause");
    const paused = await h.say("member", "upcoming TIIWG");
    expect(paused).toContain(
      "Scheduled posts are paused for TIIWG: nothing will be posted until a co-chair resumes them.",
    );
    expect(paused).not.toContain("Weekly digest");
  });
});

describe("schedule", () => {
  it("shows the settings to anyone, and the way to change them to co-chairs", async () => {
    const member = await h.say("member", "schedule TIIWG");
    expect(member).toContain(
      "digest on Monday at 09:00 (Mexico City) · reminders 7 days before, 1 day before, on the due day, and weekly while overdue (for 4 weeks), to the owners by direct message (else the channel) · agenda 24 h before each meeting · working days of Canada and Mexico",
    );
    expect(member).not.toContain("Change with");
    expect(await h.say("sara", "schedule TIIWG")).toContain("Change with /cmp schedule TIIWG");
  });

  it("lets co-chairs change the digest, reminders, agenda and holidays in any language", async () => {
    expect(await h.say("sara", "schedule TIIWG digest friday 8:30")).toBe(
      "TIIWG: the weekly digest goes out on Friday at 08:30 (Mexico City).",
    );
    expect(await h.say("salvador", "programación TIIWG recordatorios 14,2,0 ambos")).toBe(
      "TIIWG: recordatorios 14 días antes, 2 días antes, el día del vencimiento y cada semana mientras esté vencido (durante 4 semanas), a los responsables y al canal.",
    );
    expect(await h.say("chantal", "programmation TIIWG ordre 48")).toBe(
      "TIIWG\u202f: l’ordre du jour est publié 48 h avant chaque réunion.",
    );
    expect(await h.say("sara", "schedule TIIWG holidays mx")).toBe(
      "TIIWG: posts move off weekends and the federal holidays of Mexico.",
    );
    const upcoming = await h.say("sara", "upcoming TIIWG");
    expect(upcoming).toContain("Nov 27, 2026 · 08:30 Mexico City · Weekly digest");
    expect(upcoming).toContain("Nov 29, 2026 · 10:00 Mexico City · Agenda · Monthly call");
    // Both owners and channel now: the Roadmap's 2-day reminder goes to both.
    expect(upcoming).toContain("→ direct message to Salvador Behar · Spanish");
    expect(upcoming).toMatch(/Roadmap — Due in 2 days[^\n]*\n {4}→ console channel tiiwg/);
    expect(await h.say("sara", "status TIIWG")).toContain(
      "Scheduled posts: digest on Friday at 08:30 (Mexico City) · reminders 14 days before, 2 days before, on the due day, and weekly while overdue (for 4 weeks), to the owners and the channel · agenda 48 h before each meeting · working days of Mexico",
    );
    expect(await h.count("audit_log")).toBeGreaterThanOrEqual(4);
  });

  it("pauses and resumes, and status says so", async () => {
    expect(await h.say("sara", "schedule TIIWG pause")).toBe(
      "TIIWG: scheduled posts are paused. /cmp schedule TIIWG resume turns them back on.",
    );
    expect(await h.say("sara", "status TIIWG")).toContain(
      "Scheduled posts: paused: nothing is posted until a co-chair resumes",
    );
    expect(await h.say("salvador", "programacion TIIWG reanudar")).toBe(
      "TIIWG: las publicaciones programadas se reanudaron.",
    );
  });

  it("refuses members and outsiders the changes", async () => {
    expect(await h.say("member", "schedule TIIWG pause")).toContain(
      "Only the co-chairs of TIIWG and the secretariat can do that.",
    );
    expect(await h.say("outsider", "schedule LMWG pause")).toContain(
      "There is no working group LMWG that you can see.",
    );
    expect(await h.say("sara", "schedule TIIWG")).not.toContain("paused");
  });
});

describe("snooze", () => {
  it("lets an owner stop an item's reminders for a week, or as long as they say", async () => {
    expect(await h.say("salvador", "posponer TIIWG-1")).toBe(
      "No habrá recordatorios de TIIWG-1 hasta el 27 nov 2026.",
    );
    expect(await h.say("sara", "snooze TIIWG-1 14")).toBe(
      "No reminders for TIIWG-1 until Dec 4, 2026.",
    );
    const group = await h.app.store.groups.byCode("TIIWG");
    const item = await h.app.store.commitments.byNumber(group!.id, 1);
    const until = await h.app.store.schedule.snoozes([item!.id]);
    // Midnight in Mexico City, so the morning's reminder on that day goes out.
    expect(until.get(item!.id)).toBe("2026-12-04T06:00:00.000Z");
  });

  it("acts once on a retried request", async () => {
    await h.run("sara", "snooze TIIWG-1 14", { requestKey: "slack:trigger-1" });
    const again = await h.say("sara", "snooze TIIWG-1 14", { requestKey: "slack:trigger-1" });
    expect(again).toBe("That request was already handled; nothing was done twice.");
  });
});

const badInput: [string, string, string, string][] = [
  ["sara", "upcoming", "Which working group?", "Example: /cmp upcoming TIIWG"],
  ["sara", "upcoming NOPE", "There is no working group NOPE", "Example: /cmp upcoming TIIWG"],
  ["sara", "upcoming TIIWG soon", "Usage: /cmp upcoming [WG]", "Example: /cmp upcoming TIIWG"],
  [
    "sara",
    "schedule TIIWG weekly",
    "I don't know the setting “weekly”",
    "Example: /cmp schedule TIIWG digest monday 09:00",
  ],
  [
    "sara",
    "schedule TIIWG digest someday 09:00",
    "“someday” is not a day of the week.",
    "Example:",
  ],
  ["sara", "schedule TIIWG digest monday 25:00", "“25:00” is not a time", "Example:"],
  ["sara", "schedule TIIWG digest monday", "Usage: /cmp schedule", "Example:"],
  ["sara", "schedule TIIWG reminders 7,x", "“7,x” is not a list of days", "Example:"],
  ["sara", "schedule TIIWG reminders 7,1 everyone", "“everyone” is not an audience", "Example:"],
  ["sara", "schedule TIIWG agenda 0", "“0” is not a number of hours", "Example:"],
  ["sara", "schedule TIIWG holidays US", "“US” is not a list of countries", "Example:"],
  ["sara", "schedule TIIWG pause now", "Usage: /cmp schedule", "Example:"],
  ["sara", "snooze", "“” is not a commitment ID", "Example: /cmp snooze TIIWG-2 14"],
  ["sara", "snooze TIIWG-1 forever", "“forever” is not a number of days", "Example:"],
  ["sara", "snooze TIIWG-1 365", "“365” is not a number of days", "Example:"],
  ["sara", "snooze TIIWG-1 7 please", "Usage: /cmp snooze ID [DAYS]", "Example:"],
  ["member", "snooze TIIWG-1", "Only the owners of TIIWG-1, the group's co-chairs", ""],
  [
    "salvador",
    "programación TIIWG resumen domingo 9",
    "«9» no es una hora",
    "Ejemplo: /cmp programación TIIWG resumen lunes 09:00",
  ],
  [
    "chantal",
    "reporter TIIWG-1 jamais",
    "«\u202fjamais\u202f» n’est pas un nombre de jours",
    "Exemple\u202f:",
  ],
];

describe("bad input", () => {
  it.each(badInput)("%s: %s", async (who, command, expected, example) => {
    const before = await h.changes();
    const reply = await h.run(who, command);
    expect(reply.kind).toBe("message");
    if (reply.kind !== "message") return;
    const text = reply.doc.blocks.map((b) => ("text" in b ? b.text : "")).join("\n");
    expect(text).toContain(expected);
    expect(text).toContain(example);
    expect(reply.visibility).toBe("ephemeral");
    expect(await h.changes()).toBe(before);
  });

  it("refuses to snooze a closed item", async () => {
    await h.say("sara", "done TIIWG-2");
    expect(await h.say("sara", "snooze TIIWG-2")).toContain(
      "TIIWG-2 is closed: it gets no reminders.",
    );
  });

  it("lists the new commands in help", async () => {
    const help = await h.say("sara", "help");
    expect(help).toContain("/cmp upcoming [WG]");
    expect(help).toContain("/cmp snooze ID [DAYS]");
    expect(help).toContain("/cmp schedule [WG]");
  });
});
