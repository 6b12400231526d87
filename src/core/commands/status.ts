import { BotError } from "../errors.js";
import type { Page } from "../ports.js";
import { dueLabel, itemButtons, milestoneList, ownerLabel, statusLabel } from "../render/items.js";
import type { Block, ListItem } from "../render/message.js";
import { decisionSection, groupHeading, itemSection, meetingSection } from "../render/sections.js";
import { DAY_MS } from "../schedule/calendar.js";
import { isOverdue, itemRef, stalledBefore } from "../tracker/rules.js";
import {
  CLOSED_STATUSES,
  type Commitment,
  STATUSES,
  type Status,
  type WorkingGroup,
} from "../tracker/types.js";
import { findItem, takeGroup, tokenize, usageError, visibleGroups } from "./args.js";
import { type CommandContext, command, message } from "./command.js";
import { scheduleOf, scheduleStatusLine } from "./scheduling.js";

// Reading the tracker: status (one group, or an overview) and show (list and mine: lists.ts). Each reply costs
// what it shows: counts from an index, one page of items, never every item of a group.
const SOON_DAYS = 14;
/** Items per list in `status` (the rest are a `list` away). */
const STATUS_SHOWN = 10;
/**
 * Stalled items shown in `status`: fewer, so a group with every section full still fits one
 * Slack message (50 blocks; 10 would make 51, and a second message after it).
 */
const STALLED_SHOWN = 5;
/** Items per page of `list` and `mine`. */
export const PAGE_SIZE = 20;
/** Milestones and history lines in `show`. */
const SHOW_MILESTONES = 20;
const SHOW_UPDATES = 10;
/** Overdue items counted per group in the overview: "100+" beyond (a walk bounded per group). */
const OVERVIEW_OVERDUE_CAP = 100;

/**
 * The key of a reply that is the same for every reader who may see it: it changes with the
 * groups' revisions (any write to them, by any replica), the minute, the language and how the
 * reader addresses the bot. Null when a group was not read from the store (no revision).
 */
function replyKey(ctx: CommandContext, what: string, groups: WorkingGroup[]): string | null {
  if (groups.some((g) => g.revision === undefined)) return null;
  const revisions = groups.map((g) => `${g.id}.${g.revision}`).join(",");
  return `${what}|${ctx.lang}|${ctx.invocation.commandPrefix ?? ""}|${ctx.at.slice(0, 16)}|${revisions}`;
}

/** `build`'s reply, computed once per key (see replyKey) and shared by later requests. */
function shared<T extends object>(
  ctx: CommandContext,
  key: string | null,
  build: () => Promise<T>,
): Promise<T> {
  return key ? ctx.replies.get(key, build) : build();
}

/** One page of items as list lines; `more` says how to see the rest when there is more. */
export function itemList(
  ctx: CommandContext,
  page: Page<Commitment>,
  title: string,
  emptyKey: string,
  more?: string,
): Block {
  const listed = { shown: page.items, total: page.total, more };
  return itemSection(ctx.l, { title, empty: ctx.l.t(emptyKey) }, listed, ctx.now, true);
}

/** The first spelling of a command word in the reader's language ("overdue", "vencidos"…). */
export function word(ctx: CommandContext, key: string): string {
  return ctx.l.t(key).split(",")[0]?.trim() ?? "";
}

function openTotal(counts: Partial<Record<Status, number>>): number {
  return STATUSES.filter((s) => !CLOSED_STATUSES.includes(s)).reduce(
    (n, s) => n + (counts[s] ?? 0),
    0,
  );
}

/**
 * Open items whose timeline the bot could not read (kept as the documents wrote it), for a
 * co-chair to fix with `update REF due …`; nothing at all when there are none.
 */
function unreadTimelines(ctx: CommandContext, unread: Page<Commitment>): Block[] {
  const [first] = unread.items;
  if (!first) return [];
  const { l } = ctx;
  const items: ListItem[] = unread.items.map((i) => ({
    text: `${itemRef(i)} · ${i.title}`,
    detail: i.timeline?.text ?? "",
  }));
  const rest = unread.total - unread.items.length;
  if (rest > 0) items.push({ text: l.t("common:and_more", { count: rest }) });
  return [
    { type: "list", title: l.t("status:unread_title", { count: unread.total }), items },
    { type: "context", text: l.t("status:unread_hint", { ref: itemRef(first) }) },
  ];
}

