import type { Activity } from "botbuilder";
import { type Invocation, type Mention, mentionToken } from "../../core/invocation.js";
import type { MessageSource } from "../../core/tracker/types.js";

// Teams Activity → platform-neutral Invocation. Pure: no SDK calls, no store.

/** A Teams account as activities carry it: `id` is per bot ("29:…"), `aadObjectId` per tenant. */
export interface TeamsAccount {
  id: string;
  name?: string;
  aadObjectId?: string;
}

interface MentionEntity {
  type: "mention";
  text?: string;
  mentioned?: TeamsAccount;
}

/**
 * Teams names a channel thread "<channel id>;messageid=<root id>": every thread of a channel
 * maps to the channel, which is what `bind` and proactive posts address.
 */
export function conversationKey(conversationId: string): string {
  const cut = conversationId.indexOf(";messageid=");
  return cut === -1 ? conversationId : conversationId.slice(0, cut);
}

/** The root message of the channel thread a conversation id names, if it names one. */
export function threadRootOf(conversationId: string | undefined): string | null {
  const marker = ";messageid=";
  const cut = conversationId?.indexOf(marker) ?? -1;
  return conversationId && cut !== -1 ? conversationId.slice(cut + marker.length) : null;
}

/**
 * The stable id of a person: the Entra (AAD) object id, the same for every app in the tenant
 * and what an admin can look up; the bot-scoped "29:" id only when Teams sends no AAD id.
 */
export function teamsUserId(account: TeamsAccount): string {
  return account.aadObjectId || account.id;
}

export function isPersonalChat(activity: Partial<Activity>): boolean {
  return activity.conversation?.conversationType === "personal";
}

function mentionEntities(activity: Partial<Activity>): MentionEntity[] {
  return (activity.entities ?? []).filter((e) => e.type === "mention") as MentionEntity[];
}

/** Whether the bot itself is @mentioned (Teams only delivers channel messages that do). */
export function mentionsBot(activity: Partial<Activity>): boolean {
  const botId = activity.recipient?.id;
  return mentionEntities(activity).some((e) => botId !== undefined && e.mentioned?.id === botId);
}

/** User accounts @mentioned in a message, other than the bot. */
export function mentionedUsers(activity: Partial<Activity>): TeamsAccount[] {
  const botId = activity.recipient?.id;
  return mentionEntities(activity)
    .map((e) => e.mentioned)
    .filter((m): m is TeamsAccount => m !== undefined && m.id !== botId);
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith("#x") || name.startsWith("#X"))
      return safeCodePoint(Number.parseInt(name.slice(2), 16)) ?? whole;
    if (name.startsWith("#")) return safeCodePoint(Number.parseInt(name.slice(1), 10)) ?? whole;
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function safeCodePoint(code: number): string | undefined {
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff
    ? String.fromCodePoint(code)
    : undefined;
}

/**
 * The command line in a message: the bot's own <at>…</at> mention removed (found through the
 * activity's mention entities, not by name, since people rename bots), other people's mentions
 * turned into @tokens listed in `mentions`, markup stripped and entities decoded.
 * `knownIds` maps a mention's bot-scoped "29:" id to the AAD id the adapter looked up.
 */
export function commandText(
  activity: Partial<Activity>,
  knownIds: ReadonlyMap<string, string> = new Map(),
): { text: string; mentions: Mention[] } {
  let text = activity.text ?? "";
  const botId = activity.recipient?.id;
  const mentions: Mention[] = [];
  const taken = new Set<string>();
  for (const entity of mentionEntities(activity)) {
    const { text: marked, mentioned } = entity;
    if (!marked || !mentioned) continue;
    if (mentioned.id === botId) {
      text = text.split(marked).join(" ");
      continue;
    }
    const userId = teamsUserIdOf(mentioned, knownIds);
    const name = mentioned.name ?? decodeEntities(marked.replace(/<[^>]*>/g, ""));
    let token = mentions.find((m) => m.userId === userId)?.token;
    if (!token) {
      token = mentionToken(name, taken);
      mentions.push({ token, userId, displayName: name });
    }
    text = text.split(marked).join(token);
  }
  // Markup left over (a mention without an entity, formatting) is not part of the command.
  const plain = decodeEntities(text.replace(/<[^>]*>/g, ""));
  return {
    text: plain
      .replace(/[ \t\u00a0]+/g, " ")
      .replace(/ *\n */g, "\n")
      .trim(),
    mentions,
  };
}

