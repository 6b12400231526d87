import { escapeMarkdown as md } from "../render/inert.js";
import { httpUrl } from "../render/links.js";
import type { ReportDocument } from "./document.js";

// The report as Markdown: every user string escaped, so it cannot open a link, a table cell or
// HTML; links only to the conversations decisions came from.

function cell(text: string): string {
  return md(text.replaceAll("\n", " / "));
}

export function reportMarkdown(doc: ReportDocument): string {
  const lines = [`# ${md(doc.title)}`, "", `_${md(doc.period)}_`, "", `_${md(doc.generated)}_`, ""];
  if (doc.contents) {
    lines.push(`**${md(doc.contents)}**`, "");
    for (const c of doc.chapters) lines.push(`- [${md(c.heading)}](#${c.id})`);
    lines.push("");
  }
  for (const c of doc.chapters) {
    lines.push(`<a id="${c.id}"></a>`, "", `## ${md(c.heading)}`, "");
    for (const cc of c.coChairs) lines.push(`**${md(cc.label)}:** ${md(cc.names)}  `);
    lines.push("");
    for (const [index, s] of c.sections.entries()) {
      lines.push(`### ${["I", "II", "III", "IV"][index] ?? index + 1}. ${md(s.heading)}`, "");
      if (s.lines.length === 0) lines.push(`- ${md(s.empty)}`);
      for (const line of s.lines) {
        const url = httpUrl(line.url);
        const text = url ? `[${md(line.text)}](<${url}>)` : md(line.text);
        lines.push(`- ${text}${line.detail ? ` — ${md(line.detail)}` : ""}`);
      }
      lines.push("");
    }
    lines.push(`### ${md(c.annex.heading)}`, "");
    lines.push(`| ${c.annex.header.map(cell).join(" | ")} |`);
    lines.push(`|${c.annex.header.map(() => " --- ").join("|")}|`);
    for (const row of c.annex.rows) lines.push(`| ${row.map(cell).join(" | ")} |`);
    lines.push("");
  }
  return lines.join("\n");
}
