import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type BlockAction,
  App as BoltApp,
  type Logger as BoltLogger,
  type ButtonAction,
  HTTPReceiver,
  LogLevel,
  type MessageShortcut,
  type ViewSubmitAction,
  webApi,
} from "@slack/bolt";
import type { Logger } from "pino";
import type { App } from "../../app.js";
import { ConfigError, type SlackConfig } from "../../config.js";
import { normalizeLanguage } from "../../core/i18n.js";
import type { Notifier } from "../../core/ports.js";
import { BUTTONS, type FormDoc } from "../../core/render/message.js";
import { type Refused, type RoutedReply, refusalReply } from "../../core/router.js";
import type { Language } from "../../core/tracker/types.js";
import type { HttpServer } from "../../http/server.js";
import { countingFetch } from "../../ops/metrics.js";
import { createSlackNotifier, onceOnlyClientOptions } from "./slack.notifier.js";
import { createProfiles } from "./slack.profiles.js";
import {
  escapeSlack,
  FORM_CALLBACK_ID,
  fieldErrors,
  fileMessages,
  formContext,
  formToModal,
  type SlackMessage,
  toSlackMessages,
} from "./to-block-kit.js";
import {
  clickInvocation,
  commandInvocation,
  decodeFormMetadata,
  encodeFormMetadata,
  type FormMetadata,
  mentionedUsers,
  mentionInvocation,
  shortcutMessage,
  userInvocation,
  viewInvocation,
  viewValues,
} from "./to-invocation.js";

type Manifest = webApi.AppsManifestValidateArguments["manifest"];
type BotScope = NonNullable<NonNullable<Manifest["oauth_config"]>["scopes"]>["bot"] & {};
type ManifestEvent = NonNullable<
  NonNullable<Manifest["settings"]>["event_subscriptions"]
>["bot_events"] & {};

/**
 * Everything this adapter registers with Slack, and the scopes it needs for the Web API
 * methods it calls. manifest/slack.yaml must say exactly this (a test compares them).
 */
export const SLACK_SURFACE = {
  command: "/cmp",
  messageShortcuts: ["log_decision"],
  botEvents: ["app_mention"] as ManifestEvent,
  actions: Object.keys(BUTTONS),
  scopes: [
    "commands", // the /cmp command and the message shortcut
    "chat:write", // replies, thread confirmations, scheduled posts
    "users:read", // users.info: locale, time zone and display name
    "app_mentions:read", // @CMP status in a channel
    "channels:history", // conversations.history: reconcile an ambiguous scheduled post
    "groups:history", // … in private channels
    "im:history", // … in direct messages
    "im:write", // conversations.open: direct messages to a person
  ] as BotScope,
} as const;

export const SLACK_EVENTS_PATH = "/slack/events";

/** Slack's window for a request's timestamp, in both directions (Bolt checks only the past). */
const MAX_CLOCK_SKEW_S = 5 * 60;
const WEB_API_TIMEOUT_MS = 10_000;
/**
 * A reply ready within 250 ms travels in the ack itself (one HTTP exchange, not two); later
 * ones through response_url. Beyond 2 s of expected queueing a reply would come too late to
 * be awaited, so the person hears "busy" at once (Slack's own limit for the ack is 3 s).
 */
const ANSWERING = { ackBudgetMs: 250, busyAfterMs: 2_000 };

const delay = <T>(ms: number, value: T) =>
  new Promise<T>((resolve) => setTimeout(resolve, ms, value).unref());

const busyDoc = (text: string) => ({ summary: text, blocks: [{ type: "context" as const, text }] });

