import { BotError } from "../errors.js";
import type { OwnerInput } from "../ports.js";
import { dueLabel, milestoneList, statusLabel } from "../render/items.js";
import { isClosed, itemRef, LIMITS } from "../tracker/rules.js";
import {
  addMilestone,
  addNote,
  changeStatus,
  completeMilestone,
  createCommitment,
} from "../tracker/service.js";
import {
  COUNTRIES,
  type Country,
  STATUSES,
  type Status,
  type Timeline,
  type WorkingGroup,
} from "../tracker/types.js";
import { type Command, type CommandContext, message } from "./command.js";
import { buildForm } from "./forms.js";
import {
  checkLength,
  findItem,
  isWord,
  readTimeline,
  requireCloseRight,
  requireManage,
  requireNoteRight,
  takeGroup,
  tokenize,
} from "./support.js";

/** What `add` needs, whether typed as a command or submitted from a form. */
export interface AddInput {
  group: WorkingGroup;
  title: string;
  timelineText: string | null;
  tentative: boolean;
  ownersText: string | null;
  description: string | null;
}

/** Splits "TITLE due TIMELINE owner A, B" at its keywords, in any of the three languages. */
export function splitAddArgs(ctx: CommandContext, tokens: string[]) {
  const parts: Record<"title" | "due" | "owner", string[]> = { title: [], due: [], owner: [] };
  let current: keyof typeof parts = "title";
  for (const token of tokens) {
    // A keyword only counts once the title has begun: "Due diligence review" is a title.
    const titled = parts.title.length > 0;
    if (
      titled &&
      current !== "owner" &&
      isWord(ctx, "words:keyword.due", token) &&
      parts.due.length === 0
    )
      current = "due";
    else if (titled && isWord(ctx, "words:keyword.owner", token) && parts.owner.length === 0)
      current = "owner";
    else parts[current].push(token);
  }
  return { title: parts.title.join(" "), due: parts.due.join(" "), owners: parts.owner.join(" ") };
}

async function readOwners(ctx: CommandContext, text: string): Promise<OwnerInput[]> {
  const owners: OwnerInput[] = [];
  for (const raw of text
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (raw.startsWith("@")) {
      const mention = ctx.invocation.mentions?.find((m) => m.token === raw);
      const person = mention
        ? await ctx.store.people.resolve(
            {
              platform: ctx.invocation.platform,
              userId: mention.userId,
              displayName: mention.displayName,
            },
            {},
            ctx.at,
          )
        : await ctx.store.people.byHandle(raw.slice(1));
      if (!person)
        throw new BotError("errors:unknown_person", { name: raw }, "examples:add", "owners");
      owners.push({ kind: "person", personId: person.id });
      continue;
    }
    const tbc = /\((tbc|tbd|por confirmar|à confirmer|a confirmer)\)/i.test(raw);
    const countryMatch = /\((CA|MX)\)/i.exec(raw);
    const name = raw
      .replace(/\((tbc|tbd|por confirmar|à confirmer|a confirmer|CA|MX)\)/gi, "")
      .trim();
    checkLength(name, LIMITS.title, "owners", "examples:add");
    const country = countryMatch?.[1] ? (countryMatch[1].toUpperCase() as Country) : null;
    owners.push({
      kind: "organisation",
      name,
      country: COUNTRIES.includes(country as Country) ? country : null,
      sector: null,
      tbc,
    });
  }
  if (owners.length > LIMITS.owners)
    throw new BotError("errors:too_many_owners", { max: LIMITS.owners }, "examples:add", "owners");
  return owners;
}

function withTentative(timeline: Timeline, tentative: boolean): Timeline {
  if (!tentative) return timeline;
  return { ...timeline, phases: timeline.phases.map((p) => ({ ...p, tentative: true })) };
}

