import type { Actor } from "./actor.js";
import type { CommandContext, CommandName, CoreDeps } from "./commands/command.js";
import { COMMANDS, WRITE_COMMANDS } from "./commands/registry.js";
import { BotError } from "./errors.js";
import { normalizeLanguage } from "./i18n.js";
import type { Invocation } from "./invocation.js";
import type { Reply } from "./render/message.js";
import type { Language } from "./tracker/types.js";

export type RoutedReply = Reply & { lang: Language };

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
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

export interface Router {
  /** Runs one command line; always resolves to a reply, never throws. */
  handle(invocation: Invocation): Promise<RoutedReply>;
  /** Runs `work` with the full command context, turning refusals into replies like `handle`. */
  within(
    invocation: Invocation,
    work: (ctx: CommandContext) => Promise<Reply>,
    options?: { write?: boolean; verb?: string },
  ): Promise<
    RoutedReply | { kind: "refused"; error: BotError; lang: Language; reply: RoutedReply }
  >;
  context(invocation: Invocation): Promise<CommandContext>;
  errorReply(ctx: { lang: Language; commandPrefix?: string }, error: BotError): RoutedReply;
}

/** Maps every spelling of every verb, in all three languages, to its command. */
function verbTable(deps: CoreDeps): Map<string, CommandName> {
  const table = new Map<string, CommandName>();
  for (const name of Object.keys(COMMANDS) as CommandName[]) {
    for (const spelling of deps.i18n.allSpellings(`verbs:${name}`)) table.set(spelling, name);
  }
  return table;
}

export function createRouter(
  deps: CoreDeps & { logger: Logger; observe?: (o: CommandObservation) => void },
): Router {
  const verbs = verbTable(deps);
  /** Replies that stand for an unexpected failure, told apart for `observe`. */
  const failures = new WeakSet<object>();

  async function context(invocation: Invocation): Promise<CommandContext> {
    const now = deps.clock.now();
    const at = now.toISOString();
    const clientLanguage = normalizeLanguage(invocation.actor.locale);
    const person = await deps.store.people.resolve(
      {
        platform: invocation.platform,
        userId: invocation.actor.userId,
        displayName: invocation.actor.displayName,
      },
      { language: clientLanguage, timeZone: invocation.actor.timeZone ?? null },
      at,
    );
    const actor: Actor = { person, memberships: await deps.store.people.memberships(person.id) };
    // An explicit `lang` choice wins; then the client's locale; then what we knew; then English.
    const lang =
      invocation.language ??
      (person.languageChosen && person.language
        ? person.language
        : (clientLanguage ?? person.language ?? "en"));
    const channelGroup = invocation.channelId
      ? await deps.store.groups.forChannel(invocation.platform, invocation.channelId)
      : null;
    return {
      ...deps,
      invocation,
      actor,
      lang,
      l: deps.i18n.localizer(lang, invocation.commandPrefix),
      now,
      at,
      channelGroup,
    };
  }

  function errorReply(
    ctx: { lang: Language; commandPrefix?: string },
    error: BotError,
  ): RoutedReply {
    const l = deps.i18n.localizer(ctx.lang, ctx.commandPrefix);
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
    return {
      kind: "message",
      visibility: "ephemeral",
      doc: { summary: text, blocks },
      lang: ctx.lang,
    };
  }

  function genericFailure(lang: Language): RoutedReply {
    const text = deps.i18n.localizer(lang).t("errors:internal");
    const reply: RoutedReply = {
      kind: "message",
      visibility: "ephemeral",
      doc: { summary: text, blocks: [{ type: "text", text }] },
      lang,
    };
    failures.add(reply);
    return reply;
  }

  async function within(
    invocation: Invocation,
    work: (ctx: CommandContext) => Promise<Reply>,
    options: { write?: boolean; verb?: string } = {},
  ) {
    const started = performance.now();
    const result = await attempt(invocation, work, options);
    deps.observe?.({
      verb: options.verb ?? "form",
      platform: invocation.platform,
      outcome:
        result.kind === "refused"
          ? PERMISSION_KEY.test(result.error.key)
            ? "refused"
            : "bad_input"
          : failures.has(result)
            ? "error"
            : "ok",
      seconds: (performance.now() - started) / 1000,
    });
    return result;
  }

  async function attempt(
    invocation: Invocation,
    work: (ctx: CommandContext) => Promise<Reply>,
    options: { write?: boolean },
  ) {
    let lang: Language = normalizeLanguage(invocation.actor.locale) ?? "en";
    try {
      const ctx = await context(invocation);
      lang = ctx.lang;
      const key = options.write ? invocation.requestKey : undefined;
      if (!key) return { ...(await work(ctx)), lang: ctx.lang };
      // The claim and the change commit together: a replay finds the key and acts on nothing.
      const reply = await deps.store.transaction(async (tx) => {
        if (!(await tx.requests.claim(key, ctx.at))) return null;
        return work({ ...ctx, store: tx });
      });
      if (reply) return { ...reply, lang: ctx.lang };
      const text = ctx.l.t("errors:duplicate");
      return {
        kind: "message" as const,
        visibility: "ephemeral" as const,
        doc: { summary: text, blocks: [{ type: "text" as const, text }] },
        lang,
      };
    } catch (error) {
      if (error instanceof BotError)
        return {
          kind: "refused" as const,
          error,
          lang,
          reply: errorReply({ lang, commandPrefix: invocation.commandPrefix }, error),
        };
      deps.logger.error(
        { err: error, requestKey: invocation.requestKey, platform: invocation.platform },
        "command failed",
      );
      return genericFailure(lang);
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
        return COMMANDS[verb].run(ctx, args);
      },
      { write: verb !== undefined && WRITE_COMMANDS.has(verb), verb: verb ?? "unknown" },
    );
    return result.kind === "refused" ? result.reply : result;
  }

  return { handle, within, context, errorReply };
}
