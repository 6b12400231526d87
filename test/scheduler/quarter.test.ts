import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImportFile } from "../../src/import/yaml-import.js";
import { createHarness, type Harness } from "../support/harness.js";
import {
  HOUR,
  type PostCall,
  type RecordingNotifier,
  recordingNotifier,
  testScheduler,
} from "../support/scheduling.js";

// A fake clock walks from New Year 2027 to Easter week, ticking every hour, against a
// partnership bound to Slack and Teams. What the recording platforms received is what people
// would have seen: when, where, in which languages, once.

const MX = "America/Mexico_City";
const OTTAWA = "America/Toronto";

const DATA: ImportFile = {
  people: [
    { key: "admin", name: "Secretariat Admin", admin: true, language: "en", country: "CA" },
    {
      key: "sara",
      name: "Sara Wilshaw",
      language: "en",
      timeZone: OTTAWA,
      country: "CA",
      identities: { slack: "U-SARA" },
    },
    {
      key: "salvador",
      name: "Salvador Behar",
      language: "es",
      timeZone: MX,
      country: "MX",
      identities: { slack: "U-SAL" },
    },
    {
      key: "chantal",
      name: "Chantal Roy",
      language: "fr",
      timeZone: OTTAWA,
      country: "CA",
      identities: { teams: "T-CHANTAL" },
    },
  ],
  groups: [
    {
      code: "TIIWG",
      names: { en: "Trade", es: "Comercio", fr: "Commerce" },
      timeZone: MX,
      languages: ["en", "es"],
      visibility: "partnership",
      confirmationsRequired: 1,
      coChairs: [
        { person: "sara", country: "CA", sector: "public" },
        { person: "salvador", country: "MX", sector: "public" },
      ],
      members: [],
      channels: [{ platform: "slack", id: "C-TIIWG" }],
      commitments: [
        {
          title: "Quarter report",
          due: "2027-Q1",
          status: "introduction",
          owners: [{ person: "salvador" }],
          milestones: [],
        },
        {
          title: "Constitution Day item",
          due: "2027-02-08",
          status: "introduction",
          owners: [{ person: "salvador" }],
          milestones: [],
        },
        {
          title: "Weekend item",
          due: "2027-01-18",
          status: "introduction",
          owners: [{ org: "COMCE", country: "MX" }],
          milestones: [],
        },
        {
          title: "Overdue item",
          due: "2027-01-15",
          status: "in_progress",
          owners: [{ org: "ProMéxico" }],
          milestones: [],
        },
        {
          title: "Snoozed item",
          due: "2027-02-26",
          status: "introduction",
          owners: [{ person: "salvador" }],
          milestones: [],
        },
        {
          title: "Tentative item",
          due: "March 2027 (TBC)",
          status: "introduction",
          owners: [{ org: "INADEM" }],
          milestones: [],
        },
      ],
      decisions: [],
      meetings: [
        { title: "Monthly call", startsAt: "2027-02-10T10:00", durationMinutes: 60, with: [] },
      ],
    },
    {
      code: "HCWG",
      names: { en: "Human Capital", es: "Capital Humano", fr: "Capital humain" },
      timeZone: OTTAWA,
      languages: ["en", "fr"],
      visibility: "partnership",
      confirmationsRequired: 1,
      coChairs: [
        { person: "sara", country: "CA", sector: "public" },
        { person: "chantal", country: "CA", sector: "private" },
      ],
      members: [],
      channels: [
        { platform: "slack", id: "C-HCWG" },
        { platform: "teams", id: "T-HCWG" },
      ],
      commitments: [
        {
          title: "Good Friday item",
          due: "2027-04-02",
          status: "introduction",
          owners: [{ person: "sara" }],
          milestones: [],
        },
        {
          title: "Daylight item",
          due: "2027-03-12",
          status: "introduction",
          owners: [{ org: "Mitacs" }],
          milestones: [],
        },
      ],
      decisions: [],
      meetings: [
        { title: "Joint call", startsAt: "2027-03-16T10:00", durationMinutes: 60, with: ["EWG"] },
      ],
    },
    {
      code: "EWG",
      names: { en: "Energy", es: "Energía", fr: "Énergie" },
      timeZone: OTTAWA,
      languages: ["en", "es"],
      visibility: "partnership",
      confirmationsRequired: 1,
      coChairs: [{ person: "sara", country: "CA", sector: "public" }],
      members: [],
      channels: [{ platform: "teams", id: "T-EWG" }],
      commitments: [
        {
          title: "RETScreen in Spanish",
          due: "2027-06-30",
          status: "in_progress",
          owners: [{ org: "NRCan" }],
          milestones: [],
        },
      ],
      decisions: [],
      meetings: [],
    },
  ],
};

