import { type Kysely, sql } from "kysely";

// Replies that cost what they show at any size (issue 9): a group's items counted by status
// are kept as counters, changed in the same transaction as the items, so `status` and the
// overview read a few rows instead of walking every open item; and each group carries a
// revision that every write to what its `status` shows bumps, so a reply computed once can
// be reused until the group changes, by any replica, since the revision lives here.

// biome-ignore lint/suspicious/noExplicitAny: migrations are deliberately untyped
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema
    .alterTable("working_groups")
    .addColumn("revision", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable("group_counts")
    .addColumn("group_id", "integer", (c) =>
      c.notNull().references("working_groups.id").onDelete("cascade"),
    )
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("n", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("group_counts_pk", ["group_id", "status"])
    .execute();
  // One scan at upgrade time; afterwards the counters move with every change.
  await db
    .insertInto("group_counts")
    .columns(["group_id", "status", "n"])
    .expression(
      db
        .selectFrom("commitments")
        .select(["group_id", "status", sql<number>`count(*)`.as("n")])
        .groupBy(["group_id", "status"]),
    )
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable("group_counts").execute();
  await db.schema.alterTable("working_groups").dropColumn("revision").execute();
}
