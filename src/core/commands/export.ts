import { BotError } from "../errors.js";
import type { Localizer } from "../i18n.js";
import type { StoreView } from "../ports.js";
import { ANNEX_COLUMNS, annexCells } from "../render/annex.js";
import { csvRow } from "../render/inert.js";
import { itemRef } from "../tracker/rules.js";
import type { WorkingGroup } from "../tracker/types.js";
import { takeGroup, tokenize, visibleGroups } from "./args.js";
import { command } from "./command.js";

/** The tracker in Annex A's columns, one row per commitment, in the reader's language. */
export async function trackerCsv(
  store: StoreView,
  l: Localizer,
  groups: WorkingGroup[],
): Promise<{ csv: string; rows: number }> {
  const header = ["id", "group", "initiative", ...ANNEX_COLUMNS].map((k) =>
    l.t(`export:column.${k}`),
  );
  const lines = [csvRow(header)];
  const items = await store.commitments.list({ groupIds: groups.map((g) => g.id) });
  for (const item of items) {
    const cells = (await annexCells(store, l, item)).map((values, column) =>
      values.join(ANNEX_COLUMNS[column] === "participants" ? "; " : "\n"),
    );
    lines.push(csvRow([itemRef(item), item.groupCode, item.title, ...cells]));
  }
  return { csv: `${lines.join("\r\n")}\r\n`, rows: items.length };
}

export const exportCommand = command({
  name: "export",
  permission: "see",
  writes: false,
  example: "examples:export",
  parse: (_ctx, text) => tokenize(text),
  async run(ctx, tokens) {
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
});
