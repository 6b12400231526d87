import ICAL from "ical.js";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CALENDAR_PREFIX, calendarRoute } from "../../src/http/calendar.route.js";
import { createHttpServer, type HttpServer } from "../../src/http/server.js";
import { createHarness, type Harness } from "../support/harness.js";
import { recordingNotifier, testScheduler } from "../support/scheduling.js";

// calendar, calendar reset, meeting cancel and meeting move as people type them, with the feed
// they give and the notices the scheduler posts to the group's channels.

let h: Harness;
let http: HttpServer;
let base: string;

beforeEach(async () => {
  h = await createHarness({ now: "2026-12-01T15:00:00Z" });
  http = createHttpServer(pino({ level: "silent" }));
  http.routePrefix(
    "GET",
    CALENDAR_PREFIX,
    calendarRoute({ store: h.app.store, i18n: h.app.i18n, clock: h.clock, uidDomain: "cmp.test" }),
  );
  // Links point at localhost:3000 (no CMP_PUBLIC_URL); their paths are fetched from this port.
  base = `http://127.0.0.1:${await http.listen(0, "127.0.0.1")}`;
});
afterEach(async () => {
  await http.close();
  await h.close();
});

function linkIn(text: string): string {
  const match = /http:\/\/localhost:3000(\/calendar\/[A-Za-z0-9_-]+\.ics)/.exec(text);
  if (!match) throw new Error(`no calendar link in: ${text}`);
  return match[1] as string;
}

async function events(path: string) {
  const response = await fetch(`${base}${path}`);
  if (response.status !== 200) return response.status;
  const root = new ICAL.Component(ICAL.parse(await response.text()));
  return root.getAllSubcomponents("vevent").map((c) => ({
    summary: String(c.getFirstPropertyValue("summary")),
    sequence: Number(c.getFirstPropertyValue("sequence")),
    status: String(c.getFirstPropertyValue("status")),
    description: String(c.getFirstPropertyValue("description")),
  }));
}

describe("calendar links", () => {
  it("gives each person one private link per feed, in their language, until they reset it", async () => {
    const reply = await h.run("salvador", "calendario TIIWG");
    expect(reply.kind === "message" && reply.visibility).toBe("ephemeral");
    const text = await h.say("salvador", "calendario TIIWG");
    expect(text).toContain("Su enlace de calendario para las reuniones de TIIWG");
    // Once, as a link: not the same address again on a line of its own.
    expect(text.match(/\/calendar\/[\w-]+\.ics/g)).toHaveLength(1);
    const link = linkIn(text);
    expect(linkIn(await h.say("salvador", "calendar TIIWG"))).toBe(link);
    expect(await events(link)).toEqual([]);
    // Another person, or the partnership feed, gets another link.
    expect(linkIn(await h.say("sara", "calendar TIIWG"))).not.toBe(link);
    const all = linkIn(await h.say("salvador", "calendario"));
    expect(all).not.toBe(link);

    expect(await h.say("salvador", "calendario reset")).toContain(
      "Sus 2 enlaces de calendario ya no funcionan",
    );
    expect(await events(link)).toBe(404);
    expect(await events(all)).toBe(404);
    expect(await h.say("salvador", "calendario reset")).toBe(
      "No tenía ningún enlace de calendario que revocar.",
    );
    const fresh = linkIn(await h.say("salvador", "calendar TIIWG"));
    expect(fresh).not.toBe(link);
    expect(await events(fresh)).toEqual([]);
  });

  it("refuses a group the person cannot see and words it does not know, with an example", async () => {
    expect(await h.say("outsider", "calendar LMWG")).toContain("LMWG");
    expect(await h.say("outsider", "calendar LMWG")).not.toContain("/calendar/");
    const extra = await h.say("sara", "calendar TIIWG please");
    expect(extra).toContain("I did not understand “please”");
    expect(extra).toContain("/cmp calendar TIIWG");
  });
});

