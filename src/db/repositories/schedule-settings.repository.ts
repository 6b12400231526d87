import type { Selectable } from "kysely";
import type { ScheduleRepository } from "../../core/ports.js";
import { defaultSchedule } from "../../core/schedule/settings.js";
import type { GroupSchedule, ReminderTarget } from "../../core/schedule/types.js";
import { DEFAULT_OVERDUE_REMINDERS } from "../../core/tracker/rules.js";
import type { Country } from "../../core/tracker/types.js";
import type { GroupSchedulesTable } from "../schema.js";
import { touchGroups } from "./group-counts.js";
import { chunks, type Db, IN_LIST_CHUNK } from "./mappers.js";

// Each group's schedule settings and the snoozes people put on items.

function toSchedule(row: Selectable<GroupSchedulesTable>, overdueReminders: number): GroupSchedule {
  return {
    groupId: row.group_id,
    digestWeekday: Number(row.digest_weekday),
    digestTime: row.digest_time,
    reminderDays: row.reminder_days
      .split(",")
      .filter(Boolean)
      .map(Number)
      .sort((a, b) => b - a),
    overdueWeekly: Number(row.reminder_overdue_weekly) === 1,
    overdueReminders,
    reminderTime: row.reminder_time,
    reminderTo: row.reminder_to as ReminderTarget,
    agendaLeadHours: Number(row.agenda_lead_hours),
    holidayCountries: row.holiday_countries.split(",").filter(Boolean) as Country[],
    paused: Number(row.paused) === 1,
    ratifyDays: Number(row.ratify_days),
    threads: Number(row.threads) === 1,
  };
}

/** `overdueReminders` is the deployment's (CMP_OVERDUE_REMINDERS), not stored with the group. */
export function scheduleSettingsRepository(
  db: Db,
  overdueReminders = DEFAULT_OVERDUE_REMINDERS,
): Pick<ScheduleRepository, "settings" | "saveSettings" | "snooze" | "snoozes"> {
  return {
    async settings(groupIds) {
      const result = new Map<number, GroupSchedule>();
      for (const id of groupIds) result.set(id, defaultSchedule(id, overdueReminders));
      for (const chunk of chunks(groupIds, IN_LIST_CHUNK)) {
        const rows = await db
          .selectFrom("group_schedules")
          .selectAll()
          .where("group_id", "in", chunk)
          .execute();
        for (const row of rows) result.set(row.group_id, toSchedule(row, overdueReminders));
      }
      return result;
    },
    async saveSettings(s, at) {
      const values = {
        digest_weekday: s.digestWeekday,
        digest_time: s.digestTime,
        reminder_days: s.reminderDays.join(","),
        reminder_overdue_weekly: s.overdueWeekly ? 1 : 0,
        reminder_time: s.reminderTime,
        reminder_to: s.reminderTo,
        agenda_lead_hours: s.agendaLeadHours,
        holiday_countries: s.holidayCountries.join(","),
        paused: s.paused ? 1 : 0,
        ratify_days: s.ratifyDays,
        threads: s.threads ? 1 : 0,
        updated_at: at,
      };
      await db
        .insertInto("group_schedules")
        .values({ group_id: s.groupId, ...values })
        .onConflict((oc) => oc.column("group_id").doUpdateSet(values))
        .execute();
      await touchGroups(db, [s.groupId]);
    },
    async snooze(commitmentId, personId, until, at) {
      await db
        .insertInto("snoozes")
        .values({ commitment_id: commitmentId, person_id: personId, until, created_at: at })
        .onConflict((oc) =>
          oc.column("commitment_id").doUpdateSet({ person_id: personId, until, created_at: at }),
        )
        .execute();
    },
    async snoozes(commitmentIds) {
      const result = new Map<number, string>();
      for (const chunk of chunks(commitmentIds, IN_LIST_CHUNK)) {
        const rows = await db
          .selectFrom("snoozes")
          .select(["commitment_id", "until"])
          .where("commitment_id", "in", chunk)
          .execute();
        for (const row of rows) result.set(row.commitment_id, row.until);
      }
      return result;
    },
  };
}
