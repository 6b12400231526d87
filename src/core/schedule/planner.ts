import { DateTime } from "luxon";
import type { StoreView } from "../ports.js";
import type { Language, Meeting, Platform, WorkingGroup } from "../tracker/types.js";
import { daysOffBefore } from "./calendar.js";
import {
  agendaKey,
  agendaMoment,
  digestMoments,
  type Recipient,
  reminderDueRanges,
  reminderMoments,
  SUMMARY_DELAY_MINUTES,
  summaryKey,
  summaryMoment,
} from "./occasions.js";
import { type NudgeOccasion, type RatifiedOccasion, ratificationOccasions } from "./ratify-plan.js";
import type { Contact, GroupSchedule, OccasionKind, Target, TimeRange } from "./types.js";

// Finds every occasion owed within a time range, with where it goes. The runner claims them;
// `upcoming` shows them. Cost follows what is due: index range scans, then a handful of
// batched look-ups for the few items found.

type SkipReason = "paused" | "snoozed" | "no_target";

interface OccasionBase {
  key: string;
  kind: OccasionKind;
  /** When it is owed, ISO-8601 UTC. */
  at: string;
  /** The group whose ledger rows record it (the first group of a joint session). */
  groupId: number;
  skip: SkipReason | null;
}

export type Occasion =
  | (OccasionBase & {
      kind: "reminder";
      commitmentId: number;
      number: number;
      dueAt: string;
      offsetDays: number;
      /** The working day it lands on, in the recipient's calendar. */
      day: string;
      recipient: Recipient;
      /** Set for a direct message. */
      person: Contact | null;
    })
  | (OccasionBase & { kind: "digest"; nominalDay: string })
  | NudgeOccasion
  | RatifiedOccasion
  | (OccasionBase & { kind: "agenda" | "summary"; meeting: Meeting; groupIds: number[] });

/** One post of an occasion: where, and in which languages. */
export interface Placement {
  target: Target;
  languages: Language[];
  /** The group a channel belongs to (for a direct message, the item's group). */
  groupId: number;
}

/** Meetings run at most a few days (an annual meeting): how far back a summary can be owed. */
const LONGEST_MEETING_HOURS = 72;

/** Direct messages go to the first account a person has on these platforms, in this order. */
const DM_PLATFORMS: Platform[] = ["slack", "teams", "console"];

interface PlanScope {
  /** Only these groups (for `upcoming`); every active group when absent. */
  groupIds?: number[];
}

export async function occasionsIn(
  store: StoreView,
  range: TimeRange,
  scope: PlanScope = {},
): Promise<Occasion[]> {
  const groups = (await store.groups.all()).filter(
    (g) => g.active && (!scope.groupIds || scope.groupIds.includes(g.id)),
  );
  if (groups.length === 0) return [];
  const byId = new Map(groups.map((g) => [g.id, g]));
  const schedules = await store.schedule.settings(groups.map((g) => g.id));
  const occasions: Occasion[] = [
    ...(await reminders(store, range, byId, schedules)),
    ...digests(range, groups, schedules),
    ...(await meetings(store, range, byId, schedules)),
    ...(await ratificationOccasions(store, range, byId, schedules)),
  ];
  return occasions.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.key < b.key ? -1 : 1));
}

