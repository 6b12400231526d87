import { BotError } from "../errors.js";
import {
  decisionLine,
  dueLabel,
  itemButtons,
  itemLine,
  meetingLine,
  milestoneList,
  ownerLabel,
  statusLabel,
} from "../render/items.js";
import type { Block, ListItem } from "../render/message.js";
import { DAY_MS } from "../schedule/calendar.js";
import { GROUP_CODE, isOverdue, isStalled, itemRef, OVERDUE_REMINDERS } from "../tracker/rules.js";
import { type Commitment, STATUSES, type WorkingGroup } from "../tracker/types.js";
import { findItem, isWord, takeGroup, tokenize, usageError, visibleGroups } from "./args.js";
import { type CommandContext, command, message } from "./command.js";
import { scheduleStatusLine } from "./scheduling.js";

// Reading the tracker: status (one group, or an overview), list, mine, show.
const SOON_DAYS = 14;
const LIST_LIMIT = 40;

function groupTitle(ctx: CommandContext, group: WorkingGroup): string {
  return `${group.code} — ${group.names[ctx.lang]}`;
}

/** Items as list lines, cut at a limit with "…and N more" so a reply never grows unbounded. */
function itemList(
  ctx: CommandContext,
  items: Commitment[],
  title: string,
  emptyKey: string,
  withActions = false,
): Block {
  const shown = items.slice(0, LIST_LIMIT).map((i) => itemLine(ctx.l, i, ctx.now, withActions));
  if (items.length > LIST_LIMIT)
    shown.push({ text: ctx.l.t("common:and_more", { count: items.length - LIST_LIMIT }) });
  return { type: "list", title, items: shown, empty: ctx.l.t(emptyKey) };
}

async function groupStatus(ctx: CommandContext, group: WorkingGroup) {
  const { l, now } = ctx;
  const open = await ctx.store.commitments.list({ groupIds: [group.id], open: true });
  const counts = await ctx.store.commitments.countByStatus(group.id);
  const soonLimit = new Date(now.getTime() + SOON_DAYS * DAY_MS).toISOString();
  const overdue = open.filter((i) => isOverdue(i, now));
  // Stalled items are listed apart: reminders about them have stopped.
  const stalled = overdue.filter((i) => isStalled(i, now));
  const reminded = overdue.filter((i) => !isStalled(i, now));
  const soon = open.filter(
    (i) => i.dueAt !== null && i.dueAt >= now.toISOString() && i.dueAt < soonLimit,
  );
  const decisions = await ctx.store.decisions.list([group.id], 3);
  const [next] = await ctx.store.meetings.upcoming([group.id], now.toISOString(), 1);
  const fields = STATUSES.filter((s) => (counts[s] ?? 0) > 0).map((s) => ({
    label: statusLabel(l, s),
    value: String(counts[s]),
  }));
  const blocks: Block[] = [
    { type: "header", text: groupTitle(ctx, group) },
    fields.length > 0 ? { type: "fields", fields } : { type: "text", text: l.t("status:no_items") },
    itemList(
      ctx,
      reminded,
      l.t("status:overdue", { count: reminded.length }),
      "status:none_overdue",
      true,
    ),
    ...(stalled.length > 0
      ? [
          itemList(ctx, stalled, l.t("status:stalled", { count: stalled.length }), "", true),
          {
            type: "context" as const,
            text: l.t("status:stalled_hint", { weeks: OVERDUE_REMINDERS }),
          },
        ]
      : []),
    itemList(ctx, soon, l.t("status:due_soon", { days: SOON_DAYS }), "status:none_soon", true),
    {
      type: "list",
      title: l.t("status:latest_decisions"),
      items: decisions.map((d) => decisionLine(l, d, group)),
      empty: l.t("status:no_decisions"),
    },
    {
      type: "list",
      title: l.t("status:next_meeting"),
      items: next ? [meetingLine(l, next)] : [],
      empty: l.t("status:no_meeting"),
    },
    { type: "context", text: await scheduleStatusLine(ctx, group) },
  ];
  return message(
    "in_channel",
    l.t("status:summary", {
      code: group.code,
      open: l.t("status:count.open", { count: open.length }),
      overdue: l.t("status:count.overdue", { count: overdue.length }),
    }),
    blocks,
  );
}

