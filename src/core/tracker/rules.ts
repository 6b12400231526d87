import { DateTime } from "luxon";
import { timelineDue } from "./timeline.js";
import {
  CLOSED_STATUSES,
  COUNTRIES,
  type Commitment,
  type Country,
  type Decision,
  type Status,
  type Timeline,
  type WorkingGroup,
} from "./types.js";

export const LIMITS = {
  title: 200,
  text: 2000,
  note: 2000,
  owners: 12,
} as const;

/** The last moment of a timeline in the group's zone: "Q1 2018" is due at the end of 31 March. */
export function dueInstant(timeline: Timeline | null, timeZone: string): string | null {
  const day = timeline ? timelineDue(timeline) : null;
  if (!day) return null;
  return DateTime.fromISO(day, { zone: timeZone }).endOf("day").toUTC().toISO();
}

/** Done and dropped close an item; the store keeps the moment it is given. */
export function isClosed(status: Status): boolean {
  return CLOSED_STATUSES.includes(status);
}

export function closedAtFor(status: Status, at: string): string | null {
  return isClosed(status) ? at : null;
}

/**
 * The countries a decision still waits for: none once confirmed; with one confirmation needed,
 * either country until someone confirms; with two, each country no co-chair of has confirmed
 * (a confirmation by someone of no known country counts toward neither side).
 */
export function missingSides(
  group: Pick<WorkingGroup, "confirmationsRequired">,
  decision: Pick<Decision, "status" | "confirmations">,
): Country[] {
  if (decision.status === "confirmed") return [];
  if (group.confirmationsRequired === 1)
    return decision.confirmations.length > 0 ? [] : [...COUNTRIES];
  const sides = new Set(decision.confirmations.map((c) => c.country));
  return COUNTRIES.filter((c) => !sides.has(c));
}

/** Where a decision stands: confirmed, or how many confirmations it still waits for. */
export function confirmationState(
  group: Pick<WorkingGroup, "confirmationsRequired">,
  decision: Pick<Decision, "status" | "confirmations">,
): { confirmed: boolean; awaiting: number } {
  const missing = missingSides(group, decision);
  if (missing.length === 0) return { confirmed: true, awaiting: 0 };
  return { confirmed: false, awaiting: group.confirmationsRequired === 1 ? 1 : missing.length };
}

/** True when this person, or someone of their side, already confirmed the decision. */
export function sideConfirmed(
  decision: Pick<Decision, "confirmations">,
  personId: number,
  side: Country | null,
): boolean {
  return decision.confirmations.some(
    (c) => c.personId === personId || (side !== null && c.country === side),
  );
}

export function isOverdue(item: Commitment, now: Date): boolean {
  return item.closedAt === null && item.dueAt !== null && item.dueAt < now.toISOString();
}

/**
 * Weekly overdue reminders an item gets before it goes quiet, unless the deployment sets
 * another number (CMP_OVERDUE_REMINDERS, carried by each GroupSchedule): past that it appears
 * only in the weekly digest, marked stalled, and apart as "stalled" in `status`, for its
 * co-chairs to close, drop or re-plan (a 2018 item was otherwise reminded every week for years).
 */
export const DEFAULT_OVERDUE_REMINDERS = 4;

/**
 * Open items due before this moment are stalled at `now`: overdue for longer than their weekly
 * reminders run (and a day more, as the last one may have moved off a holiday).
 */
export function stalledBefore(now: Date, overdueReminders: number): string {
  return new Date(now.getTime() - (overdueReminders * 7 + 1) * 86_400_000).toISOString();
}

/** Overdue for longer than its weekly reminders run: nobody is reminded of it any more. */
export function isStalled(item: Commitment, now: Date, overdueReminders: number): boolean {
  if (!isOverdue(item, now) || item.dueAt === null) return false;
  return item.dueAt < stalledBefore(now, overdueReminders);
}

export function itemRef(item: Pick<Commitment, "groupCode" | "number">): string {
  return `${item.groupCode}-${item.number}`;
}

export function decisionRef(decision: { groupCode: string; number: number }): string {
  return `${decision.groupCode}-D${decision.number}`;
}

/** A working group's code as people type it: "TIIWG", "tiiwg", "E2". */
export const GROUP_CODE_PATTERN = "[A-Za-z][A-Za-z0-9]{1,9}";
/** A group code as people type it (any case; it is read in capitals). */
export const GROUP_CODE = new RegExp(`^${GROUP_CODE_PATTERN}$`);
/** A group code as the tracker keeps it: "TIIWG". */
export const STORED_GROUP_CODE = /^[A-Z][A-Z0-9]{1,9}$/;
/** An item or decision reference, whole: "TIIWG-7", "tiiwg-7", "TIIWG-D3". */
export const REF = new RegExp(`^(${GROUP_CODE_PATTERN})-(D?)(\\d{1,6})$`, "i");

/** "TIIWG-7" or "tiiwg-7" → { code, number }; decisions are "TIIWG-D3". */
export function parseRef(
  token: string,
): { code: string; number: number; decision: boolean } | null {
  const m = REF.exec(token.trim());
  if (!m?.[1] || !m[3]) return null;
  return { code: m[1].toUpperCase(), number: Number(m[3]), decision: m[2] !== "" };
}
