import { trackerFile } from "../report/files.js";
import { readDocumentOptions, trackerFormat } from "../report/options.js";
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
    const options = readDocumentOptions(
      rest,
      (k) => ctx.i18n.allSpellings(k),
      ctx.now,
      "examples:export",
    );
    const format = trackerFormat(options.format, "examples:export");
    const groups = group && !options.all ? [group] : await visibleGroups(ctx);
    const l = ctx.i18n.localizer(options.lang ?? ctx.lang);
    const { rows, ...file } = await trackerFile(ctx, l, groups, format, ctx.at);
    const summary = ctx.l.t("export:ready", {
      count: rows,
      scope: groups.length === 1 ? groups[0]?.code : ctx.l.t("common:all_groups"),
    });
    return {
      kind: "file",
      visibility: "ephemeral",
      ...file,
      doc: { summary, blocks: [{ type: "text", text: summary }] },
    };
  },
};
