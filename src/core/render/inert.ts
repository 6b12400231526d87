// Text a person typed, made safe to show on any surface. The tracker stores text verbatim;
// these functions run only at the moment of rendering, so what is stored never changes.
//
// `inertText` is the one rule every surface shares: it removes what could change how text is
// displayed rather than what it says. The per-format helpers below start from it and add the
// escaping their own syntax needs, so a report (HTML, Markdown, CSV) or a chat renderer reuses
// them instead of writing its own.

/**
 * C0 controls except tab and line feed (NUL, BEL, ESC… which repaint or beep a terminal), DEL
 * and C1 controls (U+0080–U+009F, which include the 8-bit CSI), the bidirectional embeddings,
 * overrides and isolates (U+202A–U+202E, U+2066–U+2069) and marks (U+200E, U+200F, U+061C)
 * that can make text read in another order than it is stored ("Trojan Source", CVE-2021-42574),
 * and lone surrogate halves, which no platform can encode.
 */
const INVISIBLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|\p{Surrogate}/gu;

/**
 * Text that displays as what it says: line breaks normalised to "\n", every control,
 * bidirectional formatting character and lone surrogate removed. Letters, emoji (with their
 * zero-width joiners), tabs and line breaks are kept.
 */
export function inertText(text: string): string {
  return text.replace(/\r\n?|[\u2028\u2029]/g, "\n").replace(INVISIBLE, "");
}

/** True when `inertText` would change nothing: for tests and assertions on rendered output. */
export function isInert(text: string): boolean {
  return !/\r|[\u2028\u2029]/.test(text) && !new RegExp(INVISIBLE.source, "u").test(text);
}

/** Text for an HTML element's content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return inertText(text)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/**
 * Text for a Markdown (CommonMark/GFM) document: every ASCII punctuation character that can
 * start markup is backslash-escaped (CommonMark §2.4 allows escaping any of them), `<` and `&`
 * become entities so no HTML or entity survives, and each line break ends the line. Leading
 * spaces become character references, which CommonMark never reads as indentation, so no line
 * starts a code block, heading, list or quote.
 */
export function escapeMarkdown(text: string): string {
  return inertText(text)
    .replace(/[\\`*_{}[\]()#+\-.!|~>"'=:$^@]/g, "\\$&")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replace(/^[ \t]+/gm, (indent) => indent.replace(/ /g, "&#32;").replace(/\t/g, "&#9;"))
    .replaceAll("\n", "  \n");
}

/**
 * Characters that make a spreadsheet read a cell as a formula when they come first (OWASP's
 * CSV-injection guidance: = + - @ tab and carriage return), also after leading spaces, which
 * some spreadsheets skip before deciding.
 */
const FORMULA_START = /^[ \u00a0]*[=+\-@\t\r\n]/;

/**
 * One CSV field: inert text, a leading apostrophe when a spreadsheet would read it as a
 * formula, then RFC 4180 quoting. Line breaks inside a cell are kept (quoted) as "\r\n"-free
 * "\n", which every spreadsheet shows as a line break in the cell.
 */
export function csvCell(value: string): string {
  const safe = sheetText(value);
  return /[",\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** A spreadsheet cell (XLSX or CSV) that can never be a formula: a leading apostrophe. */
export function sheetText(value: string): string {
  const text = inertText(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Undoes `sheetText`'s apostrophe when a cell is read back (the secretariat's round-trip). */
export function fromSheetText(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}

/** One CSV record (without its line ending). */
export function csvRow(values: readonly string[]): string {
  return values.map(csvCell).join(",");
}
