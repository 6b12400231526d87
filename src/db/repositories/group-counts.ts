import { sql } from "kysely";
import { CLOSED_STATUSES, type Status } from "../../core/tracker/types.js";
import type { Db } from "./mappers.js";

// Per-group counters and revisions (migration 008), moved by the repositories' own writes so
// that every writer (the tracker service, imports, the annex round-trip) keeps them, inside
// whatever transaction it runs: a count by status is a few rows at any size, and a revision
// tells a cached `status` reply of the group that it no longer holds.

/** Marks groups changed: replies of their `status` computed before no longer hold. */
export async function touchGroups(db: Db, groupIds: number[]): Promise<void> {
  for (const id of new Set(groupIds))
    await db
      .updateTable("working_groups")
      .set({ revision: sql`revision + 1` })
      .where("id", "=", id)
      .execute();
}

/** One more (or fewer) item of `status` in the group. */
export async function countStatus(
  db: Db,
  groupId: number,
  status: string,
  delta: 1 | -1,
): Promise<void> {
  await db
    .insertInto("group_counts")
    .values({ group_id: groupId, status, n: delta })
    .onConflict((oc) =>
      oc.columns(["group_id", "status"]).doUpdateSet({ n: sql`group_counts.n + ${delta}` }),
    )
    .execute();
}

/** A group's items by status, from its counters (a few rows, whatever the group's size). */
export async function countsByStatus(db: Db, groupIds: number[]) {
  const result = new Map<number, Partial<Record<Status, number>>>();
  if (groupIds.length === 0) return result;
  const rows = await db
    .selectFrom("group_counts")
    .select(["group_id", "status", "n"])
    .where("group_id", "in", groupIds)
    .where("n", ">", 0)
    .execute();
  for (const r of rows) {
    const counts = result.get(r.group_id) ?? {};
    counts[r.status as Status] = Number(r.n);
    result.set(r.group_id, counts);
  }
  return result;
}

/** Open items: those of a status that is not a closing one. */
export function openOf(counts: Partial<Record<Status, number>> | undefined): number {
  let open = 0;
  for (const [status, n] of Object.entries(counts ?? {}))
    if (!CLOSED_STATUSES.includes(status as Status)) open += n ?? 0;
  return open;
}

/**
 * Open items per group from the counters; overdue ones (due before `now`) counted on the
 * (group, closed, due) index up to `cap` per group, so the overview reads at most `cap`
 * entries a group however many are late.
 */
export async function openCounts(db: Db, groupIds: number[], now: string, cap: number) {
  const result = new Map<number, { open: number; overdue: number }>();
  if (groupIds.length === 0) return result;
  const counts = await countsByStatus(db, groupIds);
  const rows = await db
    .selectFrom("working_groups as g")
    .select((eb) => [
      "g.id",
      eb
        .selectFrom(
          eb
            .selectFrom("commitments")
            .select(sql`1`.as("one"))
            .whereRef("commitments.group_id", "=", "g.id")
            .where("commitments.closed_at", "is", null)
            .where("commitments.due_at", "<", now)
            .limit(cap)
            .as("late"),
        )
        .select(sql<number>`count(*)`.as("n"))
        .as("overdue"),
    ])
    .where("g.id", "in", groupIds)
    .execute();
  for (const r of rows)
    result.set(r.id, { open: openOf(counts.get(r.id)), overdue: Number(r.overdue ?? 0) });
  return result;
}

/** Marks changed the group a decision belongs to. */
export async function touchDecisionGroup(db: Db, decisionId: number): Promise<void> {
  await db
    .updateTable("working_groups")
    .set({ revision: sql`revision + 1` })
    .where("id", "in", (eb) =>
      eb.selectFrom("decisions").select("group_id").where("id", "=", decisionId),
    )
    .execute();
}

/** Marks changed the groups a meeting is for. */
export async function touchMeetingGroups(db: Db, meetingId: number): Promise<void> {
  await db
    .updateTable("working_groups")
    .set({ revision: sql`revision + 1` })
    .where("id", "in", (eb) =>
      eb.selectFrom("meeting_groups").select("group_id").where("meeting_id", "=", meetingId),
    )
    .execute();
}
