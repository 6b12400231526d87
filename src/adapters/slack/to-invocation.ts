import type { BlockAction, MessageShortcut, SlashCommand, ViewOutput } from "@slack/bolt";
import { z } from "zod";
import { type Invocation, type Mention, mentionToken } from "../../core/invocation.js";
import { FORM_IDS, type FormId } from "../../core/render/message.js";
import { LANGUAGES, type Language, type MessageSource } from "../../core/tracker/types.js";

// Slack payloads → the core's Invocation. Pure functions: no Web API calls, no clock.

/** What `users.info` (with `include_locale`) told us about a person. */
export interface SlackProfile {
  userId: string;
  displayName: string;
  locale: string | null;
  timeZone: string | null;
}

/** Display names for user ids, when the adapter looked them up. */
export type UserNames = ReadonlyMap<string, string>;

const ENTITY = /&(amp|lt|gt);/g;
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">" };

/** Slack escapes `&`, `<`, `>` in the text it sends; this gives back what the person typed. */
export function unescapeSlack(text: string): string {
  return text.replace(ENTITY, (_m, name: string) => ENTITIES[name] ?? "");
}

/**
 * Slack's control sequences (`<@U1|ana>`, `<#C1|general>`, `<!here>`, `<https://x|label>`)
 * become the plain words they stand for, and every user mention is listed so the core can
 * resolve "@ana" to the person behind it. Nothing here can come back out as a live mention:
 * renderers escape all text again.
 */
export function readSlackText(
  text: string,
  names: UserNames = new Map(),
): { text: string; mentions: Mention[] } {
  const mentions: Mention[] = [];
  const plain = text.replace(/<([^<>]*)>/g, (_match, inner: string) => {
    const [target = "", label] = inner.split("|", 2) as [string, string | undefined];
    if (target.startsWith("@")) {
      const userId = target.slice(1);
      // A looked-up display name wins over the label, which Slack fills with the username.
      const name = unescapeSlack(names.get(userId) ?? label ?? userId);
      const token = mentionToken(name);
      if (!mentions.some((m) => m.userId === userId))
        mentions.push({ token, userId, displayName: name.replace(/^@/, "") });
      return token;
    }
    if (target.startsWith("#")) return `#${label ?? target.slice(1)}`;
    if (target.startsWith("!")) {
      // <!here>, <!channel>, <!subteam^S1|@team>, <!date^…|fallback>: keep the words only.
      if (label) return label.startsWith("@") || target.startsWith("!date") ? label : `@${label}`;
      return `@${target.slice(1).split("^")[0]}`;
    }
    if (!label) return target;
    const bare = target.replace(/^(mailto:|https?:\/\/)/, "");
    return label === target || label === bare ? label : `${label} (${target})`;
  });
  return { text: unescapeSlack(plain), mentions };
}

/** Every user id mentioned as `<@U…>` or `<@U…|name>`, so the adapter can look their names up. */
export function mentionedUsers(text: string): string[] {
  return [...new Set([...text.matchAll(/<@([A-Z0-9]+)(?:\|[^>]*)?>/g)].map((m) => m[1] as string))];
}

/** A Slack message timestamp ("1583636382.000300") as an ISO-8601 instant. */
export function tsToIso(ts: string): string | null {
  const [seconds, micros = "0"] = ts.split(".");
  const ms = Number(seconds) * 1000 + Math.floor(Number(micros.padEnd(6, "0").slice(0, 6)) / 1000);
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : null;
}

function actorOf(userId: string, fallbackName: string, profile: SlackProfile | null) {
  return {
    userId,
    displayName: profile?.displayName || fallbackName || userId,
    locale: profile?.locale ?? null,
    timeZone: profile?.timeZone ?? null,
  };
}

export function commandInvocation(
  command: Pick<SlashCommand, "text" | "user_id" | "user_name" | "channel_id" | "trigger_id">,
  profile: SlackProfile | null,
  names?: UserNames,
): Invocation {
  const { text, mentions } = readSlackText(command.text ?? "", names);
  return {
    platform: "slack",
    text,
    actor: actorOf(command.user_id, command.user_name, profile),
    channelId: command.channel_id || null,
    mentions,
    // Slash commands are not retried, but a replayed request carries the same trigger_id.
    requestKey: `slack:cmd:${command.trigger_id}`,
  };
}

/** `@CMP status TIIWG` in a channel: the text after the bot's own mention. */
export function mentionInvocation(
  event: { text?: string; user?: string; channel?: string },
  eventId: string,
  botUserId: string,
  profile: SlackProfile | null,
  names?: UserNames,
): Invocation | null {
  if (!event.user || !event.text) return null;
  const withoutBot = event.text.replace(new RegExp(`<@${botUserId}(\\|[^>]*)?>`, "g"), " ");
  const { text, mentions } = readSlackText(withoutBot, names);
  return {
    platform: "slack",
    text: text.trim(),
    actor: actorOf(event.user, event.user, profile),
    channelId: event.channel ?? null,
    mentions,
    // The Events API retries a delivery it thinks failed; every retry has the same event_id.
    requestKey: `slack:event:${eventId}`,
  };
}

