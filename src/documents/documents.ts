import type { Documents } from "../core/documents.js";

/**
 * The file formats behind the core's `Documents` port. exceljs and playwright-core are loaded on
 * first use, so the bot and the CLI start as fast without them.
 */
export function createDocuments(options: { chromiumPath: string | null }): Documents {
  return {
    workbook: async (sheets) => (await import("./tables.js")).writeWorkbook(sheets),
    readTable: async (filename, bytes) => (await import("./tables.js")).readTable(filename, bytes),
    pdf: async (html) => {
      const { findChromium, printPdf } = await import("./pdf.js");
      return printPdf(html, findChromium(options.chromiumPath));
    },
  };
}
