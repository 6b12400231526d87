import type { Actor } from "./actor.js";
import type { CommandContext, CoreDeps } from "./commands/command.js";
import type { CommandName } from "./commands/names.js";
import { offerNote, readOfferValue } from "./commands/note-offer.js";
import { COMMANDS, FORMS } from "./commands/registry.js";
import { BotError } from "./errors.js";
import { normalizeLanguage } from "./i18n.js";
import type { Invocation } from "./invocation.js";
import type { Logger, Store } from "./ports.js";
import { BUTTONS, type ButtonId, type FormId, type Reply } from "./render/message.js";
import { createReplyCache } from "./reply-cache.js";
import { REF } from "./tracker/rules.js";
import { trackerFor } from "./tracker/tracker.js";
import type { Language } from "./tracker/types.js";

export type RoutedReply = Reply & { lang: Language };

/**
 * A refusal (bad input, no right), as data: the localized reason, a correct example, and the
 * form field it is about. Each adapter puts it where its platform shows errors.
 */
export interface Refused {
  kind: "refused";
  lang: Language;
  message: string;
  example: string | null;
  field: string | null;
}

/** How a command ended, for metrics and the log: bad input and missing rights are told apart. */
export type CommandOutcome = "ok" | "refused" | "bad_input" | "error";

export interface CommandObservation {
  verb: string;
  platform: string;
  outcome: CommandOutcome;
  seconds: number;
}

/** Refusals for want of a role, as opposed to input the bot could not read. */
const PERMISSION_KEY = /_only(_anywhere)?$/;

/** A refusal as an ephemeral message: the reason, then the example. */
export function refusalReply(refused: Refused): RoutedReply {
  const blocks: { type: "text" | "context"; text: string }[] = [
    { type: "text", text: refused.message },
  ];
  if (refused.example) blocks.push({ type: "context", text: refused.example });
  return {
    kind: "message",
    visibility: "ephemeral",
    doc: { summary: refused.message, blocks },
    lang: refused.lang,
  };
}

export interface FormSubmission {
  form: FormId;
  values: Record<string, string>;
  context: Record<string, string>;
}

/** What adapters may ask of the core. Every method resolves, never throws. */
export interface Router {
  /** Runs one command line. */
  handle(invocation: Invocation): Promise<RoutedReply>;
  /**
   * A click on one of the core's buttons (BUTTONS) about `ref`: the verb's reply, or the form it
   * opens. Null when the button or the reference is not one the core made: it travelled
   * through the client, so it is checked here.
   */
  press(invocation: Invocation, button: string, ref: string): Promise<RoutedReply | Refused | null>;
  /** The form for this person, or why they may not have it. */
  openForm(
    invocation: Invocation,
    form: FormId,
    prefill: Record<string, string>,
  ): Promise<RoutedReply | Refused>;
  /** Validates a submitted form and acts on it, once per request key. */
  submitForm(invocation: Invocation, submission: FormSubmission): Promise<RoutedReply | Refused>;
  /**
   * A message (its text in `invocation.text`) in the thread `threadId` of a channel: when the bot
   * started that thread for a commitment and the writer may add notes to it, an offer to add the
   * message as a note, for them alone. Null otherwise: the bot stays silent.
   */
  threadReply(
    invocation: Invocation,
    threadId: string,
    options?: { unlessCommand?: boolean },
  ): Promise<RoutedReply | null>;
  /**
   * Calls `listener` after every change that went through, from any platform (a personal page
   * may show it); returns a function that stops it.
   */
  onChange(listener: () => void): () => void;
}

/** The verb a line starts with, how many words it took, and the language it is a word of. */
interface ReadVerb {
  verb: CommandName;
  /** The line after the verb. */
  args: string;
  /** Set when the spelling belongs to one language only ("ayuda"), not to several ("reunion"). */
  language: Language | null;
}

/**
 * Reads the verb in any spelling of the three languages, case, accents, hyphens and underscores
 * aside, the longest first: "mettre à jour TIIWG-2 …" is `update`, "à venir" is `upcoming`.
 */
function readVerb(deps: CoreDeps, text: string): ReadVerb | { unknown: string } {
  const words = [...text.matchAll(/\S+/g)];
  const tokens = words.map((w) => w[0]);
  let best: { verb: CommandName; tokens: number; languages: Language[] } | null = null;
  for (const name of Object.keys(COMMANDS) as CommandName[]) {
    const found = deps.i18n.matchSpelling(`verbs:${name}`, tokens);
    if (found && (!best || found.tokens > best.tokens))
      best = { verb: name, tokens: found.tokens, languages: found.spelling.languages };
  }
  if (!best) return { unknown: tokens[0] ?? "" };
  const after = words[best.tokens];
  return {
    verb: best.verb,
    args: after ? text.slice(after.index).trim() : "",
    language: best.languages.length === 1 ? (best.languages[0] as Language) : null,
  };
}

