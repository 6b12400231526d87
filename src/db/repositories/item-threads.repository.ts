import type { ScheduleRepository } from "../../core/ports.js";
import type { Platform } from "../../core/tracker/types.js";
import type { Db } from "./mappers.js";

// The thread of each commitment in each channel: its root is the first scheduled post about the
// item there (issue 13's quieter channels), and a reply in it can be offered as a note.

export function itemThreadsRepository(
  db: Db,
): Pick<ScheduleRepository, "itemThread" | "saveItemThread" | "threadItem"> {
  return {
    async itemThread(commitmentId, platform, channelId) {
      const row = await db
        .selectFrom("item_threads")
        .select("thread_id")
        .where("commitment_id", "=", commitmentId)
        .where("platform", "=", platform)
        .where("channel_id", "=", channelId)
        .executeTakeFirst();
      return row?.thread_id ?? null;
    },
    async saveItemThread(commitmentId, platform, channelId, threadId, at) {
      // The first root wins: a second top-level post (its root was still pending) starts none.
      await db
        .insertInto("item_threads")
        .values({
          commitment_id: commitmentId,
          platform,
          channel_id: channelId,
          thread_id: threadId,
          created_at: at,
        })
        .onConflict((oc) => oc.columns(["commitment_id", "platform", "channel_id"]).doNothing())
        .execute();
    },
    async threadItem(platform, channelId, threadId) {
      const row = await db
        .selectFrom("item_threads")
        .innerJoin("commitments", "commitments.id", "item_threads.commitment_id")
        .select(["commitments.group_id", "commitments.number"])
        .where("item_threads.platform", "=", platform as Platform)
        .where("item_threads.channel_id", "=", channelId)
        .where("item_threads.thread_id", "=", threadId)
        .executeTakeFirst();
      return row ? { groupId: Number(row.group_id), number: Number(row.number) } : null;
    },
  };
}
