import type { Kysely, Selectable, Transaction } from "kysely";
import type { ScheduleRepository } from "../core/ports.js";
import type { MessageDoc } from "../core/render/message.js";
import { defaultSchedule } from "../core/schedule/settings.js";
import type {
  Delivery,
  DeliveryStatus,
  DueRef,
  GroupSchedule,
  OccasionKind,
  ReminderTarget,
  Target,
} from "../core/schedule/types.js";
import type { Country, Language, Platform } from "../core/tracker/types.js";
import type { Database, DeliveriesTable, GroupSchedulesTable } from "./schema.js";

type Db = Kysely<Database> | Transaction<Database>;

/** Ranges per query: under SQLite's limit of 500 terms in a compound SELECT. */
const RANGES_PER_QUERY = 100;
const IN_LIST_CHUNK = 500;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function toSchedule(row: Selectable<GroupSchedulesTable>): GroupSchedule {
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
    reminderTime: row.reminder_time,
    reminderTo: row.reminder_to as ReminderTarget,
    agendaLeadHours: Number(row.agenda_lead_hours),
    holidayCountries: row.holiday_countries.split(",").filter(Boolean) as Country[],
    paused: Number(row.paused) === 1,
  };
}

function toTarget(row: Selectable<DeliveriesTable>): Target | null {
  if (!row.platform) return null;
  const platform = row.platform as Platform;
  if (row.person_id !== null && row.user_id !== null)
    return { kind: "direct", platform, userId: row.user_id, personId: row.person_id };
  if (row.channel_id !== null)
    return { kind: "channel", platform, channelId: row.channel_id, groupId: row.group_id };
  return null;
}