/** Validates and stores a new commitment; shared by the typed command and the forms. */
export async function runAdd(ctx: CommandContext, input: AddInput) {
  requireManage(ctx, input.group, "examples:add");
  if (!input.title.trim()) throw new BotError("errors:title_needed", {}, "examples:add", "title");
  const title = checkLength(input.title, LIMITS.title, "title", "examples:add");
  const description = input.description
    ? checkLength(input.description, LIMITS.text, "description", "examples:add")
    : null;
  const timeline = input.timelineText?.trim()
    ? withTentative(readTimeline(ctx, input.timelineText, input.group.timeZone), input.tentative)
    : null;
  const owners = input.ownersText ? await readOwners(ctx, input.ownersText) : [];
  const item = await createCommitment(
    ctx.store,
    ctx.actor,
    { group: input.group, title, description, timeline, owners },
    ctx.at,
  );
  const { l } = ctx;
  return message("in_channel", l.t("items:added", { ref: itemRef(item), title: item.title }), [
    { type: "text", text: l.t("items:added", { ref: itemRef(item), title: item.title }) },
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

export const addCommand: Command = {
  name: "add",
  async run(ctx, args) {
    const tokens = tokenize(args);
    if (tokens.length === 0) return { kind: "form", form: await buildForm(ctx, "add", {}) };
    const { group, rest } = await takeGroup(ctx, tokens, {
      required: true,
      freeText: true,
      exampleKey: "examples:add",
    });
    const parts = splitAddArgs(ctx, rest);
    return runAdd(ctx, {
      group: group as WorkingGroup,
      title: parts.title,
      timelineText: parts.due || null,
      tentative: false,
      ownersText: parts.owners || null,
      description: null,
    });
  },
};

function readStatus(ctx: CommandContext, token: string | undefined): Status | undefined {
  return STATUSES.find((s) => isWord(ctx, `words:status.${s}`, token));
}

export async function runNote(ctx: CommandContext, ref: string, text: string) {
  const { item, group } = await findItem(ctx, ref, "examples:note");
  requireNoteRight(ctx, group, item);
  if (!text.trim()) throw new BotError("errors:note_needed", {}, "examples:note", "note");
  const note = checkLength(text, LIMITS.note, "note", "examples:note");
  await addNote(ctx.store, ctx.actor, item, note, ctx.at);
  return message("in_channel", ctx.l.t("items:noted", { ref: itemRef(item) }), [
    { type: "text", text: ctx.l.t("items:noted", { ref: itemRef(item) }) },
    { type: "context", text: note },
  ]);
}

async function runStatus(ctx: CommandContext, ref: string | undefined, status: Status) {
  const { item, group } = await findItem(ctx, ref, "examples:update");
  if (isClosed(status)) requireCloseRight(ctx, group, item);
  else requireManage(ctx, group, "examples:update");
  const { l } = ctx;
  if (item.status === status) {
    return message(
      "ephemeral",
      l.t("items:already", { ref: itemRef(item), status: statusLabel(l, status) }),
      [
        {
          type: "text",
          text: l.t("items:already", { ref: itemRef(item), status: statusLabel(l, status) }),
        },
      ],
    );
  }
  await changeStatus(ctx.store, ctx.actor, item, status, ctx.at);
  const text = l.t("items:status_changed", {
    ref: itemRef(item),
    title: item.title,
    from: statusLabel(l, item.status),
    to: statusLabel(l, status),
  });
  return message("in_channel", text, [{ type: "text", text }]);
}

export const updateCommand: Command = {
  name: "update",
  async run(ctx, args) {
    const [ref, word, ...rest] = tokenize(args);
    if (!ref) throw new BotError("errors:item_id_needed", { given: "" }, "examples:update");
    if (isWord(ctx, "words:keyword.note", word)) {
      const noteText = args
        .trim()
        .slice(args.trim().indexOf(word as string) + (word as string).length);
      return runNote(ctx, ref, noteText);
    }
    const status = readStatus(ctx, [word, ...rest].join(" ")) ?? readStatus(ctx, word);
    if (!status) {
      await findItem(ctx, ref, "examples:update");
      const known = STATUSES.map(
        (s) => ctx.i18n.localizer(ctx.lang).t(`words:status.${s}`).split(",")[0],
      ).join(", ");
      throw new BotError(
        "errors:unknown_status",
        { given: [word, ...rest].join(" "), known },
        "examples:update",
      );
    }
    return runStatus(ctx, ref, status);
  },
};

export const doneCommand: Command = {
  name: "done",
  async run(ctx, args) {
    const [ref, ...extra] = tokenize(args);
    if (extra.length > 0)
      throw new BotError("errors:usage", { usage: ctx.l.t("help:usage.done") }, "examples:done");
    return runStatus(ctx, ref, "done");
  },
};

export const milestoneCommand: Command = {
  name: "milestone",
  async run(ctx, args) {
    const [ref, sub, ...rest] = tokenize(args);
    const { item, group } = await findItem(ctx, ref, "examples:milestone");
    const { l } = ctx;
    if (!sub || isWord(ctx, "verbs:list", sub)) {
      const milestones = await ctx.store.commitments.milestones(item.id);
      return message("ephemeral", l.t("common:milestones"), [
        { type: "header", text: `${itemRef(item)} · ${item.title}` },
        milestoneList(l, milestones, group.timeZone),
      ]);
    }
    requireManage(ctx, group, "examples:milestone");
    if (isWord(ctx, "verbs:add", sub)) {
      const parts = splitAddArgs(ctx, rest);
      if (!parts.title.trim())
        throw new BotError("errors:title_needed", {}, "examples:milestone", "title");
      const title = checkLength(parts.title, LIMITS.title, "title", "examples:milestone");
      const timeline = parts.due ? readTimeline(ctx, parts.due, group.timeZone) : null;
      const milestone = await addMilestone(
        ctx.store,
        ctx.actor,
        item,
        group,
        title,
        timeline,
        ctx.at,
      );
      const text = l.t("items:milestone_added", {
        ref: itemRef(item),
        position: milestone.position,
        title,
      });
      return message("in_channel", text, [{ type: "text", text }]);
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
      if (!milestone.doneAt)
        await completeMilestone(ctx.store, ctx.actor, item, milestone.id, position, ctx.at);
      const text = l.t("items:milestone_done", {
        ref: itemRef(item),
        position,
        title: milestone.title,
      });
      return message("in_channel", text, [{ type: "text", text }]);
    }
    throw new BotError(
      "errors:usage",
      { usage: l.t("help:usage.milestone") },
      "examples:milestone",
    );
  },
};
