// The port through which the core asks for files it cannot make itself (workbooks, PDFs).

/** One sheet of a workbook: text cells only (never formulas), a header row, column widths. */
export interface SheetSpec {
  name: string;
  header: string[];
  rows: string[][];
  /** In characters, one per column. */
  widths: number[];
  /** Hidden from people (Excel's "very hidden"): data the import reads back. */
  hidden?: boolean;
}

/** A sheet read back from a file: its rows of text, the header first. */
export interface TableSheet {
  name: string;
  rows: string[][];
}

/** File formats the core asks for by name; implemented in src/documents. */
export interface Documents {
  workbook(sheets: SheetSpec[]): Promise<Uint8Array>;
  /** The sheets of an XLSX or CSV file; throws BotError when it is neither. */
  readTable(filename: string, bytes: Uint8Array): Promise<TableSheet[]>;
  /** A PDF printed from a standalone HTML page; null when no browser is installed here. */
  pdf(html: string): Promise<Uint8Array | null>;
}
