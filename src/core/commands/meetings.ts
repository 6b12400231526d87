import { DateTime } from "luxon";
import type { CalendarMeeting } from "../calendar/feed.js";
import { meetingNotices } from "../calendar/notices.js";
import { BotError } from "../errors.js";
import { canManage, canSee, requireManage } from "../policy.js";
import { meetingLine, meetingRef, meetingWhen } from "../render/items.js";
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

/** "2018-03-15 10:00" or "2018-03-15T10:00" at the head of `tokens`, in `zone`; must be ahead. */
function readWhen(ctx: CommandContext, tokens: string[], zone: string, exampleKey: string) {
  let whenText = tokens[0] ?? "";
  let used = 1;
  if (/^\d{4}-\d{2}-\d{2}$/.test(whenText) && /^\d{1,2}:\d{2}$/.test(tokens[1] ?? "")) {
    whenText = `${whenText}T${(tokens[1] as string).padStart(5, "0")}`;
    used = 2;
  }
  const when = DateTime.fromISO(whenText, { zone });
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(whenText) || !when.isValid)
    throw new BotError("errors:meeting_when", { given: whenText }, exampleKey);
  if (when.toMillis() <= ctx.now.getTime())
    throw new BotError("errors:meeting_past", { given: whenText }, exampleKey);
  return { startsAt: when.toUTC().toISO() as string, rest: tokens.slice(used) };
}

async function schedule(ctx: CommandContext, tokens: string[]) {
  const { groups, rest } = await leadingGroups(ctx, tokens);
  for (const group of groups) requireManage(ctx.actor, group, "examples:meeting");
  const [first] = groups as [WorkingGroup];
  const { startsAt, rest: remaining } = readWhen(ctx, rest, first.timeZone, "examples:meeting");
  // The first link is the call, a second one the agenda.
  const [callLink = null, agendaLink = null] = remaining.filter((t) => /^https:\/\/\S+$/i.test(t));
  const titleText = remaining.filter((t) => t !== callLink && t !== agendaLink).join(" ");
  const title = titleText
    ? checkLength(titleText, LIMITS.title, "title", "examples:meeting")
    : null;
  const meeting = await ctx.tracker.scheduleMeeting(groups, {
    title,
    startsAt,
    durationMinutes: DEFAULT_DURATION,
    timeZone: first.timeZone,
    callLink,
    agendaLink,
  });
  const text = ctx.l.t("meetings:scheduled", { groups: ctx.l.list(meeting.groupCodes) });
  return message("in_channel", text, [
    { type: "text", text },
    { type: "list", items: [meetingLine(ctx.l, meeting)] },
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
  const { startsAt } = readWhen(ctx, tokens.slice(1), meeting.timeZone, "examples:meeting_move");
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
