import { DEFAULT_OVERDUE_REMINDERS } from "../tracker/rules.js";
import type { GroupSchedule } from "./types.js";

/** What a group gets until its co-chairs change it (issue 5's defaults). */
export function defaultSchedule(
  groupId: number,
  overdueReminders = DEFAULT_OVERDUE_REMINDERS,
): GroupSchedule {
  return {
    groupId,
    digestWeekday: 1,
    digestTime: "09:00",
    reminderDays: [7, 1, 0],
    overdueWeekly: true,
    overdueReminders,
    reminderTime: "09:00",
    reminderTo: "owners",
    agendaLeadHours: 24,
    holidayCountries: ["CA", "MX"],
    paused: false,
    ratifyDays: 2,
    threads: true,
  };
}

const MAX_REMINDER_DAYS = 60;
export const MAX_AGENDA_LEAD_HOURS = 14 * 24;

/** "9:05" → "09:05"; null unless a real 24-hour clock time. */
export function readClockTime(text: string): string | null {
  const m = /^(\d{1,2})[:h](\d{2})$/i.exec(text.trim());
  if (!m) return null;
  const hours = Number(m[1]);
  const minutes = Number(m[2]);
  if (hours > 23 || minutes > 59) return null;
  return `${String(hours).padStart(2, "0")}:${String(minutes).padStart(2, "0")}`;
}

/** "7,1,0" → [7, 1, 0] (distinct, descending); null when any part is not a day count. */
export function readReminderDays(text: string): number[] | null {
  const parts = text
    .split(/[,;\s]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0 || parts.length > 6) return null;
  const days = new Set<number>();
  for (const part of parts) {
    if (!/^\d{1,2}$/.test(part)) return null;
    const n = Number(part);
    if (n > MAX_REMINDER_DAYS) return null;
    days.add(n);
  }
  return [...days].sort((a, b) => b - a);
}
