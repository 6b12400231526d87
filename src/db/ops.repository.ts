import type { Kysely } from "kysely";
import type { Database } from "./schema.js";

// What operations read and prune: the ledger's backlog, the scheduler's heartbeat, retention.
// Kept apart from the domain repositories; the indexes it relies on are in migration 004.

/** Rows deleted per statement: a prune never holds SQLite's write lock for long. */
const PRUNE_BATCH = 1000;

export interface OpsRepository {
  pendingDeliveries(): Promise<number>;
  lastTick(): Promise<string | null>;
  /** Deletes settled deliveries claimed before `deliveriesBefore` and request keys before `requestKeysBefore`. */
  prune(cutoffs: {
    deliveriesBefore: string;
    requestKeysBefore: string;
  }): Promise<{ deliveries: number; requestKeys: number }>;
}

export function createOpsRepository(db: Kysely<Database>): OpsRepository {
  async function inBatches(remove: () => Promise<bigint>): Promise<number> {
    let total = 0;
    for (;;) {
      const n = Number(await remove());
      total += n;
      if (n < PRUNE_BATCH) return total;
    }
  }
  return {
    async pendingDeliveries() {
      const row = await db
        .selectFrom("deliveries")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("status", "=", "pending")
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async lastTick() {
      const row = await db
        .selectFrom("scheduler_state")
        .select("value")
        .where("name", "=", "last_tick_at")
        .executeTakeFirst();
      return row?.value ?? null;
    },
    async prune({ deliveriesBefore, requestKeysBefore }) {
      // Pending posts are never pruned, however old: the scheduler still owes them an outcome.
      const deliveries = await inBatches(async () => {
        const result = await db
          .deleteFrom("deliveries")
          .where("id", "in", (eb) =>
            eb
              .selectFrom("deliveries")
              .select("id")
              .where("created_at", "<", deliveriesBefore)
              .where("status", "!=", "pending")
              .limit(PRUNE_BATCH),
          )
          .executeTakeFirst();
        return result.numDeletedRows;
      });
      const requestKeys = await inBatches(async () => {
        const result = await db
          .deleteFrom("processed_requests")
          .where("request_key", "in", (eb) =>
            eb
              .selectFrom("processed_requests")
              .select("request_key")
              .where("at", "<", requestKeysBefore)
              .limit(PRUNE_BATCH),
          )
          .executeTakeFirst();
        return result.numDeletedRows;
      });
      return { deliveries, requestKeys };
    },
  };
}
