import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOpsRepository } from "../../src/db/ops.repository.js";
import { createHarness, type Harness } from "../support/harness.js";
import { DAY, testScheduler } from "../support/scheduling.js";

// The ledger of scheduled posts and the replay-protection keys grow forever without a
// retention; the scheduler prunes them, through indexes, and never touches a pending post.

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ now: "2026-11-20T15:00:00Z" });
});
afterAll(() => h.close());

const ago = (days: number) => new Date(h.clock.now().getTime() - days * DAY).toISOString();

async function seed() {
  const group = await h.app.store.groups.byCode("TIIWG");
  const row = (key: string, status: string, daysAgo: number) => ({
    delivery_key: key,
    occasion_key: key,
    kind: "digest",
    group_id: group!.id,
    languages: "en",
    due_at: ago(daysAgo),
    status,
    created_at: ago(daysAgo),
    next_attempt_at: status === "pending" ? ago(daysAgo) : null,
  });
  await h.app.database.db
    .insertInto("deliveries")
    .values([
      row("old-sent", "sent", 200),
      row("old-failed", "failed", 181),
      row("old-skipped", "skipped", 365),
      row("old-pending", "pending", 200),
      row("recent-sent", "sent", 179),
    ])
    .execute();
  await h.app.database.db
    .insertInto("processed_requests")
    .values([
      { request_key: "slack:old", at: ago(8), result_ref: null },
      { request_key: "slack:recent", at: ago(6), result_ref: null },
    ])
    .execute();
}

describe("retention", () => {
  it("prunes settled posts after 180 days and request keys after 7, keeping anything pending", async () => {
    await seed();
    const ops = createOpsRepository(h.app.database.db);
    const cutoffs = { deliveriesBefore: ago(180), requestKeysBefore: ago(7) };
    expect(await ops.prune(cutoffs)).toEqual({ deliveries: 3, requestKeys: 1 });
    const left = await h.app.database.db
      .selectFrom("deliveries")
      .select("delivery_key")
      .orderBy("delivery_key")
      .execute();
    expect(left.map((k) => k.delivery_key)).toEqual(["old-pending", "recent-sent"]);
  });

  it("is applied by the scheduler's tick (a post pending past its grace expires, then goes)", async () => {
    const ops = createOpsRepository(h.app.database.db);
    const scheduler = testScheduler(h.app, h.clock, [], {
      prune: (now) =>
        ops.prune({
          deliveriesBefore: new Date(now.getTime() - 180 * DAY).toISOString(),
          requestKeysBefore: new Date(now.getTime() - 7 * DAY).toISOString(),
        }),
    });
    await scheduler.tick();
    const keys = await h.app.database.db
      .selectFrom("deliveries")
      .select("delivery_key")
      .where("delivery_key", "like", "%-%")
      .orderBy("delivery_key")
      .execute();
    expect(keys.map((k) => k.delivery_key)).toEqual(["recent-sent"]);
    const requests = await h.app.database.db
      .selectFrom("processed_requests")
      .select("request_key")
      .execute();
    // 7 days is far beyond Slack's 5-minute signature window and Teams' retries.
    expect(requests.map((r) => r.request_key)).toEqual(["slack:recent"]);
  });

  it("finds what to prune through indexes, not by reading every row", async () => {
    const plan = async (query: string) =>
      (
        await sql.raw<{ detail: string }>(`explain query plan ${query}`).execute(h.app.database.db)
      ).rows
        .map((r) => r.detail)
        .join(" ");
    expect(
      await plan(
        "select id from deliveries where created_at < '2026-01-01' and status != 'pending'",
      ),
    ).toContain("USING INDEX deliveries_created");
    expect(
      await plan("select request_key from processed_requests where at < '2026-01-01'"),
    ).toContain("USING INDEX processed_requests_at");
  });
});