export function createRouter(
  deps: CoreDeps & { logger: Logger; observe?: (o: CommandObservation) => void },
): Router {
  const replies = createReplyCache();
  /** How each refusal or failure reply came about, for `observe`; anything else went well. */
  const outcomes = new WeakMap<object, CommandOutcome>();
  const listeners = new Set<() => void>();
  async function context(
    invocation: Invocation,
    store: Store,
    verbLanguage: Language | null = null,
  ): Promise<CommandContext> {
    const now = deps.clock.now();
    const at = now.toISOString();
    const clientLanguage = normalizeLanguage(invocation.actor.locale);
    const person = await store.people.resolve(
      {
        platform: invocation.platform,
        userId: invocation.actor.userId,
        displayName: invocation.actor.displayName,
      },
      { language: clientLanguage, timeZone: invocation.actor.timeZone ?? null },
      at,
    );
    const actor: Actor = { person, memberships: await store.people.memberships(person.id) };
    const channelGroup = invocation.channelId
      ? await store.groups.forChannel(invocation.platform, invocation.channelId)
      : null;
    // The language chosen with `lang` wins; then the language of the verb typed, when it is a
    // word of one language only ("ayuda", "aide"); then the platform's locale; then what the
    // tracker knows of the person; then the group's first language (README, help).
    const lang =
      invocation.language ??
      (person.languageChosen && person.language ? person.language : null) ??
      verbLanguage ??
      clientLanguage ??
      person.language ??
      channelGroup?.languages[0] ??
      "en";
    return {
      store,
      tracker: trackerFor(store, actor, at),
      clock: deps.clock,
      i18n: deps.i18n,
      documents: deps.documents,
      invocation,
      actor,
      lang,
      l: deps.i18n.localizer(lang, invocation.commandPrefix),
      now,
      at,
      channelGroup,
      publicUrl: deps.publicUrl ?? "http://localhost:3000",
      replies,
    };
  }

  function refusal(lang: Language, commandPrefix: string | undefined, error: BotError): Refused {
    const l = deps.i18n.localizer(lang, commandPrefix);
    // A field name in an error reads in the user's language too.
    const vars =
      typeof error.vars.field === "string"
        ? { ...error.vars, field: l.t(`forms:field.${error.vars.field}`) }
        : error.vars;
    return {
      kind: "refused",
      lang,
      message: l.t(error.key, vars),
      example: error.exampleKey ? l.t("errors:example", { example: l.t(error.exampleKey) }) : null,
      field: error.field ?? null,
    };
  }

  function textReply(lang: Language, text: string): RoutedReply {
    const doc = { summary: text, blocks: [{ type: "text" as const, text }] };
    return { kind: "message", visibility: "ephemeral", doc, lang };
  }

  /**
   * A refused write leaves an audit row of the attempt: who, which verb, why, and what they
   * typed. The change itself rolled back; this row is written on its own.
   */
  async function auditRefusal(ctx: CommandContext, what: string, error: BotError) {
    try {
      await deps.store.audit.record({
        at: ctx.at,
        actor: { personId: ctx.actor.person.id, name: ctx.actor.person.displayName },
        entity: "command",
        ref: what,
        action: "refused",
        after: { reason: error.key, line: ctx.invocation.text.slice(0, 500) },
      });
    } catch (failure) {
      deps.logger.error({ err: failure, requestKey: ctx.invocation.requestKey }, "audit failed");
    }
  }

  type WithinOptions = { write?: boolean; what?: string; verbLanguage?: Language | null };

  /** Runs `work` with the request's context, and tells `observe` how it ended and how fast. */
  async function within(
    invocation: Invocation,
    work: (ctx: CommandContext) => Promise<Reply>,
    options: WithinOptions = {},
  ): Promise<RoutedReply | Refused> {
    const started = performance.now();
    const result = await attempt(invocation, work, options);
    if (options.write && !outcomes.has(result))
      for (const listener of listeners) {
        try {
          listener();
        } catch (error) {
          deps.logger.error({ err: error }, "change listener failed");
        }
      }
    deps.observe?.({
      verb: options.what ?? "unknown",
      platform: invocation.platform,
      outcome: outcomes.get(result) ?? "ok",
      seconds: (performance.now() - started) / 1000,
    });
    return result;
  }

  async function attempt(
    invocation: Invocation,
    work: (ctx: CommandContext) => Promise<Reply>,
    options: WithinOptions,
  ): Promise<RoutedReply | Refused> {
    let lang: Language = normalizeLanguage(invocation.actor.locale) ?? "en";
    let ctx: CommandContext | null = null;
    try {
      ctx = await context(invocation, deps.store, options.verbLanguage ?? null);
      lang = ctx.lang;
      const key = options.write ? invocation.requestKey : undefined;
      if (!key) return { ...(await work(ctx)), lang };
      // The claim and the change commit together: a replay finds the key and acts on nothing.
      const base = ctx;
      const reply = await deps.store.transaction(async (tx) => {
        if (!(await tx.requests.claim(key, base.at))) return null;
        return work({ ...base, store: tx, tracker: trackerFor(tx, base.actor, base.at) });
      });
      if (reply) return { ...reply, lang };
      return textReply(lang, ctx.l.t("errors:duplicate"));
    } catch (error) {
      if (error instanceof BotError) {
        if (options.write && ctx) await auditRefusal(ctx, options.what ?? "command", error);
        const refused = refusal(lang, invocation.commandPrefix, error);
        outcomes.set(refused, PERMISSION_KEY.test(error.key) ? "refused" : "bad_input");
        return refused;
      }
      // A full disk or a read-only store is the operator's to fix: the user is told so, in
      // their language, rather than "something went wrong".
      const cannotWrite = deps.store.writeRefusal(error);
      deps.logger.error(
        {
          err: error,
          requestKey: invocation.requestKey,
          platform: invocation.platform,
          ...(cannotWrite ? { store: cannotWrite } : {}),
        },
        cannotWrite ? "command failed: the store cannot write" : "command failed",
      );
      const failed = textReply(
        lang,
        deps.i18n.localizer(lang).t(cannotWrite ? "errors:store_unwritable" : "errors:internal"),
      );
      outcomes.set(failed, "error");
      return failed;
    }
  }

  async function handle(invocation: Invocation): Promise<RoutedReply> {
    const text = invocation.text.trim().replace(/^\/cmp\b\s*/i, "");
    const read: ReadVerb | { unknown: string } =
      text === "" ? { verb: "help", args: "", language: null } : readVerb(deps, text);
    const result = await within(
      invocation,
      async (ctx) => {
        if ("unknown" in read)
          throw new BotError("errors:unknown_verb", { given: read.unknown }, "examples:help");
        return COMMANDS[read.verb].handle(ctx, read.args);
      },
      "verb" in read
        ? { write: COMMANDS[read.verb].writes, what: read.verb, verbLanguage: read.language }
        : {},
    );
    return result.kind === "refused" ? refusalReply(result) : result;
  }

  const openForm: Router["openForm"] = (invocation, form, prefill) =>
    within(
      invocation,
      async (ctx) => ({ kind: "form", form: await FORMS[form].build(ctx, prefill) }),
      { what: form },
    );

  async function press(invocation: Invocation, button: string, value: string) {
    const action = Object.hasOwn(BUTTONS, button) ? BUTTONS[button as ButtonId] : undefined;
    // "Add as note" carries the text after the item: `update REF note TEXT`, checked as typed.
    const offered = button === "item.add_note" ? readOfferValue(value) : null;
    const ref = offered ? offered.ref : value;
    // A form about the clicker themselves (their settings) takes no reference.
    if (action && "form" in action && action.form === "prefs")
      return openForm(invocation, "prefs", {});
    if (!action || !REF.test(ref) || (button === "item.add_note" && !offered)) return null;
    if ("form" in action) return openForm(invocation, action.form, { ref });
    const command = COMMANDS[action.verb];
    const args = offered ? `${ref} note ${offered.text}` : ref;
    const result = await within(invocation, (ctx) => command.handle(ctx, args), {
      write: command.writes,
      what: action.verb,
    });
    return result.kind === "refused" ? refusalReply(result) : result;
  }

  async function threadReply(
    invocation: Invocation,
    threadId: string,
    options: { unlessCommand?: boolean } = {},
  ) {
    const { channelId } = invocation;
    if (!channelId || !invocation.text.trim()) return null;
    // Where the bot is addressed by @mention (Teams), a command in the thread stays a command.
    if (options.unlessCommand && "verb" in readVerb(deps, invocation.text.trim())) return null;
    const item = await deps.store.schedule.threadItem(invocation.platform, channelId, threadId);
    // Someone the tracker does not know is no member: nothing is offered, and nobody is created.
    if (
      !item ||
      !(await deps.store.people.byIdentity(invocation.platform, invocation.actor.userId))
    )
      return null;
    const result = await within(invocation, (ctx) => offerNote(ctx, item, invocation.text), {
      what: "note_offer",
    });
    return result.kind === "refused" ? null : result;
  }

  return {
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    handle,
    press,
    threadReply,
    openForm,
    submitForm: (invocation, submission) =>
      within(
        invocation,
        (ctx) => FORMS[submission.form].submit(ctx, submission.values, submission.context),
        { write: true, what: submission.form },
      ),
  };
}