function teamsUserIdOf(account: TeamsAccount, knownIds: ReadonlyMap<string, string>): string {
  return account.aadObjectId || knownIds.get(account.id) || account.id;
}

/** The fields every invocation from one activity shares, whatever the activity type. */
export function baseInvocation(activity: Partial<Activity>, text: string): Invocation {
  const from = activity.from ?? { id: "", name: "" };
  return {
    platform: "teams",
    text,
    actor: {
      userId: teamsUserId(from),
      displayName: from.name ?? "",
      locale: activity.locale ?? null,
      timeZone: activity.localTimezone ?? null,
    },
    channelId: activity.conversation?.id ? conversationKey(activity.conversation.id) : null,
    // Teams has no slash commands: examples in replies read "@CMP status", as people type them.
    commandPrefix: `@${activity.recipient?.name || "CMP"}`,
    // Teams redelivers an activity with the same id; the ledger makes it act once.
    requestKey: activity.id ? `teams:activity:${activity.id}` : undefined,
    // Teams has no private replies: outside a personal chat, the conversation sees every answer.
    repliesShared: !isPersonalChat(activity),
  };
}

/** A message typed to the bot (after an @mention in channels and group chats). */
export function toInvocation(
  activity: Partial<Activity>,
  knownIds: ReadonlyMap<string, string> = new Map(),
): Invocation {
  const { text, mentions } = commandText(activity, knownIds);
  return { ...baseInvocation(activity, text), mentions };
}

/** The message a "Log as decision" action was started from, as Teams describes it. */
export interface MessagePayload {
  id?: string;
  linkToMessage?: string | null;
  createdDateTime?: string | null;
  body?: { contentType?: string; content?: string; textContent?: string };
  from?: {
    user?: { displayName?: string | null } | null;
    application?: { displayName?: string | null } | null;
  } | null;
}

/** A message's HTML body as plain text: mentions keep their names, blocks become lines. */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|div|li|h[1-6]|blockquote|tr)>/gi, "\n")
    .replace(/<[^>]*>/g, "");
  return decodeEntities(text)
    .split("\n")
    .map((line) => line.replace(/[ \t\u00a0]+/g, " ").trim())
    .filter((line, index, lines) => line !== "" || (index > 0 && lines[index - 1] !== ""))
    .join("\n")
    .trim();
}

export function messageText(payload: MessagePayload | undefined): string {
  const body = payload?.body;
  if (!body) return "";
  if (body.contentType === "html") return htmlToText(body.content ?? "");
  if (body.contentType === "text") return (body.content ?? "").trim();
  // A card or another rich message: Teams adds its text rendition.
  return (body.textContent ?? "").trim();
}

function httpsUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    return new URL(value).protocol === "https:" ? value : null;
  } catch {
    return null;
  }
}

/** Where a decision logged from a message came from: conversation, message, link, author, time. */
export function messageSource(
  activity: Partial<Activity>,
  payload: MessagePayload | undefined,
): MessageSource {
  const channelId = activity.conversation?.id ? conversationKey(activity.conversation.id) : "";
  return {
    platform: "teams",
    channelId,
    messageId: payload?.id ?? null,
    permalink: httpsUrl(payload?.linkToMessage),
    authorName: payload?.from?.user?.displayName ?? payload?.from?.application?.displayName ?? null,
    saidAt: payload?.createdDateTime ?? null,
  };
}
