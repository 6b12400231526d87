import {
  type Activity,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type ConversationReference,
  type FileConsentCardResponse,
  type MessagingExtensionAction,
  type MessagingExtensionActionResponse,
  type TaskModuleRequest,
  type TaskModuleResponse,
  TeamsActivityHandler,
  TurnContext,
} from "botbuilder";
import type { Logger } from "pino";
import type { TeamsConfig } from "../../config.js";
import type { Directory } from "../../core/directory.js";
import { type I18n, normalizeLanguage } from "../../core/i18n.js";
import type { Invocation } from "../../core/invocation.js";
import type { Notifier } from "../../core/notifier.js";
import { stackLanguages } from "../../core/render/message.js";
import { type Router, refusalReply } from "../../core/router.js";
import { LANGUAGES, type Language } from "../../core/tracker/types.js";
import {
  BUSY_AFTER_MS,
  BUSY_ANSWER_DELAY_MS,
  delay,
  type WorkQueue,
} from "../../core/work-queue.js";
import type { RouteHandler } from "../../http/server.js";
import type { Metrics } from "../../ops/metrics.js";
import { type RetryPolicy, SingleAttemptAuthentication, sendWithRetry } from "./connector.js";
import { createAccounts } from "./teams.accounts.js";
import { fileConsent } from "./teams.files.js";
import { cardActivity, createTeamsNotifier } from "./teams.notifier.js";
import { createTeamsReplies, docOf, simpleDoc } from "./teams.replies.js";
import {
  type AdaptiveCard,
  CARD_CONTENT_TYPE,
  HOME_REFRESH_VERB,
  readSubmission,
  refreshedFor,
  renderCards,
} from "./to-adaptive-card.js";
import {
  baseInvocation,
  conversationKey,
  isPersonalChat,
  type MessagePayload,
  mentionsBot,
  messageSource,
  messageText,
  teamsUserId,
  threadRootOf,
  toInvocation,
} from "./to-invocation.js";
import { attachedFiles, isLoopback, readJson } from "./transport.js";
import { authOptions, VerifiedCloudAdapter, verifyRequest } from "./verify.js";

// The Teams adapter: botbuilder's CloudAdapter behind POST /api/messages. It turns activities
// into Invocations for the router and replies into Adaptive Cards; it holds no tracker logic.
// botbuilder stays inside src/adapters/teams, so moving to its successor (the Microsoft 365
// Agents SDK) touches only this folder.

/** The message extension command declared in manifest/teams/manifest.json. */
export const LOG_DECISION_COMMAND = "logDecision";

/** Teams waits about 5 s for an invoke answer; a message turn may take longer. */
const INVOKE_RETRIES: RetryPolicy = { attempts: 3, budgetMs: 2_500 };
const MESSAGE_RETRIES: RetryPolicy = { attempts: 4, budgetMs: 10_000 };
const CONNECTOR_TIMEOUT_MS = 10_000;

export interface TeamsAdapterDeps {
  router: Router;
  /** Commands run through the app's bounded queue (see src/core/work-queue.ts). */
  queue: WorkQueue;
  /** Counts the Bot Connector calls and their outcomes. */
  metrics?: Metrics;
  /** People's platform accounts and the conversations the bot may post in later. */
  directory: Directory;
  i18n: I18n;
  logger: Logger;
  settings: TeamsConfig;
  /** Overrides for tests (waiting on Retry-After). */
  retries?: { message?: RetryPolicy; invoke?: RetryPolicy };
  /** Tests: where token signing keys are looked up (a loopback fake of Microsoft's metadata). */
  openIdMetadataUrl?: string;
}

export interface TeamsAdapter {
  /** The POST /api/messages handler. */
  handler: RouteHandler;
  /** Proactive posts, for the scheduler. */
  notifier: Notifier;
}

const STATUS_TEXT = { 401: "unauthorized", 403: "forbidden" } as const;

