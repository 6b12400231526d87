import type { Kysely } from "kysely";

// Quieter channels (issue 13): the thread each commitment's scheduled posts go into, per channel
// (its root message, the first post about the item there); the item a ledger row is about, so
// the post that starts a thread records it once the platform accepted it; and the per-group
// switch that turns threading off. And for the personal page: how each person wants their
// reminders (direct messages, the channel, or only the digest) and when they last looked.

// biome-ignore lint/suspicious/noExplicitAny: migrations are deliberately untyped
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema
    .alterTable("group_schedules")
    .addColumn("threads", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable("deliveries").addColumn("thread_of", "integer").execute();
  await db.schema.alterTable("people").addColumn("reminders_via", "text").execute();
  await db.schema.alterTable("people").addColumn("home_seen_at", "text").execute();
  await db.schema
    .createTable("item_threads")
    .addColumn("commitment_id", "integer", (c) =>
      c.notNull().references("commitments.id").onDelete("cascade"),
    )
    .addColumn("platform", "text", (c) => c.notNull())
    .addColumn("channel_id", "text", (c) => c.notNull())
    .addColumn("thread_id", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("item_threads_pk", ["commitment_id", "platform", "channel_id"])
    .execute();
  // A reply arrives with its channel and thread: which item's thread is it?
  await db.schema
    .createIndex("item_threads_by_thread")
    .on("item_threads")
    .columns(["platform", "channel_id", "thread_id"])
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropIndex("item_threads_by_thread").execute();
  await db.schema.dropTable("item_threads").execute();
  await db.schema.alterTable("people").dropColumn("home_seen_at").execute();
  await db.schema.alterTable("people").dropColumn("reminders_via").execute();
  await db.schema.alterTable("deliveries").dropColumn("thread_of").execute();
  await db.schema.alterTable("group_schedules").dropColumn("threads").execute();
}
