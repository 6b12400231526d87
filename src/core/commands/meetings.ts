import { DateTime } from "luxon";
import { BotError } from "../errors.js";
import { canSee, requireManage } from "../policy.js";
import { meetingLine } from "../render/items.js";
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
    // WHEN: "2018-03-15 10:00" or "2018-03-15T10:00", in the first group's zone.
    let whenText = rest[0] ?? "";
    let used = 1;
    if (/^\d{4}-\d{2}-\d{2}$/.test(whenText) && /^\d{1,2}:\d{2}$/.test(rest[1] ?? "")) {
      whenText = `${whenText}T${(rest[1] as string).padStart(5, "0")}`;
      used = 2;
    }
    const when = DateTime.fromISO(whenText, { zone: first.timeZone });
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(whenText) || !when.isValid)
      throw new BotError("errors:meeting_when", { given: whenText }, "examples:meeting");
    if (when.toMillis() <= ctx.now.getTime())
      throw new BotError("errors:meeting_past", { given: whenText }, "examples:meeting");
    const remaining = rest.slice(used);
    const link = remaining.find((t) => /^https:\/\/\S+$/i.test(t)) ?? null;
    const titleText = remaining.filter((t) => t !== link).join(" ");
    const title = titleText
      ? checkLength(titleText, LIMITS.title, "title", "examples:meeting")
      : null;
    const meeting = await ctx.tracker.scheduleMeeting(groups, {
      title,
      startsAt: when.toUTC().toISO() as string,
      durationMinutes: DEFAULT_DURATION,
      timeZone: first.timeZone,
      callLink: link,
    });
    const text = ctx.l.t("meetings:scheduled", { groups: ctx.l.list(meeting.groupCodes) });
    return message("in_channel", text, [
      { type: "text", text },
      { type: "list", items: [meetingLine(ctx.l, meeting)] },
    ]);
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
