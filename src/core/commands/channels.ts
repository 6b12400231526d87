import { BotError } from "../errors.js";
import { requireBind } from "../policy.js";
import { LANGUAGES, type Language } from "../tracker/types.js";
import { requireGroup, tokenize } from "./args.js";
import { command, say } from "./command.js";

// Where and how the bot speaks: bind (a channel to a group), lang (a person's language).

export const langCommand = command({
  name: "lang",
  permission: "self",
  writes: true,
  example: "examples:lang",
  parse(_ctx, text) {
    const [choice, ...extra] = tokenize(text.toLowerCase());
    if (!choice || extra.length > 0 || !(LANGUAGES as readonly string[]).includes(choice))
      throw new BotError("errors:unknown_language", { given: text.trim() }, "examples:lang");
    return choice as Language;
  },
  async run(ctx, lang) {
    await ctx.tracker.setLanguage(lang);
    return say("ephemeral", ctx.i18n.localizer(lang).t("settings:language_set"));
  },
});

export const bindCommand = command({
  name: "bind",
  permission: "bind",
  writes: true,
  example: "examples:bind",
  parse: (_ctx, text) => tokenize(text),
  async run(ctx, tokens) {
    requireBind(ctx.actor);
    const channelId = ctx.invocation.channelId;
    if (!channelId) throw new BotError("errors:channel_needed", {}, "examples:bind");
    if (tokens.length !== 1) throw new BotError("errors:group_needed", {}, "examples:bind");
    const { group } = await requireGroup(ctx, tokens, { exampleKey: "examples:bind" });
    await ctx.tracker.bindChannel(group, { platform: ctx.invocation.platform, channelId });
    return say(
      "in_channel",
      ctx.l.t("settings:bound", { code: group.code, name: group.names[ctx.lang] }),
    );
  },
});
