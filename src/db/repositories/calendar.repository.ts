import type { Selectable } from "kysely";
import type { CalendarMeeting } from "../../core/calendar/feed.js";
import type { CalendarRepository } from "../../core/ports.js";
import type { MeetingsTable } from "../schema.js";
import { touchMeetingGroups } from "./group-counts.js";
import { type Db, meetingGroups, toMeeting } from "./mappers.js";

// Calendar feeds: per-person tokens, meetings with their revision (cancelled ones included, so
// subscribers drop them), and the two changes that raise a revision: a move and a cancellation.

function toCalendarMeeting(
  row: Selectable<MeetingsTable>,
  groups: { id: number; code: string }[],
): CalendarMeeting {
  return {
    ...toMeeting(row, groups),
    sequence: Number(row.sequence),
    cancelledAt: row.cancelled_at,
    updatedAt: row.updated_at ?? row.created_at,
  };
}

export function calendarRepository(db: Db): CalendarRepository {
  const groupsOf = (ids: number[]) => meetingGroups(db, ids);

  return {
    async token(personId, groupId, fresh, at) {
      let q = db
        .selectFrom("calendar_tokens")
        .select("token")
        .where("person_id", "=", personId)
        .where("revoked_at", "is", null);
      q = groupId === null ? q.where("group_id", "is", null) : q.where("group_id", "=", groupId);
      const existing = await q.orderBy("id").executeTakeFirst();
      if (existing) return existing.token;
      await db
        .insertInto("calendar_tokens")
        .values({ token: fresh, person_id: personId, group_id: groupId, created_at: at })
        .execute();
      return fresh;
    },
    async byToken(token) {
      const row = await db
        .selectFrom("calendar_tokens")
        .select(["person_id", "group_id"])
        .where("token", "=", token)
        .where("revoked_at", "is", null)
        .executeTakeFirst();
      return row ? { personId: row.person_id, groupId: row.group_id } : null;
    },
    async revoke(personId, at) {
      const result = await db
        .updateTable("calendar_tokens")
        .set({ revoked_at: at })
        .where("person_id", "=", personId)
        .where("revoked_at", "is", null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async meeting(id) {
      const row = await db
        .selectFrom("meetings")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirst();
      return row ? toCalendarMeeting(row, (await groupsOf([id])).get(id) ?? []) : null;
    },
    async meetings(groupIds, from, limit) {
      if (groupIds.length === 0) return [];
      const rows = await db
        .selectFrom("meetings")
        .selectAll()
        .where("starts_at", ">=", from)
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom("meeting_groups")
              .select("meeting_groups.meeting_id")
              .whereRef("meeting_groups.meeting_id", "=", "meetings.id")
              .where("meeting_groups.group_id", "in", groupIds),
          ),
        )
        .orderBy("starts_at")
        .limit(limit)
        .execute();
      const groups = await groupsOf(rows.map((r) => r.id));
      return rows.map((r) => toCalendarMeeting(r, groups.get(r.id) ?? []));
    },
    async move(id, startsAt, at) {
      await db
        .updateTable("meetings")
        .set((eb) => ({ starts_at: startsAt, updated_at: at, sequence: eb("sequence", "+", 1) }))
        .where("id", "=", id)
        .execute();
      await touchMeetingGroups(db, id);
    },
    async cancel(id, at) {
      await db
        .updateTable("meetings")
        .set((eb) => ({ cancelled_at: at, updated_at: at, sequence: eb("sequence", "+", 1) }))
        .where("id", "=", id)
        .execute();
      await touchMeetingGroups(db, id);
    },
  };
}
