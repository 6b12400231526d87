import { type Selectable, sql } from "kysely";
import type { CommitmentRepository } from "../../core/ports.js";
import type { Commitment, Owner, Status } from "../../core/tracker/types.js";
import type { CommitmentsTable } from "../schema.js";
import { bool, type Db, parseTimeline, toMilestone, toOwner } from "./mappers.js";

export function commitmentRepository(db: Db): CommitmentRepository {
  const hydrate = async (
    rows: (Selectable<CommitmentsTable> & { group_code: string })[],
  ): Promise<Commitment[]> => {
    if (rows.length === 0) return [];
    const ownerRows = await db
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
      .where(
        "commitment_owners.commitment_id",
        "in",
        rows.map((r) => r.id),
      )
      .orderBy("commitment_owners.commitment_id")
      .orderBy("commitment_owners.position")
      .execute();
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
      let position = 0;
      for (const owner of input.owners) {
        position += 1;
        await db
          .insertInto("commitment_owners")
          .values(
            owner.kind === "person"
              ? { commitment_id: inserted.id, position, person_id: owner.personId, tbc: 0 }
              : {
                  commitment_id: inserted.id,
                  position,
                  org_name: owner.name,
                  country: owner.country,
                  sector: owner.sector,
                  tbc: bool(owner.tbc),
                },
          )
          .execute();
      }
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
      let q = base();
      if (filter.groupIds) {
        if (filter.groupIds.length === 0) return [];
        q = q.where("commitments.group_id", "in", filter.groupIds);
      }
      if (filter.open === true) q = q.where("commitments.closed_at", "is", null);
      if (filter.open === false) q = q.where("commitments.closed_at", "is not", null);
      if (filter.dueBefore) q = q.where("commitments.due_at", "<", filter.dueBefore);
      if (filter.dueFrom) q = q.where("commitments.due_at", ">=", filter.dueFrom);
      if (filter.ownerPersonId !== undefined) {
        const personId = filter.ownerPersonId;
        q = q.where((eb) =>
          eb.exists(
            eb
              .selectFrom("commitment_owners")
              .select("commitment_owners.id")
              .whereRef("commitment_owners.commitment_id", "=", "commitments.id")
              .where("commitment_owners.person_id", "=", personId),
          ),
        );
      }
      q = q
        .orderBy(sql`case when commitments.due_at is null then 1 else 0 end`)
        .orderBy("commitments.due_at")
        .orderBy("working_groups.code")
        .orderBy("commitments.number");
      if (filter.limit) q = q.limit(filter.limit);
      return hydrate(await q.execute());
    },
    async countByStatus(groupId) {
      const rows = await db
        .selectFrom("commitments")
        .select(["status", sql<number>`count(*)`.as("n")])
        .where("group_id", "=", groupId)
        .groupBy("status")
        .execute();
      return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    },
    async setStatus(id, status, closedAt, at) {
      await db
        .updateTable("commitments")
        .set({ status, updated_at: at, closed_at: closedAt })
        .where("id", "=", id)
        .execute();
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
    async updates(commitmentId) {
      const rows = await db
        .selectFrom("commitment_updates")
        .selectAll()
        .where("commitment_id", "=", commitmentId)
        .orderBy("at")
        .orderBy("id")
        .execute();
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
  };
}
