import { describe, expect, it } from "vitest";
import { type MeetingTime, readMeetingTime } from "../../src/core/tracker/meeting-time.js";

// Monday 1 March 2027, 09:00 in Mexico City.
const NOW = new Date("2027-03-01T15:00:00Z");
const MX = "America/Mexico_City";
const OTTAWA = "America/Toronto";

function read(text: string, defaultZone = MX, now = NOW): MeetingTime {
  return readMeetingTime(text.split(" "), { now, defaultZone, defaultSource: "group" });
}

function at(text: string, defaultZone = MX) {
  const r = read(text, defaultZone);
  if (!r.ok) throw new Error(`${text}: ${r.error}`);
  return { startsAt: r.startsAt, zone: r.zone, source: r.source, used: r.used };
}

describe("readMeetingTime: explicit zones", () => {
  it.each([
    ["2027-03-02 10:00 Ottawa", "2027-03-02T15:00:00.000Z", OTTAWA],
    ["2027-03-02 10:00 ET", "2027-03-02T15:00:00.000Z", OTTAWA],
    ["2027-03-02 10:00 (Ottawa time)", "2027-03-02T15:00:00.000Z", OTTAWA],
    ["2027-03-02 10:00 CDMX", "2027-03-02T16:00:00.000Z", MX],
    ["2027-03-02 10:00 Mexico City", "2027-03-02T16:00:00.000Z", MX],
    ["2027-03-02 10:00 Ciudad de México", "2027-03-02T16:00:00.000Z", MX],
    ["2027-03-02 10:00 UTC", "2027-03-02T10:00:00.000Z", "UTC"],
    ["2027-03-02 10:00 UTC-5", "2027-03-02T15:00:00.000Z", "UTC"],
    ["2027-03-02 10:00 America/Vancouver", "2027-03-02T18:00:00.000Z", "America/Vancouver"],
    ["2027-03-02 10:00 Calgary", "2027-03-02T17:00:00.000Z", "America/Edmonton"],
    ["2027-03-02 10 h heure d'Ottawa", "2027-03-02T15:00:00.000Z", OTTAWA],
    ["2027-03-02 10:00 hora de Ottawa", "2027-03-02T15:00:00.000Z", OTTAWA],
  ])("“%s” is %s, read in %s as typed", (text, instant, zone) => {
    expect(at(text)).toMatchObject({ startsAt: instant, zone, source: "typed" });
  });

  it("without a zone the default zone is used and said to be the default", () => {
    expect(at("2027-03-02 10:00", OTTAWA)).toMatchObject({
      startsAt: "2027-03-02T15:00:00.000Z",
      zone: OTTAWA,
      source: "group",
    });
  });

  it("the same typed time in either group order is the same instant once a zone is named", () => {
    expect(at("2027-03-02 10:00 Ottawa", MX).startsAt).toBe(
      at("2027-03-02 10:00 Ottawa", OTTAWA).startsAt,
    );
  });

  it("the words after the time and zone are left for the title", () => {
    expect(at("2027-03-02 10:00 Ottawa Joint call").used).toBe(3);
    expect(at("2027-03-02 10:00 Joint call").used).toBe(2);
  });
});

describe("readMeetingTime: times people type", () => {
  it.each([
    ["tomorrow 10:00", "2027-03-02T16:00:00.000Z"],
    ["mañana 10:00", "2027-03-02T16:00:00.000Z"],
    ["demain 10 h", "2027-03-02T16:00:00.000Z"],
    ["next Tuesday 15:30", "2027-03-02T21:30:00.000Z"],
    ["Tuesday 3:30 pm", "2027-03-02T21:30:00.000Z"],
    ["martes 10:00", "2027-03-02T16:00:00.000Z"],
    ["el próximo martes a las 10:00", "2027-03-02T16:00:00.000Z"],
    ["mardi prochain 10 h", "2027-03-02T16:00:00.000Z"],
    ["jeudi à 14h30", "2027-03-04T20:30:00.000Z"],
    ["2027-03-02T10:00", "2027-03-02T16:00:00.000Z"],
    ["3 de marzo 10:00", "2027-03-03T16:00:00.000Z"],
    ["March 3 at 10am", "2027-03-03T16:00:00.000Z"],
  ])("“%s” is %s", (text, instant) => {
    expect(at(text).startsAt).toBe(instant);
  });

  it("a weekday is the coming one, never today", () => {
    // Monday: "lundi" is next Monday.
    expect(at("lundi 10 h").startsAt).toBe("2027-03-08T16:00:00.000Z");
  });

  it.each(["10:00", "2027-02-30 10:00", "2027-03-02 25:00", "someday 10:00", "tomorrow"])(
    "“%s” is not a meeting time",
    (text) => {
      expect(read(text)).toEqual({ ok: false, error: "unreadable" });
    },
  );
});

describe("readMeetingTime: daylight-saving changes", () => {
  it("a time the spring-forward gap skips is refused with the times on either side", () => {
    expect(read("2027-03-14 02:30 Ottawa")).toEqual({
      ok: false,
      error: "gap",
      local: "2027-03-14 02:30",
      zone: OTTAWA,
      before: "2027-03-14T06:30:00.000Z",
      after: "2027-03-14T07:30:00.000Z",
    });
  });

  it("a time that happens twice is read as the first, with the second given back", () => {
    expect(read("2027-11-07 01:30 Ottawa")).toMatchObject({
      ok: true,
      startsAt: "2027-11-07T05:30:00.000Z",
      alsoAt: "2027-11-07T06:30:00.000Z",
    });
  });

  it("EST and EDT name one offset, so they pick one of the two", () => {
    expect(at("2027-11-07 01:30 EDT").startsAt).toBe("2027-11-07T05:30:00.000Z");
    expect(at("2027-11-07 01:30 EST").startsAt).toBe("2027-11-07T06:30:00.000Z");
  });

  it("Mexico City has no change any more: the same wall time is always UTC−6", () => {
    expect(at("2027-04-04 02:30 CDMX").startsAt).toBe("2027-04-04T08:30:00.000Z");
  });
});