export function createTeamsAdapter(deps: TeamsAdapterDeps): TeamsAdapter {
  const { router, queue, directory, i18n, logger, settings } = deps;
  const messageRetries = deps.retries?.message ?? MESSAGE_RETRIES;
  const invokeRetries = deps.retries?.invoke ?? INVOKE_RETRIES;
  const auth = new SingleAttemptAuthentication(
    authOptions(settings, deps.openIdMetadataUrl),
    CONNECTOR_TIMEOUT_MS,
    deps.metrics,
  );
  const adapter = new VerifiedCloudAdapter(auth);
  adapter.onTurnError = async (context, error) => {
    logger.error(
      { err: error, activityId: context.activity.id, type: context.activity.type },
      "teams turn failed",
    );
  };

  const { qualify, linkAccountIds, mentionIds } = createAccounts({ directory, logger });
  const t = (lang: Language, key: string, vars?: Record<string, unknown>) =>
    i18n.localizer(lang).t(key, vars);
  const langOf = (context: TurnContext): Language =>
    normalizeLanguage(context.activity.locale) ?? "en";

  /**
   * Stores where the bot can post later. A channel is stored under its own id (a thread's id
   * without ";messageid="), so a proactive post starts a new thread there; a personal chat is
   * stored with its person, for direct messages.
   */
  async function rememberConversation(context: TurnContext): Promise<void> {
    const activity = context.activity;
    if (!activity.conversation?.id || !activity.serviceUrl) return;
    const key = conversationKey(activity.conversation.id);
    const { activityId: _thread, ...reference } = TurnContext.getConversationReference(activity);
    const stored: Partial<ConversationReference> = {
      ...reference,
      conversation: { ...activity.conversation, id: key },
    };
    const personal = isPersonalChat(activity) && activity.from ? teamsUserId(activity.from) : null;
    await directory.saveConversation(key, stored, personal);
  }

  /** Continues the personal chat the person has with the bot; false when there is none yet. */
  async function inPersonalChat(
    context: TurnContext,
    work: (personal: TurnContext) => Promise<void>,
  ): Promise<boolean> {
    const from = context.activity.from;
    const ref = from ? await directory.personalConversationOf(teamsUserId(from)) : null;
    if (!ref) return false;
    await adapter.continueConversationAsync(
      settings.appId ?? "",
      ref as Partial<ConversationReference>,
      async (personal) => {
        // A proactive post is a new message, not a reply to the activity it continues from.
        personal.onSendActivities(async (_context, activities, next) => {
          for (const activity of activities) delete activity.replyToId;
          return next();
        });
        await work(personal);
      },
    );
    return true;
  }

  const { sendDoc, sendReply, openForm, messageDialog, submitDialog } = createTeamsReplies({
    router,
    i18n,
    messageRetries,
    inPersonalChat,
  });
  const acceptFile = fileConsent({
    router,
    i18n,
    logger,
    settings,
    sendDoc,
    retries: invokeRetries,
    timeoutMs: CONNECTOR_TIMEOUT_MS,
  });

  class CmpBot extends TeamsActivityHandler {
    constructor() {
      super();
      this.onMessage(async (context, next) => {
        await this.message(context);
        await next();
      });
      this.onConversationUpdate(async (context, next) => {
        await rememberConversation(context);
        const botId = context.activity.recipient?.id;
        if (context.activity.membersAdded?.some((m) => m.id === botId)) await this.welcome(context);
        await next();
      });
      this.onInstallationUpdateAdd(async (context, next) => {
        await rememberConversation(context);
        await next();
      });
    }

    private async message(context: TurnContext): Promise<void> {
      const activity = context.activity;
      await linkAccountIds(activity.from);
      // In channels and group chats the bot is addressed by @mention; in a personal chat
      // everything is for it. Our cards' buttons send invokes: a message carrying a value and
      // no text (another app's card) is not a command.
      const addressed = isPersonalChat(activity) || mentionsBot(activity);
      if (!addressed || (!activity.text?.trim() && activity.value)) {
        await rememberConversation(context);
        return;
      }
      if (queue.expectedWaitMs() > BUSY_AFTER_MS) {
        await delay(BUSY_ANSWER_DELAY_MS, null);
        await sendDoc(context, simpleDoc(t(langOf(context), "errors:busy")), langOf(context));
        return;
      }
      const invocation = toInvocation(activity, await mentionIds(context));
      invocation.files = attachedFiles(settings, activity, CONNECTOR_TIMEOUT_MS);
      // "@CMP …" that is no command, in the thread of a commitment: offered as a note.
      const root = isPersonalChat(activity) ? null : threadRootOf(activity.conversation?.id);
      const reply = await queue.run(
        async () =>
          (root && (await router.threadReply(invocation, root, { unlessCommand: true }))) ||
          router.handle(invocation),
      );
      await rememberConversation(context);
      await sendReply(context, reply, invocation);
    }

    private async welcome(context: TurnContext): Promise<void> {
      // Nobody has chosen a language for a new conversation yet: all three, stacked.
      const key = isPersonalChat(context.activity)
        ? "teams:welcome.personal"
        : "teams:welcome.channel";
      const docs = LANGUAGES.map((lang) => simpleDoc(t(lang, key)));
      await sendDoc(context, stackLanguages(docs), langOf(context));
    }

    protected override async handleTeamsMessagingExtensionFetchTask(
      context: TurnContext,
      action: MessagingExtensionAction,
    ): Promise<MessagingExtensionActionResponse> {
      await linkAccountIds(context.activity.from);
      if (action.commandId !== LOG_DECISION_COMMAND) return this.unknownAction(context);
      const payload = action.messagePayload as MessagePayload | undefined;
      const invocation = baseInvocation(context.activity, "");
      return openForm(
        { ...invocation, source: messageSource(context.activity, payload) },
        { form: "decide", context: {} },
        { text: messageText(payload) },
      );
    }

    protected override async handleTeamsMessagingExtensionSubmitAction(
      context: TurnContext,
      action: MessagingExtensionAction,
    ): Promise<MessagingExtensionActionResponse> {
      await linkAccountIds(context.activity.from);
      const submission = readSubmission(action.data);
      if (action.commandId !== LOG_DECISION_COMMAND || submission?.form !== "decide")
        return this.unknownAction(context);
      const payload = action.messagePayload as MessagePayload | undefined;
      const invocation: Invocation = {
        ...baseInvocation(context.activity, ""),
        source: messageSource(context.activity, payload),
        language: submission.lang,
      };
      const response = await submitDialog(invocation, submission, async (reply) => {
        // Posted into the conversation (a channel message's thread) for the group to see.
        const doc = docOf(reply);
        if (doc) await sendDoc(context, doc, reply.lang, invokeRetries);
      });
      return response ?? {};
    }

    protected override async handleTeamsTaskModuleFetch(
      context: TurnContext,
      request: TaskModuleRequest,
    ): Promise<TaskModuleResponse> {
      await linkAccountIds(context.activity.from);
      const launch = readSubmission(request.data);
      if (!launch) return this.unknownAction(context);
      return openForm(baseInvocation(context.activity, ""), launch);
    }

    protected override async handleTeamsTaskModuleSubmit(
      context: TurnContext,
      request: TaskModuleRequest,
    ): Promise<TaskModuleResponse> {
      await linkAccountIds(context.activity.from);
      const submission = readSubmission(request.data);
      if (!submission) return this.unknownAction(context);
      const invocation = { ...baseInvocation(context.activity, ""), language: submission.lang };
      const response = await submitDialog(invocation, submission, async (reply) => {
        const doc = docOf(reply);
        if (!doc) return;
        const [card] = renderCards(doc, { lang: reply.lang });
        const cardId = context.activity.replyToId;
        // The card whose button opened the dialog shows the outcome in its place.
        if (cardId && card)
          await sendWithRetry(
            () => context.updateActivity({ ...cardActivity(card, doc.summary), id: cardId }),
            invokeRetries,
          );
        else await sendDoc(context, doc, reply.lang, invokeRetries);
      });
      return response ?? ({} as TaskModuleResponse);
    }

    protected override async handleTeamsFileConsentAccept(
      context: TurnContext,
      response: FileConsentCardResponse,
    ): Promise<void> {
      await acceptFile(context, response);
    }

    protected override async handleTeamsFileConsentDecline(): Promise<void> {
      // Declining needs no answer: the consent card already says the file was not sent.
    }

    protected override async onAdaptiveCardInvoke(
      context: TurnContext,
      value: AdaptiveCardInvokeValue,
    ): Promise<AdaptiveCardInvokeResponse> {
      await linkAccountIds(context.activity.from);
      if (value.action?.verb === HOME_REFRESH_VERB) {
        // The viewer's own page, drawn again as they look at it: not a "look" to record.
        const page = { ...baseInvocation(context.activity, "mycmp"), passive: true };
        const reply = await router.handle(page);
        const [card] = renderCards(docOf(reply) ?? simpleDoc(""), { lang: reply.lang });
        const [fresh] = refreshedFor([card as AdaptiveCard], context.activity.from?.id ?? "");
        return { statusCode: 200, type: CARD_CONTENT_TYPE, value: fresh as never };
      }
      // Action.Execute carries the core's button id as its verb (to-adaptive-card.ts).
      const ref = (value.action?.data as { ref?: unknown } | undefined)?.ref;
      const pressed =
        typeof ref === "string"
          ? await router.press(baseInvocation(context.activity, ""), value.action?.verb ?? "", ref)
          : null;
      // Buttons that open a form are task/fetch submits, never Action.Execute.
      if (!pressed || pressed.kind === "form")
        return {
          statusCode: 400,
          type: "application/vnd.microsoft.error",
          value: { code: "BadRequest", message: "unknown card action" },
        };
      const reply = pressed.kind === "refused" ? refusalReply(pressed) : pressed;
      const doc = docOf(reply);
      if (reply.kind === "message" && reply.visibility === "in_channel" && doc) {
        // The outcome replaces the card: its buttons go, so nobody acts on a stale card.
        const [card] = renderCards(doc, { lang: reply.lang });
        return {
          statusCode: 200,
          type: CARD_CONTENT_TYPE,
          value: card as unknown as Record<string, unknown>,
        };
      }
      // A refusal, "already done" or a duplicate: said to the person who clicked, card unchanged.
      return {
        statusCode: 200,
        type: "application/vnd.microsoft.activity.message",
        value: (doc?.summary ?? "") as unknown as Record<string, unknown>,
      };
    }

    private unknownAction(context: TurnContext) {
      const lang = langOf(context);
      const doc = simpleDoc(t(lang, "teams:unknown_action"));
      return messageDialog({ kind: "message", visibility: "ephemeral", doc, lang }, lang);
    }
  }

  const bot = new CmpBot();

  const handler: RouteHandler = async (req, res) => {
    const refuse = (status: 401 | 403, reason: string, activityType?: unknown) => {
      logger.warn(
        { status, reason, remote: req.socket.remoteAddress, activityType },
        "teams request refused",
      );
      res.writeHead(status, { "content-type": "text/plain" }).end(STATUS_TEXT[status]);
    };
    // Unauthenticated mode answers only this machine: anyone reaching it could act as anyone.
    if (settings.allowUnauthenticated && !isLoopback(req.socket.remoteAddress)) {
      refuse(403, "unauthenticated mode answers loopback only");
      return;
    }
    const body = await readJson(req);
    if (!body.ok) {
      res.writeHead(body.status, { "content-type": "text/plain" }).end(body.message);
      return;
    }
    const activity = body.value as unknown as Activity;
    const verified = await verifyRequest(auth, activity, req.headers.authorization, {
      enabled: settings.appId !== null,
      nowMs: Date.now(),
    });
    if (!verified.ok) {
      refuse(401, verified.reason, activity.type);
      return;
    }
    try {
      const invoke = await adapter.runVerified(verified.result, activity, async (context) => {
        await qualify(context);
        await bot.run(context);
      });
      const status = invoke?.status ?? 200;
      if (invoke?.body === undefined) res.writeHead(status).end();
      else
        res
          .writeHead(status, { "content-type": "application/json; charset=utf-8" })
          .end(JSON.stringify(invoke.body));
    } catch (error) {
      // Details stay in the log; the caller learns only that it failed.
      logger.error({ err: error, activityId: activity.id }, "teams request failed");
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      if (!res.writableEnded) res.end("internal error");
    }
  };

  const notifier = createTeamsNotifier({ adapter, appId: settings.appId ?? "", directory });
  return { handler, notifier };
}
