import { sql } from "kysely";
import type { GroupRepository } from "../../core/ports.js";
import type { Platform } from "../../core/tracker/types.js";
import { prepared } from "../prepared.js";
import { type Db, toGroup } from "./mappers.js";

// Asked on every command that names a group or comes from a channel (src/db/prepared.ts).
const groupByCode = prepared((db, code: string) =>
  db.selectFrom("working_groups").selectAll().where("code", "=", code),
);
const groupOfChannel = prepared((db, platform: Platform, channelId: string) =>
  db
    .selectFrom("channel_bindings")
    .innerJoin("working_groups", "working_groups.id", "channel_bindings.group_id")
    .selectAll("working_groups")
    .where("channel_bindings.platform", "=", platform)
    .where("channel_bindings.channel_id", "=", channelId),
);

export function groupRepository(db: Db): GroupRepository {
  return {
    async byCode(code) {
      const [row] = await groupByCode(db, code.toUpperCase());
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
        .onConflict((oc) =>
          oc.column("code").doUpdateSet({ ...values, revision: sql`working_groups.revision + 1` }),
        )
        .execute();
      const row = await db
        .selectFrom("working_groups")
        .selectAll()
        .where("code", "=", values.code)
        .executeTakeFirstOrThrow();
      return toGroup(row);
    },
    async forChannel(platform, channelId) {
      const [row] = await groupOfChannel(db, platform, channelId);
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
