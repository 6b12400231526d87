import type { Kysely } from "kysely";

// Ratification nudges and notices: how many working days before a co-chair is reminded of a
// decision their side has not confirmed (0: no reminder), an index to find decisions ratified
// within a tick's range, and the thread a ledger row replies in (the decision's own thread).

// biome-ignore lint/suspicious/noExplicitAny: migrations are deliberately untyped
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema
    .alterTable("group_schedules")
    .addColumn("ratify_days", "integer", (c) => c.notNull().defaultTo(2))
    .execute();
  await db.schema
    .createIndex("decisions_confirmed_at")
    .on("decisions")
    .column("confirmed_at")
    .execute();
  await db.schema.alterTable("deliveries").addColumn("thread_id", "text").execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.alterTable("deliveries").dropColumn("thread_id").execute();
  await db.schema.dropIndex("decisions_confirmed_at").execute();
  await db.schema.alterTable("group_schedules").dropColumn("ratify_days").execute();
}