let h: Harness;
let slack: RecordingNotifier;
let teams: RecordingNotifier;
let all: PostCall[];

/** Actions people take during the walk, at the hour they take them. */
const during: Record<string, (h: Harness) => Promise<unknown>> = {
  "2027-02-03T12:00:00.000Z": (h) => h.say("sara", "done TIIWG-4"),
  // During the TIIWG call (10:00–11:00 in Mexico City).
  "2027-02-10T16:00:00.000Z": async (h) => {
    h.clock.set("2027-02-10T16:20:00.000Z");
    await h.say("salvador", "decidir TIIWG Aprobar la hoja de ruta conjunta");
    await h.say("sara", "done TIIWG-3");
    await h.say("sara", "add TIIWG Follow-up mission due 2027-05-31");
  },
  "2027-02-18T10:00:00.000Z": (h) => h.say("salvador", "posponer TIIWG-5"),
};

beforeAll(async () => {
  h = await createHarness({ now: "2027-01-01T00:00:00Z", data: DATA });
  slack = recordingNotifier("slack", h.clock);
  teams = recordingNotifier("teams", h.clock);
  const scheduler = testScheduler(h.app, h.clock, [slack.notifier, teams.notifier]);
  for (
    let t = Date.parse("2027-01-01T00:00:00Z");
    t <= Date.parse("2027-04-05T00:00:00Z");
    t += HOUR
  ) {
    const at = new Date(t).toISOString();
    h.clock.set(at);
    await during[at]?.(h);
    await scheduler.tick();
  }
  all = [...slack.delivered, ...teams.delivered];
}, 120_000);

afterAll(async () => {
  await h.close();
});

const minute = (c: PostCall) => c.at.slice(0, 16);
const of = (prefix: string, to: string) =>
  all.filter((c) => c.key.startsWith(prefix) && c.to === to);
/** Reminder posts for an item, by its number in its group. */
async function remindersOf(code: string, number: number, to: string) {
  const group = await h.app.store.groups.byCode(code);
  const item = await h.app.store.commitments.byNumber(group!.id, number);
  return of(`reminder:${item!.id}:`, to);
}

