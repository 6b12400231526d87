// Reads the timelines people type in the Annex A tracker ("Q1 2018", "finales de enero de 2018",
// "June–December 2018 (TBC)", several labelled phases) in English, Spanish or French.
// Our own rules run first: chrono-node misreads the domain phrases (quarters, "fin janvier",
// "finales de enero"), so it only gets leftover day-level phrases such as "next Friday".

import * as chrono from "chrono-node";
import { DateTime } from "luxon";
import { type Ctx, daySpec, fold, type Hit, type Spec, scan } from "./timeline-dates.js";
import { type Glue, readGlue, TENTATIVE_RE, UNDATED_EDGES } from "./timeline-glue.js";
import type { Language, Period, Phase, Timeline } from "./types.js";

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
