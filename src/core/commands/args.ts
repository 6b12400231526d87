import { BotError } from "../errors.js";
import { canManage, canSee } from "../policy.js";
import type { OwnerInput } from "../ports.js";
import type { FormField } from "../render/message.js";
import { GROUP_CODE, LIMITS, parseRef } from "../tracker/rules.js";
import { parseTimeline } from "../tracker/timeline.js";
import {
  COUNTRIES,
  type Commitment,
  type Country,
  type Decision,
  type Timeline,
  type WorkingGroup,
} from "../tracker/types.js";
import type { CommandContext } from "./command.js";

// The words of a command line, read the same way by every verb: tokens, keywords in any of the
// three languages, group codes, item and decision references, owners, lengths and timelines.

/** Splits on whitespace, keeping "quoted phrases" together (straight or curly quotes). */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /"([^"]*)"|“([^”]*)”|«\s*([^»]*?)\s*»|(\S+)/g;
  for (const m of text.matchAll(re)) tokens.push(m[1] ?? m[2] ?? m[3] ?? m[4] ?? "");
  return tokens;
}

/**
 * Whether the text is a spelling, in any of the three languages, of a word the bot uses:
 * as shown or as typed ("in progress", "In_Progress", "en-curso", "échus" or "echus").
 */
export function isWord(ctx: CommandContext, key: string, text: string | undefined): boolean {
  return text !== undefined && ctx.i18n.matchWords(key, [text]) === 1;
}

/** Which of `keys` the tokens start with, and how many tokens it took ("ordre du jour" is 3). */
export function startsWithWord<K extends string>(
  ctx: CommandContext,
  keys: Record<K, string>,
  tokens: readonly string[],
): { word: K; used: number } | null {
  let best: { word: K; used: number } | null = null;
  for (const word of Object.keys(keys) as K[]) {
    const used = ctx.i18n.matchWords(keys[word], tokens);
    if (used > (best?.used ?? 0)) best = { word, used };
  }
  return best;
}

/**
 * The group a command is about: an explicit code first, else the channel's group.
 * Returns the tokens that remain. A restricted group reads as unknown to outsiders.
 * With `freeText` (add, decide) in a bound channel, a leading capitalised word that is not a
 * group simply begins the text: "NAFTA review" is a title, not a group.
 */
export async function takeGroup(
  ctx: CommandContext,
  tokens: string[],
  options: { required: boolean; exampleKey: string; freeText?: boolean },
): Promise<{ group: WorkingGroup | null; rest: string[] }> {
  const first = tokens[0];
  if (first && GROUP_CODE.test(first)) {
    const group = await ctx.store.groups.byCode(first);
    if (group && canSee(ctx.actor, group)) return { group, rest: tokens.slice(1) };
    const looksLikeCode = first === first.toUpperCase() && /[A-Z]/.test(first);
    if (looksLikeCode && !(options.freeText && ctx.channelGroup)) {
      throw new BotError("errors:unknown_group", { code: first.toUpperCase() }, options.exampleKey);
    }
  }
  if (ctx.channelGroup && canSee(ctx.actor, ctx.channelGroup))
    return { group: ctx.channelGroup, rest: tokens };
  if (options.required) throw new BotError("errors:group_needed", {}, options.exampleKey);
  return { group: null, rest: tokens };
}

/** `takeGroup` for verbs that always need one. */
export async function requireGroup(
  ctx: CommandContext,
  tokens: string[],
  options: { exampleKey: string; freeText?: boolean },
): Promise<{ group: WorkingGroup; rest: string[] }> {
  const { group, rest } = await takeGroup(ctx, tokens, { ...options, required: true });
  return { group: group as WorkingGroup, rest };
}

export async function visibleGroups(ctx: CommandContext): Promise<WorkingGroup[]> {
  return (await ctx.store.groups.all()).filter((g) => g.active && canSee(ctx.actor, g));
}

async function manageableGroups(ctx: CommandContext): Promise<WorkingGroup[]> {
  return (await visibleGroups(ctx)).filter((g) => canManage(ctx.actor, g));
}

/** The group select of a form: the groups this person manages. */
export async function groupField(
  ctx: CommandContext,
  prefill: Record<string, string>,
): Promise<FormField> {
  const groups = await manageableGroups(ctx);
  if (groups.length === 0) throw new BotError("errors:co_chairs_only_anywhere");
  return {
    name: "group",
    label: ctx.l.t("forms:field.group"),
    kind: "select",
    required: true,
    options: groups.map((g) => ({ value: g.code, label: `${g.code} — ${g.names[ctx.lang]}` })),
    initial: prefill.group ?? ctx.channelGroup?.code ?? groups[0]?.code,
  };
}

