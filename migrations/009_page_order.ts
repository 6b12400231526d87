import { type Kysely, sql } from "kysely";

// A page of open items is ordered by due moment, then id (items sharing a due date are the
// norm: a plan's deadlines fall on quarter ends). SQLite's indexes end in the rowid, which is
// the id, so its walks already stop at the page's end; PostgreSQL's do not, and sorted every
// item of the earliest due dates to return twenty (1,677 rows for one page of a group of 10⁵).
// With the id in the key both stores walk the index in page order. Pages of closed items, or of
// all of a group's items, had no index in due order at all: each sorted the group's whole
// history. A third index serves them.

// biome-ignore lint/suspicious/noExplicitAny: migrations are deliberately untyped
type Db = Kysely<any>;

async function openItemsIndex(db: Db, name: string, columns: string[]): Promise<void> {
  await db.schema.dropIndex(name).execute();
  await db.schema
    .createIndex(name)
    .on("commitments")
    .columns(columns)
    .where(sql.ref("closed_at"), "is", null)
    .execute();
}

export async function up(db: Db): Promise<void> {
  await openItemsIndex(db, "commitments_group_open", ["group_id", "due_at", "id"]);
  await openItemsIndex(db, "commitments_open_due", ["due_at", "id"]);
  await db.schema
    .createIndex("commitments_group_due")
    .on("commitments")
    .columns(["group_id", "due_at", "id"])
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropIndex("commitments_group_due").execute();
  await openItemsIndex(db, "commitments_group_open", ["group_id", "due_at"]);
  await openItemsIndex(db, "commitments_open_due", ["due_at"]);
}
