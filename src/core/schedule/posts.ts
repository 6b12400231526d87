import type { I18n, Localizer } from "../i18n.js";
import type { Store } from "../ports.js";
import { dueLabel, meetingLine, ownerLabel, statusLabel } from "../render/items.js";
import {
  type ActionButton,
  type Block,
  type MessageDoc,
  stackLanguages,
} from "../render/message.js";
import {
  decisionSection,
  groupHeading,
  itemSection,
  type Listed,
  meetingSection,
} from "../render/sections.js";
import { isStalled, itemRef, stalledBefore } from "../tracker/rules.js";
import { isTentative } from "../tracker/timeline.js";
import type { Commitment, Decision, Meeting, WorkingGroup } from "../tracker/types.js";
import { DAY_MS, daysBetween } from "./calendar.js";
import { localDay, meetingEnd, summaryMoment } from "./occasions.js";
import type { Occasion, Placement } from "./planner.js";
import { loadRatify, type RatifyContent, renderRatify } from "./ratify-posts.js";
import type { GroupSchedule, TimeRange } from "./types.js";

// What a scheduled post says. Data is loaded once per occasion, then rendered per language;
// a channel gets its group's languages stacked, each section readable on its own.

const LIST_LIMIT = 15;

type Content =
  | { kind: "reminder"; item: Commitment; group: WorkingGroup; day: string }
  | {
      kind: "digest";
      group: WorkingGroup;
      at: string;
      changed: Listed;
      due: Listed;
      overdue: Listed;
      /** Of the overdue, how many had all their weekly reminders: now shown only here. */
      stalled: number;
      overdueReminders: number;
      decisions: Listed<Decision>;
      /** Proposed decisions, of any week, still waiting for a side's confirmation. */
      waiting: Listed<Decision>;
      next: Meeting | null;
    }
  | { kind: "agenda"; meeting: Meeting; sections: AgendaSection[] }
  | { kind: "summary"; meeting: Meeting; sections: SummarySection[]; next: Meeting | null }
  | RatifyContent;

interface AgendaSection {
  group: WorkingGroup;
  dueBy: Listed;
  open: Listed;
  pending: Listed<Decision>;
}