async function groupStatus(ctx: CommandContext, group: WorkingGroup) {
  const { l, now, at } = ctx;
  const counts = await ctx.store.commitments.countByStatus(group.id);
  const first = { limit: STATUS_SHOWN, offset: 0 };
  // Stalled items (isStalled: overdue longer than their weekly reminders run) are listed apart.
  const schedule = await scheduleOf(ctx, group);
  const quietBefore = stalledBefore(now, schedule.overdueReminders);
  const reminded = await ctx.store.commitments.page(
    { groupIds: [group.id], open: true, dueFrom: quietBefore, dueBefore: at },
    first,
  );
  const stalled = await ctx.store.commitments.page(
    { groupIds: [group.id], open: true, dueBefore: quietBefore },
    { limit: STALLED_SHOWN, offset: 0 },
  );
  const overdueTotal = reminded.total + stalled.total;
  const soonLimit = new Date(now.getTime() + SOON_DAYS * DAY_MS).toISOString();
  const soon = await ctx.store.commitments.page(
    { groupIds: [group.id], open: true, dueFrom: at, dueBefore: soonLimit },
    first,
  );
  const unread = await ctx.store.commitments.page(
    { groupIds: [group.id], open: true, unreadTimeline: true },
    first,
  );
  const decisions = await ctx.store.decisions.list([group.id], 3);
  const [next] = await ctx.store.meetings.upcoming([group.id], at, 1);
  const fields = STATUSES.filter((s) => (counts[s] ?? 0) > 0).map((s) => ({
    label: statusLabel(l, s),
    value: String(counts[s]),
  }));
  const seeAll = l.t("status:see_all", {
    command: `${word(ctx, "verbs:list")} ${group.code} ${word(ctx, "words:filter.overdue")}`,
  });
  const blocks: Block[] = [
    { type: "header", text: groupHeading(l, group) },
    fields.length > 0 ? { type: "fields", fields } : { type: "text", text: l.t("status:no_items") },
    itemList(
      ctx,
      reminded,
      l.t("status:overdue", { count: reminded.total }),
      "status:none_overdue",
      seeAll,
    ),
    ...(stalled.total > 0
      ? [
          itemList(ctx, stalled, l.t("status:stalled", { count: stalled.total }), "", seeAll),
          {
            type: "context" as const,
            text: l.t("status:stalled_hint", {
              weeks: schedule.overdueReminders,
              ref: stalled.items[0] ? itemRef(stalled.items[0]) : "",
            }),
          },
        ]
      : []),
    itemList(ctx, soon, l.t("status:due_soon", { days: SOON_DAYS }), "status:none_soon"),
    ...unreadTimelines(ctx, unread),
    decisionSection(
      l,
      { title: l.t("status:latest_decisions"), empty: l.t("status:no_decisions") },
      { shown: decisions, total: decisions.length },
      group,
    ),
    meetingSection(
      l,
      { title: l.t("status:next_meeting"), empty: l.t("status:no_meeting") },
      next ?? null,
    ),
    { type: "context", text: await scheduleStatusLine(ctx, group) },
  ];
  return message(
    "in_channel",
    l.t("status:summary", {
      code: group.code,
      open: l.t("status:count.open", { count: openTotal(counts) }),
      overdue: l.t("status:count.overdue", { count: overdueTotal }),
    }),
    blocks,
  );
}

async function overview(ctx: CommandContext) {
  const groups = await visibleGroups(ctx);
  return shared(ctx, replyKey(ctx, "overview", groups), () => overviewOf(ctx, groups));
}

