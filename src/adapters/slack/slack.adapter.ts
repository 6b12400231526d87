import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type BlockAction,
  App as BoltApp,
  type ButtonAction,
  HTTPReceiver,
  type MessageShortcut,
  type ViewSubmitAction,
  webApi,
} from "@slack/bolt";
import type { Logger } from "pino";
import { ConfigError, type SlackConfig } from "../../config.js";
import { type I18n, normalizeLanguage } from "../../core/i18n.js";
import type { Notifier } from "../../core/notifier.js";
import type { Clock } from "../../core/ports.js";
import type { Router } from "../../core/router.js";
import {
  BUSY_AFTER_MS,
  BUSY_ANSWER_DELAY_MS,
  delay,
  type WorkQueue,
} from "../../core/work-queue.js";
import type { HttpServer } from "../../http/server.js";
import { countingFetch, type Metrics } from "../../ops/metrics.js";
import { createReplies, type Target } from "./replies.js";
import { keepHomes } from "./slack.home.js";
import { answerMentions, type Mention } from "./slack.mentions.js";
import { createSlackNotifier, onceOnlyClientOptions } from "./slack.notifier.js";
import { createProfiles } from "./slack.profiles.js";
import { answerThreadReplies, type ThreadMessage } from "./slack.threads.js";
import { SLACK_EVENTS_PATH, SLACK_SURFACE } from "./surface.js";
import {
  escapeSlack,
  FORM_CALLBACK_ID,
  fieldErrors,
  type SlackMessage,
  sharedSlackMessages,
  toSlackMessages,
} from "./to-block-kit.js";
import {
  clickInvocation,
  commandInvocation,
  decodeFormMetadata,
  mentionedUsers,
  shortcutMessage,
  userInvocation,
  viewInvocation,
  viewValues,
} from "./to-invocation.js";
import {
  ackBody,
  boltLogger,
  identify,
  JSON_ACK,
  type JsonAck,
  jsonAcks,
  requestTimestampProblem,
} from "./transport.js";

const WEB_API_TIMEOUT_MS = 10_000;
// A reply ready within 250 ms travels in the ack, later ones through response_url.
const ANSWERING = { ackBudgetMs: 250, busyAfterMs: BUSY_AFTER_MS };

export interface SlackAdapter {
  mode: "http" | "socket";
  /** The outbound port for scheduled posts (reminders, digests, agendas). */
  notifier: Notifier;
  /** Socket Mode connects here; HTTP mode is already routed on the shared server. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface SlackAdapterDeps {
  /** The adapter's whole view of the core: commands, buttons and forms go through it. */
  router: Router;
  i18n: I18n;
  logger: Logger;
  /** Counts the Web API calls and their outcomes. */
  metrics: Metrics;
  /** Runs commands one at a time per database connection, first come first served. */
  queue: WorkQueue;
  /** The scheduler's clock, which times a channel's Retry-After for scheduled posts. */
  clock?: Clock;
  config: SlackConfig;
  /** The shared HTTP server: HTTP mode serves POST /slack/events on it. */
  http?: HttpServer;
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
  /** How long after a change the open Home tabs are refreshed (tests shorten it). */
  homeRefreshMs?: number;
}

