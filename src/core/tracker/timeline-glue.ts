// What lies between the date expressions of a timeline: range connectors, labels, "(TBC)",
// filler words. Part of the timeline reader (timeline.ts).

import { alternation, END } from "./timeline-dates.js";

// ---------------------------------------------------------------------------------------------
// What lies between date expressions: range connectors, labels, "(TBC)", filler words.

const TENTATIVE_WORDS = phrases(
  "tbc|tbd|tentative|tentatively|tentativo|tentativa|tentativamente|provisional|provisionally",
  "provisoire|por confirmar|a confirmer|to be confirmed|sujeto a confirmacion",
);
/** "(PC)" (por confirmar) is a mark only in brackets; alone it could be anything. */
export const TENTATIVE_RE = new RegExp(
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
export const WEEKDAYS = phrases(
  "monday|tuesday|wednesday|thursday|friday|saturday|sunday",
  "lunes|martes|miercoles|jueves|viernes|sabado|domingo",
  "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche",
);

export function phrases(...lines: string[]): string[] {
  return lines.flatMap((line) => line.split("|"));
}

export function words(list: string[]): string {
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
export const UNDATED_EDGES = edges(FILLER);

interface Segment {
  label?: string;
  /** Where the label starts, to tell "(TBC) Execution" from "Execution (TBC)". */
  labelStart: number;
  tentativeAt: number[];
  /** ":" or "-" after the label: "Structuring: January–May 2018". */
  delimited: boolean;
}

export interface Glue {
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
export function readGlue(
  s: string,
  f: string,
  from: number,
  to: number,
  trim: Edges = DATED_EDGES,
): Glue {
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
