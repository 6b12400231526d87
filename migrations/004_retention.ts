import type { Kysely } from "kysely";

// Retention prunes the deliveries ledger and processed-request keys by age (src/db/ops.repository.ts):
// indexes on their timestamps keep each prune a range scan rather than a table scan.

// biome-ignore lint/suspicious/noExplicitAny: migrations are deliberately untyped
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema.createIndex("deliveries_created").on("deliveries").column("created_at").execute();
  await db.schema
    .createIndex("processed_requests_at")
    .on("processed_requests")
    .column("at")
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropIndex("processed_requests_at").execute();
  await db.schema.dropIndex("deliveries_created").execute();
}
