import { type Selectable, sql } from "kysely";
import type { DecisionRepository } from "../../core/ports.js";
import type { Country, Decision, Platform } from "../../core/tracker/types.js";
import type { DecisionsTable } from "../schema.js";
import { touchDecisionGroup, touchGroups } from "./group-counts.js";
import { chunks, type Db, IN_LIST_CHUNK } from "./mappers.js";

interface ConfirmationRow {
  decision_id: number;
  person_id: number;
  country: string | null;
  at: string;
  display_name: string;
}

export function decisionRepository(db: Db): DecisionRepository {
  const hydrate = async (
    rows: (Selectable<DecisionsTable> & { group_code: string })[],
  ): Promise<Decision[]> => {
    if (rows.length === 0) return [];
    const confirmations: ConfirmationRow[] = [];
    for (const chunk of chunks(
      rows.map((r) => r.id),
      IN_LIST_CHUNK,
    )) {
      confirmations.push(
        ...(await db
          .selectFrom("decision_confirmations")
          .innerJoin("people", "people.id", "decision_confirmations.person_id")
          .select([
            "decision_confirmations.decision_id",
            "decision_confirmations.person_id",
            "decision_confirmations.country",
            "decision_confirmations.at",
            "people.display_name",
          ])
          .where("decision_confirmations.decision_id", "in", chunk)
          .orderBy("decision_confirmations.at")
          .execute()),
      );
    }
    const byDecision = new Map<number, ConfirmationRow[]>();
    for (const c of confirmations)
      byDecision.set(c.decision_id, [...(byDecision.get(c.decision_id) ?? []), c]);
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
      confirmations: (byDecision.get(r.id) ?? []).map((c) => ({
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
      await touchGroups(db, [input.groupId]);
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
      await touchDecisionGroup(db, decisionId);
    },
    async markConfirmed(decisionId, at) {
      await db
        .updateTable("decisions")
        .set({ status: "confirmed", confirmed_at: at })
        .where("id", "=", decisionId)
        .execute();
      await touchDecisionGroup(db, decisionId);
    },
  };
}
