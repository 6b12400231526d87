import { describe, expect, it } from "vitest";
import { daysOffBefore, isWorkingDay, nextWorkingDay } from "../../src/core/schedule/calendar.js";
import {
  agendaMoment,
  digestMoments,
  type Recipient,
  reminderDueRanges,
  reminderMoments,
  summaryMoment,
} from "../../src/core/schedule/occasions.js";
import { defaultSchedule } from "../../src/core/schedule/settings.js";
import { dueInstant } from "../../src/core/tracker/rules.js";
import { parseTimeline } from "../../src/core/tracker/timeline.js";

const MX = "America/Mexico_City";
const OTTAWA = "America/Toronto";
const schedule = defaultSchedule(1);
const all = { from: "2000-01-01T00:00:00.000Z", to: "2100-01-01T00:00:00.000Z" };

function due(text: string, zone: string): string {
  const parsed = parseTimeline(text, { referenceDate: "2026-01-01" });
  if (!parsed.ok) throw new Error(text);
  return dueInstant(parsed.timeline, zone) as string;
}

const channel = (zone: string, countries: ("CA" | "MX")[] = ["CA", "MX"]): Recipient => ({
  id: "channel",
  timeZone: zone,
  countries,
});

function moments(text: string, zone: string, recipient: Recipient, overdueWeeks = 0) {
  const dueAt = due(text, zone);
  const until = new Date(new Date(dueAt).getTime() + (overdueWeeks * 7 + 6) * 86_400_000);
  return reminderMoments(
    { commitmentId: 7, dueAt, createdAt: "2000-01-01T00:00:00.000Z" },
    zone,
    schedule,
    recipient,
    { from: all.from, to: until.toISOString() },
  );
}

describe("working days", () => {
  it("knows Canada's and Mexico's federal holidays from the holiday library", () => {
    expect(isWorkingDay("2027-07-01", ["CA"])).toBe(false); // Canada Day
    expect(isWorkingDay("2027-07-01", ["MX"])).toBe(true);
    expect(isWorkingDay("2027-02-01", ["MX"])).toBe(false); // Día de la Constitución
    expect(isWorkingDay("2027-02-01", ["CA"])).toBe(true);
    expect(isWorkingDay("2027-03-26", ["CA"])).toBe(false); // Good Friday
    expect(isWorkingDay("2027-01-16", ["CA", "MX"])).toBe(false); // a Saturday
  });

  it("moves a day off to the next working day, over weekends and holidays together", () => {
    expect(nextWorkingDay("2027-03-26", ["CA"])).toBe("2027-03-29");
    expect(nextWorkingDay("2027-01-30", ["MX"])).toBe("2027-02-02");
    expect(nextWorkingDay("2027-01-30", ["CA"])).toBe("2027-02-01");
    expect(daysOffBefore("2027-02-02")).toBe(3);
  });
});

