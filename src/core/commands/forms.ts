import { canManage } from "../actor.js";
import { BotError } from "../errors.js";
import type { FormDoc, FormId, Reply } from "../render/message.js";
import { LIMITS } from "../tracker/rules.js";
import type { WorkingGroup } from "../tracker/types.js";
import type { CommandContext } from "./command.js";
import { runDecide } from "./decisions.js";
import { visibleGroups } from "./support.js";
import { runAdd, runNote } from "./write.js";

// Forms are the structured twin of typed commands: the same validation and the same service
// calls, with errors tied to a field so a modal or task module can show them in place.

async function manageableGroups(ctx: CommandContext): Promise<WorkingGroup[]> {
  return (await visibleGroups(ctx)).filter((g) => canManage(ctx.actor, g));
}

export async function buildForm(
  ctx: CommandContext,
  id: FormId,
  prefill: Record<string, string>,
): Promise<FormDoc> {
  const { l } = ctx;
  const groupField = async () => {
    const groups = await manageableGroups(ctx);
    if (groups.length === 0) throw new BotError("errors:co_chairs_only_anywhere");
    return {
      name: "group",
      label: l.t("forms:field.group"),
      kind: "select" as const,
      required: true,
      options: groups.map((g) => ({ value: g.code, label: `${g.code} — ${g.names[ctx.lang]}` })),
      initial: prefill.group ?? ctx.channelGroup?.code ?? groups[0]?.code,
    };
  };
  if (id === "add") {
    return {
      id,
      title: l.t("forms:add.title"),
      submitLabel: l.t("forms:submit"),
      context: { ...prefill },
      fields: [
        await groupField(),
        {
          name: "title",
          label: l.t("forms:field.title"),
          kind: "text",
          required: true,
          maxLength: LIMITS.title,
          initial: prefill.title,
        },
        {
          name: "timeline",
          label: l.t("forms:field.timeline"),
          kind: "text",
          required: false,
          hint: l.t("forms:hint.timeline"),
          maxLength: 200,
        },
        {
          name: "tentative",
          label: l.t("forms:field.tentative"),
          kind: "checkbox",
          required: false,
        },
        {
          name: "owners",
          label: l.t("forms:field.owners"),
          kind: "text",
          required: false,
          hint: l.t("forms:hint.owners"),
          maxLength: 500,
        },
        {
          name: "description",
          label: l.t("forms:field.description"),
          kind: "multiline",
          required: false,
          maxLength: LIMITS.text,
        },
      ],
    };
  }
  if (id === "decide") {
    return {
      id,
      title: l.t("forms:decide.title"),
      submitLabel: l.t("forms:submit"),
      context: { ...prefill },
      fields: [
        await groupField(),
        {
          name: "text",
          label: l.t("forms:field.decision"),
          kind: "multiline",
          required: true,
          maxLength: LIMITS.text,
          initial: prefill.text,
        },
      ],
    };
  }
  return {
    id,
    title: l.t("forms:note.title", { ref: prefill.ref ?? "" }),
    submitLabel: l.t("forms:submit"),
    context: { ...prefill },
    fields: [
      {
        name: "note",
        label: l.t("forms:field.note"),
        kind: "multiline",
        required: true,
        maxLength: LIMITS.note,
      },
    ],
  };
}

/** Validates a submitted form and acts on it; a BotError carries the field it belongs to. */
export async function submitForm(
  ctx: CommandContext,
  id: FormId,
  values: Record<string, string>,
  context: Record<string, string>,
): Promise<Reply> {
  const pickGroup = async () => {
    const code = values.group ?? context.group ?? "";
    const group = (await manageableGroups(ctx)).find((g) => g.code === code.toUpperCase());
    if (!group) throw new BotError("errors:unknown_group", { code }, "examples:add", "group");
    return group;
  };
  if (id === "add") {
    return runAdd(ctx, {
      group: await pickGroup(),
      title: values.title ?? "",
      timelineText: values.timeline || null,
      tentative: values.tentative === "true",
      ownersText: values.owners || null,
      description: values.description || null,
    });
  }
  if (id === "decide") return runDecide(ctx, await pickGroup(), values.text ?? "");
  return runNote(ctx, context.ref ?? "", values.note ?? "");
}
