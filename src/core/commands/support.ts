import { type Actor, canManage, canSee, membershipIn } from "../actor.js";
import { BotError } from "../errors.js";
import { decisionRef, itemRef, parseRef } from "../tracker/rules.js";
import { parseTimeline } from "../tracker/timeline.js";
import type { Commitment, Decision, Timeline, WorkingGroup } from "../tracker/types.js";
import type { CommandContext } from "./command.js";

/** Splits on whitespace, keeping "quoted phrases" together (straight or curly quotes). */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /"([^"]*)"|“([^”]*)”|«\s*([^»]*?)\s*»|(\S+)/g;
  for (const m of text.matchAll(re)) tokens.push(m[1] ?? m[2] ?? m[3] ?? m[4] ?? "");
  return tokens;
}

/** Every spelling, in any of the three languages, of a word the command language uses. */
export function isWord(ctx: CommandContext, key: string, token: string | undefined): boolean {
  return token !== undefined && ctx.i18n.allSpellings(key).includes(token.toLowerCase());
}

const GROUP_CODE = /^[A-Za-z][A-Za-z0-9]{1,9}$/;

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

export async function visibleGroups(ctx: CommandContext): Promise<WorkingGroup[]> {
  return (await ctx.store.groups.all()).filter((g) => g.active && canSee(ctx.actor, g));
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

export function requireManage(ctx: CommandContext, group: WorkingGroup, exampleKey?: string): void {
  if (!canManage(ctx.actor, group))
    throw new BotError("errors:co_chairs_only", { code: group.code }, exampleKey);
}

export function isOwner(actor: Actor, item: Commitment): boolean {
  return item.owners.some((o) => o.kind === "person" && o.personId === actor.person.id);
}

/** Members of the group, owners of the item, co-chairs and admins may add notes. */
export function requireNoteRight(ctx: CommandContext, group: WorkingGroup, item: Commitment): void {
  if (canManage(ctx.actor, group) || isOwner(ctx.actor, item) || membershipIn(ctx.actor, group.id))
    return;
  throw new BotError("errors:members_only", { code: group.code });
}

/** Owners close their own items; co-chairs and admins any item of their group. */
export function requireCloseRight(
  ctx: CommandContext,
  group: WorkingGroup,
  item: Commitment,
): void {
  if (canManage(ctx.actor, group) || isOwner(ctx.actor, item)) return;
  throw new BotError("errors:owners_only", { ref: itemRef(item) });
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

export { decisionRef, itemRef };
