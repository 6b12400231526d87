import type { ConversationRepository } from "../../core/ports.js";
import type { Db } from "./mappers.js";

export function conversationRepository(db: Db): ConversationRepository {
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
