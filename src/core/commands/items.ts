import { DateTime } from "luxon";
import { BotError } from "../errors.js";
import { requireClose, requireManage, requireNote, requireSnooze } from "../policy.js";
import { dueLabel, milestoneList, statusLabel } from "../render/items.js";
import type { FormDoc } from "../render/message.js";
import { isClosed, itemRef, LIMITS } from "../tracker/rules.js";
import { STATUSES, type Status, type Timeline, type WorkingGroup } from "../tracker/types.js";
import {
  checkLength,
  findItem,
  formGroup,
  groupField,
  isWord,
  readOwners,
  readTimeline,
  requireGroup,
  splitAddArgs,
  tokenize,
  usageError,
} from "./args.js";
import { type CommandContext, command, type FormSpec, message, say } from "./command.js";

// Commitments: add, update (status or note), done, milestone, snooze.

const DEFAULT_SNOOZE_DAYS = 7;
const MAX_SNOOZE_DAYS = 90;

/** What `add` needs, whether typed as a command or submitted from a form. */
interface AddInput {
  group: WorkingGroup;
  title: string;
  timelineText: string | null;
  tentative: boolean;
  ownersText: string | null;
  description: string | null;
}

function withTentative(timeline: Timeline, tentative: boolean): Timeline {
  if (!tentative) return timeline;
  return { ...timeline, phases: timeline.phases.map((p) => ({ ...p, tentative: true })) };
}

async function runAdd(ctx: CommandContext, input: AddInput) {
  requireManage(ctx.actor, input.group, "examples:add");
  if (!input.title.trim()) throw new BotError("errors:title_needed", {}, "examples:add", "title");
  const title = checkLength(input.title, LIMITS.title, "title", "examples:add");
  const description = input.description
    ? checkLength(input.description, LIMITS.text, "description", "examples:add")
    : null;
  const timeline = input.timelineText?.trim()
    ? withTentative(readTimeline(ctx, input.timelineText, input.group.timeZone), input.tentative)
    : null;
  const owners = input.ownersText ? await readOwners(ctx, input.ownersText) : [];
  const item = await ctx.tracker.createCommitment({
    group: input.group,
    title,
    description,
    timeline,
    owners,
  });
  const { l } = ctx;
  const added = l.t("items:added", { ref: itemRef(item), title: item.title });
  return message("in_channel", added, [
    { type: "text", text: added },
    {
      type: "fields",
      fields: [
        { label: l.t("common:field.timeline"), value: dueLabel(l, item) },
        { label: l.t("common:field.status"), value: statusLabel(l, item.status) },
      ],
    },
    { type: "context", text: l.t("items:added_hint", { ref: itemRef(item) }) },
  ]);
}

