import ical, { ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import { DateTime } from "luxon";
import type { Localizer } from "../i18n.js";
import { meetingWhen } from "../render/items.js";
import type { Meeting } from "../tracker/types.js";
import { vtimezone } from "./vtimezone.js";

// A group's (or the partnership's) teleconferences as an iCalendar subscription feed. Each
// meeting is one event with a stable UID; a move or a cancellation raises its SEQUENCE and
// keeps the UID, so calendar clients update the event they already hold instead of adding one.

/** A meeting as the calendar shows it: with its revision and cancellation. */
export interface CalendarMeeting extends Meeting {
  /** Raised by every change a subscriber must see (move, cancel). */
  sequence: number;
  cancelledAt: string | null;
  updatedAt: string;
}

/** How often subscribers are asked to refetch (REFRESH-INTERVAL, X-PUBLISHED-TTL). */
export const FEED_REFRESH_SECONDS = 3600;

export interface FeedInput {
  /** The calendar's name, already localized ("CMP — TIIWG"). */
  name: string;
  meetings: CalendarMeeting[];
  /** Right-hand side of every UID: the bot's host, so UIDs are unique across deployments. */
  uidDomain: string;
}

export function meetingUid(meetingId: number, uidDomain: string): string {
  return `cmp-meeting-${meetingId}@${uidDomain}`;
}

function summary(l: Localizer, meeting: CalendarMeeting): string {
  const title = meeting.title ?? l.t("common:meeting_default_title");
  return `${meeting.groupCodes.join(" + ")} · ${title}`;
}

function description(l: Localizer, meeting: CalendarMeeting): string {
  const lines = [l.t("calendar:when", { when: meetingWhen(l, meeting) })];
  if (meeting.groupCodes.length > 1)
    lines.push(l.t("common:joint_session", { groups: l.list(meeting.groupCodes) }));
  if (meeting.callLink) lines.push(l.t("calendar:call_link", { link: meeting.callLink }));
  if (meeting.agendaLink) lines.push(l.t("calendar:agenda_link", { link: meeting.agendaLink }));
  if (meeting.cancelledAt) lines.unshift(l.t("calendar:cancelled"));
  return lines.join("\n");
}

/** The feed as iCalendar text (RFC 5545), in the reader's language. */
export function buildFeed(l: Localizer, input: FeedInput): string {
  const years = input.meetings.map((m) => new Date(m.startsAt).getUTCFullYear());
  const fromYear = Math.min(...years) - 1;
  const toYear = Math.max(...years) + 1;
  const calendar = ical({
    prodId: { company: "CMP", product: "cmp-bot", language: l.lang.toUpperCase() },
    method: ICalCalendarMethod.PUBLISH,
    name: input.name,
    ttl: FEED_REFRESH_SECONDS,
    // Only called for zones the events use; each gets its own VTIMEZONE.
    timezone: { name: null, generator: (zone) => vtimezone(zone, fromYear, toYear) },
  });
  for (const meeting of input.meetings) {
    const start = DateTime.fromISO(meeting.startsAt, { zone: meeting.timeZone });
    calendar.createEvent({
      id: meetingUid(meeting.id, input.uidDomain),
      sequence: meeting.sequence,
      start,
      end: start.plus({ minutes: meeting.durationMinutes }),
      timezone: meeting.timeZone,
      summary: summary(l, meeting),
      description: description(l, meeting),
      location: meeting.callLink,
      url: meeting.callLink,
      status: meeting.cancelledAt ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      // The meeting's own change time, not the request's: refetching an unchanged feed gives
      // the same bytes.
      stamp: new Date(meeting.updatedAt),
      created: new Date(meeting.createdAt),
      lastModified: new Date(meeting.updatedAt),
    });
  }
  return calendar.toString();
}
