import { BotError } from "../errors.js";
import { isWord, takeGroup, tokenize } from "./args.js";
import { command, message, say } from "./command.js";

// calendar [WG]: the person's own subscription link to a group's meetings (or to every group
// they may see); calendar reset: every link of theirs stops working. The link is the only
// credential a calendar app can carry, so it is shown only to the person who asked.

export const calendarCommand = command({
  name: "calendar",
  permission: "self",
  // Not replay-guarded: asking again returns the same link, and a repeated reset revokes none.
  writes: false,
  example: "examples:calendar",
  parse: (_ctx, text) => tokenize(text),
  async run(ctx, tokens) {
    if (isWord(ctx, "words:meeting.reset", tokens[0])) {
      if (tokens.length > 1)
        throw new BotError(
          "errors:calendar_words",
          { words: tokens.slice(1).join(" ") },
          "examples:calendar",
        );
      const count = await ctx.tracker.revokeCalendarTokens();
      return say(
        "ephemeral",
        count === 0 ? ctx.l.t("calendar:reset_none") : ctx.l.t("calendar:reset", { count }),
      );
    }
    const { group, rest } = await takeGroup(ctx, tokens, {
      required: false,
      exampleKey: "examples:calendar",
    });
    if (rest.length > 0)
      throw new BotError("errors:calendar_words", { words: rest.join(" ") }, "examples:calendar");
    // The link is a credential: never where the whole conversation would see it.
    if (ctx.invocation.repliesShared) return say("ephemeral", ctx.l.t("calendar:ask_privately"));
    const token = await ctx.tracker.calendarToken(group?.id ?? null);
    const url = `${ctx.publicUrl}/calendar/${token}.ics`;
    const intro = group
      ? ctx.l.t("calendar:link_group", { code: group.code })
      : ctx.l.t("calendar:link_all");
    return message("ephemeral", intro, [
      { type: "text", text: intro },
      { type: "list", items: [{ text: url, url }] },
      { type: "context", text: ctx.l.t("calendar:how") },
    ]);
  },
});
