import { DateTime } from "luxon";
import type { I18n, Localizer } from "../i18n.js";
import type { Store } from "../ports.js";
import {
  decisionLine,
  dueLabel,
  itemLine,
  meetingLine,
  ownerLabel,
  statusLabel,
} from "../render/items.js";
import {
  type ActionButton,
  type Block,
  type MessageDoc,
  stackLanguages,
} from "../render/message.js";
import { itemRef } from "../tracker/rules.js";
import { isTentative } from "../tracker/timeline.js";
import type { Commitment, Decision, Meeting, WorkingGroup } from "../tracker/types.js";
import { localDay, meetingEnd, summaryMoment } from "./occasions.js";
import type { Occasion, Placement } from "./planner.js";

// What a scheduled post says. Data is loaded once per occasion, then rendered per language;
// a channel gets its group's languages stacked, each section readable on its own.

const LIST_LIMIT = 15;
const DAY_MS = 86_400_000;

type Content =
  | { kind: "reminder"; item: Commitment; group: WorkingGroup; day: string }
  | {
      kind: "digest";
      group: WorkingGroup;
      at: string;
      changed: Commitment[];
      due: Commitment[];
      overdue: Commitment[];
      decisions: Decision[];
      next: Meeting | null;
    }
  | { kind: "agenda"; meeting: Meeting; sections: AgendaSection[] }
  | { kind: "summary"; meeting: Meeting; sections: SummarySection[]; next: Meeting | null };

interface AgendaSection {
  group: WorkingGroup;
  dueBy: Commitment[];
  open: Commitment[];
  pending: Decision[];
}

interface SummarySection {
  group: WorkingGroup;
  decisions: Decision[];
  created: Commitment[];
  changed: Commitment[];
  done: Commitment[];
  overdue: Commitment[];
}

export interface Composer {
  /** The post of one occasion at one place, in the placement's languages. */
  compose(occasion: Occasion, placement: Placement): Promise<MessageDoc | null>;
}

/** Composes posts, loading each occasion's data once however many places it goes to. */
export function createComposer(deps: { store: Store; i18n: I18n }): Composer {
  const loaded = new Map<string, Promise<Content | null>>();
  return {
    async compose(occasion, placement) {
      let content = loaded.get(occasion.key);
      if (!content) {
        content = load(deps.store, occasion);
        loaded.set(occasion.key, content);
      }
      const data = await content;
      if (!data) return null;
      const docs = placement.languages.map((lang) =>
        render(deps.i18n.localizer(lang), data, placement.groupId),
      );
      return docs.length === 1 ? (docs[0] as MessageDoc) : stackLanguages(docs);
    },
  };
}

function plus(instant: string, ms: number): string {
  return new Date(new Date(instant).getTime() + ms).toISOString();
}

