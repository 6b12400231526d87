// Reads the timelines people type in the Annex A tracker ("Q1 2018", "finales de enero de 2018",
// "June–December 2018 (TBC)", several labelled phases) in English, Spanish or French.
// Our own rules run first: chrono-node misreads the domain phrases (quarters, "fin janvier",
// "finales de enero"), so it only gets leftover day-level phrases such as "next Friday".

import * as chrono from "chrono-node";
import { DateTime } from "luxon";
import type { Language, Period, Phase, Precision, Qualifier, Timeline } from "./types.js";

export const TIMELINE_MAX_LENGTH = 200;

export type TimelineError =
  | "empty"
  | "unrecognised"
  | "impossible_date"
  | "reversed_range"
  | "too_long";

export type ParseResult =
  | { ok: true; timeline: Timeline }
  | { ok: false; error: TimelineError; fragment?: string };

export interface ParseOptions {
  /** Today in the group's zone (YYYY-MM-DD): anchors year-less phrases such as "end of January". */
  referenceDate: string;
}

export function parseTimeline(text: string, options: ParseOptions): ParseResult {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, error: "empty" };
  if (trimmed.length > TIMELINE_MAX_LENGTH) return { ok: false, error: "too_long" };
  try {
    const phases = readPhases(trimmed.normalize("NFC"), options.referenceDate);
    return { ok: true, timeline: { text: trimmed, phases } };
  } catch (error) {
    if (error instanceof TimelineFailure) {
      return error.fragment === undefined
        ? { ok: false, error: error.code }
        : { ok: false, error: error.code, fragment: error.fragment };
    }
    // A chat message must never crash the bot; an unexpected case reads as "not understood".
    return { ok: false, error: "unrecognised", fragment: trimmed };
  }
}

/** A phrase kept as the document wrote it when it cannot be read, for `status` to list. */
export function unreadTimeline(text: string): Timeline {
  return { text: text.trim(), phases: [], unread: true };
}

/** The last day of the last window ("Q1 2018" → 2018-03-31); null when the timeline has no date. */
export function timelineDue(timeline: Timeline): string | null {
  let due: string | null = null;
  for (const phase of timeline.phases) {
    if (due === null || phase.until.end > due) due = phase.until.end;
  }
  return due;
}

export function isTentative(timeline: Timeline): boolean {
  return timeline.phases.some((phase) => phase.tentative);
}

class TimelineFailure extends Error {
  constructor(
    readonly code: Exclude<TimelineError, "empty" | "too_long">,
    readonly fragment?: string,
  ) {
    super(code);
  }
}

// ---------------------------------------------------------------------------------------------
// Folding: matching runs on a lower-case, accent-free copy of the same length, so every index
// found in it also cuts the original text (labels keep the user's spelling).