export interface SlackAdapter {
  mode: "http" | "socket";
  /** The outbound port for scheduled posts (reminders, digests, agendas). */
  notifier: Notifier;
  /** Socket Mode connects here; HTTP mode is already routed on the shared server. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface SlackAdapterDeps {
  app: App;
  config: SlackConfig;
  /** The shared HTTP server: HTTP mode serves POST /slack/events on it. */
  http?: HttpServer;
  logger?: Logger;
  /** Known bot identity, which skips the auth.test call at start (tests, benchmarks). */
  bot?: { botId: string; botUserId: string };
  /** Web API timeout; also bounds how long a reply waits on Slack. */
  timeoutMs?: number;
  /**
   * How long a command may take and still answer in its ack (0: always through response_url),
   * and the expected wait in the queue beyond which it is answered "busy" at once.
   */
  answering?: { ackBudgetMs: number; busyAfterMs: number };
  /** Counts work done after an ack, so a graceful shutdown waits for it (src/ops/drain.ts). */
  track?: <T>(work: () => Promise<T>) => Promise<T>;
}

/** Bolt and the WebClient log through our logger (never with tokens: they redact them). */
/** What Bolt's HTTPReceiver logs when a request's signature does not verify. */
const BOLT_REFUSAL = /^Failed to parse and verify the request data: (.*)$/s;

function boltLogger(logger: Logger): BoltLogger {
  const text = (parts: unknown[]) =>
    parts
      .map((p) => (typeof p === "string" ? p : p instanceof Error ? p.message : JSON.stringify(p)))
      .join(" ");
  const child = logger.child({ component: "slack" });
  return {
    debug: (...m: unknown[]) => child.debug(text(m)),
    info: (...m: unknown[]) => child.info(text(m)),
    warn: (...m: unknown[]) => {
      // Bolt's one word on a bad signature, as the same line as every other refusal.
      const message = text(m);
      const refused = BOLT_REFUSAL.exec(message);
      if (refused) logger.warn({ reason: refused[1] }, "slack request refused");
      else child.warn(message);
    },
    error: (...m: unknown[]) => child.error(text(m)),
    setLevel: () => {},
    getLevel: () =>
      (
        ({
          debug: LogLevel.DEBUG,
          trace: LogLevel.DEBUG,
          info: LogLevel.INFO,
          warn: LogLevel.WARN,
        }) as Record<string, LogLevel>
      )[logger.level] ?? LogLevel.ERROR,
    setName: () => {},
  };
}

/** Refuses requests outside Slack's five-minute window before Bolt reads them. */
export function requestTimestampProblem(header: string | string[] | undefined, nowMs: number) {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return "missing timestamp";
  const ts = Number(value);
  if (!Number.isInteger(ts)) return "malformed timestamp";
  const skew = ts - Math.floor(nowMs / 1000);
  if (skew > MAX_CLOCK_SKEW_S) return "timestamp in the future";
  if (skew < -MAX_CLOCK_SKEW_S) return "stale timestamp";
  return null;
}

async function identify(client: webApi.WebClient): Promise<{ botId: string; botUserId: string }> {
  try {
    const auth = await client.auth.test();
    if (!auth.user_id) throw new Error("auth.test returned no user");
    return { botId: auth.bot_id ?? "", botUserId: auth.user_id };
  } catch (error) {
    if (error instanceof webApi.WebAPIPlatformError)
      throw new ConfigError(`Slack refused SLACK_BOT_TOKEN: ${error.data.error}`);
    throw new ConfigError(
      `Could not reach the Slack Web API to check SLACK_BOT_TOKEN: ${(error as Error).message}`,
    );
  }
}

