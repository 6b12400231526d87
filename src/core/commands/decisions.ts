import { BotError } from "../errors.js";
import { decisionLine } from "../render/items.js";
import type { ActionButton } from "../render/message.js";
import { decisionRef, LIMITS } from "../tracker/rules.js";
import { confirmDecision, logDecision } from "../tracker/service.js";
import type { Decision, WorkingGroup } from "../tracker/types.js";
import { type Command, type CommandContext, message } from "./command.js";
import { buildForm } from "./forms.js";
import { checkLength, findDecision, requireManage, takeGroup, tokenize } from "./support.js";

function decisionReply(ctx: CommandContext, decision: Decision, group: WorkingGroup, key: string) {
  const { l } = ctx;
  const text = l.t(key, { ref: decisionRef(decision) });
  const state =
    decision.status === "confirmed"
      ? l.t("decisions:confirmed_state")
      : l.t("decisions:awaiting", {
          count:
            group.confirmationsRequired === 1
              ? 1
              : 2 - new Set(decision.confirmations.map((c) => c.country)).size,
        });
  const actions: ActionButton[] =
    decision.status === "proposed"
      ? [
          {
            id: "decision.confirm",
            label: l.t("common:button.confirm"),
            value: decisionRef(decision),
            style: "primary",
          },
        ]
      : [];
  return message("in_channel", text, [
    { type: "text", text },
    { type: "list", items: [decisionLine(l, decision, group.timeZone)] },
    { type: "context", text: state },
    ...(actions.length ? [{ type: "actions" as const, actions }] : []),
  ]);
}

/** Logs a decision typed as a command or taken from a message; shared with the forms. */
export async function runDecide(ctx: CommandContext, group: WorkingGroup, text: string) {
  requireManage(ctx, group, "examples:decide");
  if (!text.trim())
    throw new BotError("errors:decision_text_needed", {}, "examples:decide", "text");
  const clean = checkLength(text, LIMITS.text, "text", "examples:decide");
  const { decision, created } = await logDecision(
    ctx.store,
    ctx.actor,
    group,
    clean,
    ctx.invocation.source ?? null,
    ctx.at,
  );
  return decisionReply(
    ctx,
    decision,
    group,
    created ? "decisions:logged" : "decisions:already_logged",
  );
}

export const decideCommand: Command = {
  name: "decide",
  async run(ctx, args) {
    const tokens = tokenize(args);
    if (tokens.length === 0) return { kind: "form", form: await buildForm(ctx, "decide", {}) };
    const { group, rest } = await takeGroup(ctx, tokens, {
      required: true,
      freeText: true,
      exampleKey: "examples:decide",
    });
    // Keep the text as typed (spacing, quotes) after an explicit group code.
    const text =
      rest.length === tokens.length
        ? args.trim()
        : args
            .trim()
            .slice((tokens[0] as string).length)
            .trim();
    return runDecide(ctx, group as WorkingGroup, text);
  },
};

export const decisionsCommand: Command = {
  name: "decisions",
  async run(ctx, args) {
    const { group } = await takeGroup(ctx, tokenize(args), {
      required: true,
      exampleKey: "examples:decisions",
    });
    const g = group as WorkingGroup;
    const decisions = await ctx.store.decisions.list([g.id], 20);
    const title = ctx.l.t("decisions:list_title", { code: g.code, count: decisions.length });
    return message("ephemeral", title, [
      {
        type: "list",
        title,
        items: decisions.map((d) => decisionLine(ctx.l, d, g.timeZone)),
        empty: ctx.l.t("status:no_decisions"),
      },
    ]);
  },
};

export const confirmCommand: Command = {
  name: "confirm",
  async run(ctx, args) {
    const [ref] = tokenize(args);
    const { decision, group } = await findDecision(ctx, ref, "examples:confirm");
    requireManage(ctx, group, "examples:confirm");
    if (decision.status === "confirmed")
      return decisionReply(ctx, decision, group, "decisions:already_confirmed");
    const updated = await confirmDecision(ctx.store, ctx.actor, group, decision, ctx.at);
    return decisionReply(
      ctx,
      updated,
      group,
      updated.status === "confirmed" ? "decisions:now_confirmed" : "decisions:confirmation_noted",
    );
  },
};
