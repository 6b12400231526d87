import type { ScheduleRepository } from "../../core/ports.js";
import type { DueRef } from "../../core/schedule/types.js";
import type { Country, Language, Platform, RemindersVia } from "../../core/tracker/types.js";
import { chunks, type Db, IN_LIST_CHUNK } from "./mappers.js";

// What a scheduler tick asks of the tracker: index seeks by due moment, start time and change
// time, never a scan of everything the groups ever had (test/scheduler/explain.test.ts).

/** Ranges per query: under SQLite's limit of 500 terms in a compound SELECT. */
const RANGES_PER_QUERY = 100;

export function plannerQueries(
  db: Db,
): Pick<
  ScheduleRepository,
  | "openDueIn"
  | "openItems"
  | "oldestOpenDue"
  | "meetingsStartingIn"
  | "decisionRefs"
  | "changesIn"
  | "personOwners"
  | "personZones"
  | "contacts"
> {
  return {
    async openDueIn(ranges) {
      const found = new Map<number, DueRef>();
      for (const chunk of chunks(ranges, RANGES_PER_QUERY)) {
        // One index seek per range on the partial index commitments_open_due, joined with
        // UNION ALL: SQLite answers an OR of ranges by scanning the whole index instead.
        const seek = (r: (typeof chunk)[number]) =>
          db
            .selectFrom("commitments")
            .select(["id", "group_id", "number", "due_at", "created_at"])
            .where("closed_at", "is", null)
            .where("due_at", ">=", r.from)
            .where("due_at", "<=", r.to);
        const [first, ...rest] = chunk.map(seek);
        if (!first) continue;
        const rows = await rest.reduce((q, next) => q.unionAll(next), first).execute();
        for (const row of rows) {
          if (row.due_at === null) continue;
          found.set(row.id, {
            commitmentId: row.id,
            groupId: row.group_id,
            number: row.number,
            dueAt: row.due_at,
            createdAt: row.created_at,
          });
        }
      }
      return [...found.values()].sort((a, b) =>
        a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : 0,
      );
    },
    async openItems(groupIds) {
      if (groupIds.length === 0) return [];
      // Through commitments_group_open: the group's open items, not everything it ever had.
      const rows = await db
        .selectFrom("commitments")
        .select(["group_id", "number", "due_at"])
        .where("group_id", "in", groupIds)
        .where("closed_at", "is", null)
        .execute();
      return rows
        .map((r) => ({ groupId: r.group_id, number: r.number, dueAt: r.due_at }))
        .sort((a, b) =>
          a.dueAt === b.dueAt
            ? a.number - b.number
            : a.dueAt === null
              ? 1
              : b.dueAt === null || a.dueAt < b.dueAt
                ? -1
                : 1,
        );
    },
    async oldestOpenDue() {
      const row = await db
        .selectFrom("commitments")
        .select("due_at")
        .where("closed_at", "is", null)
        .where("due_at", "is not", null)
        .orderBy("due_at")
        .limit(1)
        .executeTakeFirst();
      return row?.due_at ?? null;
    },
    async meetingsStartingIn(range) {
      const rows = await db
        .selectFrom("meetings")
        .select(["id", "starts_at", "duration_minutes", "created_at"])
        .where("starts_at", ">=", range.from)
        .where("starts_at", "<=", range.to)
        .where("cancelled_at", "is", null)
        .orderBy("starts_at")
        .execute();
      return rows.map((r) => ({
        id: r.id,
        startsAt: r.starts_at,
        durationMinutes: Number(r.duration_minutes),
        createdAt: r.created_at,
      }));
    },
    async decisionRefs(groupIds, filter) {
      if (groupIds.length === 0) return [];
      let q = db
        .selectFrom("decisions")
        .select(["group_id", "number"])
        .where("group_id", "in", groupIds);
      if (filter.logged) {
        q = q
          .where("logged_at", ">=", filter.logged.from)
          .where("logged_at", "<=", filter.logged.to);
      }
      if (filter.proposedOnly) q = q.where("status", "=", "proposed");
      const rows = await q.orderBy("logged_at").orderBy("id").execute();
      return rows.map((r) => ({ groupId: r.group_id, number: r.number }));
    },
    async changesIn(groupIds, range) {
      if (groupIds.length === 0) return [];
      // Driven by the time index (what happened this week), then each item by its key: not
      // every item the groups ever had.
      const updates = await db
        .selectFrom("commitment_updates")
        .select(["commitment_id", "kind", "to_status"])
        .where("at", ">=", range.from)
        .where("at", "<=", range.to)
        .orderBy("at")
        .orderBy("id")
        .execute();
      const items = new Map<number, { group_id: number; number: number }>();
      for (const chunk of chunks(
        [...new Set(updates.map((u) => u.commitment_id))],
        IN_LIST_CHUNK,
      )) {
        const rows = await db
          .selectFrom("commitments")
          .select(["id", "group_id", "number"])
          .where("id", "in", chunk)
          .execute();
        for (const row of rows) items.set(row.id, row);
      }
      return updates.flatMap((u) => {
        const item = items.get(u.commitment_id);
        if (!item || !groupIds.includes(item.group_id)) return [];
        return [
          {
            groupId: item.group_id,
            number: item.number,
            kind: u.kind as "created" | "status" | "note" | "milestone",
            toStatus: u.to_status,
          },
        ];
      });
    },
    async personOwners(commitmentIds) {
      const result = new Map<number, number[]>();
      for (const chunk of chunks(commitmentIds, IN_LIST_CHUNK)) {
        const rows = await db
          .selectFrom("commitment_owners")
          .select(["commitment_id", "person_id"])
          .where("commitment_id", "in", chunk)
          .where("person_id", "is not", null)
          .orderBy("commitment_id")
          .orderBy("position")
          .execute();
        for (const row of rows) {
          if (row.person_id === null) continue;
          result.set(row.commitment_id, [...(result.get(row.commitment_id) ?? []), row.person_id]);
        }
      }
      return result;
    },
    async personZones() {
      const rows = await db
        .selectFrom("people")
        .select("time_zone")
        .distinct()
        .where("time_zone", "is not", null)
        .execute();
      return rows.map((r) => r.time_zone).filter((zone): zone is string => zone !== null);
    },
    async contacts(personIds) {
      const ids = [...new Set(personIds)];
      if (ids.length === 0) return [];
      const people = await db.selectFrom("people").selectAll().where("id", "in", ids).execute();
      const identities = await db
        .selectFrom("identities")
        .select(["person_id", "platform", "external_id"])
        .where("person_id", "in", ids)
        .orderBy("platform")
        .orderBy("external_id")
        .execute();
      return people.map((p) => ({
        personId: p.id,
        displayName: p.display_name,
        language: (p.language as Language | null) ?? null,
        timeZone: p.time_zone,
        country: (p.country as Country | null) ?? null,
        remindersVia: (p.reminders_via as RemindersVia | null) ?? "direct",
        identities: identities
          .filter((i) => i.person_id === p.id)
          .map((i) => ({ platform: i.platform as Platform, userId: i.external_id })),
      }));
    },
  };
}
