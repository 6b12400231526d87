import type { Documents } from "../core/ports.js";
import { findChromium, printPdf } from "./pdf.js";
import { readTable, writeWorkbook } from "./tables.js";

/** The file formats behind the core's `Documents` port. */
export function createDocuments(options: { chromiumPath: string | null }): Documents {
  return {
    workbook: writeWorkbook,
    readTable,
    pdf: (html) => printPdf(html, findChromium(options.chromiumPath)),
  };
}