describe("a quarter of scheduled posts", () => {
  it("posts every occasion once, on one channel once per binding", () => {
    const keys = all.map((c) => `${c.platform}|${c.key}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(slack.calls.length + teams.calls.length).toBe(all.length);
  });

  it("reminds an owner by direct message in their language, counting back from the end of a quarter", async () => {
    const posts = await remindersOf("TIIWG", 1, "U-SAL");
    // 09:00 in Mexico City is 15:00 UTC all year: Mexico no longer changes its clocks.
    expect(posts.map(minute)).toEqual(["2027-03-24T15:00", "2027-03-30T15:00", "2027-03-31T15:00"]);
    expect(posts.every((p) => p.direct)).toBe(true);
    expect(posts[0]?.text).toContain("Recordatorio: TIIWG-1 · Quarter report");
    expect(posts[0]?.text).toContain("Vence en 7 días");
    expect(posts[1]?.text).toContain("Vence mañana");
    expect(posts[2]?.text).toContain("Vence hoy");
    expect(posts[0]?.text).not.toContain("Reminder:");
    // Owners can mark it done or snooze it from the reminder.
    const actions = posts[0]?.doc.blocks.find((b) => b.type === "actions");
    expect(actions?.type === "actions" && actions.actions.map((a) => [a.id, a.value])).toEqual([
      ["item.done", "TIIWG-1"],
      ["item.snooze", "TIIWG-1"],
    ]);
  });

  it("moves reminders off weekends and off a Mexican and a Canadian federal holiday", async () => {
    // 1 February 2027 is Mexico's Constitution Day; 7 February a Sunday (merged into the due day).
    expect((await remindersOf("TIIWG", 2, "U-SAL")).slice(0, 3).map(minute)).toEqual([
      "2027-02-02T15:00",
      "2027-02-08T15:00",
      "2027-02-15T15:00",
    ]);
    // 26 March 2027 is Good Friday in Canada: Sara's reminder waits for Monday, 09:00 in Ottawa.
    expect((await remindersOf("HCWG", 1, "U-SARA")).map(minute)).toEqual([
      "2027-03-29T13:00",
      "2027-04-01T13:00",
      "2027-04-02T13:00",
    ]);
  });

  it("posts to the channel, in both of the group's languages, when no owner can be messaged", async () => {
    const posts = await remindersOf("TIIWG", 3, "C-TIIWG");
    // Sunday 17 January merges into the due day; weekly while overdue until done on 10 Feb.
    expect(posts.map(minute)).toEqual([
      "2027-01-11T15:00",
      "2027-01-18T15:00",
      "2027-01-25T15:00",
      "2027-02-02T15:00",
      "2027-02-08T15:00",
    ]);
    expect(posts[0]?.text).toContain("Reminder: TIIWG-3 · Weekend item");
    expect(posts[0]?.text).toContain("Recordatorio: TIIWG-3 · Weekend item");
    expect(posts[3]?.text).toContain("Overdue by 15 days");
    expect(posts[3]?.text).toContain("Vencido hace 15 días");
  });

  it("stops reminding once an item is done", async () => {
    expect((await remindersOf("TIIWG", 4, "C-TIIWG")).map(minute)).toEqual([
      "2027-01-08T15:00",
      "2027-01-14T15:00",
      "2027-01-15T15:00",
      "2027-01-22T15:00",
      "2027-01-29T15:00",
    ]);
  });

  it("skips what falls within a snooze and resumes after it, recording why", async () => {
    const posts = await remindersOf("TIIWG", 5, "U-SAL");
    expect(posts.map(minute).slice(0, 3)).toEqual([
      "2027-02-25T15:00",
      "2027-02-26T15:00",
      "2027-03-05T15:00",
    ]);
    const group = await h.app.store.groups.byCode("TIIWG");
    const ledger = await h.app.store.schedule.deliveries(group!.id, {
      from: "2027-02-19T00:00:00.000Z",
      to: "2027-02-20T00:00:00.000Z",
    });
    expect(ledger.map((d) => [d.kind, d.status, d.lastError])).toEqual([
      ["reminder", "skipped", "snoozed"],
    ]);
  });

  it("says when a date is tentative", async () => {
    const posts = await remindersOf("TIIWG", 6, "C-TIIWG");
    expect(posts.map(minute)).toEqual(["2027-03-24T15:00", "2027-03-30T15:00", "2027-03-31T15:00"]);
    expect(posts[0]?.text).toContain("This date is tentative (TBC)");
    expect(posts[0]?.text).toContain("Esta fecha es tentativa (por confirmar)");
  });

  it("keeps 09:00 in Ottawa across the March change, on Slack and on Teams alike", async () => {
    const expected = [
      "2027-03-05T14:00",
      "2027-03-11T14:00",
      "2027-03-12T14:00",
      "2027-03-19T13:00",
      "2027-03-29T13:00", // the week's reminder falls on Good Friday
      "2027-04-02T13:00",
    ];
    const onSlack = await remindersOf("HCWG", 2, "C-HCWG");
    const onTeams = await remindersOf("HCWG", 2, "T-HCWG");
    expect(onSlack.map(minute)).toEqual(expected);
    expect(onTeams.map(minute)).toEqual(expected);
    expect(onTeams[0]?.text).toContain("Reminder: HCWG-2 · Daylight item");
    expect(onTeams[0]?.text).toContain("Rappel\u202f: HCWG-2 · Daylight item");
  });

  it("posts the weekly digest on Mondays at 09:00 local, on the next day after a holiday", () => {
    const tiiwg = of("digest:", "C-TIIWG");
    expect(tiiwg.map(minute)).toEqual([
      "2027-01-04T15:00",
      "2027-01-11T15:00",
      "2027-01-18T15:00",
      "2027-01-25T15:00",
      "2027-02-02T15:00", // Constitution Day
      "2027-02-08T15:00",
      "2027-02-15T15:00",
      "2027-02-22T15:00",
      "2027-03-01T15:00",
      "2027-03-08T15:00",
      "2027-03-16T15:00", // Benito Juárez's birthday
      "2027-03-22T15:00",
      "2027-03-29T15:00",
    ]);
    const hcwg = of("digest:", "T-HCWG").map(minute);
    expect(hcwg.slice(9, 12)).toEqual(["2027-03-08T14:00", "2027-03-16T13:00", "2027-03-22T13:00"]);
    expect(of("digest:", "C-HCWG").map(minute)).toEqual(hcwg);
  });

  it("digests what changed, what is due, what is overdue and the week's decisions", () => {
    const digest = of("digest:", "C-TIIWG").find((c) => c.at.startsWith("2027-02-15"));
    const text = digest?.text ?? "";
    expect(text).toContain("Weekly digest — TIIWG — Trade");
    expect(text).toContain("Resumen semanal — TIIWG — Comercio");
    expect(text).toMatch(/Changed in the last 7 days \(2\):\n {2}• TIIWG-3 · Weekend item/);
    expect(text).toContain("TIIWG-7 · Follow-up mission");
    expect(text).toMatch(/Overdue \(1\):\n {2}• TIIWG-2 · Constitution Day item/);
    expect(text).toContain("Decisions of the week (1)");
    expect(text).toContain("Aprobar la hoja de ruta conjunta");
    expect(text).toMatch(/Due in the next 7 days \(0\):\n {2}Nothing due in the next 7 days\./);
    expect(text).toMatch(
      /Waiting for ratification \(0\):\n {2}No decision is waiting for a country's confirmation\./,
    );
  });

  it("posts the agenda 24 hours before the call: items due by then, other open items, decisions pending", () => {
    const [agenda, ...more] = of("agenda:", "C-TIIWG");
    expect(more).toEqual([]);
    expect(minute(agenda!)).toBe("2027-02-09T16:00");
    expect(agenda?.text).toContain("Agenda — Monthly call");
    expect(agenda?.text).toContain("Orden del día — Monthly call");
    expect(agenda?.text).toMatch(/Due by the meeting \(2\):\n {2}• TIIWG-3 · Weekend item/);
    expect(agenda?.text).toContain("TIIWG-2 · Constitution Day item");
    expect(agenda?.text).toMatch(/Other open items \(3\):/);
    expect(agenda?.text).not.toContain("Overdue item");
  });

  it("posts the summary after the call: decisions, new, changed and done items, overdue, next meeting", () => {
    const [summary] = of("summary:", "C-TIIWG");
    expect(minute(summary!)).toBe("2027-02-10T18:00");
    const text = summary?.text ?? "";
    expect(text).toContain("Summary — Monthly call");
    expect(text).toMatch(/Decisions logged during the call \(1\):\n {2}• TIIWG-D1 · Aprobar/);
    expect(text).toMatch(/New items \(1\):\n {2}• TIIWG-7 · Follow-up mission/);
    expect(text).toMatch(/Done \(1\):\n {2}• TIIWG-3 · Weekend item/);
    expect(text).toMatch(/Now overdue \(1\):\n {2}• TIIWG-2/);
    expect(text).toContain("No next meeting scheduled yet.");
    expect(text).toContain("Resumen — Monthly call");
  });

  it("sends a joint session's agenda and summary to every channel of every group, with every group's items", () => {
    for (const kind of ["agenda:", "summary:"]) {
      const posts = all.filter((c) => c.key.startsWith(kind) && c.at > "2027-03");
      expect(posts.map((p) => `${p.platform}:${p.to}`).sort()).toEqual([
        "slack:C-HCWG",
        "teams:T-EWG",
        "teams:T-HCWG",
      ]);
      for (const post of posts) {
        expect(post.text).toContain("HCWG — Human Capital");
        expect(post.text).toContain("EWG — Energy");
      }
    }
    const ewg = all.find((c) => c.key.startsWith("agenda:") && c.to === "T-EWG");
    expect(minute(ewg!)).toBe("2027-03-15T14:00");
    expect(ewg?.text).toContain("Orden del día — Joint call");
    expect(ewg?.text).toContain("RETScreen in Spanish");
    const hcwg = all.find((c) => c.key.startsWith("agenda:") && c.to === "T-HCWG");
    expect(hcwg?.text).toContain("Ordre du jour — Joint call");
  });
});
