import type { Actor } from "./actor.js";
import type { CommandContext, CommandName, CoreDeps } from "./commands/command.js";
import { COMMANDS, FORMS } from "./commands/registry.js";
import { BotError } from "./errors.js";
import { normalizeLanguage } from "./i18n.js";
import type { Invocation } from "./invocation.js";
import type { Logger, Store } from "./ports.js";
import type { FormId, Reply } from "./render/message.js";
import { trackerFor } from "./tracker/tracker.js";
import type { Language } from "./tracker/types.js";

export type RoutedReply = Reply & { lang: Language };

/** A refusal (bad input, no right): the error, and the reply that explains it. */
export interface Refused {
  kind: "refused";
  error: BotError;
  lang: Language;
  reply: RoutedReply;
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
  /** The form for this person, or why they may not have it. */
  openForm(
    invocation: Invocation,
    form: FormId,
    prefill: Record<string, string>,
  ): Promise<RoutedReply | Refused>;
  /** Validates a submitted form and acts on it, once per request key. */
  submitForm(invocation: Invocation, submission: FormSubmission): Promise<RoutedReply | Refused>;
}

/** Maps every spelling of every verb, in all three languages, to its command. */
function verbTable(deps: CoreDeps): Map<string, CommandName> {
  const table = new Map<string, CommandName>();
  for (const name of Object.keys(COMMANDS) as CommandName[]) {
    for (const spelling of deps.i18n.allSpellings(`verbs:${name}`)) table.set(spelling, name);
  }
  return table;
}

export function createRouter(deps: CoreDeps & { logger: Logger }): Router {
  const verbs = verbTable(deps);

  async function context(invocation: Invocation, store: Store): Promise<CommandContext> {
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
    // An explicit `lang` choice wins; then the client's locale; then what we knew; then English.
    const lang =
      invocation.language ??
      (person.languageChosen && person.language
        ? person.language
        : (clientLanguage ?? person.language ?? "en"));
    const channelGroup = invocation.channelId
      ? await store.groups.forChannel(invocation.platform, invocation.channelId)
      : null;
    return {
      store,
      tracker: trackerFor(store, actor, at),
      clock: deps.clock,
      i18n: deps.i18n,
      invocation,
      actor,
      lang,
      l: deps.i18n.localizer(lang, invocation.commandPrefix),
      now,
      at,
      channelGroup,
    };
  }

  function errorReply(lang: Language, commandPrefix: string | undefined, error: BotError) {
    const l = deps.i18n.localizer(lang, commandPrefix);
    // A field name in an error reads in the user's language too.
    const vars =
      typeof error.vars.field === "string"
        ? { ...error.vars, field: l.t(`forms:field.${error.vars.field}`) }
        : error.vars;
    const text = l.t(error.key, vars);
    const blocks: { type: "text" | "context"; text: string }[] = [{ type: "text", text }];
    if (error.exampleKey)
      blocks.push({
        type: "context",
        text: l.t("errors:example", { example: l.t(error.exampleKey) }),
      });
    return textReply(lang, text, blocks);
  }

  function textReply(
    lang: Language,
    text: string,
    blocks: { type: "text" | "context"; text: string }[] = [{ type: "text", text }],
  ): RoutedReply {
    return { kind: "message", visibility: "ephemeral", doc: { summary: text, blocks }, lang };
  }

  /** Runs `work` with the request's context; a write claims the request key in its transaction. */
  async function within(
    invocation: Invocation,
    work: (ctx: CommandContext) => Promise<Reply>,
    options: { write?: boolean } = {},
  ): Promise<RoutedReply | Refused> {
    let lang: Language = normalizeLanguage(invocation.actor.locale) ?? "en";
    try {
      const ctx = await context(invocation, deps.store);
      lang = ctx.lang;
      const key = options.write ? invocation.requestKey : undefined;
      if (!key) return { ...(await work(ctx)), lang };
      // The claim and the change commit together: a replay finds the key and acts on nothing.
      const reply = await deps.store.transaction(async (tx) => {
        if (!(await tx.requests.claim(key, ctx.at))) return null;
        return work({ ...ctx, store: tx, tracker: trackerFor(tx, ctx.actor, ctx.at) });
      });
      if (reply) return { ...reply, lang };
      return textReply(lang, ctx.l.t("errors:duplicate"));
    } catch (error) {
      if (error instanceof BotError)
        return {
          kind: "refused",
          error,
          lang,
          reply: errorReply(lang, invocation.commandPrefix, error),
        };
      deps.logger.error(
        { err: error, requestKey: invocation.requestKey, platform: invocation.platform },
        "command failed",
      );
      return textReply(lang, deps.i18n.localizer(lang).t("errors:internal"));
    }
  }

  async function handle(invocation: Invocation): Promise<RoutedReply> {
    const text = invocation.text.trim().replace(/^\/cmp\b\s*/i, "");
    const [first = ""] = text.split(/\s+/);
    const verb: CommandName | undefined = first === "" ? "help" : verbs.get(first.toLowerCase());
    const args = text.slice(first.length).trim();
    const result = await within(
      invocation,
      async (ctx) => {
        if (!verb) throw new BotError("errors:unknown_verb", { given: first }, "examples:help");
        return COMMANDS[verb].handle(ctx, args);
      },
      { write: verb !== undefined && COMMANDS[verb].writes },
    );
    return result.kind === "refused" ? result.reply : result;
  }

  return {
    handle,
    openForm: (invocation, form, prefill) =>
      within(invocation, async (ctx) => ({
        kind: "form",
        form: await FORMS[form].build(ctx, prefill),
      })),
    submitForm: (invocation, submission) =>
      within(
        invocation,
        (ctx) => FORMS[submission.form].submit(ctx, submission.values, submission.context),
        { write: true },
      ),
  };
}