function toDelivery(row: Selectable<DeliveriesTable>): Delivery {
  return {
    id: row.id,
    deliveryKey: row.delivery_key,
    occasionKey: row.occasion_key,
    kind: row.kind as OccasionKind,
    groupId: row.group_id,
    target: toTarget(row),
    languages: row.languages.split(",").filter(Boolean) as Language[],
    dueAt: row.due_at,
    status: row.status as DeliveryStatus,
    attempts: Number(row.attempts),
    reconcile: Number(row.reconcile) === 1,
    lastError: row.last_error,
    messageId: row.message_id,
    doc: row.doc_json ? (JSON.parse(row.doc_json) as MessageDoc) : null,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}

export function scheduleRepository(db: Db): ScheduleRepository {
  return {
    async settings(groupIds) {
      const result = new Map<number, GroupSchedule>();
      for (const id of groupIds) result.set(id, defaultSchedule(id));
      for (const chunk of chunks(groupIds, IN_LIST_CHUNK)) {
        const rows = await db
          .selectFrom("group_schedules")
          .selectAll()
          .where("group_id", "in", chunk)
          .execute();
        for (const row of rows) result.set(row.group_id, toSchedule(row));
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
        updated_at: at,
      };
      await db
        .insertInto("group_schedules")
        .values({ group_id: s.groupId, ...values })
        .onConflict((oc) => oc.column("group_id").doUpdateSet(values))
        .execute();
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
        identities: identities
          .filter((i) => i.person_id === p.id)
          .map((i) => ({ platform: i.platform as Platform, userId: i.external_id })),
      }));
    },
    async claimedOccasions(occasionKeys) {
      const claimed = new Set<string>();
      for (const chunk of chunks([...new Set(occasionKeys)], IN_LIST_CHUNK)) {
        const rows = await db
          .selectFrom("deliveries")
          .select("occasion_key")
          .distinct()
          .where("occasion_key", "in", chunk)
          .execute();
        for (const row of rows) claimed.add(row.occasion_key);
      }
      return claimed;
    },
    async claim(rows) {
      if (rows.length === 0) return 0;
      let inserted = 0;
      // One statement per batch, no explicit transaction: two schedulers on one SQLite file
      // never hold a write lock across an await (see STACK-NOTES).
      for (const chunk of chunks(rows, 50)) {
        const result = await db
          .insertInto("deliveries")
          .values(
            chunk.map((r) => ({
              delivery_key: r.deliveryKey,
              occasion_key: r.occasionKey,
              kind: r.kind,
              group_id: r.groupId,
              platform: r.target?.platform ?? null,
              channel_id: r.target?.kind === "channel" ? r.target.channelId : null,
              person_id: r.target?.kind === "direct" ? r.target.personId : null,
              user_id: r.target?.kind === "direct" ? r.target.userId : null,
              languages: r.languages.join(","),
              due_at: r.dueAt,
              status: r.status,
              next_attempt_at: r.status === "pending" ? r.createdAt : null,
              last_error: r.note,
              doc_json: r.doc ? JSON.stringify(r.doc) : null,
              created_at: r.createdAt,
            })),
          )
          .onConflict((oc) => oc.column("delivery_key").doNothing())
          .executeTakeFirst();
        inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
      }
      return inserted;
    },
    async lastTick() {
      const row = await db
        .selectFrom("scheduler_state")
        .select("value")
        .where("name", "=", "last_tick_at")
        .executeTakeFirst();
      return row?.value ?? null;
    },
    async recordTick(at) {
      await db
        .insertInto("scheduler_state")
        .values({ name: "last_tick_at", value: at })
        .onConflict((oc) =>
          oc.column("name").doUpdateSet({ value: at }).where("scheduler_state.value", "<", at),
        )
        .execute();
    },
    async duePending(now, platforms, limit) {
      if (platforms.length === 0) return [];
      const rows = await db
        .selectFrom("deliveries")
        .selectAll()
        .where("status", "=", "pending")
        .where("next_attempt_at", "<=", now)
        .where("platform", "in", platforms)
        .orderBy("next_attempt_at")
        .orderBy("id")
        .limit(limit)
        .execute();
      return rows.map(toDelivery);
    },
    async lease(id, now, until) {
      // Whoever changes the row owns this attempt; marking it "reconcile" first means a crash
      // mid-post makes the next attempt look for the post before posting again.
      const result = await db
        .updateTable("deliveries")
        .set((eb) => ({
          lease_until: until,
          attempts: eb("attempts", "+", 1),
          reconcile: 1,
        }))
        .where("id", "=", id)
        .where("status", "=", "pending")
        .where("next_attempt_at", "<=", now)
        .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<=", now)]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async markSent(id, messageId, at) {
      await db
        .updateTable("deliveries")
        .set({
          status: "sent",
          message_id: messageId,
          sent_at: at,
          reconcile: 0,
          lease_until: null,
          next_attempt_at: null,
        })
        .where("id", "=", id)
        .execute();
    },
    async markRetry(id, nextAttemptAt, error, reconcile) {
      await db
        .updateTable("deliveries")
        .set({
          next_attempt_at: nextAttemptAt,
          last_error: error,
          reconcile: reconcile ? 1 : 0,
          lease_until: null,
        })
        .where("id", "=", id)
        .execute();
    },
    async markFailed(id, error) {
      await db
        .updateTable("deliveries")
        .set({ status: "failed", last_error: error, lease_until: null, next_attempt_at: null })
        .where("id", "=", id)
        .execute();
    },
    async expireStale(before, reason) {
      const result = await db
        .updateTable("deliveries")
        .set({ status: "failed", last_error: reason, lease_until: null, next_attempt_at: null })
        .where("status", "=", "pending")
        .where("next_attempt_at", "<", before)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async deliveries(groupId, range) {
      const rows = await db
        .selectFrom("deliveries")
        .selectAll()
        .where("group_id", "=", groupId)
        .where("due_at", ">=", range.from)
        .where("due_at", "<=", range.to)
        .orderBy("due_at")
        .orderBy("id")
        .execute();
      return rows.map(toDelivery);
    },
  };
}