export async function createSlackAdapter(deps: SlackAdapterDeps): Promise<SlackAdapter> {
  const { app, config } = deps;
  const { ackBudgetMs, busyAfterMs } = deps.answering ?? ANSWERING;
  const logger = (deps.logger ?? app.logger).child({ platform: "slack" });
  const { router, i18n } = app;
  const mode = config.appToken ? "socket" : "http";
  const slackLog = boltLogger(logger);
  const clientOptions: webApi.WebClientOptions = {
    ...onceOnlyClientOptions({
      apiUrl: config.apiUrl,
      timeoutMs: deps.timeoutMs ?? WEB_API_TIMEOUT_MS,
    }),
    logger: slackLog,
    fetch: countingFetch(app.metrics, "slack", logger),
  };
  const client = new webApi.WebClient(config.botToken, clientOptions);
  const bot = deps.bot ?? (await identify(client));
  const profiles = createProfiles({ client, logger });
  const responseHosts = new Set(config.responseUrlHosts);
  const plainApiHost = config.apiUrl?.startsWith("http:") ? new URL(config.apiUrl).host : null;

  let receiver: HTTPReceiver | undefined;
  if (mode === "http") {
    if (!config.signingSecret) throw new ConfigError("SLACK_SIGNING_SECRET is missing");
    receiver = new HTTPReceiver({
      signingSecret: config.signingSecret,
      endpoints: SLACK_EVENTS_PATH,
      logger: slackLog,
    });
  }
  const bolt = new BoltApp({
    token: config.botToken,
    botId: bot.botId,
    botUserId: bot.botUserId,
    logger: slackLog,
    clientOptions,
    ...(receiver ? { receiver } : { socketMode: true, appToken: config.appToken as string }),
  });
  bolt.error(async (error) => {
    logger.error({ err: error }, "slack listener failed");
  });

  // ── Answering ─────────────────────────────────────────────────────────────────────────

  interface Target {
    userId: string;
    channelId: string | null;
    responseUrl?: string | null;
  }

  /** A response_url is followed only on an allowed host; anything else is never fetched. */
  function allowedResponseUrl(url: string | null | undefined): string | null {
    if (!url) return null;
    try {
      const parsed = new URL(url);
      const host = parsed.host.toLowerCase();
      // Plain http only for a Web API configured on http (a fake on loopback in tests).
      const secure =
        parsed.protocol === "https:" || (parsed.protocol === "http:" && host === plainApiHost);
      if (secure && responseHosts.has(host)) return parsed.href;
      logger.warn(
        { host: parsed.host },
        "response_url host not allowed; answering via the Web API",
      );
    } catch {
      logger.warn("response_url malformed; answering via the Web API");
    }
    return null;
  }

  async function postResponse(url: string, body: object): Promise<void> {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      redirect: "error",
      signal: AbortSignal.timeout(deps.timeoutMs ?? WEB_API_TIMEOUT_MS),
    });
    if (!res.ok) throw new Error(`response_url answered ${res.status}`);
    await res.arrayBuffer();
  }

  function messagesOf(reply: Exclude<RoutedReply, { kind: "form" }>): SlackMessage[] {
    if (reply.kind === "message") return toSlackMessages(reply.doc);
    return fileMessages(
      reply,
      i18n.localizer(reply.lang).t("slack:file_too_large", { lang: reply.lang }),
    );
  }

  /** Posts in a channel (in a thread with `threadTs`); if the bot is not there, to the person. */
  async function postInChannel(
    channelId: string,
    messages: SlackMessage[],
    options: { userId: string; lang: Language; threadTs?: string | null },
  ): Promise<void> {
    let thread = options.threadTs ?? undefined;
    try {
      for (const message of messages) {
        const posted = await client.chat.postMessage({
          channel: channelId,
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
          unfurl_media: false,
          ...(thread ? { thread_ts: thread } : {}),
        });
        thread ??= posted.ts;
      }
    } catch (error) {
      const code = error instanceof webApi.WebAPIPlatformError ? error.data.error : null;
      if (code !== "not_in_channel" && code !== "channel_not_found") throw error;
      const note = i18n.localizer(options.lang).t("slack:not_in_channel");
      await postToPerson(options.userId, [
        ...toSlackMessages({ summary: note, blocks: [{ type: "context", text: note }] }),
        ...messages,
      ]);
    }
  }

  async function postToPerson(userId: string, messages: SlackMessage[]): Promise<void> {
    // A user id as the channel posts in the person's direct messages with the app.
    for (const message of messages)
      await client.chat.postMessage({
        channel: userId,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
        unfurl_media: false,
      });
  }

  async function postEphemeral(target: Target, messages: SlackMessage[]): Promise<void> {
    if (!target.channelId) return postToPerson(target.userId, messages);
    for (const message of messages)
      await client.chat.postEphemeral({
        channel: target.channelId,
        user: target.userId,
        text: message.text,
        blocks: message.blocks,
      });
  }

  /** A reply to something a person did: through response_url when Slack gave one we trust. */
  async function answer(reply: Exclude<RoutedReply, { kind: "form" }>, target: Target) {
    let messages = messagesOf(reply);
    const url = allowedResponseUrl(target.responseUrl);
    if (url) {
      try {
        while (messages.length > 0) {
          const [message] = messages as [SlackMessage];
          await postResponse(url, {
            response_type: reply.visibility,
            replace_original: false,
            text: message.text,
            blocks: message.blocks,
          });
          messages = messages.slice(1);
        }
        return;
      } catch (error) {
        // A response_url expires after 30 minutes and 5 uses; the Web API still reaches them.
        logger.warn({ err: error }, "response_url failed; answering via the Web API");
      }
    }
    if (reply.visibility === "ephemeral" || !target.channelId)
      return postEphemeral(target, messages);
    return postInChannel(target.channelId, messages, { userId: target.userId, lang: reply.lang });
  }

  async function openForm(
    form: FormDoc,
    lang: Language,
    triggerId: string,
    where: Pick<FormMetadata, "channelId" | "source">,
    target: Target,
  ): Promise<void> {
    const metadata = encodeFormMetadata({
      form: form.id,
      context: formContext(form),
      lang,
      ...where,
    });
    const view = formToModal(form, metadata, { close: i18n.localizer(lang).t("slack:cancel") });
    try {
      await client.views.open({ trigger_id: triggerId, view });
    } catch (error) {
      // Most often the trigger expired (3 s); the person is told to try again.
      logger.warn({ err: error, form: form.id }, "slack views.open failed");
      const text = i18n.localizer(lang).t("slack:form_failed");
      await answer(
        {
          kind: "message",
          visibility: "ephemeral",
          doc: { summary: text, blocks: [{ type: "text", text }] },
          lang,
        },
        target,
      );
    }
  }

  /**
   * Shows what the core answered to a click or a shortcut: the form it opens in a modal, or
   * the reply (why not, for a form: only co-chairs may log…).
   */
  async function offer(
    answered: Promise<RoutedReply | Refused>,
    triggerId: string,
    place: () => Promise<Pick<FormMetadata, "channelId" | "source">>,
    target: Target,
  ): Promise<void> {
    // Looked up while the core works: the trigger expires 3 s after the click.
    const placed = place();
    // Awaited below unless no form opens; a failure then must not go unhandled.
    placed.catch(() => undefined);
    const result = await answered;
    const reply = result.kind === "refused" ? refusalReply(result) : result;
    if (reply.kind !== "form") return answer(reply, target);
    await openForm(reply.form, reply.lang, triggerId, await placed, target);
  }

  /** Every listener acks first (Slack's 3-second window), then works; failures are logged. */
  const track = deps.track ?? ((work) => work());
  async function guarded(what: string, work: () => Promise<void>): Promise<void> {
    await track(async () => {
      try {
        await work();
      } catch (error) {
        logger.error({ err: error, what }, "slack handling failed");
      }
    });
  }

  // ── Listeners ─────────────────────────────────────────────────────────────────────────

  bolt.command(SLACK_SURFACE.command, async ({ command, ack }) => {
    // Slack shows "operation_timeout" after 3 s without an ack. Past the queue's horizon the
    // person is told at once to try again, rather than left waiting for a late reply.
    if (app.queue.expectedWaitMs() > busyAfterMs) {
      const lang = normalizeLanguage(profiles.cached(command.user_id)?.locale) ?? "en";
      const text = i18n.localizer(lang).t("errors:busy");
      await ack({
        response_type: "ephemeral",
        text,
        blocks: toSlackMessages(busyDoc(text))[0]?.blocks,
      });
      return;
    }
    const target: Target = {
      userId: command.user_id,
      channelId: command.channel_id || null,
      responseUrl: command.response_url,
    };
    const work = app.queue.run(async () => {
      const [profile, names] = await Promise.all([
        profiles.get(command.user_id),
        profiles.names(mentionedUsers(command.text ?? "")),
      ]);
      const invocation = commandInvocation(command, profile, names);
      target.channelId = invocation.channelId;
      return router.handle(invocation);
    });
    const quick =
      app.queue.expectedWaitMs() < ackBudgetMs
        ? await Promise.race([work.catch(() => null), delay(ackBudgetMs, null)])
        : null;
    const messages = quick?.kind === "message" ? messagesOf(quick) : [];
    if (quick?.kind === "message" && messages.length === 1) {
      const [message] = messages as [SlackMessage];
      await ack({ response_type: quick.visibility, text: message.text, blocks: message.blocks });
      return;
    }
    await ack();
    await guarded("command", async () => {
      const reply = await work;
      if (reply.kind === "form")
        return openForm(
          reply.form,
          reply.lang,
          command.trigger_id,
          { channelId: target.channelId },
          target,
        );
      await answer(reply, target);
    });
  });

  for (const callbackId of SLACK_SURFACE.messageShortcuts) {
    bolt.shortcut<MessageShortcut>(callbackId, async ({ shortcut, ack }) => {
      await ack();
      await guarded("shortcut", async () => {
        const channelId = shortcut.channel.id;
        const [profile, names] = await Promise.all([
          profiles.get(shortcut.user.id),
          profiles.names(mentionedUsers(shortcut.message.text ?? "")),
        ]);
        const message = shortcutMessage(shortcut, names);
        const invocation = userInvocation(shortcut.user.id, shortcut.user.name, channelId, profile);
        const { ts, threadTs } = message;
        await offer(
          router.openForm(invocation, "decide", { text: message.text }),
          shortcut.trigger_id,
          async () => {
            const [permalink, author] = await Promise.all([
              client.chat
                .getPermalink({ channel: channelId, message_ts: ts })
                .then((r) => r.permalink ?? null)
                .catch((error: unknown) => {
                  logger.warn({ err: error }, "slack chat.getPermalink failed");
                  return null;
                }),
              message.authorId
                ? profiles
                    .get(message.authorId)
                    .then((p) => p?.displayName || message.authorFallback)
                : Promise.resolve(message.authorFallback),
            ]);
            return { channelId, source: { channelId, ts, threadTs, author, permalink } };
          },
          { userId: shortcut.user.id, channelId, responseUrl: shortcut.response_url },
        );
      });
    });
  }

  bolt.view<ViewSubmitAction>(
    { callback_id: FORM_CALLBACK_ID, type: "view_submission" },
    async ({ ack, body, view }) => {
      const meta = decodeFormMetadata(view.private_metadata);
      if (!meta) {
        logger.warn({ viewId: view.id }, "slack view submission without our metadata");
        await ack();
        return;
      }
      // No lookup here: the answer is due within 3 s, and the form carries its language.
      const invocation = viewInvocation(body, meta, profiles.cached(body.user.id));
      const result = await router.submitForm(invocation, {
        form: meta.form,
        values: viewValues(view),
        context: meta.context,
      });
      if (result.kind === "refused") {
        // The modal stays open with the message (and a correct example) under its field.
        const text = [result.message, result.example].filter(Boolean).join(" ");
        const blockIds = view.blocks.map((b) => b.block_id).filter((id): id is string => !!id);
        await ack(fieldErrors(blockIds, result.field, escapeSlack(text)));
        return;
      }
      await ack({ response_action: "clear" });
      if (result.kind === "form") return;
      await guarded("view", async () => {
        const target: Target = { userId: body.user.id, channelId: meta.channelId };
        // A decision logged from a message is confirmed in that message's thread.
        if (meta.source && result.visibility === "in_channel")
          return postInChannel(meta.source.channelId, messagesOf(result), {
            userId: body.user.id,
            lang: result.lang,
            threadTs: meta.source.threadTs ?? meta.source.ts,
          });
        await answer(result, target);
      });
    },
  );

  for (const actionId of SLACK_SURFACE.actions) {
    bolt.action<BlockAction<ButtonAction>>(
      { type: "block_actions", action_id: actionId },
      async ({ ack, body, action }) => {
        await ack();
        await guarded("action", async () => {
          const profile = await profiles.get(body.user.id);
          const invocation = clickInvocation(body, profile);
          const pressed = await router.press(invocation, action.action_id, action.value ?? "");
          if (!pressed) {
            logger.warn({ actionId: action.action_id }, "slack button with an unexpected value");
            return;
          }
          const target: Target = {
            userId: body.user.id,
            channelId: invocation.channelId,
            responseUrl: body.response_url,
          };
          // The answer is a new message (in the channel, or only for the clicker); the
          // original post stays as it was, so a status with many items is not replaced by one.
          await offer(
            Promise.resolve(pressed),
            body.trigger_id,
            async () => ({ channelId: invocation.channelId }),
            target,
          );
        });
      },
    );
  }

  bolt.event("app_mention", async ({ event, body }) => {
    await guarded("mention", async () => {
      const user = "user" in event ? event.user : undefined;
      if (!user) return;
      const [profile, names] = await Promise.all([
        profiles.get(user),
        profiles.names(mentionedUsers(event.text ?? "")),
      ]);
      const invocation = mentionInvocation(
        { text: event.text, user, channel: event.channel },
        body.event_id,
        bot.botUserId,
        profile,
        names,
      );
      if (!invocation) return;
      const reply = await router.handle(invocation);
      const target: Target = { userId: user, channelId: event.channel };
      if (reply.kind === "form") {
        const l = i18n.localizer(reply.lang);
        const text = l.t("slack:form_needs_slash", { example: l.t(`examples:${reply.form.id}`) });
        return answer(
          {
            kind: "message",
            visibility: "ephemeral",
            doc: { summary: text, blocks: [{ type: "text", text }] },
            lang: reply.lang,
          },
          target,
        );
      }
      if (reply.visibility === "ephemeral") return answer(reply, target);
      await postInChannel(event.channel, messagesOf(reply), {
        userId: user,
        lang: reply.lang,
        threadTs: event.thread_ts ?? event.ts,
      });
    });
  });

  // ── Transport ─────────────────────────────────────────────────────────────────────────

  if (receiver) {
    if (!deps.http) throw new Error("the Slack adapter in HTTP mode needs the HTTP server");
    const listener = receiver.requestListener;
    deps.http.route("POST", SLACK_EVENTS_PATH, (req: IncomingMessage, res: ServerResponse) => {
      const problem = requestTimestampProblem(req.headers["x-slack-request-timestamp"], Date.now());
      if (problem) {
        logger.warn({ reason: problem, remote: req.socket.remoteAddress }, "slack request refused");
        req.resume();
        res.writeHead(401).end();
        return;
      }
      // Bolt checks the signature (401 and a log line when it does not match) and parses.
      listener(req, res);
    });
  }

  return {
    mode,
    notifier: createSlackNotifier({ client, logger, clock: app.clock }),
    async start() {
      if (mode === "socket") await bolt.start();
      logger.info({ mode, botUserId: bot.botUserId }, "slack adapter ready");
    },
    async stop() {
      if (mode === "socket") await bolt.stop();
    },
  };
}
