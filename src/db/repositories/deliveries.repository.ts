import { PostgresAdapter, type RawBuilder, type Selectable, sql } from "kysely";
import type { ScheduleRepository } from "../../core/ports.js";
import type { MessageDoc } from "../../core/render/message.js";
import type { Delivery, DeliveryKind, DeliveryStatus, Target } from "../../core/schedule/types.js";
import type { Language, Platform } from "../../core/tracker/types.js";
import type { DeliveriesTable } from "../schema.js";
import { chunks, type Db, IN_LIST_CHUNK } from "./mappers.js";

// The delivery ledger: one row per occasion and target, whose unique key decides who posts it,
// then leases, retries and outcomes; and the tick watermark.

function toTarget(row: Selectable<DeliveriesTable>): Target | null {
  if (!row.platform) return null;
  const platform = row.platform as Platform;
  if (row.person_id !== null && row.user_id !== null)
    return { kind: "direct", platform, userId: row.user_id, personId: row.person_id };
  if (row.channel_id !== null)
    return {
      kind: "channel",
      platform,
      channelId: row.channel_id,
      groupId: row.group_id,
      ...(row.thread_id ? { threadId: row.thread_id } : {}),
      ...(row.thread_of !== null ? { threadOf: Number(row.thread_of) } : {}),
    };
  return null;
}

function toDelivery(row: Selectable<DeliveriesTable>): Delivery {
  return {
    id: row.id,
    deliveryKey: row.delivery_key,
    occasionKey: row.occasion_key,
    kind: row.kind as DeliveryKind,
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

/** PostgreSQL's clock, `ms` on, as ISO-8601 UTC text like every stored moment. */
function serverTime(ms: number): RawBuilder<string> {
  return sql<string>`to_char((now() + make_interval(secs => ${ms / 1000})) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

export function deliveriesRepository(
  db: Db,
): Pick<
  ScheduleRepository,
  | "claimedOccasions"
  | "claim"
  | "lastTick"
  | "recordTick"
  | "duePending"
  | "lease"
  | "markSent"
  | "markRetry"
  | "markFailed"
  | "expireStale"
  | "deliveries"
> {
  return {
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
              thread_id: (r.target?.kind === "channel" && r.target.threadId) || null,
              thread_of: (r.target?.kind === "channel" && r.target.threadOf) || null,
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
      // Whether another scheduler's lease has run out is judged by one clock all of them share.
      // Replicas on PostgreSQL run on several machines whose clocks may disagree by minutes:
      // judged by each replica's own clock, one 10 minutes fast saw the leases of one 10 minutes
      // slow as long expired and posted what it was posting (test/faults/clock-skew.faults.ts),
      // so there the server's clock decides. Processes sharing a SQLite file share a machine,
      // and with it a clock: the scheduler's (`now`).
      const serverClock = db.getExecutor().adapter instanceof PostgresAdapter;
      const leaseMs = Date.parse(until) - Date.parse(now);
      const current: string | RawBuilder<string> = serverClock ? serverTime(0) : now;
      const result = await db
        .updateTable("deliveries")
        .set((eb) => ({
          lease_until: serverClock ? serverTime(leaseMs) : until,
          attempts: eb("attempts", "+", 1),
          reconcile: 1,
        }))
        .where("id", "=", id)
        .where("status", "=", "pending")
        .where("next_attempt_at", "<=", now)
        .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<=", current)]))
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
