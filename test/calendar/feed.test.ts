import ICAL from "ical.js";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CALENDAR_PREFIX, calendarRoute } from "../../src/http/calendar.route.js";
import { createHttpServer, type HttpServer } from "../../src/http/server.js";
import { createHarness, type Harness } from "../support/harness.js";

// The feed as a calendar client reads it: fetched over HTTP with a person's token, parsed by
// ical.js with only the VTIMEZONEs the feed carries, across Ottawa's return to standard time
// (1 November 2026) while Mexico City stays at UTC−6.

interface ParsedEvent {
  uid: string;
  sequence: number;
  status: string;
  summary: string;
  description: string;
  startUtc: string;
  tzid: string;
}

function parseFeed(text: string) {
  const root = new ICAL.Component(ICAL.parse(text));
  for (const vtz of root.getAllSubcomponents("vtimezone"))
    ICAL.TimezoneService.register(new ICAL.Timezone(vtz));
  const events: ParsedEvent[] = root.getAllSubcomponents("vevent").map((c) => {
    const event = new ICAL.Event(c);
    return {
      uid: event.uid,
      sequence: event.sequence,
      status: String(c.getFirstPropertyValue("status")),
      summary: event.summary,
      description: event.description,
      startUtc: event.startDate.toJSDate().toISOString(),
      tzid: String(c.getFirstProperty("dtstart")?.getParameter("tzid")),
    };
  });
  return {
    events,
    zones: root
      .getAllSubcomponents("vtimezone")
      .map((z) => String(z.getFirstPropertyValue("tzid"))),
    refresh: String(root.getFirstPropertyValue("refresh-interval")),
    ttl: String(root.getFirstPropertyValue("x-published-ttl")),
  };
}

let h: Harness;
let http: HttpServer;
let base: string;

beforeEach(async () => {
  h = await createHarness({ now: "2026-10-20T15:00:00Z" });
  http = createHttpServer(pino({ level: "silent" }));
  http.routePrefix(
    "GET",
    CALENDAR_PREFIX,
    calendarRoute({ store: h.app.store, i18n: h.app.i18n, clock: h.clock, uidDomain: "cmp.test" }),
  );
  base = `http://127.0.0.1:${await http.listen(0, "127.0.0.1")}`;
  ICAL.TimezoneService.reset();
});
afterEach(async () => {
  await http.close();
  await h.close();
});

async function meeting(codes: string[], startsAt: string, timeZone: string, title: string) {
  const groups = await Promise.all(codes.map((c) => h.app.store.groups.byCode(c)));
  return h.app.store.meetings.create({
    groupIds: groups.map((g) => g?.id as number),
    title,
    startsAt,
    durationMinutes: 60,
    timeZone,
    callLink: "https://meet.example.org/tiiwg",
    agendaLink: "https://docs.example.org/agenda",
    createdBy: null,
    at: "2026-10-20T15:00:00Z",
  });
}

async function tokenOf(personKey: string, code: string | null) {
  const person = await h.app.store.people.byHandle(personKey);
  const group = code ? await h.app.store.groups.byCode(code) : null;
  return h.app.store.calendar.token(
    person?.id as number,
    group?.id ?? null,
    `${personKey}-${code ?? "all"}-token-0123456789abcdefghijklmnop`,
    "2026-10-20T15:00:00Z",
  );
}

