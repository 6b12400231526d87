import { type Kysely, sql } from "kysely";
import { dueInstant } from "../../src/core/tracker/rules.js";
import { parseTimeline } from "../../src/core/tracker/timeline.js";
import type { Database } from "../../src/db/schema.js";

// Many commitments in seconds, for tests and the benchmark: a few INSERT … SELECT statements
// over a counter (a recursive CTE, the same on SQLite and PostgreSQL), not one round trip per
// item. Each item has an owner and a "created" history line; every tenth has three milestones.

export interface BulkOptions {
  /** Items are dealt round-robin over these groups, numbered after each group's last item. */
  groupIds: number[];
  count: number;
  now: Date;
  /** Owner person ids dealt round-robin; without them, an organisation owns every item. */
  ownerPersonIds?: number[];
  /** Every n-th item is done (closed); 0 leaves every item open. Default 10. */
  doneEvery?: number;
  /** Every n-th item has no timeline. Default 5. */
  undatedEvery?: number;
}

/** Months from two years back to two years ahead: a third or so overdue, the rest ahead. */
function monthTimelines(now: Date): { text: string; json: string; due: string }[] {
  const out: { text: string; json: string; due: string }[] = [];
  const reference = now.toISOString().slice(0, 10);
  for (let k = -24; k < 24; k += 1) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + k, 1));
    const parsed = parseTimeline(
      `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`,
      { referenceDate: reference },
    );
    if (!parsed.ok) throw new Error("month timeline did not parse");
    const due = dueInstant(parsed.timeline, "America/Mexico_City");
    if (due) out.push({ text: parsed.timeline.text, json: JSON.stringify(parsed.timeline), due });
  }
  return out;
}

export async function bulkCommitments(db: Kysely<Database>, options: BulkOptions): Promise<void> {
  const at = options.now.toISOString();
  const doneEvery = options.doneEvery ?? 10;
  const undatedEvery = options.undatedEvery ?? 5;
  const owners = options.ownerPersonIds ?? [];
  const timelines = monthTimelines(options.now);
  const G = options.groupIds.length;
  await sql`drop table if exists bulk_groups`.execute(db);
  await sql`drop table if exists bulk_timelines`.execute(db);
  await sql`drop table if exists bulk_owners`.execute(db);
  await sql`create table bulk_groups (idx integer primary key, group_id integer, base integer)`.execute(
    db,
  );
  await sql`create table bulk_timelines (idx integer primary key, text text, json text, due text)`.execute(
    db,
  );
  await sql`create table bulk_owners (idx integer primary key, person_id integer)`.execute(db);
  for (const [idx, groupId] of options.groupIds.entries()) {
    await sql`insert into bulk_groups (idx, group_id, base)
      select ${idx}, ${groupId}, coalesce(max(number), 0) from commitments where group_id = ${groupId}`.execute(
      db,
    );
  }
  for (const [idx, t] of timelines.entries())
    await sql`insert into bulk_timelines values (${idx}, ${t.text}, ${t.json}, ${t.due})`.execute(
      db,
    );
  for (const [idx, personId] of owners.entries())
    await sql`insert into bulk_owners values (${idx}, ${personId})`.execute(db);

  const before = await db
    .selectFrom("commitments")
    .select(sql<number>`coalesce(max(id), 0)`.as("id"))
    .executeTakeFirstOrThrow();
  const firstId = Number(before.id);
  const T = timelines.length;
  const dated = sql`(undated_every = 0 or n % undated_every <> 0)`;
  await sql`
    with recursive seq(n) as (select 0 union all select n + 1 from seq where n + 1 < ${options.count}),
    params(undated_every, done_every) as (select cast(${undatedEvery} as integer), cast(${doneEvery} as integer))
    insert into commitments (group_id, number, title, description, status, timeline_text,
      timeline_json, due_at, comments, created_by, created_at, updated_at, closed_at)
    select g.group_id, g.base + n / ${G} + 1, 'Commitment ' || n || ' of the partnership', null,
      case when done_every > 0 and n % done_every = 0 then 'done'
           when n % 3 = 0 then 'formalization' else 'in_progress' end,
      case when ${dated} then t.text end,
      case when ${dated} then t.json end,
      case when ${dated} then t.due end,
      null, null, ${at}, ${at},
      case when done_every > 0 and n % done_every = 0 then ${at} end
    from seq
    cross join params
    join bulk_groups g on g.idx = n % ${G}
    join bulk_timelines t on t.idx = (n * 7) % ${T}
    order by n`.execute(db);

  await sql`
    insert into commitment_owners (commitment_id, position, person_id, org_name, country, sector, tbc)
    select c.id, 1, o.person_id,
      case when o.person_id is null then 'COMCE' end,
      case when o.person_id is null then 'MX' end,
      case when o.person_id is null then 'private' end, 0
    from commitments c
    left join bulk_owners o on o.idx = c.id % ${Math.max(1, owners.length)}
    where c.id > ${firstId}`.execute(db);
  await sql`
    insert into commitment_updates (commitment_id, kind, from_status, to_status, text,
      author_person_id, author_name, at)
    select id, 'created', null, status, null, null, 'Import', created_at
    from commitments where id > ${firstId}`.execute(db);
  await sql`
    with recursive pos(p) as (select 1 union all select p + 1 from pos where p < 3)
    insert into milestones (commitment_id, position, title, timeline_text, timeline_json, due_at, done_at)
    select c.id, pos.p, 'Step ' || pos.p, null, null, null, null
    from commitments c cross join pos
    where c.id > ${firstId} and c.id % 10 = 0`.execute(db);
  // What the repositories keep with every write (migration 008): the groups' counters by
  // status, recounted, and their revisions, moved so no cached reply outlives the load.
  await sql`delete from group_counts where group_id in (select group_id from bulk_groups)`.execute(
    db,
  );
  await sql`
    insert into group_counts (group_id, status, n)
    select group_id, status, count(*) from commitments
    where group_id in (select group_id from bulk_groups)
    group by group_id, status`.execute(db);
  await sql`update working_groups set revision = revision + 1
    where id in (select group_id from bulk_groups)`.execute(db);
  await sql`drop table bulk_groups`.execute(db);
  await sql`drop table bulk_timelines`.execute(db);
  await sql`drop table bulk_owners`.execute(db);
}
