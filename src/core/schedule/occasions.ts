import { DateTime } from "luxon";
import type { Country, Meeting } from "../tracker/types.js";
import { addDays, DAY_MS, daysBetween, nextWorkingDay, weekday } from "./calendar.js";
import type { GroupSchedule, TimeRange } from "./types.js";

// What is owed when: pure functions of the data, the settings and a time range. Every
// occasion has a stable key, so whoever computes it — another process, a restart — names it
// the same, and the delivery ledger's unique key decides that it is posted once.

/** The summary waits a little after the call: decisions logged right after it still count. */
export const SUMMARY_DELAY_MINUTES = 30;

/** Who a reminder is for: the group's channels, or one owner by direct message. */
export interface Recipient {
  /** "channel", or "p<personId>". */
  id: string;
  timeZone: string;
  countries: readonly Country[];
}

export interface ReminderMoment {
  key: string;
  /** Days from the due day to the day the reminder was meant for: −7, −1, 0, +7, +14… */
  offsetDays: number;
  /** The working day it lands on, in the recipient's calendar. */
  day: string;
  /** ISO-8601 UTC. */
  at: string;
}

function inRange(at: string, range: TimeRange): boolean {
  return at >= range.from && at <= range.to;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The local day of an instant in a zone, "YYYY-MM-DD". */
export function localDay(instant: string, zone: string): string {
  let format = dayFormats.get(zone);
  if (!format) {
    // en-CA writes dates as YYYY-MM-DD.
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone: zone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    dayFormats.set(zone, format);
  }
  return format.format(new Date(instant));
}

const moments = new Map<string, string>();

/** A local wall-clock time on a day in a zone, as a UTC instant (DST-aware, via the IANA zone). */
function localMoment(day: string, time: string, zone: string): string {
  const key = `${day}T${time}@${zone}`;
  let moment = moments.get(key);
  if (moment === undefined) {
    moment = DateTime.fromISO(`${day}T${time}`, { zone }).toUTC().toISO() as string;
    // Ticks revisit the same few days and zones: a small cache, emptied when it grows.
    if (moments.size > 50_000) moments.clear();
    moments.set(key, moment);
  }
  return moment;
}

function offsetLabel(offsetDays: number): string {
  return `${offsetDays > 0 ? "+" : ""}${offsetDays}d`;
}

function reminderKey(
  commitmentId: number,
  offsetDays: number,
  dueAt: string,
  recipient: string,
): string {
  return `reminder:${commitmentId}:${offsetLabel(offsetDays)}:${dueAt}:${recipient}`;
}

/**
 * The reminders of one item for one recipient that fall within `range`: before the due day
 * (the group's reminder days), on it, and weekly after it. Each moves off weekends and the
 * recipient's federal holidays to the next working day; two landing on the same day keep the
 * later one. The due day is the group's: "Q1 2018" ends on 31 March in the group's zone.
 */
export function reminderMoments(
  item: { commitmentId: number; dueAt: string; createdAt: string },
  groupZone: string,
  schedule: GroupSchedule,
  recipient: Recipient,
  range: TimeRange,
): ReminderMoment[] {
  const dueDay = localDay(item.dueAt, groupZone);
  const land = (offsetDays: number): ReminderMoment => {
    const day = nextWorkingDay(addDays(dueDay, offsetDays), recipient.countries);
    return {
      key: reminderKey(item.commitmentId, offsetDays, item.dueAt, recipient.id),
      offsetDays,
      day,
      at: localMoment(day, schedule.reminderTime, recipient.timeZone),
    };
  };
  const byDay = new Map<string, ReminderMoment>();
  // Ascending offsets: a later reminder on the same day replaces an earlier one.
  for (const days of [...schedule.reminderDays].sort((a, b) => b - a)) {
    const moment = land(0 - days);
    byDay.set(moment.day, moment);
  }
  const moments = [...byDay.values()];
  if (schedule.overdueWeekly) {
    // Only the weeks whose reminder can land near the range: a week's shift is under 7 days.
    const first = daysBetween(dueDay, addDays(localDay(range.from, "UTC"), -9));
    const last = daysBetween(dueDay, addDays(localDay(range.to, "UTC"), 2));
    const weeks = Math.min(schedule.overdueReminders, Math.floor(last / 7));
    for (let week = Math.max(1, Math.ceil(first / 7)); week <= weeks; week++) {
      moments.push(land(week * 7));
    }
  }
  return moments
    .filter((m) => m.at >= item.createdAt && inRange(m.at, range))
    .sort((a, b) => (a.at < b.at ? -1 : 1));
}

/** Where and at what local time reminders can be posted: each recipient zone and time of day. */
interface ReminderClock {
  timeZone: string;
  time: string;
}

/**
 * The due moments whose reminders can fall within `range`, as ranges of the
 * `commitments_open_due` index. Only local days on which some zone reaches its reminder time
 * inside the range count, widened by the days off a reminder may have been moved over, then
 * shifted by each reminder day and each week overdue back to `oldestDue`. A range that holds
 * no reminder time anywhere gives no ranges at all: most ticks scan nothing.
 */
export function reminderDueRanges(options: {
  range: TimeRange;
  clocks: ReminderClock[];
  groupZones: string[];
  daysBefore: number[];
  overdueWeekly: boolean;
  /** The most weekly overdue reminders any of the schedules gives. */
  overdueReminders: number;
  oldestDue: string | null;
  daysOffBefore: (day: string) => number;
}): TimeRange[] {
  const { range } = options;
  // Calendar days as integers (days since 1970-01-01): the overdue weeks of old items are many.
  const bases = new Set<number>();
  for (const clock of options.clocks) {
    const last = localDay(range.to, clock.timeZone);
    for (let day = localDay(range.from, clock.timeZone); day <= last; day = addDays(day, 1)) {
      if (!inRange(localMoment(day, clock.time, clock.timeZone), range)) continue;
      for (let back = options.daysOffBefore(day); back >= 0; back--)
        bases.add(epochDay(day) - back);
    }
  }
  if (bases.size === 0) return [];
  const dueDays = new Set<number>();
  for (const before of options.daysBefore) for (const b of bases) dueDays.add(b + before);
  if (options.overdueWeekly && options.oldestDue) {
    const oldest = epochDay(options.oldestDue.slice(0, 10)) - 2;
    const latest = Math.max(...bases);
    for (let week = 1; week <= options.overdueReminders && latest - 7 * week >= oldest; week++) {
      for (const b of bases) dueDays.add(b - 7 * week);
    }
  }
  // A due moment is the end of a local day in its group's zone: bounded by the zones' offsets.
  const year = Number(range.from.slice(0, 4));
  const offsets = options.groupZones.flatMap((zone) =>
    [1, 7].map((month) => DateTime.fromObject({ year, month, day: 1 }, { zone }).offset),
  );
  const east = { min: Math.min(...offsets) * 60_000, max: Math.max(...offsets) * 60_000 };
  const endOfDay = (day: number, offsetMs: number) =>
    new Date((day + 1) * DAY_MS - offsetMs - 1).toISOString();
  const sorted = [...dueDays].sort((a, b) => a - b);
  const ranges: TimeRange[] = [];
  let runStart = sorted[0] as number;
  sorted.forEach((day, i) => {
    const next = sorted[i + 1];
    if (next === day + 1) return;
    ranges.push({ from: endOfDay(runStart, east.max), to: endOfDay(day, east.min) });
    if (next !== undefined) runStart = next;
  });
  return mergeRanges(ranges);
}

function epochDay(day: string): number {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
}

/** Overlapping or touching ranges joined: fewer index seeks, no row found twice. */
function mergeRanges(ranges: TimeRange[]): TimeRange[] {
  const sorted = [...ranges].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const merged: TimeRange[] = [];
  for (const r of sorted) {
    const last = merged.at(-1);
    if (last && r.from <= last.to) {
      if (r.to > last.to) last.to = r.to;
    } else merged.push({ ...r });
  }
  return merged;
}

/** ISO week of a day: "2026-W47". The digest of a week keeps its key when it moves a day. */
function isoWeek(day: string): string {
  const d = DateTime.fromISO(day, { zone: "utc" });
  return `${d.weekYear}-W${String(d.weekNumber).padStart(2, "0")}`;
}

export interface DigestMoment {
  key: string;
  /** The weekday the digest was set for, before moving off a holiday. */
  nominalDay: string;
  at: string;
}

/** The group's weekly digests within `range`, on its weekday at its time, off its holidays. */
export function digestMoments(
  groupId: number,
  zone: string,
  schedule: GroupSchedule,
  range: TimeRange,
): DigestMoment[] {
  const moments: DigestMoment[] = [];
  const firstDay = addDays(localDay(range.from, zone), -8);
  const lastDay = localDay(range.to, zone);
  for (let day = firstDay; day <= lastDay; day = addDays(day, 1)) {
    if (weekday(day) !== schedule.digestWeekday) continue;
    const landed = nextWorkingDay(day, schedule.holidayCountries);
    const at = localMoment(landed, schedule.digestTime, zone);
    if (inRange(at, range))
      moments.push({ key: `digest:${groupId}:${isoWeek(day)}`, nominalDay: day, at });
  }
  return moments;
}

export function agendaKey(meeting: Pick<Meeting, "id" | "startsAt">): string {
  return `agenda:${meeting.id}:${meeting.startsAt}`;
}

export function summaryKey(meeting: Pick<Meeting, "id" | "startsAt">): string {
  return `summary:${meeting.id}:${meeting.startsAt}`;
}

/**
 * When the agenda goes out: `leadHours` before the start, or at once for a meeting scheduled
 * later than that; none for a meeting scheduled after it started.
 */
export function agendaMoment(
  meeting: Pick<Meeting, "startsAt" | "createdAt">,
  leadHours: number,
): string | null {
  if (meeting.createdAt >= meeting.startsAt) return null;
  const at = DateTime.fromISO(meeting.startsAt, { zone: "utc" })
    .minus({ hours: leadHours })
    .toUTC()
    .toISO() as string;
  return at > meeting.createdAt ? at : meeting.createdAt;
}

/** The end of the call. */
export function meetingEnd(meeting: Pick<Meeting, "startsAt" | "durationMinutes">): string {
  return DateTime.fromISO(meeting.startsAt, { zone: "utc" })
    .plus({ minutes: meeting.durationMinutes })
    .toUTC()
    .toISO() as string;
}

/** When the summary goes out, and the end of the window whose decisions and changes it lists. */
export function summaryMoment(meeting: Pick<Meeting, "startsAt" | "durationMinutes">): string {
  return DateTime.fromISO(meetingEnd(meeting), { zone: "utc" })
    .plus({ minutes: SUMMARY_DELAY_MINUTES })
    .toUTC()
    .toISO() as string;
}
