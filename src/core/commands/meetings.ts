import { DateTime } from "luxon";
import { canSee } from "../actor.js";
import { BotError } from "../errors.js";
import { meetingLine } from "../render/items.js";
import { LIMITS } from "../tracker/rules.js";
import { scheduleMeeting } from "../tracker/service.js";
import type { WorkingGroup } from "../tracker/types.js";
import { type Command, message } from "./command.js";
import { checkLength, requireManage, takeGroup, tokenize } from "./support.js";

const DEFAULT_DURATION = 60;

export const meetingCommand: Command = {
  name: "meeting",
  async run(ctx, args) {
    const tokens = tokenize(args);
    const groups: WorkingGroup[] = [];
    let index = 0;
    // Leading group codes: one group, or a joint session of several.
    while (
      index < tokens.length &&
      /^[A-Za-z][A-Za-z0-9]{1,9}$/.test(tokens[index] as string) &&
      !/^\d/.test(tokens[index] as string)
    ) {
      const group = await ctx.store.groups.byCode(tokens[index] as string);
      if (!group || !canSee(ctx.actor, group)) {
        if ((tokens[index] as string) === (tokens[index] as string).toUpperCase()) {
          throw new BotError(
            "errors:unknown_group",
            { code: (tokens[index] as string).toUpperCase() },
            "examples:meeting",
          );
        }
        break;
      }
      if (!groups.some((g) => g.id === group.id)) groups.push(group);
      index += 1;
    }
    if (groups.length === 0) {
      if (!ctx.channelGroup) throw new BotError("errors:group_needed", {}, "examples:meeting");
      groups.push(ctx.channelGroup);
    }
    for (const group of groups) requireManage(ctx, group, "examples:meeting");
    const [first] = groups as [WorkingGroup];
    const rest = tokens.slice(index);
    // WHEN: "2018-03-15 10:00" or "2018-03-15T10:00", in the first group's zone.
    let whenText = rest[0] ?? "";
    let used = 1;
    if (/^\d{4}-\d{2}-\d{2}$/.test(whenText) && /^\d{1,2}:\d{2}$/.test(rest[1] ?? "")) {
      whenText = `${whenText}T${(rest[1] as string).padStart(5, "0")}`;
      used = 2;
    }
    const when = DateTime.fromISO(whenText, { zone: first.timeZone });
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(whenText) || !when.isValid) {
      throw new BotError("errors:meeting_when", { given: whenText }, "examples:meeting");
    }
    if (when.toMillis() <= ctx.now.getTime())
      throw new BotError("errors:meeting_past", { given: whenText }, "examples:meeting");
    const remaining = rest.slice(used);
    const link = remaining.find((t) => /^https:\/\/\S+$/i.test(t)) ?? null;
    const titleText = remaining.filter((t) => t !== link).join(" ");
    const title = titleText
      ? checkLength(titleText, LIMITS.title, "title", "examples:meeting")
      : null;
    const meeting = await scheduleMeeting(
      ctx.store,
      ctx.actor,
      groups,
      {
        title,
        startsAt: when.toUTC().toISO() as string,
        durationMinutes: DEFAULT_DURATION,
        timeZone: first.timeZone,
        callLink: link,
      },
      ctx.at,
    );
    const text = ctx.l.t("meetings:scheduled", { groups: ctx.l.list(meeting.groupCodes) });
    return message("in_channel", text, [
      { type: "text", text },
      { type: "list", items: [meetingLine(ctx.l, meeting)] },
    ]);
  },
};

export const meetingsCommand: Command = {
  name: "meetings",
  async run(ctx, args) {
    const { group } = await takeGroup(ctx, tokenize(args), {
      required: false,
      exampleKey: "examples:meetings",
    });
    const ids = group
      ? [group.id]
      : (await ctx.store.groups.all()).filter((g) => canSee(ctx.actor, g)).map((g) => g.id);
    const meetings = await ctx.store.meetings.upcoming(ids, ctx.now.toISOString(), 20);
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
};
