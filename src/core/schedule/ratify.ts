import { DateTime } from "luxon";
import { missingSides } from "../tracker/rules.js";
import type { Country, Decision } from "../tracker/types.js";
import { addDays, isWorkingDay } from "./calendar.js";

// Ratification: a decision counts once a co-chair of each country has confirmed it. Until then
// the co-chairs of each side still missing get a private nudge, in their working hours and
// zone and never on their country's holidays, and one reminder some working days later.

/** Nudges land within these local hours on a working day. */
export const WORKING_HOURS = { start: 9, end: 17 } as const;

/** A co-chair of the group, as a nudge reaches them. */
export interface CoChair {
  personId: number;
  country: Country | null;
  timeZone: string;
}

/** The countries among the co-chairs' whose confirmation a decision still lacks. */
export function missingCountries(
  decision: Pick<Decision, "status" | "confirmations">,
  coChairCountries: readonly Country[],
  confirmationsRequired: 1 | 2,
): Country[] {
  const present = new Set(coChairCountries);
  return missingSides({ confirmationsRequired }, decision)
    .filter((c) => present.has(c))
    .sort();
}

/**
 * The first moment at or after `from` that is within working hours, on a working day of
 * `country` (weekends always off), in `zone`.
 */
export function nextWorkingMoment(from: string, zone: string, country: Country | null): string {
  const countries = country ? [country] : [];
  let local = DateTime.fromISO(from, { zone });
  for (let i = 0; i < 15; i++) {
    const day = local.toISODate() as string;
    const opens = local.set({ hour: WORKING_HOURS.start, minute: 0, second: 0, millisecond: 0 });
    const closes = local.set({ hour: WORKING_HOURS.end, minute: 0, second: 0, millisecond: 0 });
    if (isWorkingDay(day, countries) && local < closes)
      return (local < opens ? opens : local).toUTC().toISO() as string;
    local = DateTime.fromISO(addDays(day, 1), { zone }).set({ hour: WORKING_HOURS.start });
  }
  return local.toUTC().toISO() as string;
}

/** `days` working days after `day` in `country`'s calendar. */
export function addWorkingDays(day: string, days: number, country: Country | null): string {
  const countries = country ? [country] : [];
  let current = day;
  for (let added = 0; added < days; ) {
    current = addDays(current, 1);
    if (isWorkingDay(current, countries)) added += 1;
  }
  return current;
}

/** When a co-chair's first nudge and its reminder (null: reminders off) are owed. */
export function nudgeMoments(
  loggedAt: string,
  coChair: CoChair,
  reminderAfterDays: number,
): { first: string; reminder: string | null } {
  const first = nextWorkingMoment(loggedAt, coChair.timeZone, coChair.country);
  if (reminderAfterDays <= 0) return { first, reminder: null };
  const local = DateTime.fromISO(first, { zone: coChair.timeZone });
  const day = addWorkingDays(local.toISODate() as string, reminderAfterDays, coChair.country);
  const reminder = DateTime.fromISO(day, { zone: coChair.timeZone }).set({
    hour: local.hour,
    minute: local.minute,
  });
  return { first, reminder: reminder.toUTC().toISO() as string };
}

export function nudgeKey(decisionId: number, personId: number, round: 0 | 1): string {
  return `nudge:${decisionId}:${personId}:${round}`;
}

export function ratifiedKey(decisionId: number): string {
  return `ratified:${decisionId}`;
}
