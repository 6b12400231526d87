import { type Kysely, PostgresAdapter, sql } from "kysely";

// Meetings in people's calendars: per-person feed tokens (revocable), and what a feed needs to
// update an event in place — a revision number raised by every move or cancellation, the time
// of the last change, and an agenda link beside the call link.

// biome-ignore lint/suspicious/noExplicitAny: migrations are deliberately untyped
type Db = Kysely<any>;

function idType(db: Db) {
  return db.getExecutor().adapter instanceof PostgresAdapter ? sql`serial` : sql`integer`;
}

export async function up(db: Db): Promise<void> {
  await db.schema
    .alterTable("meetings")
    .addColumn("sequence", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable("meetings").addColumn("agenda_link", "text").execute();
  await db.schema.alterTable("meetings").addColumn("updated_at", "text").execute();

  await db.schema
    .createTable("calendar_tokens")
    .addColumn("id", idType(db), (c) => c.primaryKey().notNull())
    // 32 random bytes, base64url: the feed URL is the only credential a calendar client sends.
    .addColumn("token", "text", (c) => c.notNull().unique())
    .addColumn("person_id", "integer", (c) =>
      c.notNull().references("people.id").onDelete("cascade"),
    )
    // null: every group the person may see (the partnership's calendar).
    .addColumn("group_id", "integer", (c) => c.references("working_groups.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("revoked_at", "text")
    .execute();
  await db.schema
    .createIndex("calendar_tokens_person")
    .on("calendar_tokens")
    .columns(["person_id", "group_id"])
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable("calendar_tokens").execute();
  await db.schema.alterTable("meetings").dropColumn("updated_at").execute();
  await db.schema.alterTable("meetings").dropColumn("agenda_link").execute();
  await db.schema.alterTable("meetings").dropColumn("sequence").execute();
}
