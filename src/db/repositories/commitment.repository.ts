import {
  type Expression,
  type ExpressionBuilder,
  type Selectable,
  type SqlBool,
  sql,
  type Updateable,
} from "kysely";
import type { CommitmentFilter, CommitmentRepository, OwnerInput } from "../../core/ports.js";
import type { Commitment, Milestone, Owner, Status } from "../../core/tracker/types.js";
import type { CommitmentsTable, Database } from "../schema.js";
import { countStatus, countsByStatus, openCounts, touchGroups } from "./group-counts.js";
import {
  bool,
  chunks,
  type Db,
  IN_LIST_CHUNK,
  type OwnerRow,
  parseTimeline,
  toMilestone,
  toOwner,
} from "./mappers.js";

/** The filter's conditions, for any select from commitments (rows, counts). */
function matches(filter: CommitmentFilter) {
  return (eb: ExpressionBuilder<Database, "commitments">) => {
    const and: Expression<SqlBool>[] = [];
    if (filter.groupIds) and.push(eb("commitments.group_id", "in", filter.groupIds));
    if (filter.open === true) and.push(eb("commitments.closed_at", "is", null));
    if (filter.open === false) and.push(eb("commitments.closed_at", "is not", null));
    if (filter.dueBefore) and.push(eb("commitments.due_at", "<", filter.dueBefore));
    if (filter.dueFrom) and.push(eb("commitments.due_at", ">=", filter.dueFrom));
    if (filter.unreadTimeline) {
      // An unread timeline has no due moment: the index's undated range, then the stored flag.
      and.push(eb("commitments.due_at", "is", null));
      and.push(eb("commitments.timeline_json", "like", '%"unread":true%'));
    }
    if (filter.ownerPersonId !== undefined) {
      // Driven by the owner index: a person's items, not every item checked for its owners.
      and.push(
        eb(
          "commitments.id",
          "in",
          eb
            .selectFrom("commitment_owners")
            .select("commitment_owners.commitment_id")
            .where("commitment_owners.person_id", "=", filter.ownerPersonId),
        ),
      );
    }
    return eb.and(and);
  };
}

