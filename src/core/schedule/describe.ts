import { DateTime, type WeekdayNumbers } from "luxon";
import type { Localizer } from "../i18n.js";
import { zoneLabel } from "../render/items.js";
import type { WorkingGroup } from "../tracker/types.js";
import type { GroupSchedule } from "./types.js";

// A group's schedule in words, for `schedule`, `status` and `upcoming`.

export function weekdayName(l: Localizer, isoWeekday: number): string {
  return DateTime.fromObject(
    { weekday: isoWeekday as WeekdayNumbers },
    { zone: "utc", locale: l.lang },
  ).toFormat("cccc");
}

export function countriesLabel(l: Localizer, schedule: GroupSchedule): string {
  // "jours ouvrables du Canada et du Mexique": each language puts its own "of" on each country.
  return l.list(schedule.holidayCountries.map((c) => l.t(`common:country_of.${c}`)));
}

/** "7 days before, 1 day before, on the due day and weekly while overdue". */
export function remindersLabel(l: Localizer, schedule: GroupSchedule): string {
  const parts = schedule.reminderDays
    .filter((d) => d > 0)
    .map((d) => l.t("schedule:settings.days_before", { count: d }));
  if (schedule.reminderDays.includes(0)) parts.push(l.t("schedule:settings.on_the_day"));
  if (schedule.overdueWeekly)
    parts.push(l.t("schedule:settings.weekly_overdue", { weeks: schedule.overdueReminders }));
  return parts.length > 0 ? l.list(parts) : l.t("schedule:settings.no_reminders");
}

export function describeSchedule(
  l: Localizer,
  group: WorkingGroup,
  schedule: GroupSchedule,
): string {
  if (schedule.paused) return l.t("schedule:settings.paused");
  const line = l.t("schedule:settings.line", {
    weekday: weekdayName(l, schedule.digestWeekday),
    time: schedule.digestTime,
    zone: zoneLabel(l, group.timeZone),
    reminders: remindersLabel(l, schedule),
    to: l.t(`schedule:settings.to.${schedule.reminderTo}`),
    hours: schedule.agendaLeadHours,
    countries: countriesLabel(l, schedule),
  });
  return schedule.threads ? line : `${line} · ${l.t("schedule:settings.threads_off")}`;
}
