import type { IncomingMessage } from "node:http";
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
  TeamsInfo,
  TurnContext,
} from "botbuilder";
import type { Logger } from "pino";
import type { TeamsConfig } from "../../config.js";
import { type I18n, normalizeLanguage } from "../../core/i18n.js";
import type { Invocation } from "../../core/invocation.js";
import type { Clock, Notifier, Store } from "../../core/ports.js";
import { type MessageDoc, type Reply, stackLanguages } from "../../core/render/message.js";
import { type Refused, type RoutedReply, type Router, refusalReply } from "../../core/router.js";
import { LANGUAGES, type Language } from "../../core/tracker/types.js";
import type { RouteHandler } from "../../http/server.js";
import { type RetryPolicy, SingleAttemptAuthentication, sendWithRetry } from "./connector.js";
import { cardActivity, createTeamsNotifier } from "./teams.notifier.js";
import {
  type AdaptiveCard,
  CARD_CONTENT_TYPE,
  dialog,
  type FieldError,
  formLauncherCard,
  readSubmission,
  renderCards,
  renderFormCard,
  type Submission,
} from "./to-adaptive-card.js";
import {
  baseInvocation,
  conversationKey,
  isPersonalChat,
  type MessagePayload,
  mentionedUsers,
  mentionsBot,
  messageSource,
  messageText,
  type TeamsAccount,
  teamsUserId,
  toInvocation,
} from "./to-invocation.js";
import { VerifiedCloudAdapter, verifyRequest } from "./verify.js";

// The Teams adapter: botbuilder's CloudAdapter behind POST /api/messages. It turns activities
// into Invocations for the router and replies into Adaptive Cards; it holds no tracker logic.
// botbuilder stays inside src/adapters/teams, so moving to its successor (the Microsoft 365
// Agents SDK) touches only this folder.

/** The message extension command declared in manifest/teams/manifest.json. */
export const LOG_DECISION_COMMAND = "logDecision";

const FILE_CONSENT_CARD = "application/vnd.microsoft.teams.card.file.consent";
const FILE_INFO_CARD = "application/vnd.microsoft.teams.card.file.info";
const EXPORT_ARGS_KEY = "cmpExport";

/** Teams waits about 5 s for an invoke answer; a message turn may take longer. */
const INVOKE_RETRIES: RetryPolicy = { attempts: 3, budgetMs: 2_500 };
const MESSAGE_RETRIES: RetryPolicy = { attempts: 4, budgetMs: 10_000 };
const CONNECTOR_TIMEOUT_MS = 10_000;
const MAX_BODY_BYTES = 1_000_000;

