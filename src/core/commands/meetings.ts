import type { CalendarMeeting } from "../calendar/feed.js";
import { meetingNotices } from "../calendar/notices.js";
import { BotError } from "../errors.js";
import type { Localizer } from "../i18n.js";
import { canManage, canSee, requireManage } from "../policy.js";
import { meetingLine, meetingRef, meetingWhen, PARTNER_ZONES, zoneLabel } from "../render/items.js";
import { readMeetingTime } from "../tracker/meeting-time.js";
import { GROUP_CODE, LIMITS } from "../tracker/rules.js";
import type { WorkingGroup } from "../tracker/types.js";
import { checkLength, isWord, takeGroup, tokenize } from "./args.js";
import { type CommandContext, command, message } from "./command.js";

// Meetings: meeting (schedule one, for one group or a joint session; cancel or move one),
// meetings (the next ones).

const DEFAULT_DURATION = 60;

/** Leading group codes: one group, or a joint session of several; the rest of the tokens. */
async function leadingGroups(ctx: CommandContext, tokens: string[]) {
  const groups: WorkingGroup[] = [];
  let index = 0;
  for (; index < tokens.length; index += 1) {
    const token = tokens[index] as string;
    if (!GROUP_CODE.test(token)) break;
    const group = await ctx.store.groups.byCode(token);
    if (!group || !canSee(ctx.actor, group)) {
      if (token === token.toUpperCase())
        throw new BotError(
          "errors:unknown_group",
          { code: token.toUpperCase() },
          "examples:meeting",
        );
      break;
    }
    if (!groups.some((g) => g.id === group.id)) groups.push(group);
  }
  if (groups.length === 0) {
    if (!ctx.channelGroup) throw new BotError("errors:group_needed", {}, "examples:meeting");
    groups.push(ctx.channelGroup);
  }
  return { groups, rest: tokens.slice(index) };
}

/** WHEN (and an optional zone) at the head of `tokens`; refusals say why, with an example. */
function readWhen(
  ctx: CommandContext,
  tokens: string[],
  defaults: { zone: string; source: "speaker" | "group" },
  exampleKey: string,
) {
  const when = readMeetingTime(tokens, {
    now: ctx.now,
    defaultZone: defaults.zone,
    defaultSource: defaults.source,
  });
  const given = tokens.slice(0, 4).join(" ");
  if (!when.ok && when.error === "gap") {
    const { l } = ctx;
    throw new BotError(
      "errors:meeting_gap",
      {
        time: when.local.slice(11),
        date: l.date(when.before, when.zone),
        zone: zoneLabel(l, when.zone),
        before: l.time(when.before, when.zone),
        after: l.time(when.after, when.zone),
      },
      exampleKey,
    );
  }
  if (!when.ok) throw new BotError("errors:meeting_when", { given }, exampleKey);
  if (Date.parse(when.startsAt) <= ctx.now.getTime())
    throw new BotError(
      "errors:meeting_past",
      { given: ctx.l.dateTime(when.startsAt, when.zone) },
      exampleKey,
    );
  return when;
}

async function schedule(ctx: CommandContext, tokens: string[]) {
  const { groups, rest } = await leadingGroups(ctx, tokens);
  for (const group of groups) requireManage(ctx.actor, group, "examples:meeting");
  const [first] = groups as [WorkingGroup];
  // WHEN, in the zone typed after it; else the speaker's own zone; else the first group's.
  const speakerZone = ctx.actor.person.timeZone;
  const when = readWhen(
    ctx,
    rest,
    { zone: speakerZone ?? first.timeZone, source: speakerZone ? "speaker" : "group" },
    "examples:meeting",
  );
  const remaining = rest.slice(when.used);
  // The first link is the call, a second one the agenda.
  const [callLink = null, agendaLink = null] = remaining.filter((t) => /^https:\/\/\S+$/i.test(t));
  const titleText = remaining.filter((t) => t !== callLink && t !== agendaLink).join(" ");
  const title = titleText
    ? checkLength(titleText, LIMITS.title, "title", "examples:meeting")
    : null;
  const meeting = await ctx.tracker.scheduleMeeting(groups, {
    title,
    startsAt: when.startsAt,
    durationMinutes: DEFAULT_DURATION,
    timeZone: when.zone,
    callLink,
    agendaLink,
  });
  const { l } = ctx;
  const text = l.t("meetings:scheduled", { groups: l.list(meeting.groupCodes) });
  const why =
    when.source === "typed"
      ? l.t("meetings:why.typed")
      : when.source === "speaker"
        ? l.t("meetings:why.speaker")
        : l.t("meetings:why.group", { code: first.code });
  const notes = [
    l.t("meetings:read_in", {
      time: l.time(when.startsAt, when.zone),
      zone: zoneLabel(l, when.zone),
      why,
    }),
  ];
  if (when.alsoAt) notes.push(overlapNote(l, when.startsAt, when.alsoAt, when.zone));
  return message("in_channel", text, [
    { type: "text", text },
    { type: "list", items: [meetingLine(l, meeting)] },
    { type: "text", text: fullDates(l, when.startsAt, when.zone) },
    ...notes.map((note) => ({ type: "context" as const, text: note })),
  ]);
}