/** A click on one of our buttons: who clicked, where. What it does is the core's (BUTTONS). */
export function clickInvocation(
  body: Pick<BlockAction, "user" | "channel" | "trigger_id" | "container">,
  profile: SlackProfile | null,
): Invocation {
  const channelId =
    body.channel?.id ??
    (typeof body.container.channel_id === "string" ? body.container.channel_id : null);
  return {
    ...userInvocation(body.user.id, body.user.name ?? body.user.username, channelId, profile),
    // Each click has its own trigger_id: a double click is two requests (the core answers
    // "already done" to the second), a replay of one request acts once.
    requestKey: `slack:action:${body.trigger_id}`,
  };
}

/** A person acting outside a typed command (a shortcut, a button): no text of their own. */
export function userInvocation(
  userId: string,
  fallbackName: string,
  channelId: string | null,
  profile: SlackProfile | null,
): Invocation {
  return {
    platform: "slack",
    text: "",
    actor: actorOf(userId, fallbackName, profile),
    channelId,
  };
}

/** What a modal carries through Slack and back, in its `private_metadata` (3,000 chars max). */
export interface FormMetadata {
  form: FormId;
  /** The form's context minus anything that travels as a field's value. */
  context: Record<string, string>;
  /** The language the form was shown in: its errors and reply use it too. */
  lang: Language;
  /** Where to post the result. */
  channelId: string | null;
  /** The message a decision is being logged from. */
  source?: {
    channelId: string;
    ts: string;
    /** The thread the message is in, if it is a reply: confirmations go to its parent. */
    threadTs: string | null;
    author: string | null;
    permalink: string | null;
  };
}

const metadataSchema = z.object({
  f: z.enum(FORM_IDS),
  c: z.record(z.string(), z.string()),
  l: z.enum(LANGUAGES),
  ch: z.string().nullable(),
  s: z
    .object({
      ch: z.string(),
      ts: z.string(),
      t: z.string().nullable(),
      a: z.string().nullable(),
      p: z.string().nullable(),
    })
    .optional(),
});

export function encodeFormMetadata(meta: FormMetadata): string {
  return JSON.stringify({
    f: meta.form,
    c: meta.context,
    l: meta.lang,
    ch: meta.channelId,
    ...(meta.source
      ? {
          s: {
            ch: meta.source.channelId,
            ts: meta.source.ts,
            t: meta.source.threadTs,
            a: meta.source.author,
            p: meta.source.permalink,
          },
        }
      : {}),
  });
}

/** null when the metadata is not ours (another app's view, or tampered with). */
export function decodeFormMetadata(text: string | undefined): FormMetadata | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text ?? "");
  } catch {
    return null;
  }
  const parsed = metadataSchema.safeParse(raw);
  if (!parsed.success) return null;
  const m = parsed.data;
  return {
    form: m.f,
    context: m.c,
    lang: m.l,
    channelId: m.ch,
    ...(m.s
      ? {
          source: {
            channelId: m.s.ch,
            ts: m.s.ts,
            threadTs: m.s.t,
            author: m.s.a,
            permalink: m.s.p,
          },
        }
      : {}),
  };
}

/** The submitted values of a modal, keyed by field name (each input's block_id). */
export function viewValues(view: Pick<ViewOutput, "state">): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [blockId, actions] of Object.entries(view.state.values)) {
    for (const state of Object.values(actions)) {
      if (state.type === "checkboxes")
        values[blockId] = (state.selected_options ?? []).length > 0 ? "true" : "false";
      else if (state.selected_option) values[blockId] = state.selected_option.value;
      else if (typeof state.value === "string") values[blockId] = state.value;
    }
  }
  return values;
}

/** The invocation behind a modal submission: the form's language, its source message. */
export function viewInvocation(
  body: { user: { id: string; name?: string }; view: Pick<ViewOutput, "id"> },
  meta: FormMetadata,
  profile: SlackProfile | null,
): Invocation {
  const source: MessageSource | undefined = meta.source
    ? {
        platform: "slack",
        channelId: meta.source.channelId,
        messageId: meta.source.ts,
        permalink: meta.source.permalink,
        authorName: meta.source.author,
        saidAt: tsToIso(meta.source.ts),
      }
    : undefined;
  return {
    platform: "slack",
    text: "",
    actor: actorOf(body.user.id, body.user.name ?? body.user.id, profile),
    channelId: meta.channelId,
    // A submission that failed validation rolls back its claim, so a corrected resubmission of
    // the same view still acts; a replay of a successful one does not.
    requestKey: `slack:view:${body.view.id}`,
    language: meta.lang,
    ...(source ? { source } : {}),
  };
}

/** The message a "Log as decision" shortcut was used on, as readable text and its author. */
export function shortcutMessage(
  shortcut: Pick<MessageShortcut, "message" | "channel" | "message_ts">,
  names?: UserNames,
): {
  text: string;
  ts: string;
  threadTs: string | null;
  authorId: string | null;
  authorFallback: string | null;
} {
  const message = shortcut.message;
  const authorId = typeof message.user === "string" ? message.user : null;
  const botName = typeof message.username === "string" ? message.username : null;
  const ts = shortcut.message_ts || message.ts;
  const threadTs =
    typeof message.thread_ts === "string" && message.thread_ts !== ts ? message.thread_ts : null;
  return {
    text: readSlackText(message.text ?? "", names).text.trim(),
    ts,
    threadTs,
    authorId,
    authorFallback: botName ?? authorId,
  };
}
