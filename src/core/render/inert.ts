// User text made inert for documents people open outside chat (CSV, XLSX, Markdown, HTML):
// no control or direction-override characters, no formulas, no markup. The same characters the
// chat renderers drop are dropped here.

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Text without control characters; line breaks (\n) kept, \r\n folded to \n. */
export function plainText(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(UNSAFE, "");
}

// A spreadsheet runs a cell starting with one of these as a formula (OWASP's CSV injection list).
const FORMULA_START = /^[=+\-@\t\r]/;

/** A spreadsheet cell that can never be a formula: a leading quote, which spreadsheets hide. */
export function sheetText(text: string): string {
  const plain = plainText(text);
  return FORMULA_START.test(plain) ? `'${plain}` : plain;
}

/** Undoes `sheetText`'s quote when reading a cell back. */
export function fromSheetText(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}

/** RFC 4180 quoting of an inert cell. */
export function csvCell(value: string): string {
  const safe = sheetText(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Markdown text: user text cannot open table cells, links, emphasis, headings or HTML. */
export function markdownText(text: string): string {
  return plainText(text)
    .replace(/[\\`*_[\]|<>~#!]/g, (c) => `\\${c}`)
    .replace(/\n/g, " ");
}

const HTML_ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** HTML text and attribute values: every character that could open markup is an entity. */
export function htmlText(text: string): string {
  return plainText(text).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c);
}

/** Only http(s) links are kept as links; anything else (javascript:, data:) is not a link. */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
  } catch {
    return null;
  }
}
