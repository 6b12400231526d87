import { membershipIn } from "../actor.js";
import { canSee } from "../policy.js";
import { decisionLine, itemLine, meetingLine } from "../render/items.js";
import type { ActionButton, Block, ListItem } from "../render/message.js";
import { missingCountries } from "../schedule/ratify.js";
import { decisionRef } from "../tracker/rules.js";
import type { Country, Meeting } from "../tracker/types.js";
import { type CommandContext, command, message } from "./command.js";

// home: a person's own page — the commitments they owe (overdue first), the decisions waiting
// for their side's confirmation, and their groups' next meetings in both countries' times.
// Slack shows it as the App Home tab, Teams as a card in the personal chat. Bounded: Slack's
// home view holds at most 100 blocks, so each list shows its first few and counts the rest.

const SHOWN = 10;

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

async function nextMeetings(ctx: CommandContext): Promise<Meeting[]> {
  const groups = (await ctx.store.groups.all()).filter(
    (g) => g.active && membershipIn(ctx.actor, g.id) && canSee(ctx.actor, g),
  );
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
  writes: false,
  example: "examples:home",
  parse: () => null,
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
          mine.map((i) => itemLine(l, i, ctx.now, true)),
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
      { type: "context", text: l.t("home:hint") },
    ];
    return message("ephemeral", title, blocks);
  },
});
