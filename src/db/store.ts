import { type Kysely, type Selectable, sql, type Transaction, type Updateable } from "kysely";
import type {
  AuditRepository,
  CommitmentRepository,
  ConversationRepository,
  DecisionRepository,
  GroupRepository,
  MeetingRepository,
  PeopleRepository,
  RequestLedger,
  Store,
} from "../core/ports.js";
import type {
  Commitment,
  Country,
  Decision,
  Language,
  Meeting,
  Milestone,
  Owner,
  Person,
  Platform,
  Sector,
  Status,
  Timeline,
  WorkingGroup,
} from "../core/tracker/types.js";
import { scheduleRepository } from "./schedule.repository.js";
import type {
  CommitmentsTable,
  Database,
  DecisionsTable,
  MeetingsTable,
  MilestonesTable,
  PeopleTable,
  WorkingGroupsTable,
} from "./schema.js";

type Db = Kysely<Database> | Transaction<Database>;

const bool = (value: boolean): number => (value ? 1 : 0);

function toGroup(row: Selectable<WorkingGroupsTable>): WorkingGroup {
  return {
    id: row.id,
    code: row.code,
    names: { en: row.name_en, es: row.name_es, fr: row.name_fr },
    timeZone: row.time_zone,
    languages: row.languages.split(",").filter(Boolean) as Language[],
    visibility: row.visibility === "restricted" ? "restricted" : "partnership",
    confirmationsRequired: Number(row.confirmations_required) === 1 ? 1 : 2,
    active: Number(row.active) === 1,
  };
}

function toPerson(row: Selectable<PeopleTable>): Person {
  return {
    id: row.id,
    displayName: row.display_name,
    isAdmin: Number(row.is_admin) === 1,
    country: (row.country as Country | null) ?? null,
    language: (row.language as Language | null) ?? null,
    languageChosen: Number(row.language_chosen) === 1,
    timeZone: row.time_zone,
  };
}

function parseTimeline(json: string | null): Timeline | null {
  return json ? (JSON.parse(json) as Timeline) : null;
}

function toMilestone(row: Selectable<MilestonesTable>): Milestone {
  return {
    id: row.id,
    commitmentId: row.commitment_id,
    position: row.position,
    title: row.title,
    timeline: parseTimeline(row.timeline_json),
    doneAt: row.done_at,
  };
}

function toMeeting(
  row: Selectable<MeetingsTable>,
  groups: { id: number; code: string }[],
): Meeting {
  return {
    id: row.id,
    groupIds: groups.map((g) => g.id),
    groupCodes: groups.map((g) => g.code),
    title: row.title,
    startsAt: row.starts_at,
    durationMinutes: row.duration_minutes,
    timeZone: row.time_zone,
    callLink: row.call_link,
    createdAt: row.created_at,
  };
}

function groupRepository(db: Db): GroupRepository {
  return {
    async byCode(code) {
      const row = await db
        .selectFrom("working_groups")
        .selectAll()
        .where("code", "=", code.toUpperCase())
        .executeTakeFirst();
      return row ? toGroup(row) : null;
    },
    async byId(id) {
      const row = await db
        .selectFrom("working_groups")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirst();
      return row ? toGroup(row) : null;
    },
    async all() {
      const rows = await db.selectFrom("working_groups").selectAll().orderBy("code").execute();
      return rows.map(toGroup);
    },
    async upsert(group, at) {
      const values = {
        code: group.code.toUpperCase(),
        name_en: group.names.en,
        name_es: group.names.es,
        name_fr: group.names.fr,
        time_zone: group.timeZone,
        languages: group.languages.join(","),
        visibility: group.visibility,
        confirmations_required: group.confirmationsRequired,
      };
      await db
        .insertInto("working_groups")
        .values({ ...values, active: 1, created_at: at })
        .onConflict((oc) => oc.column("code").doUpdateSet(values))
        .execute();
      const row = await db
        .selectFrom("working_groups")
        .selectAll()
        .where("code", "=", values.code)
        .executeTakeFirstOrThrow();
      return toGroup(row);
    },
    async forChannel(platform, channelId) {
      const row = await db
        .selectFrom("channel_bindings")
        .innerJoin("working_groups", "working_groups.id", "channel_bindings.group_id")
        .selectAll("working_groups")
        .where("channel_bindings.platform", "=", platform)
        .where("channel_bindings.channel_id", "=", channelId)
        .executeTakeFirst();
      return row ? toGroup(row) : null;
    },
    async bindChannel(binding, at) {
      await db
        .insertInto("channel_bindings")
        .values({
          platform: binding.platform,
          channel_id: binding.channelId,
          group_id: binding.groupId,
          conversation_ref: null,
          created_at: at,
        })
        .onConflict((oc) =>
          oc.columns(["platform", "channel_id"]).doUpdateSet({ group_id: binding.groupId }),
        )
        .execute();
    },
    async channels(groupId) {
      const rows = await db
        .selectFrom("channel_bindings")
        .select(["platform", "channel_id", "group_id"])
        .where("group_id", "=", groupId)
        .orderBy("platform")
        .orderBy("channel_id")
        .execute();
      return rows.map((r) => ({
        platform: r.platform as Platform,
        channelId: r.channel_id,
        groupId: r.group_id,
      }));
    },
  };
}