interface SummarySection {
  group: WorkingGroup;
  decisions: Listed<Decision>;
  created: Listed;
  changed: Listed;
  done: Listed;
  overdue: Listed;
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

/** Loads the first items of a list of references (a post shows no more), counting them all. */
async function items(store: Store, refs: { groupId: number; number: number }[]): Promise<Listed> {
  const unique = [...new Map(refs.map((r) => [`${r.groupId}:${r.number}`, r])).values()];
  const shown: Commitment[] = [];
  for (const ref of unique.slice(0, LIST_LIMIT)) {
    const item = await store.commitments.byNumber(ref.groupId, ref.number);
    if (item) shown.push(item);
  }
  return { shown, total: unique.length };
}

const EPOCH = "1970-01-01T00:00:00.000Z";

/** A group's open items due within a range, through the index on open items' due moments. */
async function openDue(store: Store, groupId: number, range: TimeRange): Promise<Listed> {
  const due = await store.schedule.openDueIn([range]);
  return items(
    store,
    due.filter((d) => d.groupId === groupId),
  );
}

async function decisions(
  store: Store,
  refs: { groupId: number; number: number }[],
): Promise<Listed<Decision>> {
  const shown: Decision[] = [];
  for (const ref of refs.slice(0, LIST_LIMIT)) {
    const decision = await store.decisions.byNumber(ref.groupId, ref.number);
    if (decision) shown.push(decision);
  }
  return { shown, total: refs.length };
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
    case "nudge":
    case "ratified":
      return loadRatify(store, occasion);
    case "digest": {
      const group = await store.groups.byId(occasion.groupId);
      if (!group) return null;
      const at = occasion.at;
      const week = { from: plus(at, -7 * DAY_MS), to: at };
      const { overdueReminders } = (await store.schedule.settings([group.id])).get(
        group.id,
      ) as GroupSchedule;
      const overdue = (await store.schedule.openDueIn([{ from: EPOCH, to: at }])).filter(
        (d) => d.groupId === group.id,
      );
      const quietBefore = stalledBefore(new Date(at), overdueReminders);
      return {
        kind: "digest",
        group,
        at,
        changed: await items(store, await store.schedule.changesIn([group.id], week)),
        due: await openDue(store, group.id, { from: at, to: plus(at, 7 * DAY_MS) }),
        overdue: await items(store, overdue),
        stalled: overdue.filter((d) => d.dueAt < quietBefore).length,
        overdueReminders,
        decisions: await decisions(
          store,
          await store.schedule.decisionRefs([group.id], { logged: week }),
        ),
        waiting: await decisions(
          store,
          await store.schedule.decisionRefs([group.id], { proposedOnly: true }),
        ),
        next: await nextMeeting(store, [group.id], at),
      };
    }
    case "agenda": {
      const sections: AgendaSection[] = [];
      for (const groupId of occasion.meeting.groupIds) {
        const group = await store.groups.byId(groupId);
        if (!group) continue;
        const open = await store.schedule.openItems([groupId]);
        const isDue = (i: { dueAt: string | null }) =>
          i.dueAt !== null && i.dueAt <= occasion.meeting.startsAt;
        sections.push({
          group,
          dueBy: await items(store, open.filter(isDue)),
          open: await items(
            store,
            open.filter((i) => !isDue(i)),
          ),
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
          overdue: await openDue(store, groupId, { from: EPOCH, to: window.to }),
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
    case "nudge":
    case "ratified":
      return renderRatify(l, content);
  }
}

/** A restricted group's items never reach another group's channel, even in a joint session. */
function visible<T extends { group: WorkingGroup }>(sections: T[], forGroupId: number): T[] {
  return sections.filter((s) => s.group.id === forGroupId || s.group.visibility === "partnership");
}

/** "Due in 7 days, on 31 Mar 2027." from the day the reminder lands on. */
export function dueSentence(l: Localizer, item: Commitment, group: WorkingGroup, day: string) {
  const dueAt = item.dueAt as string;
  const date = l.date(dueAt, group.timeZone);
  const left = daysBetween(day, localDay(dueAt, group.timeZone));
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
      { label: l.t("common:field.group"), value: groupHeading(l, group) },
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

/** A section's title (with its count) and its empty line, from one post kind's keys. */
function headings(t: (key: string, vars?: Record<string, unknown>) => string) {
  return (titleKey: string, emptyKey: string, list: Listed<unknown>) => ({
    title: t(titleKey, { count: list.total }),
    empty: t(emptyKey),
  });
}

function digestDoc(l: Localizer, c: Extract<Content, { kind: "digest" }>): MessageDoc {
  const now = new Date(c.at);
  const { group } = c;
  const t = (key: string, vars?: Record<string, unknown>) => l.t(`schedule:digest.${key}`, vars);
  const head = headings(t);
  return {
    // Each count is its own plural phrase: "1 vencido, 2 con cambios" agree one by one.
    summary: t("summary", {
      code: group.code,
      changed: l.t("schedule:count.changed", { count: c.changed.total }),
      due: l.t("schedule:count.due", { count: c.due.total }),
      overdue: l.t("schedule:count.overdue", { count: c.overdue.total }),
    }),
    blocks: [
      { type: "header", text: t("header", { code: group.code, name: group.names[l.lang] }) },
      { type: "context", text: t("week", { date: l.date(c.at, group.timeZone) }) },
      itemSection(l, head("changed", "none_changed", c.changed), c.changed, now),
      itemSection(l, head("due", "none_due", c.due), c.due, now),
      // Items past their weekly reminders are marked: the digest is where they still show.
      itemSection(l, head("overdue", "none_overdue", c.overdue), c.overdue, now, false, (item) =>
        isStalled(item, now, c.overdueReminders) ? t("stalled_flag") : null,
      ),
      ...(c.stalled > 0
        ? [{ type: "context" as const, text: t("stalled_hint", { count: c.stalled }) }]
        : []),
      decisionSection(l, head("decisions", "none_decisions", c.decisions), c.decisions, group),
      decisionSection(l, head("waiting", "none_waiting", c.waiting), c.waiting, group),
      meetingSection(
        l,
        { title: l.t("status:next_meeting"), empty: l.t("status:no_meeting") },
        c.next,
      ),
    ],
  };
}

function meetingTitle(l: Localizer, meeting: Meeting): string {
  return meeting.title ?? l.t("common:meeting_default_title");
}

function agendaDoc(l: Localizer, meeting: Meeting, sections: AgendaSection[]): MessageDoc {
  const now = new Date(meeting.startsAt);
  const t = (key: string, vars?: Record<string, unknown>) => l.t(`schedule:agenda.${key}`, vars);
  const head = headings(t);
  const title = meetingTitle(l, meeting);
  const blocks: Block[] = [
    { type: "header", text: t("header", { title }) },
    { type: "list", items: [meetingLine(l, meeting)] },
  ];
  for (const s of sections) {
    blocks.push(
      { type: "text", text: groupHeading(l, s.group) },
      itemSection(l, head("due_by_meeting", "none_due", s.dueBy), s.dueBy, now),
      itemSection(l, head("other_open", "none_open", s.open), s.open, now),
      decisionSection(l, head("pending_decisions", "none_pending", s.pending), s.pending, s.group),
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
  const head = headings(t);
  const title = meetingTitle(l, meeting);
  const blocks: Block[] = [
    { type: "header", text: t("header", { title }) },
    { type: "list", items: [meetingLine(l, meeting)] },
  ];
  for (const s of sections) {
    blocks.push(
      { type: "text", text: groupHeading(l, s.group) },
      decisionSection(l, head("decisions", "none_decisions", s.decisions), s.decisions, s.group),
      itemSection(l, head("created", "none_created", s.created), s.created, now),
      itemSection(l, head("changed", "none_changed", s.changed), s.changed, now),
      itemSection(l, head("done", "none_done", s.done), s.done, now),
      itemSection(l, head("overdue", "none_overdue", s.overdue), s.overdue, now),
    );
  }
  blocks.push(meetingSection(l, { title: t("next_meeting"), empty: t("no_next") }, next));
  const decided = sections.reduce((n, s) => n + s.decisions.total, 0);
  const done = sections.reduce((n, s) => n + s.done.total, 0);
  return {
    summary: t("summary", {
      title,
      decisions: l.t("schedule:count.decisions", { count: decided }),
      done: l.t("schedule:count.done", { count: done }),
    }),
    blocks,
  };
}
