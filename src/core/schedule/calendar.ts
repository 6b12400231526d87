import Holidays from "date-holidays";
import { COUNTRIES, type Country } from "../tracker/types.js";

// Working days: Monday to Friday, less the federal holidays of Canada and Mexico as the
// date-holidays library keeps them (its nationwide "public" holidays; substitute days included).
// Dates here are calendar days, "YYYY-MM-DD", with no zone: the caller picks the zone.

const holidaySets = new Map<string, Set<string>>();

function holidaysOf(country: Country, year: number): Set<string> {
  const key = `${country}:${year}`;
  let days = holidaySets.get(key);
  if (!days) {
    days = new Set(
      new Holidays(country)
        .getHolidays(year)
        .filter((h) => h.type === "public")
        .map((h) => h.date.slice(0, 10)),
    );
    holidaySets.set(key, days);
  }
  return days;
}

/** One day in milliseconds, for arithmetic on UTC instants. */
export const DAY_MS = 86_400_000;

/** Calendar arithmetic on "YYYY-MM-DD" without a zone: plain UTC days, no DST to mind. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Days from `from` to `to`. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export function weekday(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay() || 7;
}

function isHoliday(day: string, country: Country): boolean {
  return holidaysOf(country, Number(day.slice(0, 4))).has(day);
}

export function isWorkingDay(day: string, countries: readonly Country[]): boolean {
  if (weekday(day) > 5) return false;
  return !countries.some((country) => isHoliday(day, country));
}

/** Longest run of days off (a long weekend with two holidays beside it); past it, post anyway. */
const MAX_SHIFT_DAYS = 7;

/** The day itself when it is a working day, else the next one. */
export function nextWorkingDay(day: string, countries: readonly Country[]): string {
  let candidate = day;
  for (let i = 0; i < MAX_SHIFT_DAYS; i++) {
    if (isWorkingDay(candidate, countries)) return candidate;
    candidate = addDays(candidate, 1);
  }
  return candidate;
}

/**
 * How many days before `day` a post can have been moved from: the days off just before it in
 * the union of every country's calendar, which no single recipient's calendar exceeds.
 */
export function daysOffBefore(day: string): number {
  let run = 0;
  while (run < MAX_SHIFT_DAYS && !isWorkingDay(addDays(day, -(run + 1)), COUNTRIES)) run += 1;
  return run;
}
