import { trackerCsv } from "../annex/formats.js";
import { BotError } from "../errors.js";
import type { Command } from "./command.js";
import { takeGroup, tokenize, visibleGroups } from "./support.js";

export const exportCommand: Command = {
  name: "export",
  async run(ctx, args) {
    const tokens = tokenize(args);
    const { group, rest } = await takeGroup(ctx, tokens, {
      required: false,
      exampleKey: "examples:export",
    });
    if (rest.length > 0)
      throw new BotError(
        "errors:unknown_group",
        { code: rest[0]?.toUpperCase() },
        "examples:export",
      );
    const groups = group ? [group] : await visibleGroups(ctx);
    const { csv, rows } = await trackerCsv(ctx.store, ctx.l, groups);
    const date = ctx.at.slice(0, 10);
    const summary = ctx.l.t("export:ready", {
      count: rows,
      scope: group?.code ?? ctx.l.t("common:all_groups"),
    });
    return {
      kind: "file",
      visibility: "ephemeral",
      filename: `cmp-tracker-${group?.code.toLowerCase() ?? "all"}-${date}.csv`,
      mimeType: "text/csv",
      content: csv,
      doc: { summary, blocks: [{ type: "text", text: summary }] },
    };
  },
};
