import { DateTime } from "luxon";
import { timelineDue } from "./timeline.js";
import { CLOSED_STATUSES, type Commitment, type Status, type Timeline } from "./types.js";

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

export function isClosed(status: Status): boolean {
  return CLOSED_STATUSES.includes(status);
}

export function isOverdue(item: Commitment, now: Date): boolean {
  return item.closedAt === null && item.dueAt !== null && item.dueAt < now.toISOString();
}

/**
 * Weekly overdue reminders an item gets before it goes quiet: past that it appears only in the
 * weekly digest and, apart, as "stalled" in `status`, for its co-chairs to close, drop or
 * re-plan (a 2018 item was otherwise reminded every week for years).
 */
export const OVERDUE_REMINDERS = 4;

/** Overdue for longer than its weekly reminders run: nobody is reminded of it any more. */
export function isStalled(item: Commitment, now: Date): boolean {
  if (!isOverdue(item, now) || item.dueAt === null) return false;
  return Date.parse(item.dueAt) + (OVERDUE_REMINDERS * 7 + 1) * 86_400_000 < now.getTime();
}

export function itemRef(item: Pick<Commitment, "groupCode" | "number">): string {
  return `${item.groupCode}-${item.number}`;
}

export function decisionRef(decision: { groupCode: string; number: number }): string {
  return `${decision.groupCode}-D${decision.number}`;
}

/** "TIIWG-7" or "tiiwg-7" → { code, number }; decisions are "TIIWG-D3". */
export function parseRef(
  token: string,
): { code: string; number: number; decision: boolean } | null {
  const m = /^([A-Za-z][A-Za-z0-9]{1,9})-(D?)(\d{1,6})$/i.exec(token.trim());
  if (!m?.[1] || !m[3]) return null;
  return { code: m[1].toUpperCase(), number: Number(m[3]), decision: m[2] !== "" };
}
