import { BotError } from "../errors.js";
import { LANGUAGES, type Language } from "../tracker/types.js";
import { REPORT_FORMATS, type ReportFormat, TRACKER_FORMATS, type TrackerFormat } from "./files.js";
import { type ReportPeriod, yearPeriod } from "./model.js";

// The words after `report` and `export` in chat, in any order and any of the three languages:
// a year or "since DATE", a language code, a format, "all".

export interface DocumentOptions {
  all: boolean;
  lang: Language | null;
  period: ReportPeriod | null;
  format: string | null;
}

/** `spellings(key)` gives every spelling of a word in the three languages, lower case. */
export function readDocumentOptions(
  tokens: string[],
  spellings: (key: string) => string[],
  now: Date,
  exampleKey: string,
): DocumentOptions {
  const options: DocumentOptions = { all: false, lang: null, period: null, format: null };
  for (let i = 0; i < tokens.length; i += 1) {
    const token = (tokens[i] ?? "").toLowerCase();
    if (spellings("words:filter.all").includes(token)) options.all = true;
    else if ((LANGUAGES as readonly string[]).includes(token)) options.lang = token as Language;
    else if (/^\d{4}$/.test(token) && Number(token) >= 2004 && Number(token) <= 2100)
      options.period = yearPeriod(Number(token));
    else if (spellings("words:keyword.since").includes(token)) {
      const date = tokens[i + 1] ?? "";
      i += 1;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date)))
        throw new BotError("errors:since_date", { given: date }, exampleKey);
      options.period = { from: new Date(date).toISOString(), to: now.toISOString() };
    } else if (
      (REPORT_FORMATS as readonly string[]).includes(token) ||
      (TRACKER_FORMATS as readonly string[]).includes(token)
    )
      options.format = token;
    else throw new BotError("errors:document_word", { word: tokens[i] }, exampleKey);
  }
  return options;
}

export function reportFormat(format: string | null, exampleKey: string): ReportFormat {
  if (format === null) return "html";
  if ((REPORT_FORMATS as readonly string[]).includes(format)) return format as ReportFormat;
  throw new BotError("errors:document_word", { word: format }, exampleKey);
}

export function trackerFormat(format: string | null, exampleKey: string): TrackerFormat {
  if (format === null) return "csv";
  if ((TRACKER_FORMATS as readonly string[]).includes(format)) return format as TrackerFormat;
  throw new BotError("errors:document_word", { word: format }, exampleKey);
}
