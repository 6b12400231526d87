import type { Localizer } from "../i18n.js";
import { dateFormat } from "../intl.js";
import { decisionRef, isOverdue, itemRef, missingSides } from "../tracker/rules.js";
import type {
  Commitment,
  Decision,
  Meeting,
  Milestone,
  Owner,
  Status,
  WorkingGroup,
} from "../tracker/types.js";
import type { ActionButton, Block, ListItem } from "./message.js";

// Shared pieces of replies and scheduled posts: one way to show an item, a decision, a meeting.

/** The partnership's two reference zones: meeting times are always shown in both. */
export const PARTNER_ZONES = ["America/Toronto", "America/Mexico_City"] as const;

export function statusLabel(l: Localizer, status: Status): string {
  return l.t(`common:status.${status}`);
}

export function ownerLabel(l: Localizer, owner: Owner): string {
  if (owner.kind === "person") return owner.displayName;
  const country = owner.country ? ` (${l.t(`common:country.${owner.country}`)})` : "";
  return `${owner.name}${country}${owner.tbc ? ` ${l.t("common:tbc")}` : ""}`;
}

export function dueLabel(l: Localizer, item: Commitment): string {
  if (!item.timeline) return l.t("common:no_due");
  return l.timeline(item.timeline);
}

export function itemButtons(l: Localizer, item: Commitment): ActionButton[] {
  if (item.closedAt) return [];
  const ref = itemRef(item);
  return [
    { id: "item.done", label: l.t("common:button.done"), value: ref, style: "primary" },
    { id: "item.note", label: l.t("common:button.note"), value: ref },
  ];
}

export function itemLine(l: Localizer, item: Commitment, now: Date, withActions = false): ListItem {
  const parts = [statusLabel(l, item.status), `${l.t("common:due")}: ${dueLabel(l, item)}`];
  if (isOverdue(item, now)) parts.unshift(l.t("common:overdue_flag"));
  if (item.owners.length > 0) parts.push(item.owners.map((o) => ownerLabel(l, o)).join(", "));
  const line: ListItem = { text: `${itemRef(item)} · ${item.title}`, detail: parts.join(" · ") };
  if (withActions) line.actions = itemButtons(l, item);
  return line;
}

/** The countries whose confirmation a proposed decision still waits for, as a reader says it. */
export function waitingFor(
  l: Localizer,
  decision: Decision,
  group: Pick<WorkingGroup, "confirmationsRequired">,
): string | null {
  const missing = missingSides(group, decision);
  if (missing.length === 0) return null;
  if (group.confirmationsRequired === 1) return l.t("common:decision_waiting_any");
  return l.t("common:decision_waiting", {
    countries: l.list(missing.map((c) => l.t(`common:country.${c}`))),
  });
}

export function decisionLine(
  l: Localizer,
  decision: Decision,
  group: Pick<WorkingGroup, "timeZone" | "confirmationsRequired">,
): ListItem {
  const state = [l.t(`common:decision_status.${decision.status}`), waitingFor(l, decision, group)]
    .filter(Boolean)
    .join(", ");
  const said = decision.source?.saidAt ?? decision.loggedAt;
  const line: ListItem = {
    text: `${decisionRef(decision)} · ${decision.text}`,
    detail: `${state} · ${l.date(said, group.timeZone)} · ${decision.source?.authorName ?? decision.loggedByName}`,
  };
  if (decision.source?.permalink) line.url = decision.source.permalink;
  return line;
}

/** "Thu, 15 Mar 2018 · 10:00 Ottawa / 09:00 Ciudad de México". */
export function meetingWhen(l: Localizer, meeting: Pick<Meeting, "startsAt" | "timeZone">): string {
  const zones = [...new Set([meeting.timeZone, ...PARTNER_ZONES])];
  const times = zones.map((zone) => `${l.time(meeting.startsAt, zone)} ${zoneLabel(l, zone)}`);
  const day = dateFormat(l.lang, {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: meeting.timeZone,
  }).format(new Date(meeting.startsAt));
  return `${day} · ${times.join(" / ")}`;
}

export function zoneLabel(l: Localizer, zone: string): string {
  const key = `common:zones.${zone}`;
  const label = l.t(key);
  return label === key || label === `zones.${zone}`
    ? (zone.split("/").pop() ?? zone).replaceAll("_", " ")
    : label;
}

/** "M12": how people name a meeting to cancel or move it. */
export function meetingRef(meeting: Pick<Meeting, "id">): string {
  return `M${meeting.id}`;
}

export function meetingLine(l: Localizer, meeting: Meeting): ListItem {
  const title = meeting.title ?? l.t("common:meeting_default_title");
  const joint =
    meeting.groupCodes.length > 1
      ? ` · ${l.t("common:joint_session", { groups: l.list(meeting.groupCodes) })}`
      : "";
  const line: ListItem = {
    text: `${meetingRef(meeting)} · ${title}${joint}`,
    detail: meetingWhen(l, meeting),
  };
  if (meeting.callLink) line.url = meeting.callLink;
  return line;
}

/** An item's milestones, numbered, with when each was done and its timeline. */
export function milestoneList(l: Localizer, milestones: Milestone[], timeZone: string): Block {
  return {
    type: "list",
    title: l.t("common:milestones"),
    items: milestones.map((m) => ({
      text: `${m.position}. ${m.title}`,
      detail: [
        m.doneAt ? l.t("common:milestone_done", { date: l.date(m.doneAt, timeZone) }) : null,
        m.timeline ? l.timeline(m.timeline) : null,
      ]
        .filter(Boolean)
        .join(" · "),
    })),
    empty: l.t("common:no_milestones"),
  };
}
