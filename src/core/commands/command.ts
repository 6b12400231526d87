import type { Actor } from "../actor.js";
import type { Documents } from "../documents.js";
import type { I18n, Localizer } from "../i18n.js";
import type { Invocation } from "../invocation.js";
import type { Permission } from "../policy.js";
import type { Clock, Store, StoreView } from "../ports.js";
import type { Block, FormDoc, FormId, MessageDoc, Reply, Visibility } from "../render/message.js";
import type { ReplyCache } from "../reply-cache.js";
import type { Tracker } from "../tracker/tracker.js";
import type { Language, WorkingGroup } from "../tracker/types.js";
import type { CommandName } from "./names.js";

export interface CoreDeps {
  store: Store;
  clock: Clock;
  i18n: I18n;
  /** File formats: XLSX, PDF, reading spreadsheets. */
  documents: Documents;
  /** Where people reach the bot over HTTP (calendar links), no trailing slash. */
  publicUrl?: string;
}

/** What a command sees of one request. It reads through `store` and changes through `tracker`. */
export interface CommandContext {
  store: StoreView;
  tracker: Tracker;
  clock: Clock;
  i18n: I18n;
  documents: Documents;
  invocation: Invocation;
  actor: Actor;
  lang: Language;
  l: Localizer;
  now: Date;
  /** `now` as ISO-8601 UTC, the form every timestamp is stored in. */
  at: string;
  /** The working group bound to the channel the command came from, if any. */
  channelGroup: WorkingGroup | null;
  publicUrl: string;
  /** Replies shared by everyone who may see them, kept while their key holds. */
  replies: ReplyCache;
}

/** A form: the structured twin of a typed command, with the same validation and service call. */
export interface FormSpec {
  id: FormId;
  build(ctx: CommandContext, prefill: Record<string, string>): Promise<FormDoc>;
  /** A refusal (BotError) names the field it is about, so the form can show it in place. */
  submit(
    ctx: CommandContext,
    values: Record<string, string>,
    context: Record<string, string>,
  ): Promise<Reply>;
}

/**
 * One verb, whole: its spellings are `verbs:<name>` in locales/<lang>/verbs.json, its usage
 * `help:usage.<name>`, its example `example`. `parse` reads the words (syntax only); `run` looks
 * things up, applies the `permission` rule of policy.ts and acts, through the tracker if it writes.
 */
export interface CommandSpec<A> {
  name: CommandName;
  permission: Permission;
  /** A retried request carrying the same key must not repeat a command that writes. */
  writes: boolean;
  example: string;
  parse(ctx: CommandContext, text: string): A;
  run(ctx: CommandContext, args: A): Promise<Reply>;
  forms?: FormSpec[];
}

/** A spec with its argument type sealed in, as the registry holds it. */
export interface Command {
  name: CommandName;
  permission: Permission;
  writes: boolean;
  example: string;
  forms: FormSpec[];
  handle(ctx: CommandContext, text: string): Promise<Reply>;
}

export function command<A>(spec: CommandSpec<A>): Command {
  return {
    name: spec.name,
    permission: spec.permission,
    writes: spec.writes,
    example: spec.example,
    forms: spec.forms ?? [],
    handle: async (ctx, text) => spec.run(ctx, spec.parse(ctx, text)),
  };
}

export function message(visibility: Visibility, summary: string, blocks: Block[]): Reply {
  const doc: MessageDoc = { summary, blocks };
  return { kind: "message", visibility, doc };
}

/** A reply of one line of text. */
export function say(visibility: Visibility, text: string): Reply {
  return message(visibility, text, [{ type: "text", text }]);
}