function peopleRepository(db: Db): PeopleRepository {
  const byId = async (id: number) => {
    const row = await db.selectFrom("people").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toPerson(row) : null;
  };
  const byIdentity = async (platform: Platform, userId: string) => {
    const row = await db
      .selectFrom("identities")
      .innerJoin("people", "people.id", "identities.person_id")
      .selectAll("people")
      .where("identities.platform", "=", platform)
      .where("identities.external_id", "=", userId)
      .executeTakeFirst();
    return row ? toPerson(row) : null;
  };
  const linkIdentity = async (personId: number, platform: Platform, userId: string) => {
    await db
      .insertInto("identities")
      .values({ platform, external_id: userId, person_id: personId })
      .onConflict((oc) =>
        oc.columns(["platform", "external_id"]).doUpdateSet({ person_id: personId }),
      )
      .execute();
  };
  return {
    byId,
    byIdentity,
    linkIdentity,
    async byHandle(handle) {
      const row = await db
        .selectFrom("people")
        .selectAll()
        .where("handle", "=", handle.toLowerCase())
        .executeTakeFirst();
      return row ? toPerson(row) : null;
    },
    async resolve(identity, defaults, at) {
      const known = await byIdentity(identity.platform, identity.userId);
      if (known) {
        // Keep the platform's current display name; people rename themselves.
        if (known.displayName !== identity.displayName && identity.displayName) {
          await db
            .updateTable("people")
            .set({ display_name: identity.displayName })
            .where("id", "=", known.id)
            .execute();
          return { ...known, displayName: identity.displayName };
        }
        return known;
      }
      const inserted = await db
        .insertInto("people")
        .values({
          handle: null,
          display_name: identity.displayName,
          organisation: null,
          is_admin: bool(defaults.isAdmin ?? false),
          country: defaults.country ?? null,
          language: defaults.language ?? null,
          language_chosen: 0,
          time_zone: defaults.timeZone ?? null,
          created_at: at,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await linkIdentity(inserted.id, identity.platform, identity.userId);
      return (await byId(inserted.id)) as Person;
    },
    async upsertByHandle(person, at) {
      const values = {
        display_name: person.displayName,
        organisation: person.organisation ?? null,
        is_admin: bool(person.isAdmin),
        country: person.country,
        language: person.language,
        time_zone: person.timeZone,
      };
      await db
        .insertInto("people")
        .values({
          ...values,
          handle: person.handle.toLowerCase(),
          language_chosen: 0,
          created_at: at,
        })
        .onConflict((oc) => oc.column("handle").doUpdateSet(values))
        .execute();
      const row = await db
        .selectFrom("people")
        .selectAll()
        .where("handle", "=", person.handle.toLowerCase())
        .executeTakeFirstOrThrow();
      return toPerson(row);
    },
    async setLanguage(personId, language) {
      await db
        .updateTable("people")
        .set({ language, language_chosen: 1 })
        .where("id", "=", personId)
        .execute();
    },
    async memberships(personId) {
      const rows = await db
        .selectFrom("memberships")
        .selectAll()
        .where("person_id", "=", personId)
        .execute();
      return rows.map((r) => ({
        groupId: r.group_id,
        personId: r.person_id,
        role: r.role === "co_chair" ? "co_chair" : "member",
        country: (r.country as Country | null) ?? null,
        sector: r.sector === "private" ? "private" : "public",
      }));
    },
    async members(groupId) {
      const rows = await db
        .selectFrom("memberships")
        .innerJoin("people", "people.id", "memberships.person_id")
        .selectAll("people")
        .select([
          "memberships.group_id",
          "memberships.person_id",
          "memberships.role",
          "memberships.country as member_country",
          "memberships.sector",
        ])
        .where("memberships.group_id", "=", groupId)
        .orderBy("memberships.role")
        .orderBy("people.display_name")
        .execute();
      return rows.map((r) => ({
        groupId: r.group_id,
        personId: r.person_id,
        role: r.role === "co_chair" ? ("co_chair" as const) : ("member" as const),
        country: (r.member_country as Country | null) ?? null,
        sector: r.sector === "private" ? ("private" as const) : ("public" as const),
        person: toPerson(r),
      }));
    },
    async setMembership(m) {
      await db
        .insertInto("memberships")
        .values({
          group_id: m.groupId,
          person_id: m.personId,
          role: m.role,
          country: m.country,
          sector: m.sector,
        })
        .onConflict((oc) =>
          oc
            .columns(["group_id", "person_id"])
            .doUpdateSet({ role: m.role, country: m.country, sector: m.sector }),
        )
        .execute();
    },
  };
}

function commitmentRepository(db: Db): CommitmentRepository {
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
      list.push(
        o.person_id !== null
          ? { kind: "person", personId: o.person_id, displayName: o.display_name ?? "?" }
          : {
              kind: "organisation",
              name: o.org_name ?? "",
              country: (o.country as Country | null) ?? null,
              sector: (o.sector as Sector | null) ?? null,
              tbc: Number(o.tbc) === 1,
            },
      );
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
          closed_at: input.status === "done" || input.status === "dropped" ? input.at : null,
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
    async setStatus(id, status, at) {
      const closed = status === "done" || status === "dropped";
      await db
        .updateTable("commitments")
        .set({ status, updated_at: at, closed_at: closed ? at : null })
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
    async milestonesFor(commitmentIds) {
      const map = new Map<number, Milestone[]>();
      if (commitmentIds.length === 0) return map;
      const rows = await db
        .selectFrom("milestones")
        .selectAll()
        .where("commitment_id", "in", commitmentIds)
        .orderBy("commitment_id")
        .orderBy("position")
        .execute();
      for (const row of rows)
        map.set(row.commitment_id, [...(map.get(row.commitment_id) ?? []), toMilestone(row)]);
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
      await db.updateTable("commitments").set(set).where("id", "=", id).execute();
      if (patch.owners === undefined) return;
      await db.deleteFrom("commitment_owners").where("commitment_id", "=", id).execute();
      let position = 0;
      for (const owner of patch.owners) {
        position += 1;
        await db
          .insertInto("commitment_owners")
          .values(
            owner.kind === "person"
              ? { commitment_id: id, position, person_id: owner.personId, tbc: 0 }
              : {
                  commitment_id: id,
                  position,
                  org_name: owner.name,
                  country: owner.country,
                  sector: owner.sector,
                  tbc: bool(owner.tbc),
                },
          )
          .execute();
      }
    },
  };
}

function decisionRepository(db: Db): DecisionRepository {
  const hydrate = async (
    rows: (Selectable<DecisionsTable> & { group_code: string })[],
  ): Promise<Decision[]> => {
    if (rows.length === 0) return [];
    const confirmations = await db
      .selectFrom("decision_confirmations")
      .innerJoin("people", "people.id", "decision_confirmations.person_id")
      .select([
        "decision_confirmations.decision_id",
        "decision_confirmations.person_id",
        "decision_confirmations.country",
        "decision_confirmations.at",
        "people.display_name",
      ])
      .where(
        "decision_confirmations.decision_id",
        "in",
        rows.map((r) => r.id),
      )
      .orderBy("decision_confirmations.at")
      .execute();
    return rows.map((r) => ({
      id: r.id,
      groupId: r.group_id,
      groupCode: r.group_code,
      number: r.number,
      text: r.text,
      status: r.status === "confirmed" ? "confirmed" : "proposed",
      source:
        r.source_platform && r.source_channel_id
          ? {
              platform: r.source_platform as Platform,
              channelId: r.source_channel_id,
              messageId: r.source_message_id,
              permalink: r.source_permalink,
              authorName: r.source_author,
              saidAt: r.source_said_at,
            }
          : null,
      loggedByName: r.logged_by_name,
      loggedAt: r.logged_at,
      confirmations: confirmations
        .filter((c) => c.decision_id === r.id)
        .map((c) => ({
          personId: c.person_id,
          displayName: c.display_name,
          country: (c.country as Country | null) ?? null,
          at: c.at,
        })),
    }));
  };
  const base = () =>
    db
      .selectFrom("decisions")
      .innerJoin("working_groups", "working_groups.id", "decisions.group_id")
      .selectAll("decisions")
      .select("working_groups.code as group_code");
  return {
    async create(input) {
      const next = await db
        .selectFrom("decisions")
        .select(sql<number>`coalesce(max(number), 0) + 1`.as("n"))
        .where("group_id", "=", input.groupId)
        .executeTakeFirstOrThrow();
      const inserted = await db
        .insertInto("decisions")
        .values({
          group_id: input.groupId,
          number: Number(next.n),
          text: input.text,
          status: input.status,
          source_platform: input.source?.platform ?? null,
          source_channel_id: input.source?.channelId ?? null,
          source_message_id: input.source?.messageId ?? null,
          source_permalink: input.source?.permalink ?? null,
          source_author: input.source?.authorName ?? null,
          source_said_at: input.source?.saidAt ?? null,
          logged_by_person_id: input.loggedBy.personId,
          logged_by_name: input.loggedBy.name,
          logged_at: input.at,
          confirmed_at: input.status === "confirmed" ? input.at : null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      return (
        await hydrate(await base().where("decisions.id", "=", inserted.id).execute())
      )[0] as Decision;
    },
    async byNumber(groupId, number) {
      const rows = await base()
        .where("decisions.group_id", "=", groupId)
        .where("decisions.number", "=", number)
        .execute();
      return (await hydrate(rows))[0] ?? null;
    },
    async bySource(platform, channelId, messageId) {
      const rows = await base()
        .where("decisions.source_platform", "=", platform)
        .where("decisions.source_channel_id", "=", channelId)
        .where("decisions.source_message_id", "=", messageId)
        .execute();
      return (await hydrate(rows))[0] ?? null;
    },
    async list(groupIds, limit) {
      if (groupIds.length === 0) return [];
      const rows = await base()
        .where("decisions.group_id", "in", groupIds)
        .orderBy("decisions.logged_at", "desc")
        .orderBy("decisions.id", "desc")
        .limit(limit)
        .execute();
      return hydrate(rows);
    },
    async confirm(decisionId, personId, country, at) {
      await db
        .insertInto("decision_confirmations")
        .values({ decision_id: decisionId, person_id: personId, country, at })
        .onConflict((oc) => oc.columns(["decision_id", "person_id"]).doNothing())
        .execute();
    },
    async markConfirmed(decisionId, at) {
      await db
        .updateTable("decisions")
        .set({ status: "confirmed", confirmed_at: at })
        .where("id", "=", decisionId)
        .execute();
    },
  };
}

function meetingRepository(db: Db): MeetingRepository {
  const groupsOf = async (ids: number[]) => {
    if (ids.length === 0) return new Map<number, { id: number; code: string }[]>();
    const rows = await db
      .selectFrom("meeting_groups")
      .innerJoin("working_groups", "working_groups.id", "meeting_groups.group_id")
      .select(["meeting_groups.meeting_id", "working_groups.id", "working_groups.code"])
      .where("meeting_groups.meeting_id", "in", ids)
      .orderBy("working_groups.code")
      .execute();
    const map = new Map<number, { id: number; code: string }[]>();
    for (const r of rows)
      map.set(r.meeting_id, [...(map.get(r.meeting_id) ?? []), { id: r.id, code: r.code }]);
    return map;
  };
  const byId = async (id: number) => {
    const row = await db.selectFrom("meetings").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) return null;
    return toMeeting(row, (await groupsOf([id])).get(id) ?? []);
  };
  return {
    byId,
    async create(input) {
      const row = await db
        .insertInto("meetings")
        .values({
          title: input.title,
          starts_at: input.startsAt,
          duration_minutes: input.durationMinutes,
          time_zone: input.timeZone,
          call_link: input.callLink,
          created_by: input.createdBy,
          created_at: input.at,
          cancelled_at: null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      for (const groupId of input.groupIds) {
        await db
          .insertInto("meeting_groups")
          .values({ meeting_id: row.id, group_id: groupId })
          .execute();
      }
      return (await byId(row.id)) as Meeting;
    },
    async upcoming(groupIds, from, limit) {
      let q = db
        .selectFrom("meetings")
        .selectAll()
        .where("starts_at", ">=", from)
        .where("cancelled_at", "is", null);
      if (groupIds) {
        if (groupIds.length === 0) return [];
        q = q.where((eb) =>
          eb.exists(
            eb
              .selectFrom("meeting_groups")
              .select("meeting_groups.meeting_id")
              .whereRef("meeting_groups.meeting_id", "=", "meetings.id")
              .where("meeting_groups.group_id", "in", groupIds),
          ),
        );
      }
      const rows = await q.orderBy("starts_at").limit(limit).execute();
      const groups = await groupsOf(rows.map((r) => r.id));
      return rows.map((r) => toMeeting(r, groups.get(r.id) ?? []));
    },
  };
}

function auditRepository(db: Db): AuditRepository {
  return {
    async record(entry) {
      await db
        .insertInto("audit_log")
        .values({
          at: entry.at,
          actor_person_id: entry.actor.personId,
          actor_name: entry.actor.name,
          entity: entry.entity,
          entity_ref: entry.ref,
          action: entry.action,
          before_json: entry.before === undefined ? null : JSON.stringify(entry.before),
          after_json: entry.after === undefined ? null : JSON.stringify(entry.after),
        })
        .execute();
    },
  };
}

function requestLedger(db: Db): RequestLedger {
  return {
    async claim(key, at) {
      const result = await db
        .insertInto("processed_requests")
        .values({ request_key: key, at, result_ref: null })
        .onConflict((oc) => oc.column("request_key").doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },
  };
}

function conversationRepository(db: Db): ConversationRepository {
  return {
    async save(platform, conversationId, ref, personId, at) {
      const ref_json = JSON.stringify(ref);
      await db
        .insertInto("conversation_refs")
        .values({
          platform,
          conversation_id: conversationId,
          ref_json,
          person_id: personId,
          updated_at: at,
        })
        .onConflict((oc) =>
          oc
            .columns(["platform", "conversation_id"])
            .doUpdateSet({ ref_json, person_id: personId, updated_at: at }),
        )
        .execute();
    },
    async get(platform, conversationId) {
      const row = await db
        .selectFrom("conversation_refs")
        .select("ref_json")
        .where("platform", "=", platform)
        .where("conversation_id", "=", conversationId)
        .executeTakeFirst();
      return row ? (JSON.parse(row.ref_json) as unknown) : null;
    },
    async personal(platform, personId) {
      const row = await db
        .selectFrom("conversation_refs")
        .select(["conversation_id", "ref_json"])
        .where("platform", "=", platform)
        .where("person_id", "=", personId)
        .orderBy("updated_at", "desc")
        .executeTakeFirst();
      return row
        ? { conversationId: row.conversation_id, ref: JSON.parse(row.ref_json) as unknown }
        : null;
    },
  };
}

function storeOver(db: Db, root: Kysely<Database>): Store {
  return {
    groups: groupRepository(db),
    people: peopleRepository(db),
    commitments: commitmentRepository(db),
    decisions: decisionRepository(db),
    meetings: meetingRepository(db),
    audit: auditRepository(db),
    requests: requestLedger(db),
    conversations: conversationRepository(db),
    schedule: scheduleRepository(db),
    transaction(work) {
      // Already inside a transaction: join it rather than nest.
      if (db !== root) return work(this);
      return root.transaction().execute((trx) => work(storeOver(trx, root)));
    },
  };
}

export function createStore(db: Kysely<Database>): Store {
  return storeOver(db, db);
}
