import { trackerFile } from "../report/files.js";
import { readDocumentOptions, trackerFormat } from "../report/options.js";
import { takeGroup, tokenize, visibleGroups } from "./args.js";
import { command } from "./command.js";

const EXAMPLE = "examples:export";

/** `export [WG|all] [csv|xlsx|md] [en|es|fr]`: Annex A, the tracker, as a file for the person. */
export const exportCommand = command({
  name: "export",
  permission: "see",
  writes: false,
  example: EXAMPLE,
  parse: (_ctx, text) => tokenize(text),
  async run(ctx, tokens) {
    const { group, rest } = await takeGroup(ctx, tokens, { required: false, exampleKey: EXAMPLE });
    const options = readDocumentOptions(rest, (k) => ctx.i18n.allSpellings(k), ctx.now, EXAMPLE);
    const format = trackerFormat(options.format, EXAMPLE);
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
});