function fold(text: string): string {
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

interface Spec {
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

interface Hit {
  start: number;
  end: number;
  spec: Spec;
}

interface Ctx {
  reference: DateTime;
}

interface Matcher {
  qualifiable: boolean;
  match(f: string, at: number, ctx: Ctx, qualified: boolean): { end: number; spec: Spec } | null;
}

const END = "(?![\\p{L}\\p{N}])";
const YEAR = "((?:19|20|21)\\d\\d)(?!\\d)";
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

function scan(f: string, ctx: Ctx): Hit[] {
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

function daySpec(day: number, month: number, year?: number): Spec {
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
function numbered(lines: string[], first = 1): Map<string, number> {
  return new Map(lines.flatMap((line, i) => line.split(" ").map((word) => [word, i + first])));
}

function num(digits: string | undefined): number {
  return Number(digits ?? Number.NaN);
}

function rx(source: string): RegExp {
  return new RegExp(source, "uy");
}

/** Longest first, so "marzo" wins over "mar". */
function alternation(words: string[]): string {
  return [...words].sort((a, b) => b.length - a.length).join("|");
}

// ---------------------------------------------------------------------------------------------
// What lies between date expressions: range connectors, labels, "(TBC)", filler words.

const TENTATIVE_WORDS = phrases(
  "tbc|tbd|tentative|tentatively|tentativo|tentativa|tentativamente|provisional|provisionally",
  "provisoire|por confirmar|a confirmer|to be confirmed|sujeto a confirmacion",
);
/** "(PC)" (por confirmar) is a mark only in brackets; alone it could be anything. */
const TENTATIVE_RE = new RegExp(
  `\\(\\s*(?:pc|por definir|${words(TENTATIVE_WORDS)})\\s*\\)|(?<![\\p{L}\\p{N}])(?:${words(TENTATIVE_WORDS)})`,
  "gu",
);
/** "(6 months)" restates the range; it is neither a label nor a date. */
const DURATION_RE =
  /\(\s*(?:approx\.?|aprox\.?|environ|~)?\s*\d+(?:[.,]\d+)?\s*(?:months?|mes|meses|mois|weeks?|semanas?|semaines?|days?|dias?|jours?|years?|anos?|ans?)\s*\)/gu;

const STRONG_CONNECTORS = phrases(
  "to|a|al|au|until|till|through|thru|hasta|jusqu'a|jusqu'au|jusqu'en",
);
/** "between June and December": a range only after "between"/"entre". */
const WEAK_CONNECTORS = phrases("and|y|et");
const FILLER = phrases(
  "no later than|not later than|at the latest|at latest|by|deadline|due|target|expected",
  "as of|as from|in the course of|over the course of|au cours du|au cours de|d'ici a la|d'ici au",
  "planned|scheduled|approximately|approx|around|about|circa|sometime in|sometime|in|on|of",
  "the|from|between|during|starting|or|for|ongoing",
  "a mas tardar|para|en|el|la|los|las|de|del|desde|entre|durante|fecha limite|plazo|hacia",
  "alrededor de|aproximadamente|aprox|a partir de|a partir del|o|previsto para|prevista para",
  "au plus tard|d'ici la|d'ici le|d'ici|pour|le|les|du|des|aux|pendant|echeance|date limite",
  "vers|environ|a partir du|a compter de|a compter du|ou|prevu pour|prevue pour|l'|d'",
);
/** "Friday, 31 December 2017": filler beside a date, but the date itself when alone. */
const WEEKDAYS = phrases(
  "monday|tuesday|wednesday|thursday|friday|saturday|sunday",
  "lunes|martes|miercoles|jueves|viernes|sabado|domingo",
  "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche",
);

function phrases(...lines: string[]): string[] {
  return lines.flatMap((line) => line.split("|"));
}

function words(list: string[]): string {
  return alternation(list)
    .split("|")
    .map((w) => (w.endsWith("'") ? w : `${w.replace(/ /g, "\\s+")}${END}`))
    .join("|");
}

interface Edges {
  leading: RegExp;
  trailing: RegExp;
}

/**
 * "prior to the end of the year" is due at its end; "before June" would be due in May, which no
 * window here says: such a "before" is accepted only ahead of an end-of-period phrase.
 */
const BEFORE = phrases("before|prior to|antes de|antes del|avant|avant la|avant le|avant l'");

function edges(filler: string[]): Edges {
  const strong = `\\.{2,}|-+|/|(?:${words(STRONG_CONNECTORS)})`;
  // Phrases first: "a más tardar", "à partir de" begin with the connector "a".
  const multiword = filler.filter((w) => w.includes(" "));
  const leading = `(?:${words(multiword)})|(?<before>${words(BEFORE)})|(?<strong>${strong})|(?<weak>${words(WEAK_CONNECTORS)})|(?:${words(filler)})|[\\s,.:!?…]+`;
  const all = words([...STRONG_CONNECTORS, ...WEAK_CONNECTORS, ...filler]);
  return {
    leading: new RegExp(`^(?:${leading})`, "u"),
    trailing: new RegExp(`(?:\\.{2,}|-+|/|[\\s,.:!?…]+|(?<![\\p{L}\\p{N}'])(?:${all}))$`, "u"),
  };
}

const DATED_EDGES = edges([...FILLER, ...WEEKDAYS]);
const UNDATED_EDGES = edges(FILLER);

interface Segment {
  label?: string;
  /** Where the label starts, to tell "(TBC) Execution" from "Execution (TBC)". */
  labelStart: number;
  tentativeAt: number[];
  /** ":" or "-" after the label: "Structuring: January–May 2018". */
  delimited: boolean;
}

interface Glue {
  /** Split at ";" or a line break: what comes before belongs to the phase before. */
  segments: Segment[];
  /** Holds "-", "to", "a", "au"...: two dates around it make a range. */
  strong: boolean;
  /** Holds "and", "y", "et": a range only after "between"/"entre". */
  weak: boolean;
  afterBetween: boolean;
  /** "before", as typed: the next date must be an end of period. */
  before?: string;
}

/** Reads the text between two date expressions (or before the first, or after the last). */
function readGlue(s: string, f: string, from: number, to: number, trim: Edges = DATED_EDGES): Glue {
  const masked = new Set<number>();
  const tentativeAt: number[] = [];
  const piece = f.slice(from, to);
  for (const m of piece.matchAll(TENTATIVE_RE)) {
    tentativeAt.push(from + m.index);
    for (let i = 0; i < m[0].length; i++) masked.add(from + m.index + i);
  }
  for (const m of piece.matchAll(DURATION_RE)) {
    for (let i = 0; i < m[0].length; i++) masked.add(from + m.index + i);
  }
  const glue: Glue = {
    segments: [],
    strong: false,
    weak: false,
    afterBetween: /(?:^|[^\p{L}])(?:between|entre)\s*$/u.test(piece),
  };
  let segStart = from;
  for (let i = from; i <= to; i++) {
    if (i < to && !((f[i] === ";" || f[i] === "\n") && !masked.has(i))) continue;
    glue.segments.push(readSegment(s, f, segStart, i, { masked, tentativeAt, trim }, glue));
    segStart = i + 1;
  }
  return glue;
}

function readSegment(
  s: string,
  f: string,
  from: number,
  to: number,
  marks: { masked: Set<number>; tentativeAt: number[]; trim: Edges },
  glue: Glue,
): Segment {
  const { masked, tentativeAt, trim } = marks;
  let work = "";
  for (let i = from; i < to; i++) work += masked.has(i) ? " " : f.charAt(i);
  let a = 0;
  let b = work.length;
  for (;;) {
    const m = trim.leading.exec(work.slice(a, b));
    if (!m || m[0].length === 0) break;
    if (m.groups?.strong) glue.strong = true;
    if (m.groups?.weak) glue.weak = true;
    if (m.groups?.before) glue.before = s.slice(from + a, from + a + m[0].length).trim();
    a += m[0].length;
  }
  for (;;) {
    const m = trim.trailing.exec(work.slice(a, b));
    if (!m || m[0].length === 0) break;
    b -= m[0].length;
  }
  const label = a < b ? cleanLabel(s, from + a, from + b, masked) : undefined;
  return {
    label,
    labelStart: from + a,
    tentativeAt: tentativeAt.filter((at) => at >= from && at < to),
    delimited: /[:-]/.test(work.slice(b)),
  };
}

/** The user's own words, without stray brackets and punctuation at the edges. */
function cleanLabel(s: string, from: number, to: number, masked: Set<number>): string | undefined {
  let text = "";
  for (let i = from; i < to; i++) text += masked.has(i) ? " " : s.charAt(i);
  text = text.replace(/\s+/g, " ");
  let previous = "";
  while (previous !== text) {
    previous = text;
    text = text.replace(/^[\s,.:;\-\u2010-\u2015]+|[\s,.:;\-\u2010-\u2015]+$/g, "");
    const opens = text.split("(").length - 1;
    const closes = text.split(")").length - 1;
    if (/^\([^()]*\)$/.test(text)) text = text.slice(1, -1);
    else if (text.startsWith("(") && opens > closes) text = text.slice(1);
    else if (text.endsWith(")") && closes > opens) text = text.slice(0, -1);
    else if (text.endsWith("(")) text = text.slice(0, -1);
    else if (text.startsWith(")")) text = text.slice(1);
  }
  return text === "" ? undefined : text;
}

// ---------------------------------------------------------------------------------------------
// Phases

interface Draft {
  from?: Hit;
  until: Hit;
  labels: string[];
  tentative: boolean;
}

function readPhases(s: string, referenceDate: string): Phase[] {
  const f = fold(s);
  const reference = DateTime.fromISO(referenceDate, { zone: "utc" });
  const ctx: Ctx = { reference };
  const hits = keepTrusted(scan(f, ctx), s, f);
  if (hits.length === 0) return readUndated(s, f, reference);

  const ambiguous = hits.find((hit) => hit.spec.ambiguous);
  if (ambiguous) throw new TimelineFailure("unrecognised", s.slice(ambiguous.start, ambiguous.end));
  const invalid = hits.find((hit) => hit.spec.invalid);
  if (invalid) throw new TimelineFailure("impossible_date", s.slice(invalid.start, invalid.end));

  const glues: Glue[] = [];
  for (let i = 0; i <= hits.length; i++) {
    glues.push(readGlue(s, f, hits[i - 1]?.end ?? 0, hits[i]?.start ?? s.length));
  }
  glues.forEach((glue, i) => {
    const qualifier = hits[i]?.spec.qualifier;
    if (glue.before && qualifier !== "end" && qualifier !== "late")
      throw new TimelineFailure("unrecognised", glue.before);
  });

  // Join ranges first; which phase a label belongs to depends on the phases.
  const drafts: Draft[] = [];
  const breaks: Glue[] = [];
  hits.forEach((hit, i) => {
    const current = drafts.at(-1);
    const glue = glues[i];
    const joins = current?.until.spec.joinsNext || (glue && isConnector(glue, glues[i - 1]));
    if (current && glue && !current.from && !hit.spec.dayOnly && joins) {
      current.from = current.until;
      current.until = hit;
      return;
    }
    if (current && glue) breaks.push(glue);
    const { fromDay } = hit.spec;
    const from =
      fromDay === undefined
        ? undefined
        : { ...hit, spec: daySpec(fromDay, hit.spec.month ?? 0, hit.spec.year) };
    drafts.push({ from, until: hit, labels: [], tentative: false });
  });

  const leading = glues[0];
  const first = drafts[0];
  const last = drafts.at(-1);
  if (!leading || !first || !last) return [];
  const lead = leading.segments.at(-1);
  if (lead?.label !== undefined && !lead.delimited) {
    throw new TimelineFailure("unrecognised", lead.label);
  }
  // "Structuring: January–May 2018; Execution: June–December 2018" puts labels before dates.
  const labelsFirst = leading.segments.some((segment) => segment.label !== undefined);
  attach(leading, null, first, labelsFirst);
  breaks.forEach((glue, i) => {
    const prev = drafts[i];
    const next = drafts[i + 1];
    if (prev && next) attach(glue, prev, next, labelsFirst);
  });
  const trailing = glues.at(-1);
  if (trailing) attach(trailing, last, null, labelsFirst);

  return resolve(drafts, s, reference);
}

/**
 * Drops day numbers that do not start a range, and lone month names right after other words
 * ("Execution may slip") unless they end or start a range.
 */
function keepTrusted(hits: Hit[], s: string, f: string): Hit[] {
  const glues = hits.map((hit, i) => readGlue(s, f, hits[i - 1]?.end ?? 0, hit.start));
  // Whether hits[i - 1] and hits[i] are the two ends of a range.
  const joined = (i: number) => {
    const glue = glues[i];
    return i > 0 && glue !== undefined && isConnector(glue, glues[i - 1]);
  };
  return hits.filter((hit, i) => {
    const next = hits[i + 1];
    if (hit.spec.dayOnly) {
      const glue = glues[i + 1];
      const byAnd = glue !== undefined && !glue.strong && isConnector(glue, undefined, true);
      if (!(joined(i + 1) || byAnd) || next?.spec.precision !== "day" || next.spec.dayOnly)
        return false;
      hit.spec = { ...daySpec(hit.spec.day ?? 0, next.spec.month ?? 0), joinsNext: byAnd };
      return true;
    }
    if (!hit.spec.bare) return true;
    const wordsBefore = glues[i]?.segments.at(-1)?.label !== undefined;
    return !wordsBefore || hits.length === 1 || joined(i) || joined(i + 1);
  });
}

/** "and" joins two dates into a range after "between", or two days ("23 y 24 de noviembre"). */
function isConnector(glue: Glue, before?: Glue, andJoins = before?.afterBetween === true): boolean {
  const [only, ...more] = glue.segments;
  if (!only || more.length > 0 || only.label !== undefined || only.tentativeAt.length > 0) {
    return false;
  }
  return glue.strong || (glue.weak && andJoins);
}

function attach(glue: Glue, prev: Draft | null, next: Draft | null, labelsFirst: boolean): void {
  const segments = glue.segments;
  segments.forEach((segment, i) => {
    const isLast = i === segments.length - 1;
    const whole = (prev && !isLast) || !next ? prev : next;
    if (segments.length > 1 || !prev || !next) {
      if (whole) addTo(whole, segment.label, segment.tentativeAt.length > 0);
      return;
    }
    if (labelsFirst && segment.label !== undefined) {
      // "… 2018 (TBC) - Execution: June 2018": the mark before the label closes the last phase.
      const before = segment.tentativeAt.some((at) => at < segment.labelStart);
      const after = segment.tentativeAt.some((at) => at >= segment.labelStart);
      addTo(prev, undefined, before);
      addTo(next, segment.label, after);
    } else {
      addTo(prev, segment.label, segment.tentativeAt.length > 0);
    }
  });
}

function addTo(draft: Draft, label: string | undefined, tentative: boolean): void {
  if (label !== undefined) draft.labels.push(label);
  if (tentative) draft.tentative = true;
}

function resolve(drafts: Draft[], s: string, reference: DateTime): Phase[] {
  let anchor = reference;
  return drafts.map((draft) => {
    const fragment = s.slice((draft.from ?? draft.until).start, draft.until.end);
    let from: Window | undefined;
    let until: Window;
    if (!draft.from) {
      until = onOrAfter(draft.until.spec, anchor, fragment);
    } else if (draft.from.spec.year !== undefined || draft.until.spec.year === undefined) {
      from = onOrAfter(draft.from.spec, anchor, fragment);
      until = onOrAfter(draft.until.spec, from.start, fragment);
    } else {
      until = onOrAfter(draft.until.spec, anchor, fragment);
      // "June–December 2018", "November–February 2018": the start borrows the end's year.
      from = onOrBefore(draft.from.spec, until.start, fragment);
    }
    if (from && until.end < from.start) throw new TimelineFailure("reversed_range", fragment);
    anchor = until.start;
    const phase: Phase = { until: toPeriod(draft.until.spec, until), tentative: draft.tentative };
    if (from && draft.from) phase.from = toPeriod(draft.from.spec, from);
    if (draft.labels.length > 0) phase.label = draft.labels.join(" ");
    return phase;
  });
}

interface Window {
  start: DateTime;
  end: DateTime;
}

/** A stated year as is; otherwise the first year whose window has not ended before `anchor`. */
function onOrAfter(spec: Spec, anchor: DateTime, fragment: string): Window {
  if (spec.year !== undefined) {
    const window = calendarWindow(spec, spec.year);
    if (!window) throw new TimelineFailure("impossible_date", fragment);
    return window;
  }
  if (!anchor.isValid) throw new TimelineFailure("unrecognised", fragment);
  for (let year = anchor.year; year <= anchor.year + 8; year++) {
    const window = calendarWindow(spec, year);
    if (window && window.end >= anchor.startOf("day")) return window;
  }
  throw new TimelineFailure("impossible_date", fragment);
}

/** The last year whose window starts no later than `limit`. */
function onOrBefore(spec: Spec, limit: DateTime, fragment: string): Window {
  for (let year = limit.year; year >= limit.year - 8; year--) {
    const window = calendarWindow(spec, year);
    if (window && window.start <= limit) return window;
  }
  throw new TimelineFailure("impossible_date", fragment);
}

/** The whole window a phrase names in a year, before "early"/"mid"/"late" narrow it. */
function calendarWindow(spec: Spec, year: number): Window | null {
  const month = spec.month ?? 1;
  switch (spec.precision) {
    case "day": {
      const day = DateTime.utc(year, month, spec.day ?? 1);
      return day.isValid ? { start: day, end: day } : null;
    }
    case "month": {
      const start = DateTime.utc(year, month, 1);
      return { start, end: start.endOf("month").startOf("day") };
    }
    case "quarter":
    case "half": {
      const months = spec.precision === "quarter" ? 3 : 6;
      const start = DateTime.utc(year, ((spec.part ?? 1) - 1) * months + 1, 1);
      return { start, end: start.plus({ months }).minus({ days: 1 }) };
    }
    case "year":
      return { start: DateTime.utc(year, 1, 1), end: DateTime.utc(year, 12, 31) };
  }
}

function toPeriod(spec: Spec, window: Window): Period {
  const { start, end } = narrow(spec, window);
  const period: Period = {
    precision: spec.precision,
    start: start.toISODate() ?? "",
    end: end.toISODate() ?? "",
  };
  if (spec.qualifier) period.qualifier = spec.qualifier;
  return period;
}

/** Months at each edge of a window for "beginning of"/"end of": a quarter's last month, a year's last quarter. */
const EDGE_MONTHS = { quarter: 1, half: 2, year: 3 } as const;

/**
 * A reader of "end of January" means its last days, not all of January: the edge qualifiers
 * keep about the last third of a month (21st–31st), the last month of a quarter, the last two
 * of a half, the last quarter of a year; "beginning of"/"early" the mirror; "mid" the middle
 * third.
 */
function narrow(spec: Spec, window: Window): Window {
  const qualifier = spec.qualifier;
  if (!qualifier) return window;
  const side = qualifier === "start" || qualifier === "early" ? 0 : qualifier === "mid" ? 1 : 2;
  if (spec.precision === "day") return window;
  if (spec.precision === "month") {
    const start = window.start.plus({ days: side * 10 });
    return { start, end: side === 2 ? window.end : start.plus({ days: 9 }) };
  }
  const total = window.end.month - window.start.month + 1;
  const third = total / 3;
  const edge = EDGE_MONTHS[spec.precision];
  const [offset, months] =
    side === 1 ? [third, third] : side === 0 ? [0, edge] : [total - edge, edge];
  const start = window.start.plus({ months: offset });
  return { start, end: start.plus({ months }).minus({ days: 1 }) };
}

// ---------------------------------------------------------------------------------------------
// Phrases with no date of ours: open ones ("medium term"), else chrono for "next Friday".

const OPEN_RE =
  /^(?:(?:in the|in|a|au|en el|al)\s+)?(?:(?:short|medium|mid|long|near)[\s-]term|(?:corto|mediano|medio|largo)\s+plazo|(?:court|moyen|long)\s+terme|ongoing|on-going|continuous|permanent|permanente|continuo|continu|en curso|en cours|to be determined|to be defined|por definir|por determinar|a definir|a determiner)$/u;

function readUndated(s: string, f: string, reference: DateTime): Phase[] {
  const glue = readGlue(s, f, 0, s.length, UNDATED_EDGES);
  const tentative = glue.segments.some((segment) => segment.tentativeAt.length > 0);
  const plain = f
    .replace(TENTATIVE_RE, " ")
    .replace(/[()[\].,;:!?]/g, " ")
    .replace(/\s+/g, " ")
    .replace(/^[\s-]+|[\s-]+$/g, "");
  if (plain === "" && tentative) return [];
  if (OPEN_RE.test(plain)) return [];
  const rest = glue.segments
    .map((segment) => segment.label)
    .filter((label) => label !== undefined)
    .join(" ");
  const day = rest === "" ? null : readWithChrono(rest, reference);
  if (!day) throw new TimelineFailure("unrecognised", rest === "" ? s : rest);
  return [{ until: { precision: "day", start: day, end: day }, tentative }];
}

const CHRONO: Record<Language, chrono.Chrono> = {
  en: chrono.en.casual,
  es: chrono.es.casual,
  fr: chrono.fr.casual,
};

const LANGUAGE_HINTS: Record<Language, RegExp> = {
  en: /\b(?:next|tomorrow|today|in|on|by|weeks?|days?|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/g,
  es: /\b(?:el|proximo|proxima|manana|hoy|semanas?|dias?|dentro|lunes|martes|miercoles|jueves|viernes|sabado|domingo)\b/g,
  fr: /\b(?:le|prochain|prochaine|demain|aujourd'hui|dans|semaines?|jours?|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b/g,
};

/** Languages by how many of their words the text uses; chrono reads each language apart. */
function guessLanguages(f: string): Language[] {
  const score = (lang: Language) => f.match(LANGUAGE_HINTS[lang])?.length ?? 0;
  return (["en", "es", "fr"] as const).slice().sort((a, b) => score(b) - score(a));
}

/** One day named by the whole text ("next Friday", "demain"); numeric forms are too ambiguous. */
function readWithChrono(text: string, reference: DateTime): string | null {
  if (/\d\s*[/.-]\s*\d/.test(text) || !reference.isValid) return null;
  // chrono counts in the process's zone: give it local noon of the reference day.
  const ref = new Date(reference.year, reference.month - 1, reference.day, 12);
  for (const lang of guessLanguages(fold(text))) {
    const results = CHRONO[lang].parse(text, ref, { forwardDate: true });
    const [result, ...others] = results;
    if (!result || others.length > 0 || result.index !== 0 || result.text !== text) continue;
    const start = result.start;
    if (!start.isCertain("day") && !start.isCertain("weekday")) continue;
    if (result.end) continue;
    const day = DateTime.utc(
      start.get("year") ?? 0,
      start.get("month") ?? 0,
      start.get("day") ?? 0,
    );
    if (day.isValid) return day.toISODate();
  }
  return null;
}
