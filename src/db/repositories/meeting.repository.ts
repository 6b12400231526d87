import type { MeetingRepository } from "../../core/ports.js";
import type { Meeting } from "../../core/tracker/types.js";
import { touchGroups } from "./group-counts.js";
import { type Db, meetingGroups, toMeeting } from "./mappers.js";

export function meetingRepository(db: Db): MeetingRepository {
  const groupsOf = (ids: number[]) => meetingGroups(db, ids);
  const byId = async (id: number) => {
    const row = await db.selectFrom("meetings").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) return null;
    return toMeeting(row, (await groupsOf([id])).get(id) ?? []);
  };
  return {
    byId,
    async create(input) {
      const row = await db
        .insertInto("meetings")
        .values({
          title: input.title,
          starts_at: input.startsAt,
          duration_minutes: input.durationMinutes,
          time_zone: input.timeZone,
          call_link: input.callLink,
          agenda_link: input.agendaLink,
          updated_at: input.at,
          created_by: input.createdBy,
          created_at: input.at,
          cancelled_at: null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      for (const groupId of input.groupIds) {
        await db
          .insertInto("meeting_groups")
          .values({ meeting_id: row.id, group_id: groupId })
          .execute();
      }
      await touchGroups(db, input.groupIds);
      return (await byId(row.id)) as Meeting;
    },
    async upcoming(groupIds, from, limit) {
      let q = db
        .selectFrom("meetings")
        .selectAll()
        .where("starts_at", ">=", from)
        .where("cancelled_at", "is", null);
      if (groupIds) {
        if (groupIds.length === 0) return [];
        q = q.where((eb) =>
          eb.exists(
            eb
              .selectFrom("meeting_groups")
              .select("meeting_groups.meeting_id")
              .whereRef("meeting_groups.meeting_id", "=", "meetings.id")
              .where("meeting_groups.group_id", "in", groupIds),
          ),
        );
      }
      const rows = await q.orderBy("starts_at").limit(limit).execute();
      const groups = await groupsOf(rows.map((r) => r.id));
      return rows.map((r) => toMeeting(r, groups.get(r.id) ?? []));
    },
  };
}