/** The meeting `M12` (or `12`) names, if this person may see it and manage one of its groups. */
async function findMeeting(ctx: CommandContext, ref: string | undefined, exampleKey: string) {
  if (!ref) throw new BotError("errors:meeting_ref_needed", {}, exampleKey);
  const id = /^(?:m|#)?(\d{1,9})$/i.exec(ref)?.[1];
  const meeting = id ? await ctx.store.calendar.meeting(Number(id)) : null;
  const groups = meeting
    ? (await Promise.all(meeting.groupIds.map((g) => ctx.store.groups.byId(g)))).filter(
        (g): g is WorkingGroup => g !== null,
      )
    : [];
  if (!meeting || !groups.some((g) => canSee(ctx.actor, g)))
    throw new BotError("errors:meeting_unknown", { ref }, exampleKey);
  // A co-chair of any group in a joint session may change it for all of them.
  if (!groups.some((g) => canManage(ctx.actor, g)))
    requireManage(ctx.actor, groups[0] as WorkingGroup, exampleKey);
  const ended = new Date(meeting.startsAt).getTime() + meeting.durationMinutes * 60_000;
  if (ended <= ctx.now.getTime())
    throw new BotError("errors:meeting_over", { ref: meetingRef(meeting) }, exampleKey);
  return meeting;
}

function changed(ctx: CommandContext, key: string, meeting: CalendarMeeting) {
  const text = ctx.l.t(key, {
    ref: meetingRef(meeting),
    when: meetingWhen(ctx.l, meeting),
    groups: ctx.l.list(meeting.groupCodes),
  });
  return message("in_channel", text, [
    { type: "text", text },
    { type: "list", items: [meetingLine(ctx.l, meeting)] },
  ]);
}

async function cancel(ctx: CommandContext, tokens: string[]) {
  const meeting = await findMeeting(ctx, tokens[0], "examples:meeting_cancel");
  if (meeting.cancelledAt) return changed(ctx, "meetings:already_cancelled", meeting);
  const after = await ctx.tracker.cancelMeeting(meeting, (m, store) =>
    meetingNotices({ store, i18n: ctx.i18n }, m, { kind: "cancelled" }, ctx.at),
  );
  return changed(ctx, "meetings:cancelled", after);
}

async function move(ctx: CommandContext, tokens: string[]) {
  const meeting = await findMeeting(ctx, tokens[0], "examples:meeting_move");
  const ref = meetingRef(meeting);
  if (meeting.cancelledAt)
    throw new BotError("errors:meeting_is_cancelled", { ref }, "examples:meeting_move");
  const { startsAt } = readWhen(
    ctx,
    tokens.slice(1),
    { zone: meeting.timeZone, source: "group" },
    "examples:meeting_move",
  );
  if (startsAt === meeting.startsAt)
    throw new BotError("errors:meeting_same_time", { ref }, "examples:meeting_move");
  const after = await ctx.tracker.moveMeeting(meeting, startsAt, (m, store) =>
    meetingNotices({ store, i18n: ctx.i18n }, m, { kind: "moved", from: meeting }, ctx.at),
  );
  return changed(ctx, "meetings:moved", after);
}

export const meetingCommand = command({
  name: "meeting",
  permission: "manage",
  writes: true,
  example: "examples:meeting",
  parse: (_ctx, text) => tokenize(text),
  async run(ctx, tokens) {
    if (isWord(ctx, "words:meeting.cancel", tokens[0])) return cancel(ctx, tokens.slice(1));
    if (isWord(ctx, "words:meeting.move", tokens[0])) return move(ctx, tokens.slice(1));
    return schedule(ctx, tokens);
  },
});

/** The full date and time in the zone read and in both countries': nothing left to guess. */
function fullDates(l: Localizer, instant: string, zone: string): string {
  const zones = [...new Set([zone, ...PARTNER_ZONES])];
  return zones
    .map((z) =>
      l.t("meetings:at_zone", {
        when: new Intl.DateTimeFormat(l.lang, {
          dateStyle: "full",
          timeStyle: "short",
          hourCycle: "h23",
          timeZone: z,
        }).format(new Date(instant)),
        zone: zoneLabel(l, z),
      }),
    )
    .join(" · ");
}

/** A time that happens twice: which one was taken, and how to ask for the other. */
function overlapNote(l: Localizer, first: string, second: string, zone: string): string {
  const offset = (instant: string) =>
    new Intl.DateTimeFormat("en", { timeZone: zone, timeZoneName: "shortOffset" })
      .formatToParts(new Date(instant))
      .find((p) => p.type === "timeZoneName")
      ?.value.replace("GMT", "UTC") ?? "UTC";
  const time = l.time(first, zone);
  return l.t("meetings:overlap", {
    time,
    zone: zoneLabel(l, zone),
    first: `${time} ${offset(first)}`,
    second: `${time} ${offset(second)}`,
  });
}

export const meetingsCommand = command({
  name: "meetings",
  permission: "see",
  writes: false,
  example: "examples:meetings",
  parse: (_ctx, text) => tokenize(text),
  async run(ctx, tokens) {
    const { group } = await takeGroup(ctx, tokens, {
      required: false,
      exampleKey: "examples:meetings",
    });
    // Every group this person can see, inactive ones too: their meetings still happen.
    const ids = group
      ? [group.id]
      : (await ctx.store.groups.all()).filter((g) => canSee(ctx.actor, g)).map((g) => g.id);
    const meetings = await ctx.store.meetings.upcoming(ids, ctx.at, 20);
    const title = ctx.l.t("meetings:upcoming", {
      scope: group?.code ?? ctx.l.t("common:all_groups"),
    });
    return message("ephemeral", title, [
      {
        type: "list",
        title,
        items: meetings.map((m) => meetingLine(ctx.l, m)),
        empty: ctx.l.t("meetings:none"),
      },
    ]);
  },
});