async function overviewOf(ctx: CommandContext, groups: WorkingGroup[]) {
  const { l } = ctx;
  // One grouped query for every group, not one read of each group's items.
  const counts = await ctx.store.commitments.openCounts(
    groups.map((g) => g.id),
    ctx.at,
    OVERVIEW_OVERDUE_CAP,
  );
  const lines: ListItem[] = groups.map((group) => {
    const c = counts.get(group.id) ?? { open: 0, overdue: 0 };
    return {
      text: groupHeading(l, group),
      detail: l.t("status:overview_line", {
        open: l.t("status:count.open", { count: c.open }),
        overdue:
          c.overdue >= OVERVIEW_OVERDUE_CAP
            ? l.t("status:count.overdue_at_least", { n: OVERVIEW_OVERDUE_CAP })
            : l.t("status:count.overdue", { count: c.overdue }),
      }),
    };
  });
  return message("ephemeral", l.t("status:overview_title"), [
    { type: "header", text: l.t("status:overview_title") },
    { type: "list", items: lines, empty: l.t("status:no_groups") },
    { type: "context", text: l.t("status:overview_hint") },
  ]);
}

export const statusCommand = command({
  name: "status",
  permission: "see",
  writes: false,
  example: "examples:status",
  parse: (_ctx, text) => tokenize(text),
  async run(ctx, tokens) {
    const { group, rest } = await takeGroup(ctx, tokens, {
      required: false,
      exampleKey: "examples:status",
    });
    if (rest.length > 0 && !group)
      throw new BotError(
        "errors:unknown_group",
        { code: rest[0]?.toUpperCase() },
        "examples:status",
      );
    return group
      ? shared(ctx, replyKey(ctx, "status", [group]), () => groupStatus(ctx, group))
      : overview(ctx);
  },
});

export const showCommand = command({
  name: "show",
  permission: "see",
  writes: false,
  example: "examples:show",
  parse(ctx, text) {
    const [ref, ...extra] = tokenize(text);
    if (extra.length > 0) throw usageError(ctx, "show");
    return ref;
  },
  async run(ctx, ref) {
    const { item, group } = await findItem(ctx, ref, "examples:show");
    const { l } = ctx;
    // Bounded however long the item's life: the first milestones, the latest history.
    const milestones = await ctx.store.commitments.milestonePage(item.id, SHOW_MILESTONES);
    const updates = await ctx.store.commitments.updates(item.id, SHOW_UPDATES);
    const fields = [
      {
        label: l.t("common:field.status"),
        value:
          statusLabel(l, item.status) +
          (isOverdue(item, ctx.now) ? ` · ${l.t("common:overdue_flag")}` : ""),
      },
      { label: l.t("common:field.timeline"), value: dueLabel(l, item) },
      { label: l.t("common:field.group"), value: groupHeading(l, group) },
      {
        label: l.t("common:field.owners"),
        value: item.owners.length
          ? item.owners.map((o) => ownerLabel(l, o)).join(", ")
          : l.t("common:none"),
      },
    ];
    if (item.timeline && item.timeline.phases.length > 0)
      fields.push({ label: l.t("common:field.as_typed"), value: item.timeline.text });
    const blocks: Block[] = [
      { type: "header", text: `${itemRef(item)} · ${item.title}` },
      { type: "fields", fields },
    ];
    if (item.description) blocks.push({ type: "text", text: item.description });
    if (item.comments) blocks.push({ type: "context", text: item.comments });
    const steps = milestoneList(l, milestones.items, group.timeZone);
    if (steps.type === "list" && milestones.total > milestones.items.length)
      steps.items.push({
        text: l.t("common:and_more", { count: milestones.total - milestones.items.length }),
      });
    blocks.push(steps);
    blocks.push({
      type: "list",
      title: l.t("common:history"),
      items: updates.map((u) => ({
        text:
          u.kind === "status" && u.toStatus
            ? l.t("common:update.status", {
                from: u.fromStatus ? statusLabel(l, u.fromStatus) : "",
                to: statusLabel(l, u.toStatus),
              })
            : u.kind === "note"
              ? (u.text ?? "")
              : l.t(`common:update.${u.kind}`, { text: u.text ?? "" }),
        detail: `${u.authorName} · ${l.dateTime(u.at, group.timeZone)}`,
      })),
    });
    const actions = itemButtons(l, item);
    if (actions.length) blocks.push({ type: "actions", actions });
    return message("ephemeral", `${itemRef(item)} · ${item.title}`, blocks);
  },
});