export interface TeamsAdapterDeps {
  router: Router;
  store: Store;
  i18n: I18n;
  clock: Clock;
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

/**
 * Bot Framework's public-cloud endpoints (botbuilder's AuthenticationConstants, which botbuilder
 * does not export), given in full when a test points token verification at a loopback fake of
 * the OpenID metadata: botbuilder uses all of them as soon as one is set.
 */
const PUBLIC_CLOUD = {
  ValidateAuthority: true,
  ToChannelFromBotLoginUrl: "https://login.microsoftonline.com/botframework.com",
  ToChannelFromBotOAuthScope: "https://api.botframework.com",
  ToBotFromChannelTokenIssuer: "https://api.botframework.com",
  OAuthUrl: "https://api.botframework.com",
  CallerId: "urn:botframework:azure",
};

function authOptions(settings: TeamsConfig, openIdMetadataUrl: string | undefined) {
  if (!settings.appId) return {};
  return {
    MicrosoftAppId: settings.appId,
    MicrosoftAppPassword: settings.appPassword ?? undefined,
    MicrosoftAppTenantId: settings.tenantId ?? undefined,
    MicrosoftAppType: settings.appType,
    ...(openIdMetadataUrl
      ? {
          ...PUBLIC_CLOUD,
          ToBotFromChannelOpenIdMetadataUrl: openIdMetadataUrl,
          ToBotFromEmulatorOpenIdMetadataUrl: openIdMetadataUrl,
        }
      : {}),
  };
}

const STATUS_TEXT = { 401: "unauthorized", 403: "forbidden" } as const;

function isRefused(result: RoutedReply | Refused): result is Refused {
  return result.kind === "refused";
}

function docOf(reply: RoutedReply | Reply): MessageDoc | null {
  return reply.kind === "form" ? null : reply.doc;
}

export function createTeamsAdapter(deps: TeamsAdapterDeps): TeamsAdapter {
  const { router, store, i18n, clock, logger, settings } = deps;
  const messageRetries = deps.retries?.message ?? MESSAGE_RETRIES;
  const invokeRetries = deps.retries?.invoke ?? INVOKE_RETRIES;
  const auth = new SingleAttemptAuthentication(
    authOptions(settings, deps.openIdMetadataUrl),
    CONNECTOR_TIMEOUT_MS,
  );
  const adapter = new VerifiedCloudAdapter(auth);
  adapter.onTurnError = async (context, error) => {
    logger.error(
      { err: error, activityId: context.activity.id, type: context.activity.type },
      "teams turn failed",
    );
  };

  const t = (lang: Language, key: string, vars?: Record<string, unknown>) =>
    i18n.localizer(lang).t(key, vars);
  const langOf = (context: TurnContext): Language =>
    normalizeLanguage(context.activity.locale) ?? "en";

  async function send(
    context: TurnContext,
    cards: AdaptiveCard[],
    summary: string,
    policy = messageRetries,
  ) {
    for (const card of cards)
      await sendWithRetry(() => context.sendActivity(cardActivity(card, summary)), policy);
  }

  async function sendDoc(
    context: TurnContext,
    doc: MessageDoc,
    lang: Language,
    policy?: RetryPolicy,
  ) {
    await send(context, renderCards(doc, { lang }), doc.summary, policy);
  }

  async function sendReply(
    context: TurnContext,
    reply: RoutedReply,
    invocation: Invocation,
  ): Promise<void> {
    if (reply.kind === "form") {
      const card = formLauncherCard(reply.form, t(reply.lang, "teams:form.open"), reply.lang);
      await send(context, [card], reply.form.title);
      return;
    }
    if (reply.kind === "file") {
      if (!isPersonalChat(context.activity)) {
        const note = t(reply.lang, "teams:file.personal_chat_only");
        const blocks = [...reply.doc.blocks, { type: "context" as const, text: note }];
        await sendDoc(context, { ...reply.doc, blocks }, reply.lang);
        return;
      }
      await sendDoc(context, reply.doc, reply.lang);
      // Teams takes a bot's file only after the person accepts it into their OneDrive. The
      // card carries the command, not the file: on acceptance the export runs again, with the
      // permissions of the person who accepts, and nothing waits in memory meanwhile.
      const args = invocation.text.trim().split(/\s+/).slice(1).join(" ");
      const consent = {
        contentType: FILE_CONSENT_CARD,
        name: reply.filename,
        content: {
          description: reply.doc.summary,
          sizeInBytes: Buffer.byteLength(reply.content, "utf8"),
          acceptContext: { [EXPORT_ARGS_KEY]: args },
          declineContext: {},
        },
      };
      await sendWithRetry(
        () => context.sendActivity({ type: "message", attachments: [consent] }),
        messageRetries,
      );
      return;
    }
    await sendDoc(context, reply.doc, reply.lang);
  }

  /**
   * People appear under two ids: the AAD object id (what imports name) and the bot-scoped
   * "29:" id (what @mentions carry). Linking both to one person keeps them one person.
   */
  async function linkAccountIds(account: TeamsAccount | undefined): Promise<void> {
    if (!account?.aadObjectId || !account.id || account.aadObjectId === account.id) return;
    const byAad = await store.people.byIdentity("teams", account.aadObjectId);
    const byBotId = await store.people.byIdentity("teams", account.id);
    if (byAad && !byBotId) await store.people.linkIdentity(byAad.id, "teams", account.id);
    else if (byBotId && !byAad)
      await store.people.linkIdentity(byBotId.id, "teams", account.aadObjectId);
  }

  /** AAD ids of mentioned people we have not met, asked of Teams (mentions carry "29:" ids). */
  async function mentionIds(context: TurnContext): Promise<Map<string, string>> {
    const known = new Map<string, string>();
    for (const account of mentionedUsers(context.activity)) {
      if (account.aadObjectId || (await store.people.byIdentity("teams", account.id))) continue;
      try {
        const member = await TeamsInfo.getMember(context, account.id);
        if (member.aadObjectId) known.set(account.id, member.aadObjectId);
      } catch (error) {
        logger.warn({ err: error }, "could not look up a mentioned Teams user");
      }
    }
    return known;
  }

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
    const person =
      isPersonalChat(activity) && activity.from
        ? await store.people.byIdentity("teams", teamsUserId(activity.from))
        : null;
    await store.conversations.save(
      "teams",
      key,
      stored,
      person?.id ?? null,
      clock.now().toISOString(),
    );
  }

  async function openForm(
    invocation: Invocation,
    submission: Pick<Submission, "form" | "context">,
    values: Record<string, string> = {},
    error?: FieldError,
  ): Promise<TaskModuleResponse> {
    const prefill = { ...submission.context, ...(values.group ? { group: values.group } : {}) };
    const result = await router.openForm(invocation, submission.form, prefill);
    if (result.kind === "form") {
      const form = {
        ...result.form,
        fields: result.form.fields.map((f) => ({ ...f, initial: values[f.name] ?? f.initial })),
      };
      const requiredMessage = t(result.lang, "teams:form.required");
      const card = renderFormCard(form, { lang: result.lang, requiredMessage, error });
      return dialog(form.title, card) as TaskModuleResponse;
    }
    const reply = isRefused(result) ? refusalReply(result) : result;
    return messageDialog(reply, result.lang);
  }

