import type { Localizer } from "../i18n.js";
import type { Block, ListItem, MessageDoc } from "../render/message.js";
import { itemRef } from "../tracker/rules.js";
import type { ImportPlan } from "./import.js";

// The import plan as people read it, in chat and on the command line: what would be added,
// changed, left alone, and what could not be read, with the sheet, row and column.

const clip = (text: string) => (text.length > 120 ? `${text.slice(0, 119)}…` : text);

export function describeImport(l: Localizer, plan: ImportPlan, applied: boolean): MessageDoc {
  const counts = {
    file: plan.file,
    added: plan.added.length,
    changed: plan.changed.length,
    unchanged: plan.unchanged,
    problems: plan.problems.length,
  };
  const summary = l.t(applied ? "import:applied" : "import:summary", counts);
  const blocks: Block[] = [{ type: "header", text: l.t("import:title", { file: plan.file }) }];
  blocks.push({ type: "text", text: summary });
  const added: ListItem[] = plan.added.map((a) => ({
    text: `${a.group.code} · ${a.title}`,
    detail: l.t("import:where", { sheet: a.sheet, line: a.line }),
  }));
  blocks.push({
    type: "list",
    title: l.t("import:added"),
    items: added,
    empty: l.t("common:none"),
  });
  const changed: ListItem[] = plan.changed.flatMap(({ item, changes }) =>
    changes.map((c) => ({
      text: `${itemRef(item)} · ${l.t(`export:column.${c.field}`)}`,
      detail: `${clip(c.before) || "—"} → ${clip(c.after) || "—"}`,
    })),
  );
  blocks.push({
    type: "list",
    title: l.t("import:changed"),
    items: changed,
    empty: l.t("common:none"),
  });
  const problems: ListItem[] = plan.problems.map((p) => ({
    text: l.t(p.key, p.vars ?? {}),
    detail: l.t(
      p.line === null ? "import:where_sheet" : p.column ? "import:where_cell" : "import:where",
      {
        sheet: p.sheet,
        line: p.line,
        column: p.column,
      },
    ),
  }));
  blocks.push({
    type: "list",
    title: l.t("import:problems"),
    items: problems,
    empty: l.t("common:none"),
  });
  if (!applied)
    blocks.push({
      type: "context",
      text: l.t(
        plan.changed.length + plan.added.length ? "import:how_to_apply" : "import:nothing_to_apply",
      ),
    });
  return { summary, blocks };
}
