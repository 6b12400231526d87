import { sideIn } from "../actor.js";
import { BotError } from "../errors.js";
import { requireConfirm, requireManage } from "../policy.js";
import { decisionLine } from "../render/items.js";
import type { ActionButton, Block } from "../render/message.js";
import { confirmationState, decisionRef, LIMITS, sideConfirmed } from "../tracker/rules.js";
import type { Decision, WorkingGroup } from "../tracker/types.js";
import {
  checkLength,
  findDecision,
  formGroup,
  groupField,
  requireGroup,
  tokenize,
} from "./args.js";
import { type CommandContext, command, type FormSpec, message } from "./command.js";

// Decisions: decide (typed, from a form, or from a message), decisions, confirm.

function decisionReply(ctx: CommandContext, decision: Decision, group: WorkingGroup, key: string) {
  const { l } = ctx;
  const text = l.t(key, { ref: decisionRef(decision) });
  const { confirmed, awaiting } = confirmationState(group, decision);
  const state = confirmed
    ? l.t("decisions:confirmed_state")
    : l.t("decisions:awaiting", { count: awaiting });
  const actions: ActionButton[] = confirmed
    ? []
    : [
        {
          id: "decision.confirm",
          label: l.t("common:button.confirm"),
          value: decisionRef(decision),
          style: "primary",
        },
      ];
  const blocks: Block[] = [
    { type: "text", text },
    { type: "list", items: [decisionLine(l, decision, group)] },
    { type: "context", text: state },
  ];
  if (actions.length) blocks.push({ type: "actions", actions });
  return message("in_channel", text, blocks);
}

/** Logs a decision typed as a command, taken from a message, or submitted from the form. */
async function runDecide(ctx: CommandContext, group: WorkingGroup, text: string) {
  requireManage(ctx.actor, group, "examples:decide");
  if (!text.trim())
    throw new BotError("errors:decision_text_needed", {}, "examples:decide", "text");
  const clean = checkLength(text, LIMITS.text, "text", "examples:decide");
  const { decision, created } = await ctx.tracker.logDecision(
    group,
    clean,
    ctx.invocation.source ?? null,
  );
  return decisionReply(
    ctx,
    decision,
    group,
    created ? "decisions:logged" : "decisions:already_logged",
  );
}

const decideForm: FormSpec = {
  id: "decide",
  async build(ctx, prefill) {
    return {
      id: "decide",
      title: ctx.l.t("forms:decide.title"),
      submitLabel: ctx.l.t("forms:submit"),
      context: { ...prefill },
      fields: [
        await groupField(ctx, prefill),
        {
          name: "text",
          label: ctx.l.t("forms:field.decision"),
          kind: "multiline",
          required: true,
          maxLength: LIMITS.text,
          initial: prefill.text,
        },
      ],
    };
  },
  submit: async (ctx, values, context) =>
    runDecide(ctx, await formGroup(ctx, values, context), values.text ?? ""),
};

export const decideCommand = command({
  name: "decide",
  permission: "manage",
  writes: true,
  example: "examples:decide",
  parse: (_ctx, text) => ({ text, tokens: tokenize(text) }),
  async run(ctx, { text, tokens }) {
    if (tokens.length === 0) return { kind: "form", form: await decideForm.build(ctx, {}) };
    const { group, rest } = await requireGroup(ctx, tokens, {
      freeText: true,
      exampleKey: "examples:decide",
    });
    // Keep the text as typed (spacing, quotes) after an explicit group code.
    const typed =
      rest.length === tokens.length
        ? text.trim()
        : text
            .trim()
            .slice((tokens[0] as string).length)
            .trim();
    return runDecide(ctx, group, typed);
  },
  forms: [decideForm],
});

export const decisionsCommand = command({
  name: "decisions",
  permission: "see",
  writes: false,
  example: "examples:decisions",
  parse: (_ctx, text) => tokenize(text),
  async run(ctx, tokens) {
    const { group } = await requireGroup(ctx, tokens, { exampleKey: "examples:decisions" });
    const decisions = await ctx.store.decisions.list([group.id], 20);
    const title = ctx.l.t("decisions:list_title", { code: group.code, count: decisions.length });
    return message("ephemeral", title, [
      {
        type: "list",
        title,
        items: decisions.map((d) => decisionLine(ctx.l, d, group)),
        empty: ctx.l.t("status:no_decisions"),
      },
    ]);
  },
});

export const confirmCommand = command({
  name: "confirm",
  permission: "confirm",
  writes: true,
  example: "examples:confirm",
  parse: (_ctx, text) => tokenize(text)[0],
  async run(ctx, ref) {
    const { decision, group } = await findDecision(ctx, ref, "examples:confirm");
    requireConfirm(ctx.actor, group);
    if (decision.status === "confirmed")
      return decisionReply(ctx, decision, group, "decisions:already_confirmed");
    if (sideConfirmed(decision, ctx.actor.person.id, sideIn(ctx.actor, group.id)))
      return decisionReply(ctx, decision, group, "decisions:confirmation_already_recorded");
    const updated = await ctx.tracker.confirmDecision(group, decision);
    return decisionReply(
      ctx,
      updated,
      group,
      updated.status === "confirmed" ? "decisions:now_confirmed" : "decisions:confirmation_noted",
    );
  },
});