describe("reminders", () => {
  it("when the due date is a quarter, then the reminders count back from its last day", () => {
    const found = moments("2027-Q1", MX, channel(MX));
    expect(found.map((m) => [m.offsetDays, m.day])).toEqual([
      [-7, "2027-03-24"],
      [-1, "2027-03-30"],
      [0, "2027-03-31"],
    ]);
    // 09:00 in Mexico City, which stays at UTC−6 all year.
    expect(found.map((m) => m.at.slice(11, 16))).toEqual(["15:00", "15:00", "15:00"]);
  });

  it("keeps 09:00 in Ottawa across the March and November changes, while Mexico City stays UTC−6", () => {
    const march = moments("2027-03-16", OTTAWA, channel(OTTAWA, ["CA"]));
    expect(march.map((m) => `${m.day} ${m.at.slice(11, 16)}`)).toEqual([
      "2027-03-09 14:00", // EST, UTC−5
      "2027-03-15 13:00", // EDT from 14 March, UTC−4
      "2027-03-16 13:00",
    ]);
    const november = moments("2027-11-09", OTTAWA, channel(OTTAWA, ["CA"]));
    expect(november.map((m) => `${m.day} ${m.at.slice(11, 16)}`)).toEqual([
      "2027-11-02 13:00", // EDT
      "2027-11-08 14:00", // EST from 7 November
      "2027-11-09 14:00",
    ]);
    const mexico = moments("2027-03-17", MX, channel(MX));
    expect(mexico.map((m) => `${m.day} ${m.at.slice(11, 16)}`)).toEqual([
      "2027-03-10 15:00",
      "2027-03-16 15:00",
      "2027-03-17 15:00",
    ]);
  });

  it("moves a reminder off a weekend, and keeps one when two land on the same day", () => {
    // Due Monday 18 January: the day before is a Sunday, so it lands on the due day itself.
    const found = moments("2027-01-18", MX, channel(MX));
    expect(found.map((m) => [m.offsetDays, m.day])).toEqual([
      [-7, "2027-01-11"],
      [0, "2027-01-18"],
    ]);
  });

  it("moves a reminder off the recipient's own federal holidays", () => {
    // Seven days before 2 April 2027 is Good Friday in Canada, an ordinary day in Mexico.
    const canadian = moments("2027-04-02", OTTAWA, { ...channel(OTTAWA, ["CA"]), id: "p1" });
    expect(canadian[0]?.day).toBe("2027-03-29");
    const mexican = moments("2027-04-02", OTTAWA, { ...channel(MX, ["MX"]), id: "p2" });
    expect(mexican[0]?.day).toBe("2027-03-26");
    // Seven days before 8 February 2027 is Mexico's Constitution Day.
    const feb = moments("2027-02-08", MX, { ...channel(MX, ["MX"]), id: "p2" });
    expect(feb[0]?.day).toBe("2027-02-02");
    // The day before 16 March 2027 is Benito Juárez's birthday in Mexico: it merges into the due day.
    const juarez = moments("2027-03-16", MX, { ...channel(MX, ["MX"]), id: "p2" });
    expect(juarez.map((m) => [m.offsetDays, m.day])).toEqual([
      [-7, "2027-03-09"],
      [0, "2027-03-16"],
    ]);
  });

  it("reminds weekly while overdue, each week off weekends too", () => {
    const found = moments("2027-01-15", MX, channel(MX), 3);
    expect(found.filter((m) => m.offsetDays > 0).map((m) => [m.offsetDays, m.day])).toEqual([
      [7, "2027-01-22"],
      [14, "2027-01-29"],
      [21, "2027-02-05"],
    ]);
    const keys = new Set(found.map((m) => m.key));
    expect(keys.size).toBe(found.length);
    expect(found[0]?.key).toBe(`reminder:7:-7d:${due("2027-01-15", MX)}:channel`);
  });

  it("owes nothing from before the item existed", () => {
    const dueAt = due("2027-03-31", MX);
    const found = reminderMoments(
      { commitmentId: 1, dueAt, createdAt: "2027-03-29T00:00:00.000Z" },
      MX,
      schedule,
      channel(MX),
      { from: all.from, to: dueAt },
    );
    expect(found.map((m) => m.offsetDays)).toEqual([-1, 0]);
  });

  it("finds every reminder of a window through due-date ranges, however long overdue", () => {
    const window = { from: "2027-03-01T12:00:00.000Z", to: "2027-03-02T12:00:00.000Z" };
    const options = {
      clocks: [
        { timeZone: MX, time: "09:00" },
        { timeZone: OTTAWA, time: "09:00" },
      ],
      groupZones: [MX, OTTAWA],
      daysBefore: [7, 1, 0],
      overdueWeekly: true,
      overdueReminders: schedule.overdueReminders,
      oldestDue: "2019-01-31T06:00:00.000Z",
      daysOffBefore,
    };
    const ranges = reminderDueRanges({ ...options, range: window });
    const covered = (at: string) => ranges.some((r) => at >= r.from && at <= r.to);
    let found = 0;
    for (let day = Date.parse("2025-10-01"); day < Date.parse("2027-03-20"); day += 86_400_000) {
      for (const zone of [MX, OTTAWA]) {
        const dueAt = due(new Date(day).toISOString().slice(0, 10), zone);
        for (const recipient of [channel(zone), channel(zone === MX ? OTTAWA : MX, ["CA"])]) {
          const owed = reminderMoments(
            { commitmentId: 1, dueAt, createdAt: all.from },
            zone,
            schedule,
            recipient,
            window,
          );
          if (owed.length === 0) continue;
          found += 1;
          expect(covered(dueAt), dueAt).toBe(true);
        }
      }
    }
    // Overdue weeks stop after OVERDUE_REMINDERS, so only recent due dates are owed anything.
    expect(found).toBeGreaterThan(50);
    // …while the ranges leave out most overdue weeks: what is scanned follows what is due.
    const span = ranges.reduce((n, r) => n + (Date.parse(r.to) - Date.parse(r.from)), 0);
    expect(span / (Date.parse("2027-03-20") - Date.parse("2019-01-31"))).toBeLessThan(0.5);
    // A minute without any zone's reminder time scans nothing at all.
    const quiet = { from: "2027-03-01T12:00:00.000Z", to: "2027-03-01T12:01:00.000Z" };
    expect(reminderDueRanges({ ...options, range: quiet })).toEqual([]);
  });
});

describe("digests, agendas and summaries", () => {
  it("posts the digest on its weekday and local time, moved off a federal holiday", () => {
    const found = digestMoments(3, MX, schedule, {
      from: "2027-01-25T00:00:00.000Z",
      to: "2027-02-10T00:00:00.000Z",
    });
    expect(found).toEqual([
      { key: "digest:3:2027-W04", nominalDay: "2027-01-25", at: "2027-01-25T15:00:00.000Z" },
      // Monday 1 February is Mexico's Constitution Day: Tuesday instead, same week's key.
      { key: "digest:3:2027-W05", nominalDay: "2027-02-01", at: "2027-02-02T15:00:00.000Z" },
      { key: "digest:3:2027-W06", nominalDay: "2027-02-08", at: "2027-02-08T15:00:00.000Z" },
    ]);
  });

  it("sends the agenda its lead time before the call, or at once when scheduled later", () => {
    const meeting = { startsAt: "2027-02-10T16:00:00.000Z", createdAt: "2027-01-01T00:00:00.000Z" };
    expect(agendaMoment(meeting, 24)).toBe("2027-02-09T16:00:00.000Z");
    expect(agendaMoment({ ...meeting, createdAt: "2027-02-10T12:00:00.000Z" }, 24)).toBe(
      "2027-02-10T12:00:00.000Z",
    );
    expect(agendaMoment({ ...meeting, createdAt: "2027-02-10T17:00:00.000Z" }, 24)).toBeNull();
    expect(summaryMoment({ startsAt: meeting.startsAt, durationMinutes: 60 })).toBe(
      "2027-02-10T17:30:00.000Z",
    );
  });
});
