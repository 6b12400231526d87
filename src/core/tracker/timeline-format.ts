// Shows a parsed timeline back in the reader's language, at the precision it was stated:
// "Q1 2018" stays a quarter, "end of January 2018" keeps its "end of".

import type { Language, Period, Phase, Timeline } from "./types.js";

export type Translate = (key: string, vars?: Record<string, unknown>) => string;

/** The phases joined by "; "; with no phase ("medium term") the text as typed. */
export function formatTimeline(timeline: Timeline, lang: Language, t: Translate): string {
  if (timeline.unread) return t("timeline:unread", { text: timeline.text });
  if (timeline.phases.length === 0) return timeline.text;
  return timeline.phases.map((phase) => formatPhase(phase, lang, t)).join("; ");
}

function formatPhase(phase: Phase, lang: Language, t: Translate): string {
  let text = phase.from
    ? t("timeline:range", {
        from: formatStart(phase.from, phase.until, lang, t),
        until: formatPeriod(phase.until, lang, t),
      })
    : formatPeriod(phase.until, lang, t);
  if (phase.label) text = t("timeline:labelled", { text, label: phase.label });
  if (phase.tentative) text = t("timeline:tentative", { text });
  return text;
}

export function formatPeriod(period: Period, lang: Language, t: Translate): string {
  const start = utcDate(period.start);
  const year = start.getUTCFullYear();
  const qualifier = period.qualifier;
  switch (period.precision) {
    case "day":
      return new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone: "UTC" }).format(start);
    case "month":
      return t(qualifier ? `timeline:month_${qualifier}` : "timeline:month", {
        month: monthName(start, lang),
        year,
      });
    case "quarter":
    case "half": {
      // A narrowed window ("late Q1") still starts inside its quarter or half.
      const months = period.precision === "quarter" ? 3 : 6;
      const part = Math.floor(start.getUTCMonth() / months) + 1;
      const name = t(`timeline:${period.precision}_${part}`, { year });
      return qualifier ? t(`timeline:part_${qualifier}`, { period: name }) : name;
    }
    case "year":
      return qualifier ? t(`timeline:year_${qualifier}`, { year }) : String(year);
  }
}

/** "June – December 2018": a plain month needs no year when the range ends in that year. */
function formatStart(from: Period, until: Period, lang: Language, t: Translate): string {
  const sameYear = from.start.slice(0, 4) === until.start.slice(0, 4);
  if (
    from.precision === "month" &&
    until.precision === "month" &&
    sameYear &&
    !from.qualifier &&
    !until.qualifier
  ) {
    return monthName(utcDate(from.start), lang);
  }
  return formatPeriod(from, lang, t);
}

function monthName(date: Date, lang: Language): string {
  return new Intl.DateTimeFormat(lang, { month: "long", timeZone: "UTC" }).format(date);
}

function utcDate(iso: string): Date {
  return new Date(`${iso}T00:00:00Z`);
}
