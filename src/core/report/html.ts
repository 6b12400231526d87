import { escapeHtml as h } from "../render/inert.js";
import { httpUrl } from "../render/links.js";
import type { ReportDocument } from "./document.js";

// The report as one standalone HTML file: inline CSS, no script, nothing fetched. It prints to
// A4 or Letter (the page size is left to the printer; margins and breaks are set here), and the
// PDF is this page printed by headless Chromium. Every string is escaped.

const CSS = `
@page { margin: 16mm 14mm; }
* { box-sizing: border-box; }
html { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10.5pt; color: #1b1b1b; }
body { margin: 0 auto; max-width: 180mm; padding: 8mm 0; line-height: 1.4; }
h1 { font-size: 20pt; margin: 0 0 4pt; color: #26374a; }
h2 { font-size: 15pt; margin: 0 0 6pt; color: #26374a; border-bottom: 2px solid #af3c43; padding-bottom: 2pt; }
h3 { font-size: 11.5pt; margin: 12pt 0 4pt; color: #26374a; }
p.meta { margin: 0; color: #555; }
nav { margin: 12pt 0; padding: 8pt 12pt; background: #f1f2f3; }
nav ol { margin: 4pt 0 0; padding-left: 18pt; }
section.chapter { margin-top: 18pt; }
section.chapter + section.chapter { break-before: page; }
dl.chairs { display: grid; grid-template-columns: max-content 1fr; gap: 2pt 10pt; margin: 0 0 6pt; }
dl.chairs dt { font-weight: bold; }
dl.chairs dd { margin: 0; }
ul { margin: 0; padding-left: 16pt; }
li { margin: 2pt 0; break-inside: avoid; }
li .detail { color: #444; }
li.empty { color: #666; font-style: italic; list-style: none; margin-left: -16pt; }
a { color: #284162; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; font-size: 8.5pt; }
th, td { border: 1px solid #9a9a9a; padding: 3pt 4pt; vertical-align: top; text-align: left;
  overflow-wrap: anywhere; white-space: pre-line; }
th { background: #e1e4e7; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
col.id { width: 8%; } col.initiative { width: 15%; } col.milestones { width: 21%; }
col.timeline { width: 13%; } col.status { width: 12%; } col.participants { width: 16%; }
col.comments { width: 15%; }
`;

const COLS = ["id", "initiative", "milestones", "timeline", "status", "participants", "comments"];

export function reportHtml(doc: ReportDocument): string {
  const out: string[] = [
    "<!DOCTYPE html>",
    `<html lang="${h(doc.lang)}">`,
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // No script, no remote content: the file opens the same offline and cannot run anything.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${h(doc.title)}</title>`,
    `<style>${CSS}</style>`,
    "</head>",
    "<body>",
    "<header>",
    `<h1>${h(doc.title)}</h1>`,
    `<p class="meta">${h(doc.period)}</p>`,
    `<p class="meta"><em>${h(doc.generated)}</em></p>`,
    "</header>",
  ];
  if (doc.contents) {
    out.push(`<nav aria-label="${h(doc.contents)}"><strong>${h(doc.contents)}</strong><ol>`);
    for (const c of doc.chapters) out.push(`<li><a href="#${h(c.id)}">${h(c.heading)}</a></li>`);
    out.push("</ol></nav>");
  }
  out.push("<main>");
  for (const c of doc.chapters) {
    out.push(`<section class="chapter" id="${h(c.id)}">`, `<h2>${h(c.heading)}</h2>`);
    out.push('<dl class="chairs">');
    for (const cc of c.coChairs) out.push(`<dt>${h(cc.label)}</dt><dd>${h(cc.names)}</dd>`);
    out.push("</dl>");
    for (const [index, s] of c.sections.entries()) {
      const number = ["I", "II", "III", "IV"][index] ?? String(index + 1);
      out.push(`<section id="${h(s.id)}">`, `<h3>${number}. ${h(s.heading)}</h3>`, "<ul>");
      if (s.lines.length === 0) out.push(`<li class="empty">${h(s.empty)}</li>`);
      for (const line of s.lines) {
        const url = httpUrl(line.url);
        const text = url ? `<a href="${h(url)}">${h(line.text)}</a>` : h(line.text);
        const detail = line.detail ? ` <span class="detail">— ${h(line.detail)}</span>` : "";
        out.push(`<li>${text}${detail}</li>`);
      }
      out.push("</ul>", "</section>");
    }
    out.push(`<section id="${h(c.annex.id)}">`, `<h3>${h(c.annex.heading)}</h3>`);
    out.push(`<table><colgroup>${COLS.map((k) => `<col class="${k}">`).join("")}</colgroup>`);
    out.push(
      `<thead><tr>${c.annex.header.map((t) => `<th scope="col">${h(t)}</th>`).join("")}</tr></thead><tbody>`,
    );
    for (const row of c.annex.rows)
      out.push(`<tr>${row.map((t) => `<td>${h(t)}</td>`).join("")}</tr>`);
    out.push("</tbody></table>", "</section>", "</section>");
  }
  out.push("</main>", "</body>", "</html>", "");
  return out.join("\n");
}
