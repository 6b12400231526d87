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

/**
 * How typed keywords compare with the ones the bot shows: case, accents, hyphens, underscores
 * and spacing do not matter, so "In_Progress", "in-progress" and "in progress" are one word,
 * as are "échéance" and "echeance".
 */
export function foldWord(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`´]/gu, "'")
    .replace(/[\s_\-\u2010-\u2015]+/gu, " ")
    .trim();
}

/** One way to say a keyword, folded, and the languages it belongs to. */
export interface Spelling {
  words: string;
  languages: Language[];
  /** The languages of each accented form: "réunion" is French though "reunion" is not only. */
  accented: Map<string, Language[]>;
}

/** How people address the bot where the text is read: "/cmp" in Slack, "@CMP" in Teams. */
export const DEFAULT_COMMAND_PREFIX = "/cmp";

export interface I18n {
  /** `commandPrefix` fills `{{cmd}}` in examples and hints, so they read as people type them. */
  localizer(lang: Language, commandPrefix?: string): Localizer;
  /** Every spelling of a key across the three languages: how the parser accepts any language. */
  allSpellings(key: string): string[];
  /** The same, folded (see foldWord), each with its languages; longest first. */
  spellings(key: string): Spelling[];
  /**
   * How many of `tokens`, from `start`, spell the keyword: "en curso" is two tokens, "in_progress"
   * one. Zero when they do not; the longest spelling wins.
   */
  matchWords(key: string, tokens: readonly string[], start?: number): number;
  /** The same, with the spelling matched (and so its languages). */
  matchSpelling(
    key: string,
    tokens: readonly string[],
    start?: number,
  ): { tokens: number; spelling: Spelling } | null;
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
  const spellingCache = new Map<string, Spelling[]>();
  // The router tries every verb on each command: a key's spellings indexed by their first word
  // make that a lookup per verb rather than a comparison per spelling.
  const byFirstWord = new Map<string, Map<string, { spelling: Spelling; parts: string[] }[]>>();
  const foldedLines = new WeakMap<
    readonly string[],
    Map<number, { word: string; token: number }[]>
  >();
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
          if (!w) continue;
          // One token as typed: "en curso" also as "en-curso", "en_curso", without accents.
          for (const form of [w, foldWord(w)])
            for (const joiner of [" ", "-", "_"]) spellings.add(form.replace(/[\s_-]+/g, joiner));
        }
      }
      return [...spellings];
    },
    spellings,
    matchWords: (key, tokens, start = 0) => matchSpelling(key, tokens, start)?.tokens ?? 0,
    matchSpelling,
  };

  /** Typed words, each marked with the token it came from: "in_progress" is one token of two. */
  function typedWords(tokens: readonly string[], start: number) {
    // The router tries every verb on one line: the line is folded once, not once per verb.
    const byStart = foldedLines.get(tokens) ?? new Map<number, { word: string; token: number }[]>();
    foldedLines.set(tokens, byStart);
    const kept = byStart.get(start);
    if (kept) return kept;
    const typed: { word: string; token: number }[] = [];
    for (let i = start; i < tokens.length && typed.length < 8; i++) {
      for (const word of foldWord(tokens[i] ?? "").split(" ")) {
        if (word) typed.push({ word, token: i });
      }
    }
    byStart.set(start, typed);
    return typed;
  }

  function spellingsByFirstWord(key: string) {
    const kept = byFirstWord.get(key);
    if (kept) return kept;
    const index = new Map<string, { spelling: Spelling; parts: string[] }[]>();
    for (const spelling of spellings(key)) {
      const parts = spelling.words.split(" ");
      const first = parts[0] as string;
      index.set(first, [...(index.get(first) ?? []), { spelling, parts }]);
    }
    byFirstWord.set(key, index);
    return index;
  }

  function matchSpelling(key: string, tokens: readonly string[], start = 0) {
    const typed = typedWords(tokens, start);
    const first = typed[0]?.word;
    if (first === undefined) return null;
    // Longest first, as spellings() sorts them.
    for (const { spelling, parts } of spellingsByFirstWord(key).get(first) ?? []) {
      const last = typed[parts.length - 1];
      if (!last || parts.some((w, i) => typed[i]?.word !== w)) continue;
      // The spelling must end where a token ends: "en" alone does not match "en-curso".
      if (typed[parts.length]?.token === last.token) continue;
      const count = last.token - start + 1;
      // As typed, accents kept: "reunión" is Spanish, "réunion" French, "reunion" either.
      const asTyped = tokens
        .slice(start, start + count)
        .join(" ")
        .toLowerCase()
        .replace(/[\s_-]+/g, " ");
      const languages = spelling.accented.get(asTyped) ?? spelling.languages;
      return { tokens: count, spelling: { ...spelling, languages } };
    }
    return null;
  }

  function spellings(key: string): Spelling[] {
    const cached = spellingCache.get(key);
    if (cached) return cached;
    const found = new Map<string, Set<Language>>();
    const accented = new Map<string, Set<Language>>();
    for (const lang of LANGUAGES) {
      // A missing key in one language falls back to English: it is not that language's word.
      if (!instance.exists(key, { lng: lang, fallbackLng: false })) continue;
      for (const word of String(instance.getFixedT(lang)(key)).split(",")) {
        const folded = foldWord(word);
        if (!folded) continue;
        found.set(folded, (found.get(folded) ?? new Set()).add(lang));
        const typed = word
          .trim()
          .toLowerCase()
          .replace(/[\s_-]+/g, " ");
        if (typed !== folded) accented.set(typed, (accented.get(typed) ?? new Set()).add(lang));
      }
    }
    const list = [...found]
      .map(([words, langs]) => ({
        words,
        languages: [...langs],
        accented: new Map(
          [...accented]
            .filter(([typed]) => foldWord(typed) === words)
            .map(([typed, ls]) => [typed, [...ls]]),
        ),
      }))
      .sort((a, b) => b.words.split(" ").length - a.words.split(" ").length);
    spellingCache.set(key, list);
    return list;
  }
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