async function reminders(
  store: StoreView,
  range: TimeRange,
  groups: Map<number, WorkingGroup>,
  schedules: Map<number, GroupSchedule>,
): Promise<Occasion[]> {
  const all = [...schedules.values()];
  const times = [...new Set(all.map((s) => s.reminderTime))];
  const zones = new Set([...groups.values()].map((g) => g.timeZone));
  for (const zone of await store.schedule.personZones()) zones.add(zone);
  const ranges = reminderDueRanges({
    range,
    clocks: [...zones].flatMap((timeZone) => times.map((time) => ({ timeZone, time }))),
    groupZones: [...new Set([...groups.values()].map((g) => g.timeZone))],
    daysBefore: [...new Set(all.flatMap((s) => s.reminderDays))],
    overdueWeekly: all.some((s) => s.overdueWeekly),
    overdueReminders: Math.max(0, ...all.map((s) => s.overdueReminders)),
    oldestDue: await store.schedule.oldestOpenDue(),
    daysOffBefore,
  });
  if (ranges.length === 0) return [];
  const due = (await store.schedule.openDueIn(ranges)).filter((d) => groups.has(d.groupId));
  if (due.length === 0) return [];
  const owners = await store.schedule.personOwners(due.map((d) => d.commitmentId));
  const contacts = new Map(
    (await store.schedule.contacts([...owners.values()].flat())).map((c) => [c.personId, c]),
  );
  const found: Occasion[] = [];
  for (const item of due) {
    const group = groups.get(item.groupId) as WorkingGroup;
    const schedule = schedules.get(item.groupId) as GroupSchedule;
    const channel: Recipient = {
      id: "channel",
      timeZone: group.timeZone,
      countries: schedule.holidayCountries,
    };
    const people = (owners.get(item.commitmentId) ?? [])
      .map((id) => contacts.get(id))
      .filter((c): c is Contact => c !== undefined && c.identities.length > 0);
    const recipients: { recipient: Recipient; person: Contact | null }[] = [];
    // Each owner's choice on their page: the channel instead of a direct message, or no
    // reminder at all (the weekly digest lists their items).
    const wanted = people.filter((p) => p.remindersVia !== "digest");
    let toChannel = schedule.reminderTo !== "owners";
    if (schedule.reminderTo !== "channel") {
      for (const person of wanted) {
        if (person.remindersVia === "channel") {
          toChannel = true;
          continue;
        }
        recipients.push({
          person,
          recipient: {
            id: `p${person.personId}`,
            timeZone: person.timeZone ?? group.timeZone,
            countries: person.country ? [person.country] : schedule.holidayCountries,
          },
        });
      }
    }
    // Owners nobody can message (organisations, people never seen on a platform): the channel;
    // not when every owner asked for the digest only.
    const digestOnly = people.length > 0 && wanted.length === 0;
    if (toChannel || (recipients.length === 0 && !digestOnly))
      recipients.push({ recipient: channel, person: null });
    for (const { recipient, person } of recipients) {
      for (const moment of reminderMoments(item, group.timeZone, schedule, recipient, range)) {
        found.push({
          kind: "reminder",
          key: moment.key,
          at: moment.at,
          groupId: item.groupId,
          skip: schedule.paused ? "paused" : null,
          commitmentId: item.commitmentId,
          number: item.number,
          dueAt: item.dueAt,
          offsetDays: moment.offsetDays,
          day: moment.day,
          recipient,
          person,
        });
      }
    }
  }
  const snoozes = await store.schedule.snoozes([
    ...new Set(found.map((o) => (o.kind === "reminder" ? o.commitmentId : 0))),
  ]);
  for (const occasion of found) {
    if (occasion.kind !== "reminder" || occasion.skip) continue;
    const until = snoozes.get(occasion.commitmentId);
    if (until && occasion.at < until) occasion.skip = "snoozed";
  }
  return found;
}

function digests(
  range: TimeRange,
  groups: WorkingGroup[],
  schedules: Map<number, GroupSchedule>,
): Occasion[] {
  return groups.flatMap((group) => {
    const schedule = schedules.get(group.id) as GroupSchedule;
    return digestMoments(group.id, group.timeZone, schedule, range).map(
      (m): Occasion => ({
        kind: "digest",
        key: m.key,
        at: m.at,
        groupId: group.id,
        skip: schedule.paused ? "paused" : null,
        nominalDay: m.nominalDay,
      }),
    );
  });
}

function shift(instant: string, hours: number): string {
  return DateTime.fromISO(instant, { zone: "utc" }).plus({ hours }).toUTC().toISO() as string;
}

