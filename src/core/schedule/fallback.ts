import type { I18n } from "../i18n.js";
import type { Store } from "../ports.js";
import type { Block } from "../render/message.js";
import { targetKey } from "./planner.js";
import type { Delivery, NewDelivery, Target } from "./types.js";

// A direct message the platform refuses for good — a person of the other organisation in a
// Slack Connect channel (an app cannot open a conversation with someone outside its workspace),
// a Teams user from another tenant or who never opened a personal chat with the bot — goes to
// the group's channel instead: the shared channel where that person does read, on the same
// platform when the group has one there. The post says whom it is for.

export async function channelFallback(
  deps: { store: Store; i18n: I18n },
  delivery: Delivery,
  at: string,
): Promise<NewDelivery[]> {
  const target = delivery.target;
  if (target?.kind !== "direct" || !delivery.doc) return [];
  const person = await deps.store.people.byId(target.personId);
  const channels = await deps.store.groups.channels(delivery.groupId);
  const same = channels.filter((c) => c.platform === target.platform);
  const name = person?.displayName ?? target.userId;
  const text = delivery.languages
    .map((lang) => deps.i18n.localizer(lang).t("schedule:fallback.for", { name }))
    .join(" / ");
  const lead: Block = { type: "context", text };
  const doc = {
    summary: `${text} ${delivery.doc.summary}`,
    blocks: [lead, ...delivery.doc.blocks],
  };
  return (same.length > 0 ? same : channels).map((channel) => {
    const place: Target = {
      kind: "channel",
      platform: channel.platform,
      channelId: channel.channelId,
      groupId: delivery.groupId,
    };
    return {
      // One fallback per direct message and channel, whoever notices first.
      deliveryKey: `${delivery.deliveryKey}|fallback|${targetKey(place)}`,
      occasionKey: delivery.occasionKey,
      kind: delivery.kind,
      groupId: delivery.groupId,
      target: place,
      languages: delivery.languages,
      dueAt: delivery.dueAt,
      status: "pending",
      note: null,
      doc,
      createdAt: at,
    };
  });
}