/** The group a submitted form names, among those this person manages. */
export async function formGroup(
  ctx: CommandContext,
  values: Record<string, string>,
  context: Record<string, string>,
): Promise<WorkingGroup> {
  const code = values.group ?? context.group ?? "";
  const group = (await manageableGroups(ctx)).find((g) => g.code === code.toUpperCase());
  if (!group) throw new BotError("errors:unknown_group", { code }, "examples:add", "group");
  return group;
}

export async function findItem(
  ctx: CommandContext,
  token: string | undefined,
  exampleKey: string,
): Promise<{ item: Commitment; group: WorkingGroup }> {
  const ref = token ? parseRef(token) : null;
  if (!token || !ref || ref.decision)
    throw new BotError("errors:item_id_needed", { given: token ?? "" }, exampleKey);
  const group = await ctx.store.groups.byCode(ref.code);
  const item =
    group && canSee(ctx.actor, group)
      ? await ctx.store.commitments.byNumber(group.id, ref.number)
      : null;
  if (!group || !item)
    throw new BotError(
      "errors:unknown_item",
      { ref: `${ref.code}-${ref.number}` },
      "examples:list",
    );
  return { item, group };
}

export async function findDecision(
  ctx: CommandContext,
  token: string | undefined,
  exampleKey: string,
): Promise<{ decision: Decision; group: WorkingGroup }> {
  const ref = token ? parseRef(token) : null;
  if (!token || !ref?.decision)
    throw new BotError("errors:decision_id_needed", { given: token ?? "" }, exampleKey);
  const group = await ctx.store.groups.byCode(ref.code);
  const decision =
    group && canSee(ctx.actor, group)
      ? await ctx.store.decisions.byNumber(group.id, ref.number)
      : null;
  if (!group || !decision)
    throw new BotError(
      "errors:unknown_decision",
      { ref: `${ref.code}-D${ref.number}` },
      "examples:decisions",
    );
  return { decision, group };
}

/** A usage refusal: the verb's usage line and its example. */
export function usageError(ctx: CommandContext, verb: string): BotError {
  return new BotError("errors:usage", { usage: ctx.l.t(`help:usage.${verb}`) }, `examples:${verb}`);
}

export function checkLength(value: string, max: number, field: string, exampleKey: string): string {
  const trimmed = value.trim();
  if (trimmed.length > max)
    throw new BotError(
      "errors:too_long",
      { field, max, length: trimmed.length },
      exampleKey,
      field,
    );
  return trimmed;
}

export function todayIn(ctx: CommandContext, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(ctx.now);
}

/** Parses a timeline or explains, in the user's language, what was wrong with it. */
export function readTimeline(
  ctx: CommandContext,
  text: string,
  timeZone: string,
  field = "timeline",
): Timeline {
  const result = parseTimeline(text, { referenceDate: todayIn(ctx, timeZone) });
  if (result.ok) return result.timeline;
  throw new BotError(
    `errors:timeline_${result.error}`,
    { text, fragment: result.fragment ?? text },
    "examples:timeline",
    field,
  );
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

const TBC = /\((tbc|tbd|por confirmar|à confirmer|a confirmer)\)/i;

/** "@ana, Transport Canada (CA), CANACAR (tbc)": people by mention or handle, or organisations. */
export async function readOwners(ctx: CommandContext, text: string): Promise<OwnerInput[]> {
  const owners: OwnerInput[] = [];
  for (const raw of text
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (raw.startsWith("@")) {
      const mention = ctx.invocation.mentions?.find((m) => m.token === raw);
      const person = mention
        ? await ctx.tracker.personFor({
            platform: ctx.invocation.platform,
            userId: mention.userId,
            displayName: mention.displayName,
          })
        : await ctx.store.people.byHandle(raw.slice(1));
      if (!person)
        throw new BotError("errors:unknown_person", { name: raw }, "examples:add", "owners");
      owners.push({ kind: "person", personId: person.id });
      continue;
    }
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
      tbc: TBC.test(raw),
    });
  }
  if (owners.length > LIMITS.owners)
    throw new BotError("errors:too_many_owners", { max: LIMITS.owners }, "examples:add", "owners");
  return owners;
}