async function items(
  store: Store,
  refs: { groupId: number; number: number }[],
): Promise<Commitment[]> {
  const seen = new Set<string>();
  const found: Commitment[] = [];
  for (const ref of refs) {
    const key = `${ref.groupId}:${ref.number}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const item = await store.commitments.byNumber(ref.groupId, ref.number);
    if (item) found.push(item);
  }
  return found;
}

async function decisions(
  store: Store,
  refs: { groupId: number; number: number }[],
): Promise<Decision[]> {
  const found: Decision[] = [];
  for (const ref of refs) {
    const decision = await store.decisions.byNumber(ref.groupId, ref.number);
    if (decision) found.push(decision);
  }
  return found;
}

async function nextMeeting(store: Store, groupIds: number[], after: string, exceptId?: number) {
  const upcoming = await store.meetings.upcoming(groupIds, after, 2);
  return upcoming.find((m) => m.id !== exceptId) ?? null;
}

async function load(store: Store, occasion: Occasion): Promise<Content | null> {
  switch (occasion.kind) {
    case "reminder": {
      const group = await store.groups.byId(occasion.groupId);
      const item = group ? await store.commitments.byNumber(group.id, occasion.number) : null;
      // Closed or re-dated since the tick found it: nothing to remind of.
      if (!group || !item || item.closedAt || item.dueAt !== occasion.dueAt) return null;
      return { kind: "reminder", item, group, day: occasion.day };
    }
    case "digest": {
      const group = await store.groups.byId(occasion.groupId);
      if (!group) return null;
      const at = occasion.at;
      const week = { from: plus(at, -7 * DAY_MS), to: at };
      const open = await store.commitments.list({ groupIds: [group.id], open: true });
      return {
        kind: "digest",
        group,
        at,
        changed: await items(store, await store.schedule.changesIn([group.id], week)),
        due: open.filter(
          (i) => i.dueAt !== null && i.dueAt >= at && i.dueAt < plus(at, 7 * DAY_MS),
        ),
        overdue: open.filter((i) => i.dueAt !== null && i.dueAt < at),
        decisions: await decisions(
          store,
          await store.schedule.decisionRefs([group.id], { logged: week }),
        ),
        next: await nextMeeting(store, [group.id], at),
      };
    }
    case "agenda": {
      const sections: AgendaSection[] = [];
      for (const groupId of occasion.meeting.groupIds) {
        const group = await store.groups.byId(groupId);
        if (!group) continue;
        const open = await store.commitments.list({ groupIds: [groupId], open: true });
        const dueBy = open.filter((i) => i.dueAt !== null && i.dueAt <= occasion.meeting.startsAt);
        sections.push({
          group,
          dueBy,
          open: open.filter((i) => !dueBy.includes(i)),
          pending: await decisions(
            store,
            await store.schedule.decisionRefs([groupId], { proposedOnly: true }),
          ),
        });
      }
      return { kind: "agenda", meeting: occasion.meeting, sections };
    }
    case "summary": {
      const meeting = occasion.meeting;
      const window = { from: meeting.startsAt, to: summaryMoment(meeting) };
      const sections: SummarySection[] = [];
      for (const groupId of meeting.groupIds) {
        const group = await store.groups.byId(groupId);
        if (!group) continue;
        const changes = await store.schedule.changesIn([groupId], window);
        const created = changes.filter((c) => c.kind === "created");
        const done = changes.filter((c) => c.kind === "status" && c.toStatus === "done");
        const isIn = (list: typeof changes, c: (typeof changes)[number]) =>
          list.some((x) => x.number === c.number);
        const changed = changes.filter((c) => !isIn(created, c) && !isIn(done, c));
        sections.push({
          group,
          decisions: await decisions(
            store,
            await store.schedule.decisionRefs([groupId], { logged: window }),
          ),
          created: await items(store, created),
          changed: await items(store, changed),
          done: await items(store, done),
          overdue: await store.commitments.list({
            groupIds: [groupId],
            open: true,
            dueBefore: window.to,
          }),
        });
      }
      return {
        kind: "summary",
        meeting,
        sections,
        next: await nextMeeting(store, meeting.groupIds, meetingEnd(meeting), meeting.id),
      };
    }
  }
}

function render(l: Localizer, content: Content, forGroupId: number): MessageDoc {
  switch (content.kind) {
    case "reminder":
      return reminderDoc(l, content.item, content.group, content.day);
    case "digest":
      return digestDoc(l, content);
    case "agenda":
      return agendaDoc(l, content.meeting, visible(content.sections, forGroupId));
    case "summary":
      return summaryDoc(l, content.meeting, visible(content.sections, forGroupId), content.next);
  }
}

/** A restricted group's items never reach another group's channel, even in a joint session. */
function visible<T extends { group: WorkingGroup }>(sections: T[], forGroupId: number): T[] {
  return sections.filter((s) => s.group.id === forGroupId || s.group.visibility === "partnership");
}

function days(from: string, to: string): number {
  return Math.round(
    DateTime.fromISO(to, { zone: "utc" }).diff(DateTime.fromISO(from, { zone: "utc" }), "days")
      .days,
  );
}

/** "Due in 7 days, on 31 Mar 2027." from the day the reminder lands on. */
export function dueSentence(l: Localizer, item: Commitment, group: WorkingGroup, day: string) {
  const dueAt = item.dueAt as string;
  const date = l.date(dueAt, group.timeZone);
  const left = days(day, localDay(dueAt, group.timeZone));
  if (left > 1) return l.t("schedule:reminder.due_in", { count: left, date });
  if (left === 1) return l.t("schedule:reminder.due_tomorrow", { date });
  if (left === 0) return l.t("schedule:reminder.due_today", { date });
  return l.t("schedule:reminder.overdue", { count: -left, date });
}

function reminderDoc(l: Localizer, item: Commitment, group: WorkingGroup, day: string): MessageDoc {
  const ref = itemRef(item);
  const when = dueSentence(l, item, group, day);
  const blocks: Block[] = [
    { type: "header", text: l.t("schedule:reminder.header", { ref, title: item.title }) },
    { type: "text", text: when },
  ];
  if (item.timeline && isTentative(item.timeline))
    blocks.push({ type: "text", text: l.t("schedule:reminder.tentative") });
  blocks.push({
    type: "fields",
    fields: [
      { label: l.t("common:field.timeline"), value: dueLabel(l, item) },
      { label: l.t("common:field.status"), value: statusLabel(l, item.status) },
      {
        label: l.t("common:field.owners"),
        value: item.owners.length
          ? item.owners.map((o) => ownerLabel(l, o)).join(", ")
          : l.t("common:none"),
      },
      { label: l.t("common:field.group"), value: `${group.code} — ${group.names[l.lang]}` },
    ],
  });
  const actions: ActionButton[] = [
    { id: "item.done", label: l.t("common:button.done"), value: ref, style: "primary" },
    { id: "item.snooze", label: l.t("common:button.snooze"), value: ref },
  ];
  blocks.push({ type: "actions", actions });
  blocks.push({ type: "context", text: l.t("schedule:reminder.hint", { ref }) });
  return { summary: `${ref} · ${item.title}: ${when}`, blocks };
}

function listOf(l: Localizer, title: string, empty: string, list: Commitment[], now: Date): Block {
  const shown = list.slice(0, LIST_LIMIT).map((i) => itemLine(l, i, now));
  if (list.length > LIST_LIMIT)
    shown.push({ text: l.t("common:and_more", { count: list.length - LIST_LIMIT }) });
  return { type: "list", title, items: shown, empty };
}

function decisionList(
  l: Localizer,
  title: string,
  empty: string,
  list: Decision[],
  zone: string,
): Block {
  const shown = list.slice(0, LIST_LIMIT).map((d) => decisionLine(l, d, zone));
  if (list.length > LIST_LIMIT)
    shown.push({ text: l.t("common:and_more", { count: list.length - LIST_LIMIT }) });
  return { type: "list", title, items: shown, empty };
}

function meetingBlock(l: Localizer, title: string, meeting: Meeting | null, empty: string): Block {
  return { type: "list", title, items: meeting ? [meetingLine(l, meeting)] : [], empty };
}

function digestDoc(l: Localizer, c: Extract<Content, { kind: "digest" }>): MessageDoc {
  const now = new Date(c.at);
  const { group } = c;
  const t = (key: string, vars?: Record<string, unknown>) => l.t(`schedule:digest.${key}`, vars);
  return {
    summary: t("summary", {
      code: group.code,
      changed: c.changed.length,
      due: c.due.length,
      overdue: c.overdue.length,
    }),
    blocks: [
      { type: "header", text: t("header", { code: group.code, name: group.names[l.lang] }) },
      { type: "context", text: t("week", { date: l.date(c.at, group.timeZone) }) },
      listOf(l, t("changed", { count: c.changed.length }), t("none_changed"), c.changed, now),
      listOf(l, t("due", { count: c.due.length }), t("none_due"), c.due, now),
      listOf(l, t("overdue", { count: c.overdue.length }), t("none_overdue"), c.overdue, now),
      decisionList(
        l,
        t("decisions", { count: c.decisions.length }),
        t("none_decisions"),
        c.decisions,
        group.timeZone,
      ),
      meetingBlock(l, l.t("status:next_meeting"), c.next, l.t("status:no_meeting")),
    ],
  };
}

function meetingTitle(l: Localizer, meeting: Meeting): string {
  return meeting.title ?? l.t("common:meeting_default_title");
}

function agendaDoc(l: Localizer, meeting: Meeting, sections: AgendaSection[]): MessageDoc {
  const now = new Date(meeting.startsAt);
  const t = (key: string, vars?: Record<string, unknown>) => l.t(`schedule:agenda.${key}`, vars);
  const title = meetingTitle(l, meeting);
  const blocks: Block[] = [
    { type: "header", text: t("header", { title }) },
    { type: "list", items: [meetingLine(l, meeting)] },
  ];
  for (const s of sections) {
    blocks.push(
      { type: "text", text: `${s.group.code} — ${s.group.names[l.lang]}` },
      listOf(l, t("due_by_meeting", { count: s.dueBy.length }), t("none_due"), s.dueBy, now),
      listOf(l, t("other_open", { count: s.open.length }), t("none_open"), s.open, now),
      decisionList(
        l,
        t("pending_decisions", { count: s.pending.length }),
        t("none_pending"),
        s.pending,
        s.group.timeZone,
      ),
    );
  }
  return { summary: t("summary", { title }), blocks };
}

function summaryDoc(
  l: Localizer,
  meeting: Meeting,
  sections: SummarySection[],
  next: Meeting | null,
): MessageDoc {
  const now = new Date(summaryMoment(meeting));
  const t = (key: string, vars?: Record<string, unknown>) => l.t(`schedule:summary.${key}`, vars);
  const title = meetingTitle(l, meeting);
  const blocks: Block[] = [
    { type: "header", text: t("header", { title }) },
    { type: "list", items: [meetingLine(l, meeting)] },
  ];
  for (const s of sections) {
    blocks.push(
      { type: "text", text: `${s.group.code} — ${s.group.names[l.lang]}` },
      decisionList(
        l,
        t("decisions", { count: s.decisions.length }),
        t("none_decisions"),
        s.decisions,
        s.group.timeZone,
      ),
      listOf(l, t("created", { count: s.created.length }), t("none_created"), s.created, now),
      listOf(l, t("changed", { count: s.changed.length }), t("none_changed"), s.changed, now),
      listOf(l, t("done", { count: s.done.length }), t("none_done"), s.done, now),
      listOf(l, t("overdue", { count: s.overdue.length }), t("none_overdue"), s.overdue, now),
    );
  }
  blocks.push(meetingBlock(l, t("next_meeting"), next, t("no_next")));
  const decided = sections.reduce((n, s) => n + s.decisions.length, 0);
  const done = sections.reduce((n, s) => n + s.done.length, 0);
  return { summary: t("summary", { title, decisions: decided, done }), blocks };
}
