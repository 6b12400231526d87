import type { Kysely } from "kysely";

// Indexes for replies that cost what they show (issue 9): a page of a group's items walks an
// index in due order and stops at the page's end; finding an item by title (import) is a seek.

// biome-ignore lint/suspicious/noExplicitAny: migrations are deliberately untyped
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  // A group's items by state then due moment: counts of open, overdue, dated or closed items
  // are read from the index alone, and a page of them stops at its end. (SQLite without
  // statistics preferred the (group, number) key to the partial index of 002 for counts.)
  await db.schema
    .createIndex("commitments_group_state_due")
    .on("commitments")
    .columns(["group_id", "closed_at", "due_at"])
    .execute();
  await db.schema
    .createIndex("commitments_group_title")
    .on("commitments")
    .columns(["group_id", "title"])
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropIndex("commitments_group_title").execute();
  await db.schema.dropIndex("commitments_group_state_due").execute();
}