async function meetings(
  store: StoreView,
  range: TimeRange,
  groups: Map<number, WorkingGroup>,
  schedules: Map<number, GroupSchedule>,
): Promise<Occasion[]> {
  const leads = [...schedules.values()].map((s) => s.agendaLeadHours);
  const maxLead = Math.max(...leads);
  const minLead = Math.min(...leads);
  const found: Occasion[] = [];
  const inRange = (at: string | null) => at !== null && at >= range.from && at <= range.to;
  const later = (a: string, b: string) => (a > b ? a : b);
  // An agenda is owed some lead time before the start (at once for a late meeting).
  const agendaCouldBe = (m: { startsAt: string; createdAt: string }) =>
    m.createdAt < m.startsAt &&
    later(shift(m.startsAt, -maxLead), m.createdAt) <= range.to &&
    later(shift(m.startsAt, -minLead), m.createdAt) >= range.from;
  const nearby = await store.schedule.meetingsStartingIn({
    from: shift(range.from, -(LONGEST_MEETING_HOURS + SUMMARY_DELAY_MINUTES / 60)),
    to: shift(range.to, maxLead),
  });
  for (const near of nearby) {
    // Only meetings with an agenda or a summary possibly owed now are loaded.
    if (!inRange(summaryMoment(near)) && !agendaCouldBe(near)) continue;
    const meeting = await store.meetings.byId(near.id);
    if (!meeting) continue;
    const own = meeting.groupIds.filter((g) => groups.has(g));
    if (own.length === 0) continue;
    // Ledger rows belong to the first group of the meeting that is in scope.
    const groupId = own[0] as number;
    const all = [...(await store.schedule.settings(meeting.groupIds)).values()];
    const active = all.filter((s) => !s.paused);
    const paused = active.length === 0;
    // A joint session's agenda goes out at the earliest lead time of its groups.
    const lead = Math.max(...(paused ? all : active).map((s) => s.agendaLeadHours));
    const agendaAt = agendaMoment(meeting, lead);
    const groupIds = meeting.groupIds;
    const common = { groupId, meeting, groupIds, skip: paused ? ("paused" as const) : null };
    if (inRange(agendaAt))
      found.push({ kind: "agenda", key: agendaKey(meeting), at: agendaAt as string, ...common });
    const summaryAt = summaryMoment(meeting);
    if (inRange(summaryAt))
      found.push({ kind: "summary", key: summaryKey(meeting), at: summaryAt, ...common });
  }
  return found;
}

/** Where an occasion is posted: each channel of each group concerned, or one direct message. */
export async function placementsOf(store: StoreView, occasion: Occasion): Promise<Placement[]> {
  if ((occasion.kind === "reminder" || occasion.kind === "nudge") && occasion.person) {
    const person = occasion.person;
    const identity = DM_PLATFORMS.map((p) => person.identities.find((i) => i.platform === p)).find(
      (i) => i !== undefined,
    );
    if (!identity) return [];
    const group = await store.groups.byId(occasion.groupId);
    return [
      {
        target: {
          kind: "direct",
          platform: identity.platform,
          userId: identity.userId,
          personId: person.personId,
        },
        languages: [person.language ?? group?.languages[0] ?? "en"],
        groupId: occasion.groupId,
      },
    ];
  }
  const groupIds =
    occasion.kind === "agenda" || occasion.kind === "summary"
      ? await unpaused(store, occasion.groupIds)
      : [occasion.groupId];
  // A ratification is announced in the thread of the message the decision was logged from.
  const source =
    occasion.kind === "ratified"
      ? (await store.decisions.byNumber(occasion.groupId, occasion.number))?.source
      : null;
  const placements: Placement[] = [];
  for (const groupId of groupIds) {
    const group = await store.groups.byId(groupId);
    if (!group?.active) continue;
    for (const channel of await store.groups.channels(groupId)) {
      const inThread =
        source?.messageId &&
        source.platform === channel.platform &&
        source.channelId === channel.channelId;
      placements.push({
        target: {
          kind: "channel",
          platform: channel.platform,
          channelId: channel.channelId,
          groupId,
          ...(inThread ? { threadId: source.messageId as string } : {}),
        },
        languages: group.languages.length > 0 ? group.languages : ["en"],
        groupId,
      });
    }
  }
  return placements;
}

async function unpaused(store: StoreView, groupIds: number[]): Promise<number[]> {
  const settings = await store.schedule.settings(groupIds);
  return groupIds.filter((id) => !settings.get(id)?.paused);
}

export function targetKey(target: Target): string {
  return target.kind === "channel"
    ? `${target.platform}:${target.channelId}`
    : `dm:${target.platform}:${target.userId}`;
}

/** The ledger key of one post: the occasion and where it goes. */
export function deliveryKey(occasionKey: string, target: Target): string {
  return `${occasionKey}|${targetKey(target)}`;
}
