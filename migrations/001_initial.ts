import { type Kysely, PostgresAdapter, sql } from "kysely";

// Schema-builder only, typed Kysely<any>: migrations must keep compiling as the app's types move on.
// Timestamps are ISO-8601 UTC text on every dialect, so SQLite and PostgreSQL read back the same.

// biome-ignore lint/suspicious/noExplicitAny: migrations are deliberately untyped
type Db = Kysely<any>;

function isPostgres(db: Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** An auto-increment integer primary key on both dialects. */
function idType(db: Db) {
  return isPostgres(db) ? sql`serial` : sql`integer`;
}

export async function up(db: Db): Promise<void> {
  const id = idType(db);

  await db.schema
    .createTable("working_groups")
    .addColumn("id", id, (c) => c.primaryKey().notNull())
    .addColumn("code", "text", (c) => c.notNull().unique())
    .addColumn("name_en", "text", (c) => c.notNull())
    .addColumn("name_es", "text", (c) => c.notNull())
    .addColumn("name_fr", "text", (c) => c.notNull())
    .addColumn("time_zone", "text", (c) => c.notNull())
    .addColumn("languages", "text", (c) => c.notNull())
    .addColumn("visibility", "text", (c) => c.notNull().defaultTo("partnership"))
    .addColumn("confirmations_required", "integer", (c) => c.notNull().defaultTo(2))
    .addColumn("active", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("people")
    .addColumn("id", id, (c) => c.primaryKey().notNull())
    .addColumn("handle", "text", (c) => c.unique())
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("organisation", "text")
    .addColumn("is_admin", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("country", "text")
    .addColumn("language", "text")
    .addColumn("language_chosen", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("time_zone", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("identities")
    .addColumn("platform", "text", (c) => c.notNull())
    .addColumn("external_id", "text", (c) => c.notNull())
    .addColumn("person_id", "integer", (c) =>
      c.notNull().references("people.id").onDelete("cascade"),
    )
    .addPrimaryKeyConstraint("identities_pk", ["platform", "external_id"])
    .execute();
  await db.schema.createIndex("identities_person").on("identities").column("person_id").execute();

  await db.schema
    .createTable("memberships")
    .addColumn("group_id", "integer", (c) =>
      c.notNull().references("working_groups.id").onDelete("cascade"),
    )
    .addColumn("person_id", "integer", (c) =>
      c.notNull().references("people.id").onDelete("cascade"),
    )
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("country", "text")
    .addColumn("sector", "text", (c) => c.notNull().defaultTo("public"))
    .addPrimaryKeyConstraint("memberships_pk", ["group_id", "person_id"])
    .execute();
  await db.schema.createIndex("memberships_person").on("memberships").column("person_id").execute();

  await db.schema
    .createTable("channel_bindings")
    .addColumn("platform", "text", (c) => c.notNull())
    .addColumn("channel_id", "text", (c) => c.notNull())
    .addColumn("group_id", "integer", (c) =>
      c.notNull().references("working_groups.id").onDelete("cascade"),
    )
    .addColumn("conversation_ref", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("channel_bindings_pk", ["platform", "channel_id"])
    .execute();
  await db.schema
    .createIndex("channel_bindings_group")
    .on("channel_bindings")
    .column("group_id")
    .execute();

  await db.schema
    .createTable("commitments")
    .addColumn("id", id, (c) => c.primaryKey().notNull())
    .addColumn("group_id", "integer", (c) => c.notNull().references("working_groups.id"))
    .addColumn("number", "integer", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("description", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("timeline_text", "text")
    .addColumn("timeline_json", "text")
    .addColumn("due_at", "text")
    .addColumn("comments", "text")
    .addColumn("created_by", "integer", (c) => c.references("people.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("closed_at", "text")
    .addUniqueConstraint("commitments_group_number", ["group_id", "number"])
    .execute();
  await db.schema
    .createIndex("commitments_group_status")
    .on("commitments")
    .columns(["group_id", "status"])
    .execute();
  // Open items by due moment: what the scheduler and "overdue" ask for, never a full scan.
  await db.schema
    .createIndex("commitments_open_due")
    .on("commitments")
    .column("due_at")
    .where(sql.ref("closed_at"), "is", null)
    .execute();

  await db.schema
    .createTable("commitment_owners")
    .addColumn("id", id, (c) => c.primaryKey().notNull())
    .addColumn("commitment_id", "integer", (c) =>
      c.notNull().references("commitments.id").onDelete("cascade"),
    )
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("person_id", "integer", (c) => c.references("people.id"))
    .addColumn("org_name", "text")
    .addColumn("country", "text")
    .addColumn("sector", "text")
    .addColumn("tbc", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex("commitment_owners_commitment")
    .on("commitment_owners")
    .column("commitment_id")
    .execute();
  await db.schema
    .createIndex("commitment_owners_person")
    .on("commitment_owners")
    .column("person_id")
    .execute();

  await db.schema
    .createTable("milestones")
    .addColumn("id", id, (c) => c.primaryKey().notNull())
    .addColumn("commitment_id", "integer", (c) =>
      c.notNull().references("commitments.id").onDelete("cascade"),
    )
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("timeline_text", "text")
    .addColumn("timeline_json", "text")
    .addColumn("due_at", "text")
    .addColumn("done_at", "text")
    .addUniqueConstraint("milestones_commitment_position", ["commitment_id", "position"])
    .execute();

  await db.schema
    .createTable("commitment_updates")
    .addColumn("id", id, (c) => c.primaryKey().notNull())
    .addColumn("commitment_id", "integer", (c) =>
      c.notNull().references("commitments.id").onDelete("cascade"),
    )
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("from_status", "text")
    .addColumn("to_status", "text")
    .addColumn("text", "text")
    .addColumn("author_person_id", "integer", (c) => c.references("people.id"))
    .addColumn("author_name", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("commitment_updates_commitment")
    .on("commitment_updates")
    .columns(["commitment_id", "at"])
    .execute();
  await db.schema
    .createIndex("commitment_updates_at")
    .on("commitment_updates")
    .column("at")
    .execute();

  await db.schema
    .createTable("decisions")
    .addColumn("id", id, (c) => c.primaryKey().notNull())
    .addColumn("group_id", "integer", (c) => c.notNull().references("working_groups.id"))
    .addColumn("number", "integer", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("source_platform", "text")
    .addColumn("source_channel_id", "text")
    .addColumn("source_message_id", "text")
    .addColumn("source_permalink", "text")
    .addColumn("source_author", "text")
    .addColumn("source_said_at", "text")
    .addColumn("logged_by_person_id", "integer", (c) => c.references("people.id"))
    .addColumn("logged_by_name", "text", (c) => c.notNull())
    .addColumn("logged_at", "text", (c) => c.notNull())
    .addColumn("confirmed_at", "text")
    .addUniqueConstraint("decisions_group_number", ["group_id", "number"])
    .execute();
  // One decision per source message: logging the same message twice finds the first.
  await db.schema
    .createIndex("decisions_source_message")
    .on("decisions")
    .columns(["source_platform", "source_channel_id", "source_message_id"])
    .unique()
    .execute();
  await db.schema
    .createIndex("decisions_group_logged")
    .on("decisions")
    .columns(["group_id", "logged_at"])
    .execute();

  await db.schema
    .createTable("decision_confirmations")
    .addColumn("decision_id", "integer", (c) =>
      c.notNull().references("decisions.id").onDelete("cascade"),
    )
    .addColumn("person_id", "integer", (c) => c.notNull().references("people.id"))
    .addColumn("country", "text")
    .addColumn("at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("decision_confirmations_pk", ["decision_id", "person_id"])
    .execute();

  await db.schema
    .createTable("meetings")
    .addColumn("id", id, (c) => c.primaryKey().notNull())
    .addColumn("title", "text")
    .addColumn("starts_at", "text", (c) => c.notNull())
    .addColumn("duration_minutes", "integer", (c) => c.notNull())
    .addColumn("time_zone", "text", (c) => c.notNull())
    .addColumn("call_link", "text")
    .addColumn("created_by", "integer", (c) => c.references("people.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("cancelled_at", "text")
    .execute();
  await db.schema.createIndex("meetings_starts").on("meetings").column("starts_at").execute();

  await db.schema
    .createTable("meeting_groups")
    .addColumn("meeting_id", "integer", (c) =>
      c.notNull().references("meetings.id").onDelete("cascade"),
    )
    .addColumn("group_id", "integer", (c) => c.notNull().references("working_groups.id"))
    .addPrimaryKeyConstraint("meeting_groups_pk", ["meeting_id", "group_id"])
    .execute();
  await db.schema
    .createIndex("meeting_groups_group")
    .on("meeting_groups")
    .column("group_id")
    .execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("id", id, (c) => c.primaryKey().notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("actor_person_id", "integer", (c) => c.references("people.id"))
    .addColumn("actor_name", "text", (c) => c.notNull())
    .addColumn("entity", "text", (c) => c.notNull())
    .addColumn("entity_ref", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("before_json", "text")
    .addColumn("after_json", "text")
    .execute();
  await db.schema
    .createIndex("audit_log_entity")
    .on("audit_log")
    .columns(["entity", "entity_ref"])
    .execute();

  // Where the bot can post proactively: Teams needs a stored conversation reference per
  // conversation (channel or personal chat); Slack needs only the channel id.
  await db.schema
    .createTable("conversation_refs")
    .addColumn("platform", "text", (c) => c.notNull())
    .addColumn("conversation_id", "text", (c) => c.notNull())
    .addColumn("ref_json", "text", (c) => c.notNull())
    .addColumn("person_id", "integer", (c) => c.references("people.id").onDelete("cascade"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("conversation_refs_pk", ["platform", "conversation_id"])
    .execute();
  await db.schema
    .createIndex("conversation_refs_person")
    .on("conversation_refs")
    .columns(["platform", "person_id"])
    .execute();

  // Idempotency: a retried or replayed request finds its key and is not acted on twice.
  await db.schema
    .createTable("processed_requests")
    .addColumn("request_key", "text", (c) => c.primaryKey().notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("result_ref", "text")
    .execute();
}

export async function down(db: Db): Promise<void> {
  for (const table of [
    "processed_requests",
    "conversation_refs",
    "audit_log",
    "meeting_groups",
    "meetings",
    "decision_confirmations",
    "decisions",
    "commitment_updates",
    "milestones",
    "commitment_owners",
    "commitments",
    "channel_bindings",
    "memberships",
    "identities",
    "people",
    "working_groups",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