  function messageDialog(reply: RoutedReply, lang: Language): TaskModuleResponse {
    const doc = docOf(reply) ?? { summary: "", blocks: [] };
    const [card] = renderCards(doc, { lang });
    return dialog(t(lang, "teams:dialog_title"), card as AdaptiveCard) as TaskModuleResponse;
  }

  /** Submits a dialog: a refusal shows the form again with the error where it belongs. */
  async function submitDialog(
    invocation: Invocation,
    submission: Submission,
    onSuccess: (reply: RoutedReply) => Promise<void>,
  ): Promise<TaskModuleResponse | undefined> {
    const result = await router.submitForm(invocation, submission);
    if (isRefused(result))
      return openForm(
        { ...invocation, requestKey: undefined },
        submission,
        submission.values,
        result,
      );
    if (result.kind === "message" && result.visibility === "ephemeral")
      // A duplicate submission or a generic failure: nothing to post, say it in the dialog.
      return messageDialog(result, result.lang);
    await onSuccess(result);
    return undefined;
  }

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
      const invocation = toInvocation(activity, await mentionIds(context));
      const reply = await router.handle(invocation);
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
      const args = (response.context as Record<string, unknown> | undefined)?.[EXPORT_ARGS_KEY];
      const upload = response.uploadInfo;
      if (typeof args !== "string" || !upload?.uploadUrl || !uploadAllowed(upload.uploadUrl)) {
        await sendDoc(
          context,
          simpleDoc(t(langOf(context), "teams:unknown_action")),
          langOf(context),
        );
        return;
      }
      const reply = await router.handle(baseInvocation(context.activity, `export ${args}`.trim()));
      if (reply.kind !== "file") {
        const doc = docOf(reply);
        if (doc) await sendDoc(context, doc, reply.lang, invokeRetries);
        return;
      }
      const data = Buffer.from(reply.content, "utf8");
      try {
        // The whole file in one PUT to the OneDrive upload session Teams opened: an export is
        // far below the 60 MiB a single fragment may carry.
        const uploaded = await fetch(upload.uploadUrl, {
          method: "PUT",
          headers: {
            "content-type": reply.mimeType,
            "content-range": `bytes 0-${data.length - 1}/${data.length}`,
          },
          body: data,
          signal: AbortSignal.timeout(CONNECTOR_TIMEOUT_MS),
        });
        if (!uploaded.ok) throw new Error(`upload answered HTTP ${uploaded.status}`);
      } catch (error) {
        logger.warn({ err: error }, "could not upload an export to OneDrive");
        await sendDoc(context, simpleDoc(t(reply.lang, "teams:file.upload_failed")), reply.lang);
        return;
      }
      const info = {
        contentType: FILE_INFO_CARD,
        name: upload.name,
        contentUrl: upload.contentUrl,
        content: { uniqueId: upload.uniqueId, fileType: upload.fileType },
      };
      await sendWithRetry(
        () => context.sendActivity({ type: "message", attachments: [info] }),
        invokeRetries,
      );
    }

    protected override async handleTeamsFileConsentDecline(): Promise<void> {
      // Declining needs no answer: the consent card already says the file was not sent.
    }

    protected override async onAdaptiveCardInvoke(
      context: TurnContext,
      value: AdaptiveCardInvokeValue,
    ): Promise<AdaptiveCardInvokeResponse> {
      await linkAccountIds(context.activity.from);
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
      const invoke = await adapter.runVerified(verified.result, activity, (context) =>
        bot.run(context),
      );
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

  /** Uploads go only to Microsoft's https endpoints; plain http only in local testing. */
  function uploadAllowed(url: string): boolean {
    try {
      const { protocol } = new URL(url);
      return protocol === "https:" || (settings.allowUnauthenticated && protocol === "http:");
    } catch {
      return false;
    }
  }

  const notifier = createTeamsNotifier({ adapter, appId: settings.appId ?? "", store });
  return { handler, notifier };
}

function simpleDoc(text: string): MessageDoc {
  return { summary: text, blocks: [{ type: "text", text }] };
}

function isLoopback(address: string | undefined): boolean {
  return address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1";
}

async function readJson(
  req: IncomingMessage,
): Promise<
  { ok: true; value: Record<string, unknown> } | { ok: false; status: number; message: string }
> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return { ok: false, status: 413, message: "payload too large" };
    chunks.push(chunk as Buffer);
  }
  try {
    const value = JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
    if (
      value &&
      typeof value === "object" &&
      !Array.isArray(value) &&
      typeof (value as { type?: unknown }).type === "string"
    )
      return { ok: true, value: value as Record<string, unknown> };
  } catch {
    // Answered below.
  }
  return { ok: false, status: 400, message: "expected a JSON activity" };
}
