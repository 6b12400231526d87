import { BotError } from "../errors.js";
import { LANGUAGES, type Language, type WorkingGroup } from "../tracker/types.js";
import { type Command, message } from "./command.js";
import { takeGroup, tokenize } from "./support.js";

export const langCommand: Command = {
  name: "lang",
  async run(ctx, args) {
    const [choice, ...extra] = tokenize(args.toLowerCase());
    if (!choice || extra.length > 0 || !(LANGUAGES as readonly string[]).includes(choice)) {
      throw new BotError("errors:unknown_language", { given: args.trim() }, "examples:lang");
    }
    const lang = choice as Language;
    await ctx.store.people.setLanguage(ctx.actor.person.id, lang);
    const l = ctx.i18n.localizer(lang);
    const text = l.t("settings:language_set");
    return message("ephemeral", text, [{ type: "text", text }]);
  },
};

export const bindCommand: Command = {
  name: "bind",
  async run(ctx, args) {
    if (!ctx.actor.person.isAdmin) throw new BotError("errors:admins_only", {}, "examples:bind");
    const channelId = ctx.invocation.channelId;
    if (!channelId) throw new BotError("errors:channel_needed", {}, "examples:bind");
    const tokens = tokenize(args);
    if (tokens.length !== 1) throw new BotError("errors:group_needed", {}, "examples:bind");
    const { group } = await takeGroup(ctx, tokens, { required: true, exampleKey: "examples:bind" });
    const g = group as WorkingGroup;
    await ctx.store.transaction(async (tx) => {
      await tx.groups.bindChannel(
        { groupId: g.id, platform: ctx.invocation.platform, channelId },
        ctx.at,
      );
      await tx.audit.record({
        at: ctx.at,
        actor: { personId: ctx.actor.person.id, name: ctx.actor.person.displayName },
        entity: "channel",
        ref: `${ctx.invocation.platform}:${channelId}`,
        action: "bind",
        after: { group: g.code },
      });
    });
    const text = ctx.l.t("settings:bound", { code: g.code, name: g.names[ctx.lang] });
    return message("in_channel", text, [{ type: "text", text }]);
  },
};
