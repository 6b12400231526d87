import { parse } from "csv-parse/sync";
import { Parser } from "htmlparser2";
import { describe, expect, it } from "vitest";
import {
  csvCell,
  csvRow,
  escapeHtml,
  escapeMarkdown,
  inertText,
  isInert,
} from "../../src/core/render/inert.js";

/** Text an attacker might give a title: a reversed extension, terminal escapes, NUL, C1 CSI. */
const HOSTILE =
  "Report\u202Efdp.exe\u202C \u2066x\u2069 \u200Fy\u200E \u061Cz \u001b[31mred\u001b[0m\u0007 nul\u0000 c1\u009b2J del\u007f";

describe("inert text", () => {
  it("removes bidi overrides, isolates, marks and control characters, keeping the words", () => {
    expect(inertText(HOSTILE)).toBe("Reportfdp.exe x y z [31mred[0m nul c12J del");
    expect(isInert(HOSTILE)).toBe(false);
    expect(isInert(inertText(HOSTILE))).toBe(true);
  });

  it("keeps letters of every script, emoji sequences, tabs and line breaks", () => {
    const text = "Año Québec 日本 مرحبا 👩‍👩‍👧 🇲🇽\tnext\nline";
    expect(inertText(text)).toBe(text);
  });

  it("normalises every kind of line break to \\n and drops lone surrogates", () => {
    expect(inertText("a\r\nb\rc\u2028d\u2029e")).toBe("a\nb\nc\nd\ne");
    expect(inertText("x\uD800y\uDC00z")).toBe("xyz");
  });
});

describe("HTML", () => {
  it("is text for a parser, in an element and in a quoted attribute", () => {
    const hostile = `<script>alert(1)</script>" onmouseover='x' &amp; ${HOSTILE}`;
    const texts: string[] = [];
    const tags: string[] = [];
    let title = "";
    const parser = new Parser(
      {
        onopentag(name, attributes) {
          tags.push(name);
          if (name === "p") title = attributes.title ?? "";
        },
        ontext(text) {
          texts.push(text);
        },
      },
      { decodeEntities: true },
    );
    parser.write(`<p title="${escapeHtml(hostile)}">${escapeHtml(hostile)}</p>`);
    parser.end();
    expect(tags).toEqual(["p"]);
    expect(texts.join("")).toBe(inertText(hostile));
    expect(title).toBe(inertText(hostile));
  });
});

describe("Markdown", () => {
  it("escapes every character that could start markup, and no line starts a block", () => {
    const md = escapeMarkdown(
      "*bold* _it_ ~strike~ `code` [x](javascript:1) <b>&amp;\n# h\n    code\n> q\n- li\n1. n",
    );
    expect(md.replaceAll("&#32;", " ")).not.toMatch(/(^|[^\\])[*_~`[\]()#>]/);
    expect(md).not.toMatch(/<|&(?!amp;|lt;|#32;)/);
    for (const line of md.split("\n")) expect(line).not.toMatch(/^( {0,3}[#>+*-]| {4}|\t|\d+[.)])/);
  });
});

describe("CSV cells (OWASP CSV injection)", () => {
  const formulas = ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", " =1", "=cmd|'/C calc'!A0"];

  it("prefixes every cell a spreadsheet would run as a formula with an apostrophe", () => {
    const [row] = parse(`${csvRow(formulas)}\r\n`, { relax_quotes: false }) as string[][];
    expect(row).toHaveLength(formulas.length);
    for (const cell of row ?? []) expect(cell.startsWith("'")).toBe(true);
  });

  it("quotes commas, quotes and line breaks, strips control characters, keeps the rest", () => {
    const values = ['a "quoted", b', "two\r\nlines", HOSTILE, "plain", "-", ""];
    const [row] = parse(`${csvRow(values)}\r\n`) as string[][];
    expect(row).toEqual(['a "quoted", b', "two\nlines", inertText(HOSTILE), "plain", "'-", ""]);
    expect(csvCell("plain")).toBe("plain");
  });
});
