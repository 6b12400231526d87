import type { Localizer } from "../i18n.js";
import type { Store } from "../ports.js";
import { ANNEX_COLUMNS, annexCells } from "../render/annex.js";
import { inertText } from "../render/inert.js";
import { statusLabel } from "../render/items.js";
import { decisionRef, itemRef } from "../tracker/rules.js";
import type { Commitment, WorkingGroup } from "../tracker/types.js";

// A first draft of the annual report, one chapter per working group with the parts every CMP
// report has (introduction, results, future activities, challenges) and Annex A. The co-chairs
// rewrite the prose; the bot supplies everything it recorded during the year.

/** Markdown text: user text cannot open table cells, links, emphasis or HTML. */
export function markdownText(text: string): string {
  return inertText(text)
    .replace(/[\\`*_[\]|<>~]/g, (c) => `\\${c}`)
    .replaceAll("\n", " ");
}

const inYear = (instant: string | null, year: number) => instant?.startsWith(`${year}-`) === true;

async function chapter(
  store: Store,
  l: Localizer,
  group: WorkingGroup,
  year: number,
): Promise<string[]> {
  const md = markdownText;
  const items = await store.commitments.list({ groupIds: [group.id] });
  const members = await store.people.members(group.id);
  const decisions = (await store.decisions.list([group.id], 1000)).filter((d) =>
    inYear(d.source?.saidAt ?? d.loggedAt, year),
  );
  const closed = items.filter((i) => i.status === "done" && inYear(i.closedAt, year));
  const open = items.filter((i) => i.closedAt === null);
  const blocked = open.filter((i) => i.status === "blocked");
  const lines: string[] = [`## ${md(group.names[l.lang])} (${group.code})`, ""];
  for (const country of ["MX", "CA"] as const) {
    const chairs = members.filter((m) => m.role === "co_chair" && m.country === country);
    const names = chairs.map(
      (c) =>
        `${md(c.person.displayName)}${c.sector === "private" ? ` (${l.t("report:private_sector")})` : ""}`,
    );
    lines.push(
      `**${l.t(`report:co_chairs.${country}`)}:** ${names.length ? names.join("; ") : l.t("report:to_be_named")}`,
      "",
    );
  }
  const bullet = (item: Commitment) =>
    `- ${itemRef(item)} — ${md(item.title)}${item.timeline ? ` (${md(item.timeline.phases.length ? l.timeline(item.timeline) : item.timeline.text)})` : ""}`;
  lines.push(`### I. ${l.t("report:part.introduction")}`, "", `_${l.t("report:draft_note")}_`, "");
  lines.push(`### II. ${l.t("report:part.results")}`, "");
  for (const item of closed) lines.push(bullet(item));
  for (const d of decisions.filter((d) => d.status === "confirmed"))
    lines.push(`- ${decisionRef(d)} — ${md(d.text)}`);
  if (closed.length === 0 && !decisions.some((d) => d.status === "confirmed"))
    lines.push(`- ${l.t("report:nothing_recorded")}`);
  lines.push("", `### III. ${l.t("report:part.future")}`, "");
  lines.push(...(open.length ? open.map(bullet) : [`- ${l.t("report:nothing_recorded")}`]));
  lines.push("", `### IV. ${l.t("report:part.challenges")}`, "");
  const pending = decisions.filter((d) => d.status === "proposed");
  lines.push(...blocked.map((i) => `- ${bullet(i).slice(2)} — ${statusLabel(l, i.status)}`));
  lines.push(
    ...pending.map(
      (d) => `- ${decisionRef(d)} — ${md(d.text)} (${l.t("common:decision_status.proposed")})`,
    ),
  );
  if (blocked.length === 0 && pending.length === 0)
    lines.push(`- ${l.t("report:nothing_recorded")}`);
  lines.push("", `### ${l.t("report:annex", { code: group.code, year })}`, "");
  const columns = ["initiative", ...ANNEX_COLUMNS].map((k) => l.t(`export:column.${k}`));
  lines.push(`| ${columns.join(" | ")} |`, `|${columns.map(() => " --- ").join("|")}|`);
  for (const item of items.filter((i) => i.closedAt === null || inYear(i.closedAt, year))) {
    const cells = (await annexCells(store, l, item)).map((values, column) =>
      values.join(ANNEX_COLUMNS[column] === "participants" ? "; " : " / "),
    );
    lines.push(`| ${[`${itemRef(item)} ${item.title}`, ...cells].map((c) => md(c)).join(" | ")} |`);
  }
  lines.push("");
  return lines;
}

/** The draft for the given groups and year, in the reader's language. */
export async function annualReportDraft(
  store: Store,
  l: Localizer,
  groups: WorkingGroup[],
  year: number,
  at: string,
): Promise<string> {
  const lines = [
    `# ${l.t("report:title", { year })}`,
    "",
    `_${l.t("report:generated", { date: l.date(at, "UTC") })}_`,
    "",
  ];
  for (const group of groups) lines.push(...(await chapter(store, l, group, year)));
  return lines.join("\n");
}