describe("a group's calendar feed", () => {
  it("places meetings at the right instant on both sides of Ottawa's DST change, with both countries' times", async () => {
    // LMWG meets in Ottawa time: 10:00 is 14:00 UTC before 1 November, 15:00 UTC after.
    await meeting(["LMWG"], "2026-10-30T14:00:00.000Z", "America/Toronto", "Before the change");
    await meeting(["LMWG"], "2026-11-06T15:00:00.000Z", "America/Toronto", "After the change");
    const response = await fetch(`${base}/calendar/${await tokenOf("sara", "LMWG")}.ics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    const feed = parseFeed(await response.text());
    expect(feed.zones).toEqual(["America/Toronto"]);
    expect(feed.refresh).toBe("PT1H");
    expect(feed.ttl).toBe("PT1H");
    expect(feed.events.map((e) => [e.summary, e.tzid, e.startUtc])).toEqual([
      ["LMWG · Before the change", "America/Toronto", "2026-10-30T14:00:00.000Z"],
      ["LMWG · After the change", "America/Toronto", "2026-11-06T15:00:00.000Z"],
    ]);
    // Ottawa and Mexico City are 2 h apart before the change and 1 h after.
    expect(feed.events[0]?.description).toContain("10:00 Ottawa / 08:00 Mexico City");
    expect(feed.events[1]?.description).toContain("10:00 Ottawa / 09:00 Mexico City");
    expect(feed.events[0]?.description).toContain("Call: https://meet.example.org/tiiwg");
  });

  it("keeps one event per meeting when it moves or is cancelled, raising its SEQUENCE", async () => {
    const moved = await meeting(
      ["TIIWG"],
      "2026-11-03T16:00:00.000Z",
      "America/Mexico_City",
      "Roadmap",
    );
    const cancelled = await meeting(
      ["TIIWG"],
      "2026-11-10T16:00:00.000Z",
      "America/Mexico_City",
      "Review",
    );
    const url = `${base}/calendar/${await tokenOf("salvador", "TIIWG")}.ics`;
    const before = parseFeed(await (await fetch(url)).text());
    expect(before.events.map((e) => [e.uid, e.sequence, e.status])).toEqual([
      [`cmp-meeting-${moved.id}@cmp.test`, 0, "CONFIRMED"],
      [`cmp-meeting-${cancelled.id}@cmp.test`, 0, "CONFIRMED"],
    ]);
    await h.app.store.calendar.move(moved.id, "2026-11-04T17:00:00.000Z", "2026-10-21T10:00:00Z");
    await h.app.store.calendar.cancel(cancelled.id, "2026-10-21T10:05:00Z");
    const after = parseFeed(await (await fetch(url)).text());
    expect(after.events.map((e) => [e.uid, e.sequence, e.status, e.startUtc])).toEqual([
      [`cmp-meeting-${moved.id}@cmp.test`, 1, "CONFIRMED", "2026-11-04T17:00:00.000Z"],
      [`cmp-meeting-${cancelled.id}@cmp.test`, 1, "CANCELLED", "2026-11-10T16:00:00.000Z"],
    ]);
    // Salvador reads Spanish; the feed is written in his language.
    expect(after.events[1]?.description).toContain("CANCELADA");
    expect(after.events[0]?.description).toContain("Llamada: https://meet.example.org/tiiwg");
  });

  it("shows the partnership feed only the groups its holder may see, checked at every fetch", async () => {
    await meeting(["TIIWG"], "2026-11-03T16:00:00.000Z", "America/Mexico_City", "Open call");
    await meeting(["LMWG"], "2026-11-04T15:00:00.000Z", "America/Toronto", "Restricted call");
    const summaries = async (person: string) =>
      parseFeed(
        await (await fetch(`${base}/calendar/${await tokenOf(person, null)}.ics`)).text(),
      ).events.map((e) => e.summary);
    expect(await summaries("sara")).toEqual(["TIIWG · Open call", "LMWG · Restricted call"]);
    expect(await summaries("outsider")).toEqual(["TIIWG · Open call"]);
    // A token for a restricted group opens nothing once its holder cannot see the group.
    const token = await tokenOf("outsider", "LMWG");
    expect((await fetch(`${base}/calendar/${token}.ics`)).status).toBe(404);
  });

  it("answers a revoked, unknown or malformed token exactly like a missing page", async () => {
    const token = await tokenOf("sara", "TIIWG");
    expect((await fetch(`${base}/calendar/${token}.ics`)).status).toBe(200);
    const sara = await h.app.store.people.byHandle("sara");
    expect(await h.app.store.calendar.revoke(sara?.id as number, "2026-10-21T00:00:00Z")).toBe(1);
    for (const path of [token, "x".repeat(40), "../../etc/passwd", ""]) {
      const response = await fetch(`${base}/calendar/${path}.ics`);
      expect(response.status).toBe(404);
      expect(await response.text()).toBe("not found");
    }
  });
});
