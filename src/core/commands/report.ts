import { membershipIn } from "../actor.js";
import { BotError } from "../errors.js";
import { canSee } from "../policy.js";
import { reportFile } from "../report/files.js";
import { defaultPeriod } from "../report/model.js";
import { readDocumentOptions, reportFormat } from "../report/options.js";
import { takeGroup, tokenize, visibleGroups } from "./args.js";
import { command } from "./command.js";

const EXAMPLE = "examples:report";

/**
 * `report [WG|all] [YEAR|since DATE] [en|es|fr] [md|html|pdf]`: the annual report draft as a
 * file. Co-chairs get their group (the channel's, or the one they chair); the secretariat gets
 * any group or all of them; restricted groups only for their members and the secretariat.
 */
export const reportCommand = command({
  name: "report",
  // Seeing the group is checked by takeGroup; "all" is the secretariat's, checked below.
  permission: "see",
  writes: false,
  example: EXAMPLE,
  parse: (_ctx, text) => tokenize(text),
  async run(ctx, tokens) {
    const { group, rest } = await takeGroup(ctx, tokens, {
      required: false,
      exampleKey: EXAMPLE,
    });
    const options = readDocumentOptions(rest, (k) => ctx.i18n.allSpellings(k), ctx.now, EXAMPLE);
    const format = reportFormat(options.format, EXAMPLE);
    let groups = group && !options.all ? [group] : [];
    if (groups.length === 0) {
      if (options.all || ctx.actor.person.isAdmin) {
        if (!ctx.actor.person.isAdmin) throw new BotError("errors:admins_only", {}, EXAMPLE);
        groups = await visibleGroups(ctx);
      } else {
        const chaired = (await ctx.store.groups.all()).filter(
          (g) =>
            g.active && membershipIn(ctx.actor, g.id)?.role === "co_chair" && canSee(ctx.actor, g),
        );
        if (chaired.length !== 1) throw new BotError("errors:group_needed", {}, EXAMPLE);
        groups = chaired;
      }
    }
    const lang = options.lang ?? ctx.lang;
    const l = ctx.i18n.localizer(lang);
    const period = options.period ?? (await defaultPeriod(ctx.store, ctx.now));
    const file = await reportFile(ctx, l, groups, period, format, ctx.at);
    if (!file) throw new BotError("report:no_browser", {}, EXAMPLE);
    const last = new Date(Date.parse(period.to) - 1).toISOString();
    const summary = ctx.l.t("report:ready", {
      scope: groups.length === 1 ? groups[0]?.code : ctx.l.t("common:all_groups"),
      from: ctx.l.date(period.from, "UTC"),
      to: ctx.l.date(last, "UTC"),
    });
    return {
      kind: "file",
      visibility: "ephemeral",
      ...file,
      doc: { summary, blocks: [{ type: "text", text: summary }] },
    };
  },
});
