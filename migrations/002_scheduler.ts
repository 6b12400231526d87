import { type Kysely, PostgresAdapter, sql } from "kysely";

// Scheduled posts: per-group settings, snoozes, and the delivery ledger whose unique key decides
// who posts an occasion (two schedulers on one database post it once). Same conventions as 001:
// schema builder only, ISO-8601 UTC text timestamps, 0/1 booleans, portable to PostgreSQL.

// biome-ignore lint/suspicious/noExplicitAny: migrations are deliberately untyped
type Db = Kysely<any>;

function idType(db: Db) {
  return db.getExecutor().adapter instanceof PostgresAdapter ? sql`serial` : sql`integer`;
}

export async function up(db: Db): Promise<void> {
  // One row per group that changed a setting; a group without a row uses the defaults.
  await db.schema
    .createTable("group_schedules")
    .addColumn("group_id", "integer", (c) =>
      c.primaryKey().notNull().references("working_groups.id").onDelete("cascade"),
    )
    .addColumn("digest_weekday", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("digest_time", "text", (c) => c.notNull().defaultTo("09:00"))
    .addColumn("reminder_days", "text", (c) => c.notNull().defaultTo("7,1,0"))
    .addColumn("reminder_overdue_weekly", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("reminder_time", "text", (c) => c.notNull().defaultTo("09:00"))
    .addColumn("reminder_to", "text", (c) => c.notNull().defaultTo("owners"))
    .addColumn("agenda_lead_hours", "integer", (c) => c.notNull().defaultTo(24))
    .addColumn("holiday_countries", "text", (c) => c.notNull().defaultTo("CA,MX"))
    .addColumn("paused", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("snoozes")
    .addColumn("commitment_id", "integer", (c) =>
      c.primaryKey().notNull().references("commitments.id").onDelete("cascade"),
    )
    .addColumn("person_id", "integer", (c) => c.references("people.id"))
    .addColumn("until", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("deliveries")
    .addColumn("id", idType(db), (c) => c.primaryKey().notNull())
    // Occasion + target: claiming it with ON CONFLICT DO NOTHING decides who posts.
    .addColumn("delivery_key", "text", (c) => c.notNull().unique())
    .addColumn("occasion_key", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("group_id", "integer", (c) =>
      c.notNull().references("working_groups.id").onDelete("cascade"),
    )
    .addColumn("platform", "text")
    .addColumn("channel_id", "text")
    .addColumn("person_id", "integer", (c) => c.references("people.id"))
    .addColumn("user_id", "text")
    .addColumn("languages", "text", (c) => c.notNull())
    .addColumn("due_at", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "text")
    .addColumn("lease_until", "text")
    // 1 while an attempt's outcome is unknown: the next attempt looks for the post first.
    .addColumn("reconcile", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_error", "text")
    .addColumn("message_id", "text")
    .addColumn("doc_json", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("sent_at", "text")
    .execute();
  await db.schema
    .createIndex("deliveries_occasion")
    .on("deliveries")
    .column("occasion_key")
    .execute();
  // What a tick delivers: pending and due now, never a scan of everything ever sent.
  await db.schema
    .createIndex("deliveries_pending_due")
    .on("deliveries")
    .column("next_attempt_at")
    .where(sql.ref("status"), "=", "pending")
    .execute();
  await db.schema
    .createIndex("deliveries_group_due")
    .on("deliveries")
    .columns(["group_id", "due_at"])
    .execute();

  // A group's open items (an agenda lists them all): without it, every item the group ever had.
  await db.schema
    .createIndex("commitments_group_open")
    .on("commitments")
    .columns(["group_id", "due_at"])
    .where(sql.ref("closed_at"), "is", null)
    .execute();

  // Where the last tick got to: a restart records what it missed beyond the grace period.
  await db.schema
    .createTable("scheduler_state")
    .addColumn("name", "text", (c) => c.primaryKey().notNull())
    .addColumn("value", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropIndex("commitments_group_open").execute();
  for (const table of ["scheduler_state", "deliveries", "snoozes", "group_schedules"]) {
    await db.schema.dropTable(table).execute();
  }
}
