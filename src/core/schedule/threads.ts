import type { I18n } from "../i18n.js";
import type { Store } from "../ports.js";
import type { MessageDoc } from "../render/message.js";
import { itemRef } from "../tracker/rules.js";
import type { Occasion } from "./planner.js";
import { targetKey } from "./planner.js";
import { dueSentence } from "./posts.js";
import type { GroupSchedule, NewDelivery } from "./types.js";

// Quieter channels (issue 13): the scheduled posts about one commitment in one channel — its
// reminders, its overdue notices — go into one thread, whose root is the first of them. A post
// into the thread leaves a one-line notice in the channel, once a day per item, so the item
// still shows where people read; digests, agendas and summaries stay top-level. A group can
// turn this off (`schedule … threads off`).

export interface Threading {
  /** The ledger rows of one claimed post: itself, placed in its item's thread, and any notice. */
  rows(occasion: Occasion, row: NewDelivery): Promise<NewDelivery[]>;
}

export function createThreading(deps: { store: Store; i18n: I18n }): Threading {
  const { store, i18n } = deps;
  const settings = new Map<number, Promise<GroupSchedule | undefined>>();
  const schedule = (groupId: number) => {
    let found = settings.get(groupId);
    if (!found) {
      found = store.schedule.settings([groupId]).then((all) => all.get(groupId));
      settings.set(groupId, found);
    }
    return found;
  };

  async function notice(occasion: Occasion & { kind: "reminder" }, row: NewDelivery) {
    const group = await store.groups.byId(occasion.groupId);
    const item = group ? await store.commitments.byNumber(group.id, occasion.number) : null;
    if (!group || !item) return null;
    const lines = row.languages.map((lang) => {
      const l = i18n.localizer(lang);
      return l.t("schedule:thread.notice", {
        ref: itemRef(item),
        title: item.title,
        when: dueSentence(l, item, group, occasion.day),
      });
    });
    const text = lines.join(" / ");
    return { summary: text, blocks: [{ type: "context", text }] } satisfies MessageDoc;
  }

  return {
    async rows(occasion, row) {
      const target = row.target;
      if (occasion.kind !== "reminder" || target?.kind !== "channel" || target.threadId)
        return [row];
      if (!(await schedule(occasion.groupId))?.threads) return [row];
      const commitmentId = occasion.commitmentId;
      const root = await store.schedule.itemThread(commitmentId, target.platform, target.channelId);
      // No thread yet: this post starts it (the runner records its id once it is accepted).
      if (!root) return [{ ...row, target: { ...target, threadOf: commitmentId } }];
      const inThread: NewDelivery = {
        ...row,
        target: { ...target, threadId: root, threadOf: commitmentId },
      };
      const doc = await notice(occasion, row);
      if (!doc) return [inThread];
      // One notice per item, channel and day: the ledger's unique key keeps it to the first.
      const occasionKey = `notice:${commitmentId}:${occasion.day}`;
      const channel = { ...target };
      delete channel.threadOf;
      return [
        inThread,
        {
          ...row,
          deliveryKey: `${occasionKey}|${targetKey(channel)}`,
          occasionKey,
          kind: "item_notice",
          target: channel,
          doc,
        },
      ];
    },
  };
}