export async function createSlackAdapter(deps: SlackAdapterDeps): Promise<SlackAdapter> {
  const { router, i18n, config, queue } = deps;
  const { ackBudgetMs, busyAfterMs } = deps.answering ?? ANSWERING;
  const logger = deps.logger.child({ platform: "slack" });
  const mode = config.appToken ? "socket" : "http";
  const slackLog = boltLogger(logger);
  const timeoutMs = deps.timeoutMs ?? WEB_API_TIMEOUT_MS;
  const plainApiHost = config.apiUrl?.startsWith("http:") ? new URL(config.apiUrl).host : null;
  const clientOptions: webApi.WebClientOptions = {
    ...onceOnlyClientOptions({
      apiUrl: config.apiUrl,
      timeoutMs,
    }),
    logger: slackLog,
    fetch: countingFetch(deps.metrics, "slack", logger),
  };
  const client = new webApi.WebClient(config.botToken, clientOptions);
  const bot = deps.bot ?? (await identify(client));
  const profiles = createProfiles({ client, logger });

  const acks = jsonAcks();
  let receiver: HTTPReceiver | undefined;
  if (mode === "http") {
    if (!config.signingSecret) throw new ConfigError("SLACK_SIGNING_SECRET is missing");
    receiver = new HTTPReceiver({
      signingSecret: config.signingSecret,
      endpoints: SLACK_EVENTS_PATH,
      logger: slackLog,
      customPropertiesExtractor: (req) => acks.extract(req),
    });
  }
  const bolt = new BoltApp({
    token: config.botToken,
    botId: bot.botId,
    botUserId: bot.botUserId,
    logger: slackLog,
    clientOptions,
    // Bolt's conversation store is unused here, and its default looks every request up and
    // builds an Error for each miss: about 5 % of a cached status's CPU in a profile.
    convoStore: false,
    ...(receiver ? { receiver } : { socketMode: true, appToken: config.appToken as string }),
  });
  bolt.error(async (error) => {
    logger.error({ err: error }, "slack listener failed");
  });

  const { answer, postInChannel, postToPerson, messagesOf, offer, openForm } = createReplies({
    client,
    i18n,
    logger,
    responseUrlHosts: config.responseUrlHosts,
    plainApiHost,
    timeoutMs,
  });

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

  bolt.command(SLACK_SURFACE.command, async ({ command, ack, context }) => {
    // Slack shows "operation_timeout" after 3 s without an ack. Past the queue's horizon the
    // person is told at once to try again, rather than left waiting for a late reply.
    if (queue.expectedWaitMs() > busyAfterMs) {
      const lang = normalizeLanguage(profiles.cached(command.user_id)?.locale) ?? "en";
      const text = i18n.localizer(lang).t("errors:busy");
      const [busy] = toSlackMessages({ summary: text, blocks: [{ type: "context", text }] });
      await delay(BUSY_ANSWER_DELAY_MS, null);
      await ack({ response_type: "ephemeral", text, blocks: busy?.blocks });
      return;
    }
    const target: Target = {
      userId: command.user_id,
      channelId: command.channel_id || null,
      responseUrl: command.response_url,
    };
    // Counted for a graceful shutdown from here: once acknowledged, it must finish.
    const work = track(() =>
      queue.run(async () => {
        const [profile, names] = await Promise.all([
          profiles.get(command.user_id),
          profiles.names(mentionedUsers(command.text ?? "")),
        ]);
        const invocation = commandInvocation(command, profile, names);
        target.channelId = invocation.channelId;
        return router.handle(invocation);
      }),
    );
    const quick =
      queue.expectedWaitMs() < ackBudgetMs
        ? await Promise.race([work.catch(() => null), delay(ackBudgetMs, null)])
        : null;
    const messages = quick?.kind === "message" ? sharedSlackMessages(quick.doc) : [];
    if (quick?.kind === "message" && messages.length > 0) {
      // The first message in the ack; a reply longer than one message follows it.
      const [message, ...rest] = messages as [SlackMessage, ...SlackMessage[]];
      const json = context[JSON_ACK] as JsonAck | undefined;
      await ack(json ? json(message, quick.visibility) : ackBody(message, quick.visibility));
      if (rest.length > 0) await guarded("command", () => answer(quick, target, rest));
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
          return postInChannel(meta.source.channelId, await messagesOf(result, target), {
            userId: body.user.id,
            lang: result.lang,
            threadTs: meta.source.threadTs ?? meta.source.ts,
          });
        await answer(result, target);
      });
    },
  );

  // One listener for every button: Bolt runs each listener's matchers on every request, so a
  // listener per button made each command pay for all of them.
  const buttonIds = new RegExp(
    `^(?:${SLACK_SURFACE.actions.map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})$`,
  );
  bolt.action<BlockAction<ButtonAction>>(
    { type: "block_actions", action_id: buttonIds },
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

  const home = keepHomes({
    client,
    router,
    profiles,
    logger,
    guarded,
    postToPerson,
    ...(deps.homeRefreshMs !== undefined ? { refreshAfterMs: deps.homeRefreshMs } : {}),
  });
  const threadReply = answerThreadReplies({
    client,
    router,
    profiles,
    botUserId: bot.botUserId,
    guarded,
  });
  const mention = answerMentions({
    router,
    i18n,
    profiles,
    botUserId: bot.botUserId,
    replies: { answer, postInChannel, messagesOf },
    files: { botToken: config.botToken, plainApiHost, timeoutMs },
    guarded,
  });
  // One listener for the three events, as for the buttons: each listener costs every request.
  bolt.event(/^(?:app_mention|app_home_opened|message)$/, async ({ event, body, context }) => {
    if (event.type === "app_mention") return mention(event as Mention, body.event_id);
    if (event.type === "app_home_opened") return home.opened(event);
    if (event.type === "message")
      return threadReply(event as unknown as ThreadMessage, !!context.retryNum);
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
      acks.hold(req, res);
      listener(req, res);
    });
  }

  return {
    mode,
    notifier: createSlackNotifier({ client, logger, clock: deps.clock }),
    async start() {
      if (mode === "socket") await bolt.start();
      logger.info({ mode, botUserId: bot.botUserId }, "slack adapter ready");
    },
    async stop() {
      home.stop();
      if (mode === "socket") await bolt.stop();
    },
  };
}