export function commitmentRepository(db: Db): CommitmentRepository {
  const hydrate = async (
    rows: (Selectable<CommitmentsTable> & { group_code: string })[],
  ): Promise<Commitment[]> => {
    if (rows.length === 0) return [];
    // The rows' owners in bounded batches: one IN list per page, never one that grows with the data.
    const ownerRows: OwnerRow[] = [];
    for (const chunk of chunks(
      rows.map((r) => r.id),
      IN_LIST_CHUNK,
    )) {
      ownerRows.push(
        ...(await db
          .selectFrom("commitment_owners")
          .leftJoin("people", "people.id", "commitment_owners.person_id")
          .select([
            "commitment_owners.commitment_id",
            "commitment_owners.person_id",
            "commitment_owners.org_name",
            "commitment_owners.country",
            "commitment_owners.sector",
            "commitment_owners.tbc",
            "people.display_name",
          ])
          .where("commitment_owners.commitment_id", "in", chunk)
          .orderBy("commitment_owners.commitment_id")
          .orderBy("commitment_owners.position")
          .execute()),
      );
    }
    const owners = new Map<number, Owner[]>();
    for (const o of ownerRows) {
      const list = owners.get(o.commitment_id) ?? [];
      list.push(toOwner(o));
      owners.set(o.commitment_id, list);
    }
    return rows.map((r) => ({
      id: r.id,
      groupId: r.group_id,
      groupCode: r.group_code,
      number: r.number,
      title: r.title,
      description: r.description,
      status: r.status as Status,
      timeline: parseTimeline(r.timeline_json),
      dueAt: r.due_at,
      owners: owners.get(r.id) ?? [],
      comments: r.comments,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      closedAt: r.closed_at,
    }));
  };
  const base = () =>
    db
      .selectFrom("commitments")
      .innerJoin("working_groups", "working_groups.id", "commitments.group_id")
      .selectAll("commitments")
      .select("working_groups.code as group_code");

  const insertOwners = async (commitmentId: number, owners: OwnerInput[]) => {
    let position = 0;
    for (const owner of owners) {
      position += 1;
      await db
        .insertInto("commitment_owners")
        .values(
          owner.kind === "person"
            ? { commitment_id: commitmentId, position, person_id: owner.personId, tbc: 0 }
            : {
                commitment_id: commitmentId,
                position,
                org_name: owner.name,
                country: owner.country,
                sector: owner.sector,
                tbc: bool(owner.tbc),
              },
        )
        .execute();
    }
  };

  return {
    async create(input) {
      const next = await db
        .selectFrom("commitments")
        .select(sql<number>`coalesce(max(number), 0) + 1`.as("n"))
        .where("group_id", "=", input.groupId)
        .executeTakeFirstOrThrow();
      const inserted = await db
        .insertInto("commitments")
        .values({
          group_id: input.groupId,
          number: Number(next.n),
          title: input.title,
          description: input.description,
          status: input.status,
          timeline_text: input.timeline?.text ?? null,
          timeline_json: input.timeline ? JSON.stringify(input.timeline) : null,
          due_at: input.dueAt,
          comments: input.comments,
          created_by: input.createdBy,
          created_at: input.at,
          updated_at: input.at,
          closed_at: input.closedAt,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await insertOwners(inserted.id, input.owners);
      await countStatus(db, input.groupId, input.status, 1);
      await touchGroups(db, [input.groupId]);
      const [created] = await hydrate(
        await base().where("commitments.id", "=", inserted.id).execute(),
      );
      return created as Commitment;
    },
    async byNumber(groupId, number) {
      const rows = await base()
        .where("commitments.group_id", "=", groupId)
        .where("commitments.number", "=", number)
        .execute();
      return (await hydrate(rows))[0] ?? null;
    },
    async byTitle(groupId, title) {
      const rows = await base()
        .where("commitments.group_id", "=", groupId)
        .where("commitments.title", "=", title)
        .execute();
      return (await hydrate(rows))[0] ?? null;
    },
    async list(filter) {
      if (filter.groupIds?.length === 0) return [];
      let q = base()
        .where(matches(filter))
        .orderBy(sql`case when commitments.due_at is null then 1 else 0 end`)
        .orderBy("commitments.due_at")
        .orderBy("working_groups.code")
        .orderBy("commitments.number");
      if (filter.limit) q = q.limit(filter.limit);
      return hydrate(await q.execute());
    },
    async page(filter, { limit, offset, countUpTo }) {
      if (filter.groupIds?.length === 0) return { items: [], total: 0, more: false };
      const where = matches(filter);
      const matching = db.selectFrom("commitments").select("commitments.id").where(where);
      const count = async (rows: typeof matching) =>
        Number(
          (
            await db
              .selectFrom(rows.as("m"))
              .select(sql<number>`count(*)`.as("n"))
              .executeTakeFirstOrThrow()
          ).n,
        );
      // A capped count walks at most the rows up to the cap (or to this page's end), however
      // many match: in one group of 10⁵ an exact count of the overdue walked 36,000.
      const window = countUpTo === undefined ? null : Math.max(countUpTo, offset + limit) + 1;
      const counted = await count(window === null ? matching : matching.limit(window));
      const more = window !== null && counted >= window;
      const total = more ? counted - 1 : counted;
      // Dated items by due moment, then undated ones (all an unread timeline can be): two index
      // walks that stop at the page's end, where one ORDER BY "due is null" would sort them all.
      const rows = filter.unreadTimeline
        ? []
        : await base()
            .where(where)
            .where("commitments.due_at", "is not", null)
            .orderBy("commitments.due_at")
            .orderBy("commitments.id")
            .limit(limit)
            .offset(offset)
            .execute();
      if (rows.length < limit && offset + rows.length < total) {
        // The undated follow the dated: after this page's, or (a page past them all) after as
        // many as there are, counted no further than this page's start.
        const dated =
          rows.length > 0
            ? offset + rows.length
            : await count(matching.where("commitments.due_at", "is not", null).limit(offset));
        rows.push(
          ...(await base()
            .where(where)
            .where("commitments.due_at", "is", null)
            .orderBy("commitments.id")
            .limit(limit - rows.length)
            .offset(Math.max(0, offset - dated))
            .execute()),
        );
      }
      return { items: await hydrate(rows), total, more };
    },
    async *batches(groupIds, size) {
      for (const groupId of groupIds) {
        // Keyset paging on the (group, number) key: each batch is one index seek.
        let after = 0;
        for (;;) {
          const rows = await base()
            .where("commitments.group_id", "=", groupId)
            .where("commitments.number", ">", after)
            .orderBy("commitments.number")
            .limit(size)
            .execute();
          if (rows.length === 0) break;
          yield await hydrate(rows);
          after = rows[rows.length - 1]?.number ?? after;
          if (rows.length < size) break;
        }
      }
    },
    openCounts: (groupIds, now, cap) => openCounts(db, groupIds, now, cap),
    async countByStatus(groupId) {
      return (await countsByStatus(db, [groupId])).get(groupId) ?? {};
    },
    async setStatus(id, status, closedAt, at) {
      const before = await db
        .selectFrom("commitments")
        .select(["group_id", "status"])
        .where("id", "=", id)
        .executeTakeFirst();
      await db
        .updateTable("commitments")
        .set({ status, updated_at: at, closed_at: closedAt })
        .where("id", "=", id)
        .execute();
      if (!before) return;
      if (before.status !== status) {
        await countStatus(db, before.group_id, before.status, -1);
        await countStatus(db, before.group_id, status, 1);
      }
      await touchGroups(db, [before.group_id]);
    },
    async addUpdate(u) {
      await db
        .insertInto("commitment_updates")
        .values({
          commitment_id: u.commitmentId,
          kind: u.kind,
          from_status: u.fromStatus,
          to_status: u.toStatus,
          text: u.text,
          author_person_id: u.authorPersonId,
          author_name: u.authorName,
          at: u.at,
        })
        .execute();
      await db
        .updateTable("commitments")
        .set({ updated_at: u.at })
        .where("id", "=", u.commitmentId)
        .execute();
    },
    async updates(commitmentId, latest) {
      let q = db
        .selectFrom("commitment_updates")
        .selectAll()
        .where("commitment_id", "=", commitmentId)
        .orderBy("at", "desc")
        .orderBy("id", "desc");
      if (latest !== undefined) q = q.limit(latest);
      // Newest first from the index (commitment_id, at), then back to reading order.
      const rows = (await q.execute()).reverse();
      return rows.map((r) => ({
        id: r.id,
        commitmentId: r.commitment_id,
        kind: r.kind as "created" | "status" | "note" | "milestone",
        fromStatus: r.from_status as Status | null,
        toStatus: r.to_status as Status | null,
        text: r.text,
        authorName: r.author_name,
        at: r.at,
      }));
    },
    async milestones(commitmentId) {
      const rows = await db
        .selectFrom("milestones")
        .selectAll()
        .where("commitment_id", "=", commitmentId)
        .orderBy("position")
        .execute();
      return rows.map(toMilestone);
    },
    async milestonePage(commitmentId, limit) {
      const rows = await db
        .selectFrom("milestones")
        .selectAll()
        .where("commitment_id", "=", commitmentId)
        .orderBy("position")
        .limit(limit)
        .execute();
      const { n } = await db
        .selectFrom("milestones")
        .select(sql<number>`count(*)`.as("n"))
        .where("commitment_id", "=", commitmentId)
        .executeTakeFirstOrThrow();
      return { items: rows.map(toMilestone), total: Number(n) };
    },
    async addMilestone(commitmentId, title, timeline, dueAt) {
      const next = await db
        .selectFrom("milestones")
        .select(sql<number>`coalesce(max(position), 0) + 1`.as("n"))
        .where("commitment_id", "=", commitmentId)
        .executeTakeFirstOrThrow();
      const row = await db
        .insertInto("milestones")
        .values({
          commitment_id: commitmentId,
          position: Number(next.n),
          title,
          timeline_text: timeline?.text ?? null,
          timeline_json: timeline ? JSON.stringify(timeline) : null,
          due_at: dueAt,
          done_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toMilestone(row);
    },
    async completeMilestone(milestoneId, at) {
      await db
        .updateTable("milestones")
        .set({ done_at: at })
        .where("id", "=", milestoneId)
        .execute();
    },
    async milestonesFor(commitmentIds) {
      const map = new Map<number, Milestone[]>();
      for (const chunk of chunks(commitmentIds, IN_LIST_CHUNK)) {
        const rows = await db
          .selectFrom("milestones")
          .selectAll()
          .where("commitment_id", "in", chunk)
          .orderBy("commitment_id")
          .orderBy("position")
          .execute();
        for (const row of rows) {
          const list = map.get(row.commitment_id) ?? [];
          list.push(toMilestone(row));
          map.set(row.commitment_id, list);
        }
      }
      return map;
    },
    async edit(id, patch, at) {
      const set: Updateable<CommitmentsTable> = { updated_at: at };
      if (patch.title !== undefined) set.title = patch.title;
      if (patch.description !== undefined) set.description = patch.description;
      if (patch.comments !== undefined) set.comments = patch.comments;
      if (patch.timeline !== undefined) {
        set.timeline_text = patch.timeline?.text ?? null;
        set.timeline_json = patch.timeline ? JSON.stringify(patch.timeline) : null;
      }
      if (patch.dueAt !== undefined) set.due_at = patch.dueAt;
      const row = await db
        .updateTable("commitments")
        .set(set)
        .where("id", "=", id)
        .returning("group_id")
        .executeTakeFirst();
      if (row) await touchGroups(db, [row.group_id]);
      if (patch.owners === undefined) return;
      await db.deleteFrom("commitment_owners").where("commitment_id", "=", id).execute();
      await insertOwners(id, patch.owners);
    },
  };
}