describe("moving and cancelling a meeting", () => {
  async function schedule() {
    const reply = await h.say(
      "sara",
      "meeting TIIWG 2026-12-15 10:00 Roadmap call https://meet.example.org/r https://docs.example.org/agenda",
    );
    expect(reply).toContain("M1 · Roadmap call");
    return linkIn(await h.say("member", "calendar TIIWG"));
  }

  it("updates the same calendar event and tells the group's channel, once, in its languages", async () => {
    const feed = await schedule();
    const [before] = (await events(feed)) as { description: string; sequence: number }[];
    expect(before?.description).toContain("Agenda: https://docs.example.org/agenda");
    expect(before?.sequence).toBe(0);

    const moved = await h.say("salvador", "reunion mover M1 2026-12-16 11:00");
    expect(moved).toContain("M1 es ahora");
    expect(await events(feed)).toMatchObject([{ sequence: 1, status: "CONFIRMED" }]);
    expect(await h.say("sara", "meeting cancel M1")).toContain("M1 is cancelled");
    expect(await events(feed)).toMatchObject([
      { summary: "TIIWG · Roadmap call", sequence: 2, status: "CANCELLED" },
    ]);
    expect(await h.say("sara", "meeting cancel M1")).toContain("M1 was already cancelled");

    const console = recordingNotifier("console", h.clock);
    const scheduler = testScheduler(h.app, h.clock, [console.notifier]);
    h.clock.advance(60_000);
    await scheduler.tick();
    await scheduler.tick();
    expect(console.delivered.map((d) => d.to)).toEqual(["tiiwg", "tiiwg"]);
    const [move, cancel] = console.delivered.map((d) => d.text);
    // TIIWG posts in English and Spanish; Sara scheduled it in her zone, Ottawa.
    expect(move).toContain(
      "Moved: TIIWG · Roadmap call is now Wed, Dec 16, 2026 · 11:00 Ottawa / 10:00 Mexico City",
    );
    expect(move).toContain("(it was Tue, Dec 15, 2026 · 10:00 Ottawa / 09:00 Mexico City");
    expect(move).toContain("Cambio de hora: TIIWG · Roadmap call");
    expect(cancel).toContain("Cancelled: TIIWG · Roadmap call");
    expect(cancel).toContain("Cancelada: TIIWG · Roadmap call");
  });

  it("lets only the group's co-chairs change it, and explains bad input with an example", async () => {
    await schedule();
    expect(await h.say("member", "meeting cancel M1")).toContain("co-chairs");
    expect(await h.say("outsider", "meeting move M1 2026-12-16 11:00")).toContain("co-chairs");
    const noRef = await h.say("sara", "meeting cancel");
    expect(noRef).toContain("Which meeting?");
    expect(noRef).toContain("/cmp meeting cancel M12");
    expect(await h.say("sara", "meeting cancel M99")).toContain("There is no meeting M99");
    expect(await h.say("sara", "meeting move M1 tomorrow")).toContain(
      "I could not read the meeting time “tomorrow”",
    );
    expect(await h.say("sara", "meeting move M1 2026-11-30 10:00")).toContain("in the past");
    expect(await h.say("sara", "meeting move M1 2026-12-15 10:00")).toContain(
      "M1 already starts then",
    );
    await h.say("sara", "meeting cancel M1");
    expect(await h.say("sara", "meeting move M1 2026-12-16 10:00")).toContain(
      "M1 is cancelled: it cannot be moved",
    );
    h.clock.set("2026-12-20T00:00:00Z");
    await h.say("sara", "meeting TIIWG 2026-12-21 10:00 Next");
    h.clock.set("2026-12-22T00:00:00Z");
    expect(await h.say("sara", "meeting cancel M2")).toContain("M2 has already taken place");
  });

  it("acts once on a retried request", async () => {
    await schedule();
    await h.run("sara", "meeting move M1 2026-12-16 11:00", { requestKey: "retry-1" });
    await h.run("sara", "meeting move M1 2026-12-16 11:00", { requestKey: "retry-1" });
    const meeting = await h.app.store.calendar.meeting(1);
    expect(meeting?.sequence).toBe(1);
    const notices = await h.app.database.db
      .selectFrom("deliveries")
      .select("delivery_key")
      .where("kind", "=", "notice")
      .execute();
    expect(notices).toHaveLength(1);
  });
});