async function overview(ctx: CommandContext) {
  const { l, now } = ctx;
  const groups = await visibleGroups(ctx);
  const lines: ListItem[] = [];
  for (const group of groups) {
    const open = await ctx.store.commitments.list({ groupIds: [group.id], open: true });
    const overdue = open.filter((i) => isOverdue(i, now)).length;
    lines.push({
      text: groupTitle(ctx, group),
      detail: l.t("status:overview_line", {
        open: l.t("status:count.open", { count: open.length }),
        overdue: l.t("status:count.overdue", { count: overdue }),
      }),
    });
  }
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
    return group ? groupStatus(ctx, group) : overview(ctx);
  },
});

type ListFilter = "open" | "overdue" | "done" | "all";
const FILTERS: ListFilter[] = ["open", "overdue", "done", "all"];

export const listCommand = command({
  name: "list",
  permission: "see",
  writes: false,
  example: "examples:list",
  parse: (_ctx, text) => tokenize(text),
  async run(ctx, tokens) {
    const { group, rest } = await takeGroup(ctx, tokens, {
      required: false,
      exampleKey: "examples:list",
    });
    // "en retard" is two words: the filter is the whole rest, as displayed or typed.
    const filter =
      rest.length === 0
        ? "open"
        : FILTERS.find((f) => isWord(ctx, `words:filter.${f}`, rest.join(" ")));
    if (!filter) {
      if (rest[0] && !group && GROUP_CODE.test(rest[0]) && rest[0] === rest[0].toUpperCase()) {
        throw new BotError("errors:unknown_group", { code: rest[0] }, "examples:list");
      }
      throw new BotError("errors:unknown_filter", { given: rest.join(" ") }, "examples:list");
    }
    const groups = group ? [group] : await visibleGroups(ctx);
    const groupIds = groups.map((g) => g.id);
    const open =
      filter === "open" || filter === "overdue" ? true : filter === "done" ? false : undefined;
    let items = await ctx.store.commitments.list({ groupIds, open });
    if (filter === "overdue") items = items.filter((i) => isOverdue(i, ctx.now));
    const scope = group ? group.code : ctx.l.t("common:all_groups");
    const title = ctx.l.t(`status:list_title.${filter}`, { scope, count: items.length });
    return message("ephemeral", title, [itemList(ctx, items, title, "status:list_empty", true)]);
  },
});

export const mineCommand = command({
  name: "mine",
  permission: "see",
  writes: false,
  example: "examples:mine",
  parse: () => null,
  async run(ctx) {
    const groups = await visibleGroups(ctx);
    const items = await ctx.store.commitments.list({
      ownerPersonId: ctx.actor.person.id,
      open: true,
      groupIds: groups.map((g) => g.id),
    });
    const title = ctx.l.t("status:mine_title", { count: items.length });
    return message("ephemeral", title, [itemList(ctx, items, title, "status:mine_empty", true)]);
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
    const milestones = await ctx.store.commitments.milestones(item.id);
    const updates = (await ctx.store.commitments.updates(item.id)).slice(-10);
    const fields = [
      {
        label: l.t("common:field.status"),
        value:
          statusLabel(l, item.status) +
          (isOverdue(item, ctx.now) ? ` · ${l.t("common:overdue_flag")}` : ""),
      },
      { label: l.t("common:field.timeline"), value: dueLabel(l, item) },
      { label: l.t("common:field.group"), value: groupTitle(ctx, group) },
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
    blocks.push(milestoneList(l, milestones, group.timeZone));
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
