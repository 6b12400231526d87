import { BotError } from "../errors.js";
import type { Localizer } from "../i18n.js";
import { canSee, requireManage } from "../policy.js";
import { meetingLine, PARTNER_ZONES, zoneLabel } from "../render/items.js";
import { readMeetingTime } from "../tracker/meeting-time.js";
import { GROUP_CODE, LIMITS } from "../tracker/rules.js";
import type { WorkingGroup } from "../tracker/types.js";
import { checkLength, takeGroup, tokenize } from "./args.js";
import { type CommandContext, command, message } from "./command.js";

// Meetings: meeting (schedule one, for one group or a joint session), meetings (the next ones).

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

export const meetingCommand = command({
  name: "meeting",
  permission: "manage",
  writes: true,
  example: "examples:meeting",
  parse: (_ctx, text) => tokenize(text),
  async run(ctx, tokens) {
    const { groups, rest } = await leadingGroups(ctx, tokens);
    for (const group of groups) requireManage(ctx.actor, group, "examples:meeting");
    const [first] = groups as [WorkingGroup];
    // WHEN, in the zone typed after it; else the speaker's own zone; else the first group's.
    const speakerZone = ctx.actor.person.timeZone;
    const when = readMeetingTime(rest, {
      now: ctx.now,
      defaultZone: speakerZone ?? first.timeZone,
      defaultSource: speakerZone ? "speaker" : "group",
    });
    const given = rest.slice(0, 4).join(" ");
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
        "examples:meeting",
      );
    }
    if (!when.ok) throw new BotError("errors:meeting_when", { given }, "examples:meeting");
    if (Date.parse(when.startsAt) <= ctx.now.getTime())
      throw new BotError(
        "errors:meeting_past",
        { given: ctx.l.dateTime(when.startsAt, when.zone) },
        "examples:meeting",
      );
    const remaining = rest.slice(when.used);
    const link = remaining.find((t) => /^https:\/\/\S+$/i.test(t)) ?? null;
    const titleText = remaining.filter((t) => t !== link).join(" ");
    const title = titleText
      ? checkLength(titleText, LIMITS.title, "title", "examples:meeting")
      : null;
    const meeting = await ctx.tracker.scheduleMeeting(groups, {
      title,
      startsAt: when.startsAt,
      durationMinutes: DEFAULT_DURATION,
      timeZone: when.zone,
      callLink: link,
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
