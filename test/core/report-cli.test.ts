import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentCommand } from "../../src/cli-documents.js";
import { createDocuments } from "../../src/documents/documents.js";
import { createHarness, type Harness } from "../support/harness.js";

// The report from the command line on a machine without Chromium: the PDF says how to get one,
// and the HTML still comes.

function sink() {
  let text = "";
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe("report on the command line without a browser", () => {
  const noBrowser = createDocuments({ chromiumPath: "/nonexistent/chromium" });

  it("says how to get Chromium for a PDF, and writes nothing", async () => {
    const out = sink();
    const err = sink();
    const code = await documentCommand(
      h.app,
      noBrowser,
      "report",
      { codes: ["TIIWG"], format: "pdf" },
      { out: out.stream, err: err.stream },
    );
    expect(code).toBe(2);
    expect(out.text()).toBe("");
    expect(err.text()).toContain("apt-get install chromium");
    expect(err.text()).toContain("CMP_CHROMIUM");
  });

  it("still writes the HTML report", async () => {
    const out = sink();
    const err = sink();
    const code = await documentCommand(
      h.app,
      noBrowser,
      "report",
      { codes: ["TIIWG"], format: "html", lang: "es" },
      { out: out.stream, err: err.stream },
    );
    expect(code).toBe(0);
    expect(out.text()).toMatch(/^<!DOCTYPE html>\n<html lang="es">/);
    expect(out.text()).toContain("Comercio, Inversión e Innovación (TIIWG)");
  });

  it("refuses an unknown format with a correct example", async () => {
    const err = sink();
    const code = await documentCommand(
      h.app,
      noBrowser,
      "export",
      { codes: [], format: "docx" },
      { out: sink().stream, err: err.stream },
    );
    expect(code).toBe(2);
    expect(err.text()).toContain(
      "--format must be one of csv, xlsx, md (export --format xlsx --out tracker.xlsx)",
    );
  });
});
