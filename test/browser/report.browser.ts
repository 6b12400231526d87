import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportFile } from "../../src/core/report/files.js";
import type { Language } from "../../src/core/tracker/types.js";
import { createDocuments } from "../../src/documents/documents.js";
import { findChromium } from "../../src/documents/pdf.js";
import { readImportFile } from "../../src/import/yaml-import.js";
import { createHarness, type Harness } from "../support/harness.js";

// The partnership-wide report of the demo data in a real headless Chromium, and its PDF.

const ARTIFACTS = "test-artifacts";
/** A4 is 210 mm wide: 793.7 CSS pixels at 96 per inch. */
const A4_WIDTH = 794;
const A4_HEIGHT = 1123;
const demo = readImportFile("examples/cmp-2017.yaml");
const executablePath = findChromium(null);
const documents = createDocuments({ chromiumPath: executablePath });
// Everything the demo recorded since the 2017 annual meeting, up to mid-2018.
const period = { from: "2017-11-23T00:00:00.000Z", to: "2018-07-01T00:00:00.000Z" };

let h: Harness;
let browser: Browser;
beforeAll(async () => {
  if (!executablePath) throw new Error("test:browser needs Chromium: apt-get install chromium");
  mkdirSync(ARTIFACTS, { recursive: true });
  h = await createHarness({ data: demo, now: "2017-11-22T15:00:00Z" });
  browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function report(lang: Language, format: "html" | "pdf") {
  const file = await reportFile(
    { store: h.app.store, i18n: h.app.i18n, documents },
    h.app.i18n.localizer(lang),
    await h.app.store.groups.all(),
    period,
    format,
    "2018-07-02T12:00:00.000Z",
  );
  if (!file) throw new Error("no PDF");
  return file.content;
}

describe("the HTML report in headless Chromium", () => {
  it.each(["en", "es", "fr"] as const)("declares its language (%s)", async (lang) => {
    const page = await browser.newPage();
    await page.setContent(String(await report(lang, "html")));
    expect(await page.getAttribute("html", "lang")).toBe(lang);
    await page.close();
  });

  it("has a table of contents whose links all land on a chapter", async () => {
    const page = await browser.newPage();
    await page.setContent(String(await report("en", "html")));
    const hrefs = await page.$$eval("nav a", (links) =>
      links.map((a) => a.getAttribute("href") ?? ""),
    );
    const targets = [];
    for (const href of hrefs) {
      const id = href.slice(1);
      const target = page.locator(`[id="${id}"]`);
      targets.push({
        id,
        found: (await target.count()) === 1 ? await target.evaluate((e) => e.tagName) : null,
      });
    }
    expect(targets).toHaveLength(demo.groups.length);
    for (const t of targets) expect(t).toEqual({ id: t.id, found: "SECTION" });
    await page.close();
  });

  it("fits an A4 page's width, in print, and its first page is kept as a screenshot", async () => {
    const page = await browser.newPage({ viewport: { width: A4_WIDTH, height: A4_HEIGHT } });
    await page.emulateMedia({ media: "print" });
    await page.setContent(String(await report("en", "html")));
    const wider = await page.$$eval(
      "body *",
      (elements, width) =>
        elements
          .filter(
            (e) =>
              e.getBoundingClientRect().right > width + 0.5 || e.scrollWidth > e.clientWidth + 1,
          )
          .map((e) => `${e.tagName}#${e.id}.${e.className}`),
      A4_WIDTH,
    );
    expect(wider).toEqual([]);
    expect(await page.locator("html").evaluate((e) => e.scrollWidth)).toBeLessThanOrEqual(A4_WIDTH);
    await page.emulateMedia({ media: "screen" });
    await page.screenshot({ path: join(ARTIFACTS, "report-first-page.png") });
    await page.close();
  });
});

describe("the PDF report", () => {
  it("has a page per group or more, and every group's name in its text", async () => {
    const pdf = await report("en", "pdf");
    const path = join(ARTIFACTS, "report.pdf");
    writeFileSync(path, pdf);
    const info = execFileSync("pdfinfo", [path], { encoding: "utf8" });
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
    expect(pages).toBeGreaterThanOrEqual(demo.groups.length);
    expect(pages).toBeLessThanOrEqual(demo.groups.length * 4);
    const text = execFileSync("pdftotext", ["-layout", path, "-"], { encoding: "utf8" }).replace(
      /\s+/g,
      " ",
    );
    for (const group of demo.groups) expect(text).toContain(`${group.names.en} (${group.code})`);
  });
});
