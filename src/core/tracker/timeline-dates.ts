// Date expressions inside a timeline ("Q1 2018", "finales de enero", "mid-2019"): matching on a
// folded copy of the text, the specs they stand for, and the small helpers they are built from.
// Part of the timeline reader (timeline.ts).

import { DateTime } from "luxon";
import type { Precision, Qualifier } from "./types.js";

// ---------------------------------------------------------------------------------------------
// Folding: matching runs on a lower-case, accent-free copy of the same length, so every index
// found in it also cuts the original text (labels keep the user's spelling).

export function fold(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) out += foldChar(text.charAt(i));
  return out;
}

function foldChar(c: string): string {
  if (/[\u2010-\u2015\u2212]/.test(c)) return "-";
  if (/[\u2018\u2019\u02bc\u00b4`]/.test(c)) return "'";
  if (c === "\r") return "\n";
  if (c !== "\n" && /\s/.test(c)) return " ";
  const folded = c.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  return folded.length === 1 ? folded : c;
}

// ---------------------------------------------------------------------------------------------
// Date expressions

export interface Spec {
  precision: Precision;
  year?: number;
  month?: number;
  day?: number;
  /** Quarter (1–4) or half (1–2). */
  part?: number;
  qualifier?: Qualifier;
  /** A lone month name ("may", "mar") is also an ordinary word: see keepTrusted. */
  bare?: boolean;
  /** "1" in "du 1er au 15 juin": takes its month from the day after it. */
  dayOnly?: boolean;
  /** "T1"/"S1" without a year read too easily as something else. */
  needsYear?: boolean;
  /** "November 23-24, 2017": the first day of a two-day window sharing month and year. */
  fromDay?: number;
  /** "23 y 24 de noviembre": a day joined to the next by "and", which makes a range of days. */
  joinsNext?: boolean;
  invalid?: boolean;
  ambiguous?: boolean;
}

export interface Hit {
  start: number;
  end: number;
  spec: Spec;
}

export interface Ctx {
  reference: DateTime;
}

interface Matcher {
  qualifiable: boolean;
  match(f: string, at: number, ctx: Ctx, qualified: boolean): { end: number; spec: Spec } | null;
}

export const END = "(?![\\p{L}\\p{N}])";
export const YEAR = "((?:19|20|21)\\d\\d)(?!\\d)";
const YEAR_RE = rx(YEAR);
/** Between a month or quarter and its year: "enero de 2018", "Nov 30, 2018", "November -2017". */
const YEAR_SEP_RE = rx("(?:\\s*[,/-]\\s*|\\s+)(?:(?:of|de|del)\\s+)?");

/** Folded month names and abbreviations in English, Spanish and French; index + 1 is the month. */
const MONTH_WORDS = [
  "january jan janv enero ene janvier",
  "february feb febrero fevrier fevr fev",
  "march mar marzo mars",
  "april apr abril abr avril avr",
  "may mayo mai",
  "june jun junio juin",
  "july jul julio juillet juil",
  "august aug agosto ago aout",
  "september sep sept septiembre setiembre septembre",
  "october oct octubre octobre",
  "november nov noviembre novembre",
  "december dec diciembre dic decembre",
];
const MONTH_NAMES = numbered(MONTH_WORDS);
const MONTH = `(${alternation([...MONTH_NAMES.keys()])})(?![\\p{L}])\\.?`;

/** Ordinal words; index is the number, 0 standing for "last" (a quarter or a half). */
const ORDINAL_WORDS = numbered(
  [
    "last ultimo ultima dernier derniere",
    "first primer primero primera premier premiere",
    "second segundo segunda deuxieme seconde",
    "third tercer tercero tercera troisieme",
    "fourth cuarto cuarta quatrieme",
  ],
  0,
);
const ORDINAL = `(${alternation([...ORDINAL_WORDS.keys()])}|(\\d)\\.?(?:st|nd|rd|th|ere|er|re|eme|e|de|d|ro|do|to|o|a|º|ª|°))`;

const MATCHERS: Matcher[] = [
  // 2018-01-31
  byRegex(`${YEAR}([-/.])(\\d{1,2})\\2(\\d{1,2})(?!\\d)`, {}, (m) =>
    daySpec(num(m[4]), num(m[3]), num(m[1])),
  ),
  // 2018-01
  byRegex(`${YEAR}[-/](\\d{1,2})(?!\\d)`, { qualifiable: true }, (m) =>
    monthSpec(num(m[2]), num(m[1])),
  ),
  // 2018-Q1, 2018-T1, 2018-H2, 2018-S2
  byRegex(`${YEAR}\\s*[-/]?\\s*([qths])(\\d)${END}`, { qualifiable: true }, (m) =>
    partSpec(m[2] ?? "", num(m[3]), num(m[1])),
  ),
  // Q1 2018, T1 2018, H2 2018, Q1
  byRegex(`([qths])(\\d)${END}`, { qualifiable: true, takesYear: true }, (m) => ({
    ...partSpec(m[1] ?? "", num(m[2])),
    needsYear: m[1] === "t" || m[1] === "s",
  })),
  // first quarter/trimester of 2018, primer semestre de 2018, 1er trimestre 2018, seconde moitié de 2018
  byRegex(
    `${ORDINAL}\\s+(quarter|trimester|trimestre|half(?:[\\s-]year)?|semester|semestre|mitad|moitie)${END}`,
    { qualifiable: true, takesYear: true },
    (m) => {
      // The 2017 report's "first trimester of 2018" is a quarter, as "trimestre" is in es/fr.
      const half = !/^(?:quarter|trimester|trimestre)$/.test(m[3] ?? "");
      const n = m[2] === undefined ? (ORDINAL_WORDS.get(m[1] ?? "") ?? -1) : num(m[2]);
      return partSpec(half ? "h" : "q", n === 0 ? (half ? 2 : 4) : n);
    },
  ),
  // November 23-24, 2017; October 12 and 13, 2017 (the meetings in the 2017 report)
  byRegex(
    `${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?\\s*(?:-|to|and|&)\\s*(\\d{1,2})(?:st|nd|rd|th)?${END}`,
    { takesYear: true },
    (m) => ({ ...daySpec(num(m[3]), monthNumber(m[1])), fromDay: num(m[2]) }),
  ),
  // December 31st 2017, Nov 30, 2018
  byRegex(`${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?${END}`, { takesYear: true }, (m) =>
    daySpec(num(m[2]), monthNumber(m[1])),
  ),
  // 31 December 2017, 31 de diciembre de 2017, 1er janvier 2018, 31st of December
  byRegex(
    `(\\d{1,2})(?:st|nd|rd|th|er|re|o|º|°)?(?:\\s+of)?[\\s-]*(?:de\\s+)?${MONTH}`,
    { takesYear: true },
    (m) => daySpec(num(m[1]), monthNumber(m[2])),
  ),
  // 05/06/2018 is 5 June in Mexico and May 6 for many in Canada: refused, never guessed.
  byRegex(`\\d{1,2}([/.-])\\d{1,2}\\1${YEAR}`, {}, () => ({ precision: "day", ambiguous: true })),
  // the "1" of "du 1er au 15 juin"
  byRegex(`(\\d{1,2})(?:st|nd|rd|th|er|re|o|º|°)?${END}`, {}, (m) => {
    const day = num(m[1]);
    return day >= 1 && day <= 31 ? { precision: "day", day, dayOnly: true } : null;
  }),
  // January 2018, enero de 2018, Jan, fin janvier
  byRegex(MONTH, { qualifiable: true, takesYear: true }, (m, _ctx, qualified) => ({
    ...monthSpec(monthNumber(m[1])),
    bare: !qualified,
  })),
  byRegex(YEAR, { qualifiable: true }, (m) => ({ precision: "year", year: num(m[1]) })),
  relativeMatcher("year"),
  relativeMatcher("month"),
];
const RELATIVE_YEAR = relativeMatcher("year");

interface Relative {
  re: RegExp;
  offset: number;
  /** "this year" stands alone; a bare "año" only after "fin de". */
  standsAlone: boolean;
}

const RELATIVE: Record<"year" | "month", Relative[]> = {
  year: [
    {
      re: rx(
        `(?:next\\s+year|(?:el\\s+)?(?:proximo\\s+ano|ano\\s+proximo|ano\\s+que\\s+viene)|l'annee\\s+prochaine|l'an\\s+prochain)${END}`,
      ),
      offset: 1,
      standsAlone: true,
    },
    {
      re: rx(`(?:this|este|cette)\\s+(?:calendar\\s+)?(?:year|ano|annee)${END}`),
      offset: 0,
      standsAlone: true,
    },
    {
      // "fin de l'année 2018" names its year.
      re: rx(
        `(?:the\\s+|el\\s+|l')?(?:calendar\\s+)?(?:year|ano|annee)(?:\\s+(?:calendario|civil|civile|calendaire|en\\s+curso|en\\s+cours))?${END}(?:\\s+(?:de\\s+)?${YEAR})?`,
      ),
      offset: 0,
      standsAlone: false,
    },
  ],
  month: [
    {
      re: rx(
        `(?:next\\s+month|(?:el\\s+)?(?:proximo\\s+mes|mes\\s+proximo|mes\\s+que\\s+viene)|le\\s+mois\\s+prochain)${END}`,
      ),
      offset: 1,
      standsAlone: true,
    },
    {
      re: rx(`(?:this|este|ce)\\s+(?:month|mes|mois)(?:-ci)?${END}`),
      offset: 0,
      standsAlone: true,
    },
    {
      re: rx(
        `(?:(?:the|el|le)\\s+)?(?:month|mes|mois)(?:\\s+(?:en\\s+curso|en\\s+cours|actual))?${END}`,
      ),
      offset: 0,
      standsAlone: false,
    },
  ],
};

function relativeMatcher(unit: "year" | "month"): Matcher {
  return {
    qualifiable: true,
    match(f, at, ctx, qualified) {
      if (!ctx.reference.isValid) return null;
      for (const rel of RELATIVE[unit]) {
        if (!rel.standsAlone && !qualified) continue;
        rel.re.lastIndex = at;
        const m = rel.re.exec(f);
        if (!m) continue;
        const named = m[1] === undefined ? undefined : num(m[1]);
        const when = ctx.reference.plus(
          unit === "year" ? { years: rel.offset } : { months: rel.offset },
        );
        const spec: Spec =
          unit === "year"
            ? { precision: "year", year: named ?? when.year }
            : { precision: "month", year: when.year, month: when.month };
        return { end: at + m[0].length, spec };
      }
      return null;
    },
  };
}

/** "fin" means the end of a month but the last months of a year ("fin 2018" = late 2018). */
type QualifierWord = Qualifier | "fin";

const QUALIFIERS: [RegExp, QualifierWord][] = [
  [rx(`end\\s+of${END}`), "end"],
  [rx(`fin\\s+(?:del?|du)${END}`), "end"],
  [rx("fin\\s+d'"), "end"],
  [rx(`cierre\\s+del?${END}`), "end"],
  [rx(`(?:finales|fines)\\s+del?${END}`), "fin"],
  [rx(`fin${END}`), "fin"],
  [rx(`early${END}`), "early"],
  [rx(`(?:the\\s+)?(?:beginning|start)\\s+of${END}`), "start"],
  [rx(`(?:principios|inicios|comienzos)\\s+del?${END}`), "start"],
  [rx(`debut(?:\\s+(?:del?|du))?${END}`), "start"],
  [rx("debut\\s+d'"), "start"],
  [rx(`mid(?:dle\\s+of)?${END}`), "mid"],
  [rx(`mediados\\s+del?${END}`), "mid"],
  [rx("mi-"), "mid"],
  [rx(`milieu(?:\\s+(?:del?|du))?${END}`), "mid"],
  [rx("milieu\\s+d'"), "mid"],
  [rx(`late${END}`), "late"],
];
const QUALIFIER_GAP_RE = rx("[\\s-]*");
const ARTICLE_RE = rx("(?:the|el|la|le)\\s+|l'");

function byRegex(
  source: string,
  options: { qualifiable?: boolean; takesYear?: boolean },
  build: (m: RegExpExecArray, ctx: Ctx, qualified: boolean) => Spec | null,
): Matcher {
  const re = rx(source);
  return {
    qualifiable: options.qualifiable ?? false,
    match(f, at, ctx, qualified) {
      re.lastIndex = at;
      const m = re.exec(f);
      if (!m) return null;
      const spec = build(m, ctx, qualified);
      if (!spec) return null;
      let end = at + m[0].length;
      if (options.takesYear && spec.year === undefined) {
        const tail = matchYear(f, end, ctx);
        if (tail) {
          spec.year = tail.year;
          spec.bare = false;
          end = tail.end;
        }
      }
      if (spec.needsYear && spec.year === undefined) return null;
      return { end, spec };
    },
  };
}

function matchYear(f: string, at: number, ctx: Ctx): { end: number; year: number } | null {
  YEAR_SEP_RE.lastIndex = at;
  const sep = YEAR_SEP_RE.exec(f);
  if (!sep) return null;
  const from = at + sep[0].length;
  YEAR_RE.lastIndex = from;
  const year = YEAR_RE.exec(f);
  if (year) return { end: from + year[0].length, year: num(year[1]) };
  const relative = RELATIVE_YEAR.match(f, from, ctx, true);
  return relative?.spec.year === undefined ? null : { end: relative.end, year: relative.spec.year };
}

/** The longest date expression starting at `at`, with or without "end of", "early"... */
function longestAt(f: string, at: number, ctx: Ctx): Hit | null {
  let best: Hit | null = null;
  const consider = (end: number, spec: Spec) => {
    if (!best || end > best.end) best = { start: at, end, spec };
  };
  for (const matcher of MATCHERS) {
    const found = matcher.match(f, at, ctx, false);
    if (found) consider(found.end, found.spec);
  }
  for (const [re, word] of QUALIFIERS) {
    re.lastIndex = at;
    const q = re.exec(f);
    if (!q) continue;
    QUALIFIER_GAP_RE.lastIndex = at + q[0].length;
    const gapEnd = at + q[0].length + (QUALIFIER_GAP_RE.exec(f)?.[0].length ?? 0);
    ARTICLE_RE.lastIndex = gapEnd;
    const article = ARTICLE_RE.exec(f);
    const starts = article ? [gapEnd, gapEnd + article[0].length] : [gapEnd];
    for (const start of starts) {
      for (const matcher of MATCHERS) {
        if (!matcher.qualifiable) continue;
        const found = matcher.match(f, start, ctx, true);
        if (!found) continue;
        const qualifier =
          word === "fin" ? (found.spec.precision === "year" ? "late" : "end") : word;
        consider(found.end, { ...found.spec, qualifier });
      }
    }
  }
  return best;
}

export function scan(f: string, ctx: Ctx): Hit[] {
  const hits: Hit[] = [];
  let at = 0;
  while (at < f.length) {
    const startsWord =
      /[\p{L}\p{N}]/u.test(f.charAt(at)) && !/[\p{L}\p{N}]/u.test(f.charAt(at - 1));
    const hit = startsWord ? longestAt(f, at, ctx) : null;
    if (hit) {
      hits.push(hit);
      at = hit.end;
    } else {
      at++;
    }
  }
  return hits;
}

export function daySpec(day: number, month: number, year?: number): Spec {
  const invalid = month < 1 || month > 12 || day < 1 || day > maxDay(month);
  return { precision: "day", day, month, year, invalid };
}

function monthSpec(month: number, year?: number): Spec {
  return { precision: "month", month, year, invalid: month < 1 || month > 12 };
}

function partSpec(letter: string, part: number, year?: number): Spec {
  const half = letter === "h" || letter === "s";
  const invalid = part < 1 || part > (half ? 2 : 4);
  return { precision: half ? "half" : "quarter", part, year, invalid };
}

/** The most days a month can have in any year: 29 February is real in leap years. */
function maxDay(month: number): number {
  return DateTime.utc(2000, month, 1).daysInMonth ?? 31;
}

function monthNumber(name: string | undefined): number {
  return MONTH_NAMES.get(name ?? "") ?? 0;
}

/** "march mar marzo mars" at index 2 → each word ↦ 3 (or ↦ 2 with `first` = 0). */
export function numbered(lines: string[], first = 1): Map<string, number> {
  return new Map(lines.flatMap((line, i) => line.split(" ").map((word) => [word, i + first])));
}

export function num(digits: string | undefined): number {
  return Number(digits ?? Number.NaN);
}

function rx(source: string): RegExp {
  return new RegExp(source, "uy");
}

/** Longest first, so "marzo" wins over "mar". */
export function alternation(words: string[]): string {
  return [...words].sort((a, b) => b.length - a.length).join("|");
}
