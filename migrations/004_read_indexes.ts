import type { Kysely } from "kysely";

// Indexes for replies that cost what they show (issue 9): a page of a group's items walks an
// index in due order and stops at the page's end; finding an item by title (import) is a seek.

// biome-ignore lint/suspicious/noExplicitAny: migrations are deliberately untyped
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  // "list WG all|done": every item of a group by due moment (commitments_group_open holds
  // only the open ones).
  await db.schema
    .createIndex("commitments_group_due")
    .on("commitments")
    .columns(["group_id", "due_at"])
    .execute();
  await db.schema
    .createIndex("commitments_group_title")
    .on("commitments")
    .columns(["group_id", "title"])
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropIndex("commitments_group_title").execute();
  await db.schema.dropIndex("commitments_group_due").execute();
}
