import { readdirSync, readFileSync } from "node:fs";
import i18next, { type i18n, type TFunction } from "i18next";
import { formatPeriod, formatTimeline } from "./tracker/timeline-format.js";
import { LANGUAGES, type Language, type Period, type Timeline } from "./tracker/types.js";

const LOCALES_DIR = new URL("../../locales/", import.meta.url);

/** Every namespace file under locales/<lang>/<ns>.json, read once. */
export function loadResources(): Record<Language, Record<string, Record<string, unknown>>> {
  const resources = {} as Record<Language, Record<string, Record<string, unknown>>>;
  for (const lang of LANGUAGES) {
    const dir = new URL(`${lang}/`, LOCALES_DIR);
    resources[lang] = {};
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
      resources[lang][file.replace(/\.json$/, "")] = JSON.parse(
        readFileSync(new URL(file, dir), "utf8"),
      );
    }
  }
  return resources;
}

/** es-MX → es, fr-CA → fr, anything unknown → en. */
export function normalizeLanguage(locale: string | null | undefined): Language | null {
  if (!locale) return null;
  const base = locale.toLowerCase().split(/[-_]/)[0];
  return (LANGUAGES as readonly string[]).includes(base ?? "") ? (base as Language) : null;
}

export interface Localizer {
  lang: Language;
  t(key: string, vars?: Record<string, unknown>): string;
  /** A UTC instant as a local date (and time) in the given zone, in this language. */
  date(instant: string, timeZone: string): string;
  dateTime(instant: string, timeZone: string): string;
  time(instant: string, timeZone: string): string;
  timeline(timeline: Timeline): string;
  period(period: Period): string;
  list(items: string[]): string;
}

/** How people address the bot where the text is read: "/cmp" in Slack, "@CMP" in Teams. */
export const DEFAULT_COMMAND_PREFIX = "/cmp";

export interface I18n {
  /** `commandPrefix` fills `{{cmd}}` in examples and hints, so they read as people type them. */
  localizer(lang: Language, commandPrefix?: string): Localizer;
  /** Every spelling of a key across the three languages: how the parser accepts any language. */
  allSpellings(key: string): string[];
}

export async function createI18n(): Promise<I18n> {
  const instance: i18n = i18next.createInstance();
  await instance.init({
    resources: loadResources(),
    lng: "en",
    fallbackLng: "en",
    supportedLngs: [...LANGUAGES],
    ns: Object.keys(loadResources().en),
    defaultNS: "common",
    // Renderers escape for each platform; HTML escaping here would double it.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const cache = new Map<string, Localizer>();
  return {
    localizer(lang, commandPrefix = DEFAULT_COMMAND_PREFIX) {
      const key = `${lang} ${commandPrefix}`;
      const cached = cache.get(key);
      if (cached) return cached;
      const made = makeLocalizer(lang, instance.getFixedT(lang), commandPrefix);
      cache.set(key, made);
      return made;
    },
    allSpellings(key) {
      const spellings = new Set<string>();
      for (const lang of LANGUAGES) {
        const value = instance.getFixedT(lang)(key);
        for (const word of String(value).split(",")) {
          const w = word.trim().toLowerCase();
          if (w) spellings.add(w);
        }
      }
      return [...spellings];
    },
  };
}

/** Formatted timelines kept per language: a bounded memo, cleared when full. */
const FORMATTED_TIMELINES = 2_000;

function makeLocalizer(lang: Language, fixed: TFunction, commandPrefix: string): Localizer {
  // Labels without variables (statuses, field names, buttons) are looked up once: i18next's
  // resolution took a quarter of the CPU of a `status` reply when repeated per item.
  const plain = new Map<string, string>();
  const t = (key: string, vars?: Record<string, unknown>) => {
    if (vars !== undefined) return String(fixed(key, { cmd: commandPrefix, ...vars }));
    let text = plain.get(key);
    if (text === undefined) {
      text = String(fixed(key, { cmd: commandPrefix }));
      plain.set(key, text);
    }
    return text;
  };
  // Building an Intl formatter costs far more than using one: one per style and zone.
  const fmt = (options: Intl.DateTimeFormatOptions) => {
    const formatters = new Map<string, Intl.DateTimeFormat>();
    return (instant: string, timeZone: string) => {
      let formatter = formatters.get(timeZone);
      if (!formatter) {
        formatter = new Intl.DateTimeFormat(lang, { ...options, timeZone });
        formatters.set(timeZone, formatter);
      }
      return formatter.format(new Date(instant));
    };
  };
  const listFormat = new Intl.ListFormat(lang, { style: "long", type: "conjunction" });
  const timelines = new Map<string, string>();
  return {
    lang,
    t,
    date: fmt({ dateStyle: "medium" }),
    dateTime: fmt({ dateStyle: "medium", timeStyle: "short" }),
    time: fmt({ hour: "2-digit", minute: "2-digit", hourCycle: "h23" }),
    timeline: (timeline) => {
      // The same few timelines ("2027-Q1", "end of June") recur on every line of a list.
      const key = timeline.phases.length > 0 ? JSON.stringify(timeline.phases) : timeline.text;
      let text = timelines.get(key);
      if (text === undefined) {
        if (timelines.size >= FORMATTED_TIMELINES) timelines.clear();
        text = formatTimeline(timeline, lang, t);
        timelines.set(key, text);
      }
      return text;
    },
    period: (period) => formatPeriod(period, lang, t),
    list: (items) => listFormat.format(items),
  };
}
