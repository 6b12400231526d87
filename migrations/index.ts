import type { Migration } from "kysely";
import * as m001 from "./001_initial.js";
import * as m002 from "./002_scheduler.js";
import * as m003 from "./003_calendar.js";
import * as m004 from "./004_retention.js";
import * as m005 from "./005_read_indexes.js";
import * as m006 from "./006_ratification.js";
import * as m007 from "./007_threads.js";
import * as m008 from "./008_group_counts.js";
import * as m009 from "./009_page_order.js";

// An explicit list: file-scanning providers do not load .ts under vitest (see STACK-NOTES).
// Append new migrations; never edit one that has landed.
export const migrations: Record<string, Migration> = {
  "001_initial": m001,
  "002_scheduler": m002,
  "003_calendar": m003,
  "004_retention": m004,
  "005_read_indexes": m005,
  "006_ratification": m006,
  "007_threads": m007,
  "008_group_counts": m008,
  "009_page_order": m009,
};
