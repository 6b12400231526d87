import { membershipIn } from "../actor.js";
import { canSee } from "../policy.js";
import { decisionLine, itemLine, meetingLine, statusLabel } from "../render/items.js";
import type { ActionButton, Block, ListItem } from "../render/message.js";
import { DAY_MS } from "../schedule/calendar.js";
import { missingCountries } from "../schedule/ratify.js";
import { decisionRef, itemRef } from "../tracker/rules.js";
import type { Country, Meeting, Status, WorkingGroup } from "../tracker/types.js";
import { type CommandContext, command, message } from "./command.js";
import { prefsForm, settingsLine } from "./prefs.js";

// home: a person's own page — the commitments they owe (overdue first, with done, note and
// snooze), the decisions waiting for their side's confirmation, their groups' next meetings in
// both countries' times, what changed in their groups since they last looked, and their
// settings (language, time zone, how reminders reach them).
// Slack shows it as the App Home tab, Teams as a card in the personal chat. Bounded: Slack's
// home view holds at most 100 blocks, so each list shows its first few and counts the rest.

const SHOWN = 10;
/** Changes listed at most: the page stays within Slack's 100 blocks. */
const CHANGES_SHOWN = 8;
/** On a first visit, "what changed" covers the past week. */
const FIRST_LOOK_DAYS = 7;

function capped(ctx: CommandContext, items: ListItem[]): ListItem[] {
  if (items.length <= SHOWN) return items;
  return [
    ...items.slice(0, SHOWN),
    { text: ctx.l.t("common:and_more", { count: items.length - SHOWN }) },
  ];
}

async function awaitingMe(ctx: CommandContext): Promise<ListItem[]> {
  const lines: ListItem[] = [];
  for (const m of ctx.actor.memberships.filter((m) => m.role === "co_chair")) {
    const group = await ctx.store.groups.byId(m.groupId);
    const country: Country | null = m.country ?? ctx.actor.person.country;
    if (!group?.active || !country) continue;
    for (const decision of await ctx.store.decisions.list([group.id], 50)) {
      const missing = missingCountries(decision, [country], group.confirmationsRequired);
      if (!missing.includes(country)) continue;
      const confirm: ActionButton = {
        id: "decision.confirm",
        label: ctx.l.t("common:button.confirm"),
        value: decisionRef(decision),
        style: "primary",
      };
      lines.push({ ...decisionLine(ctx.l, decision, group), actions: [confirm] });
    }
  }
  return lines;
}

/** My groups: where I am a member or co-chair, still active and visible to me. */
async function myGroups(ctx: CommandContext): Promise<WorkingGroup[]> {
  return (await ctx.store.groups.all()).filter(
    (g) => g.active && membershipIn(ctx.actor, g.id) && canSee(ctx.actor, g),
  );
}

/** What happened to my groups' items and decisions since I last opened this page, newest first. */
async function changedSince(ctx: CommandContext, groups: WorkingGroup[], since: string) {
  const { l } = ctx;
  const range = { from: since, to: ctx.at };
  const ids = groups.map((g) => g.id);
  if (ids.length === 0) return { items: [] as ListItem[], total: 0 };
  const changes = [...(await ctx.store.schedule.changesIn(ids, range))].reverse();
  const decisions = await ctx.store.schedule.decisionRefs(ids, { logged: range });
  const lines: ListItem[] = [];
  for (const change of changes.slice(0, CHANGES_SHOWN)) {
    const item = await ctx.store.commitments.byNumber(change.groupId, change.number);
    if (!item) continue;
    const what =
      change.kind === "status" && change.toStatus
        ? l.t("home:change.status", { status: statusLabel(l, change.toStatus as Status) })
        : l.t(`home:change.${change.kind}`);
    lines.push({ text: `${itemRef(item)} · ${item.title}`, detail: what });
  }
  for (const ref of decisions.slice(0, Math.max(0, CHANGES_SHOWN - lines.length))) {
    const group = groups.find((g) => g.id === ref.groupId);
    const decision = group ? await ctx.store.decisions.byNumber(group.id, ref.number) : null;
    if (group && decision)
      lines.push({ ...decisionLine(l, decision, group), detail: l.t("home:change.decision") });
  }
  return { items: lines, total: changes.length + decisions.length };
}

async function nextMeetings(ctx: CommandContext): Promise<Meeting[]> {
  const groups = await myGroups(ctx);
  if (groups.length === 0) return [];
  return ctx.store.meetings.upcoming(
    groups.map((g) => g.id),
    ctx.at,
    5,
  );
}

export const homeCommand = command({
  name: "home",
  permission: "self",
  // Recording when the page was opened changes no tracker data: not a replay-protected write.
  writes: false,
  example: "examples:home",
  parse: () => null,
  forms: [prefsForm],
  async run(ctx) {
    const { l } = ctx;
    const mine = await ctx.store.commitments.list({
      ownerPersonId: ctx.actor.person.id,
      open: true,
    });
    const title = l.t("home:title", { name: ctx.actor.person.displayName });
    const blocks: Block[] = [
      { type: "header", text: title },
      {
        type: "list",
        title: l.t("home:mine", { count: mine.length }),
        items: capped(
          ctx,
          mine.map((i) => {
            const line = itemLine(l, i, ctx.now, true);
            const snooze: ActionButton = {
              id: "item.snooze",
              label: l.t("common:button.snooze"),
              value: itemRef(i),
            };
            return { ...line, actions: [...(line.actions ?? []), snooze] };
          }),
        ),
        empty: l.t("home:mine_empty"),
      },
      {
        type: "list",
        title: l.t("home:confirm"),
        items: capped(ctx, await awaitingMe(ctx)),
        empty: l.t("home:confirm_empty"),
      },
      {
        type: "list",
        title: l.t("home:meetings"),
        items: (await nextMeetings(ctx)).map((m) => meetingLine(l, m)),
        empty: l.t("home:meetings_empty"),
      },
    ];
    const seen = ctx.actor.person.homeSeenAt ?? null;
    const since = seen ?? new Date(ctx.now.getTime() - FIRST_LOOK_DAYS * DAY_MS).toISOString();
    const changed = await changedSince(ctx, await myGroups(ctx), since);
    blocks.push(
      {
        type: "list",
        title: l.t(seen ? "home:changed_since" : "home:changed_week", {
          count: changed.total,
          date: seen ? `${l.date(seen, ctx.actor.person.timeZone ?? "UTC")}` : "",
        }),
        items: changed.items,
        empty: l.t("home:changed_empty"),
      },
      { type: "context", text: settingsLine(l, ctx.actor.person) },
      {
        type: "actions",
        actions: [{ id: "me.settings", label: l.t("home:settings_button"), value: "me" }],
      },
      { type: "context", text: l.t("home:hint") },
    );
    // The next visit's "since": opening the page is looking at it; a refresh is not.
    if (!ctx.invocation.passive) await ctx.tracker.sawHome();
    return { ...message("ephemeral", title, blocks), personal: true };
  },
});