const addForm: FormSpec = {
  id: "add",
  async build(ctx, prefill): Promise<FormDoc> {
    const { l } = ctx;
    return {
      id: "add",
      title: l.t("forms:add.title"),
      submitLabel: l.t("forms:submit"),
      context: { ...prefill },
      fields: [
        await groupField(ctx, prefill),
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
  },
  async submit(ctx, values, context) {
    return runAdd(ctx, {
      group: await formGroup(ctx, values, context),
      title: values.title ?? "",
      timelineText: values.timeline || null,
      tentative: values.tentative === "true",
      ownersText: values.owners || null,
      description: values.description || null,
    });
  },
};

export const addCommand = command({
  name: "add",
  permission: "manage",
  writes: true,
  example: "examples:add",
  parse: (_ctx, text) => tokenize(text),
  async run(ctx, tokens) {
    if (tokens.length === 0) return { kind: "form", form: await addForm.build(ctx, {}) };
    const { group, rest } = await requireGroup(ctx, tokens, {
      freeText: true,
      exampleKey: "examples:add",
    });
    const parts = splitAddArgs(ctx, rest);
    return runAdd(ctx, {
      group,
      title: parts.title,
      timelineText: parts.due || null,
      tentative: false,
      ownersText: parts.owners || null,
      description: null,
    });
  },
  forms: [addForm],
});

async function runNote(ctx: CommandContext, ref: string, text: string) {
  const { item, group } = await findItem(ctx, ref, "examples:note");
  requireNote(ctx.actor, group, item);
  if (!text.trim()) throw new BotError("errors:note_needed", {}, "examples:note", "note");
  const note = checkLength(text, LIMITS.note, "note", "examples:note");
  await ctx.tracker.addNote(item, note);
  return message("in_channel", ctx.l.t("items:noted", { ref: itemRef(item) }), [
    { type: "text", text: ctx.l.t("items:noted", { ref: itemRef(item) }) },
    { type: "context", text: note },
  ]);
}

const noteForm: FormSpec = {
  id: "note",
  async build(ctx, prefill) {
    return {
      id: "note",
      title: ctx.l.t("forms:note.title", { ref: prefill.ref ?? "" }),
      submitLabel: ctx.l.t("forms:submit"),
      context: { ...prefill },
      fields: [
        {
          name: "note",
          label: ctx.l.t("forms:field.note"),
          kind: "multiline",
          required: true,
          maxLength: LIMITS.note,
        },
      ],
    };
  },
  submit: (ctx, values, context) => runNote(ctx, context.ref ?? "", values.note ?? ""),
};

async function runStatus(ctx: CommandContext, ref: string | undefined, status: Status) {
  const { item, group } = await findItem(ctx, ref, "examples:update");
  if (isClosed(status)) requireClose(ctx.actor, group, item);
  else requireManage(ctx.actor, group, "examples:update");
  const { l } = ctx;
  if (item.status === status)
    return say(
      "ephemeral",
      l.t("items:already", { ref: itemRef(item), status: statusLabel(l, status) }),
    );
  await ctx.tracker.changeStatus(item, status);
  return say(
    "in_channel",
    l.t("items:status_changed", {
      ref: itemRef(item),
      title: item.title,
      from: statusLabel(l, item.status),
      to: statusLabel(l, status),
    }),
  );
}

function readStatus(ctx: CommandContext, token: string | undefined): Status | undefined {
  return STATUSES.find((s) => isWord(ctx, `words:status.${s}`, token));
}

/** `update REF STATUS` or `update REF note TEXT`. */
export const updateCommand = command({
  name: "update",
  permission: "manage",
  writes: true,
  example: "examples:update",
  parse(ctx, text) {
    const [ref, word, ...rest] = tokenize(text);
    if (!ref) throw new BotError("errors:item_id_needed", { given: "" }, "examples:update");
    if (isWord(ctx, "words:keyword.note", word)) {
      const trimmed = text.trim();
      const w = word as string;
      return {
        ref,
        note: trimmed.slice(trimmed.indexOf(w) + w.length),
        given: "",
        status: undefined,
      };
    }
    const given = [word, ...rest].join(" ");
    return { ref, note: null, given, status: readStatus(ctx, given) ?? readStatus(ctx, word) };
  },
  async run(ctx, args) {
    if (args.note !== null) return runNote(ctx, args.ref, args.note);
    if (!args.status) {
      await findItem(ctx, args.ref, "examples:update");
      const known = STATUSES.map((s) => ctx.l.t(`words:status.${s}`).split(",")[0]).join(", ");
      throw new BotError("errors:unknown_status", { given: args.given, known }, "examples:update");
    }
    return runStatus(ctx, args.ref, args.status);
  },
  forms: [noteForm],
});

export const doneCommand = command({
  name: "done",
  permission: "close",
  writes: true,
  example: "examples:done",
  parse(ctx, text) {
    const [ref, ...extra] = tokenize(text);
    if (extra.length > 0) throw usageError(ctx, "done");
    return ref;
  },
  run: (ctx, ref) => runStatus(ctx, ref, "done"),
});

/** `milestone REF [list]`, `milestone REF add TITLE [due WHEN]`, `milestone REF done N`. */
export const milestoneCommand = command({
  name: "milestone",
  permission: "manage",
  writes: true,
  example: "examples:milestone",
  parse: (_ctx, text) => tokenize(text),
  async run(ctx, [ref, sub, ...rest]) {
    const { item, group } = await findItem(ctx, ref, "examples:milestone");
    const { l } = ctx;
    if (!sub || isWord(ctx, "verbs:list", sub)) {
      const milestones = await ctx.store.commitments.milestones(item.id);
      return message("ephemeral", l.t("common:milestones"), [
        { type: "header", text: `${itemRef(item)} · ${item.title}` },
        milestoneList(l, milestones, group.timeZone),
      ]);
    }
    requireManage(ctx.actor, group, "examples:milestone");
    if (isWord(ctx, "verbs:add", sub)) {
      const parts = splitAddArgs(ctx, rest);
      if (!parts.title.trim())
        throw new BotError("errors:title_needed", {}, "examples:milestone", "title");
      const title = checkLength(parts.title, LIMITS.title, "title", "examples:milestone");
      const timeline = parts.due ? readTimeline(ctx, parts.due, group.timeZone) : null;
      const milestone = await ctx.tracker.addMilestone(item, group, title, timeline);
      return say(
        "in_channel",
        l.t("items:milestone_added", { ref: itemRef(item), position: milestone.position, title }),
      );
    }
    if (isWord(ctx, "verbs:done", sub)) {
      const position = Number(rest[0]);
      const milestones = await ctx.store.commitments.milestones(item.id);
      const milestone = milestones.find((m) => m.position === position);
      if (!milestone)
        throw new BotError(
          "errors:unknown_milestone",
          { ref: itemRef(item), given: rest[0] ?? "" },
          "examples:milestone",
        );
      if (!milestone.doneAt) await ctx.tracker.completeMilestone(item, milestone);
      return say(
        "in_channel",
        l.t("items:milestone_done", { ref: itemRef(item), position, title: milestone.title }),
      );
    }
    throw usageError(ctx, "milestone");
  },
});

/** `snooze REF [DAYS]`: no reminders about the item for a while. */
export const snoozeCommand = command({
  name: "snooze",
  permission: "snooze",
  writes: true,
  example: "examples:snooze",
  parse(ctx, text) {
    const [ref, daysText, ...extra] = tokenize(text);
    if (extra.length > 0) throw usageError(ctx, "snooze");
    return { ref, daysText };
  },
  async run(ctx, { ref, daysText }) {
    const { item, group } = await findItem(ctx, ref, "examples:snooze");
    const days = daysText === undefined ? DEFAULT_SNOOZE_DAYS : Number(daysText);
    if (!/^\d{1,2}$/.test(daysText ?? "7") || days < 1 || days > MAX_SNOOZE_DAYS)
      throw new BotError(
        "schedule:error.snooze_days",
        { given: daysText ?? "" },
        "examples:snooze",
      );
    if (item.closedAt)
      throw new BotError("schedule:error.snooze_closed", { ref: itemRef(item) }, "examples:snooze");
    requireSnooze(ctx.actor, group, item);
    // Reminders come back on the morning of the day it ends, in the group's calendar.
    const until = DateTime.fromJSDate(ctx.now)
      .setZone(group.timeZone)
      .startOf("day")
      .plus({ days })
      .toUTC()
      .toISO() as string;
    await ctx.tracker.snooze(item, until);
    return say(
      "in_channel",
      ctx.l.t("schedule:snoozed", { ref: itemRef(item), date: ctx.l.date(until, group.timeZone) }),
    );
  },
});
