import type { I18n } from "../i18n.js";
import type { StoreView } from "../ports.js";
import { meetingWhen } from "../render/items.js";
import { type MessageDoc, stackLanguages } from "../render/message.js";
import { deliveryKey } from "../schedule/planner.js";
import type { NewDelivery } from "../schedule/types.js";
import type { Language } from "../tracker/types.js";
import type { CalendarMeeting } from "./feed.js";

// A moved or cancelled meeting is announced in every channel of every group in it, in each
// group's languages. The posts are rows of the scheduler's deliveries ledger, claimed in the
// same transaction as the change: the next tick posts each once, retried and reconciled like
// any scheduled post.

export type MeetingChange =
  | { kind: "cancelled" }
  | { kind: "moved"; from: Pick<CalendarMeeting, "startsAt" | "timeZone"> };

function noticeDoc(
  i18n: I18n,
  lang: Language,
  meeting: CalendarMeeting,
  change: MeetingChange,
): MessageDoc {
  const l = i18n.localizer(lang);
  const title = `${meeting.groupCodes.join(" + ")} · ${meeting.title ?? l.t("common:meeting_default_title")}`;
  const text =
    change.kind === "cancelled"
      ? l.t("meetings:notice.cancelled", { title, when: meetingWhen(l, meeting) })
      : l.t("meetings:notice.moved", {
          title,
          when: meetingWhen(l, meeting),
          was: meetingWhen(l, change.from),
        });
  return { summary: text, blocks: [{ type: "text", text }] };
}

/** The ledger rows announcing a change to `meeting` (as it is after the change). */
export async function meetingNotices(
  deps: { store: Pick<StoreView, "groups">; i18n: I18n },
  meeting: CalendarMeeting,
  change: MeetingChange,
  at: string,
): Promise<NewDelivery[]> {
  // One occasion per revision: announcing the same change twice finds its key taken.
  const occasionKey = `meeting-change:${meeting.id}:${meeting.sequence}`;
  const rows: NewDelivery[] = [];
  for (const groupId of meeting.groupIds) {
    const group = await deps.store.groups.byId(groupId);
    if (!group?.active) continue;
    const languages: Language[] = group.languages.length > 0 ? group.languages : ["en"];
    const docs = languages.map((lang) => noticeDoc(deps.i18n, lang, meeting, change));
    const doc = docs.length === 1 ? (docs[0] as MessageDoc) : stackLanguages(docs);
    for (const channel of await deps.store.groups.channels(groupId)) {
      const target = { kind: "channel" as const, ...channel, groupId };
      rows.push({
        deliveryKey: deliveryKey(occasionKey, target),
        occasionKey,
        kind: "notice",
        groupId,
        target,
        languages,
        dueAt: at,
        status: "pending",
        note: null,
        doc,
        createdAt: at,
      });
    }
  }
  return rows;
}
