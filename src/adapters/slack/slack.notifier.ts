import { webApi } from "@slack/bolt";
import type { Logger } from "pino";
import type { Notifier, PostResult } from "../../core/notifier.js";
import { type Clock, systemClock } from "../../core/ports.js";
import type { MessageDoc } from "../../core/render/message.js";
import { toSlackMessages } from "./to-block-kit.js";
import { postThreaded } from "./transport.js";

// The outbound side for scheduled posts. Each post is attempted once (the WebClient's own
// retries are off: retrying a post Slack accepted but whose answer was lost would post it
// twice); the scheduler retries with the delivery key, which travels in the message's
// metadata so `findDelivered` can tell whether an ambiguous attempt landed.

/** The message-metadata event type carrying a delivery key. */
export const DELIVERY_EVENT = "cmp_delivery";

/** Client options for any WebClient whose calls must happen at most once per attempt. */
export function onceOnlyClientOptions(options: {
  apiUrl: string | null;
  timeoutMs: number;
}): webApi.WebClientOptions {
  return {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    retryConfig: { retries: 0 },
    // Without this, a 429 makes the client sleep for Retry-After and pause its whole queue.
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs,
  };
}

/** Errors meaning the channel or person cannot be reached by this bot, now or later. */
const UNREACHABLE = new Set([
  "channel_not_found",
  "not_in_channel",
  "is_archived",
  "account_inactive",
  "invalid_auth",
  "token_revoked",
  "not_authed",
  "missing_scope",
  "restricted_action",
  "user_not_found",
  "user_disabled",
  "cannot_dm_bot",
  "team_access_not_granted",
]);

/** Slack says it failed before doing anything, and that it may work later. */
const TRANSIENT = new Set(["ratelimited", "service_unavailable", "request_timeout"]);

/** Slack says it failed, but "some aspect of the operation may have succeeded". */
const AMBIGUOUS = new Set(["internal_error", "fatal_error"]);

/** Network failures where the request never reached Slack. */
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && NOT_SENT.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** What one failed Web API call means for a post. */
export function classifyPostError(error: unknown): Exclude<PostResult, { status: "sent" }> {
  if (error instanceof webApi.WebAPIRateLimitedError)
    return { status: "retry", reason: "rate_limited", retryAfterMs: error.retryAfter * 1000 };
  if (error instanceof webApi.WebAPIPlatformError) {
    const code = error.data.error;
    if (UNREACHABLE.has(code)) return { status: "failed", reason: code };
    if (TRANSIENT.has(code)) return { status: "retry", reason: code };
    if (AMBIGUOUS.has(code)) return { status: "unknown", reason: code };
    // Anything else is a request Slack will never accept as it is (invalid_blocks, …).
    return { status: "failed", reason: code };
  }
  if (error instanceof webApi.WebAPIHTTPError) {
    // A 5xx can come after Slack stored the message: only the channel's history can tell.
    if (error.statusCode >= 500) return { status: "unknown", reason: `http_${error.statusCode}` };
    return { status: "failed", reason: `http_${error.statusCode}` };
  }
  if (error instanceof webApi.WebAPIRequestError) {
    const code = causeCode(error.original);
    if (code) return { status: "retry", reason: code.toLowerCase() };
    const name = error.original.name;
    return { status: "unknown", reason: name === "TimeoutError" ? "timeout" : "network" };
  }
  // A 429 without a usable Retry-After header surfaces as a plain Error from the client.
  if (error instanceof Error && /rate limit|retry header/i.test(error.message))
    return { status: "retry", reason: "rate_limited" };
  return { status: "unknown", reason: "unexpected" };
}

function isUserId(id: string): boolean {
  return /^[UW][A-Z0-9]+$/.test(id);
}

export function createSlackNotifier(deps: {
  client: webApi.WebClient;
  logger: Logger;
  /** How many pages of history `findDelivered` reads at most (200 messages a page). */
  historyPages?: number;
  /** The scheduler's clock, which times a Retry-After wait like the scheduler's back-off. */
  clock?: Clock;
}): Notifier {
  const { client, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const historyPages = deps.historyPages ?? 5;
  /**
   * Until when (epoch ms) Slack asked, with a 429's Retry-After, to leave each channel alone.
   * The scheduler holds back the rest of a channel's posts only for the tick that met the 429;
   * a post to that channel in the next tick, before the wait is over, would earn a second 429.
   * Our own record answers instead, with the time still to wait, and Slack is not asked.
   */
  const quietUntil = new Map<string, number>();
  function stillQuiet(channelId: string): number {
    const left = (quietUntil.get(channelId) ?? 0) - clock.now().getTime();
    if (left <= 0) quietUntil.delete(channelId);
    return Math.max(0, left);
  }
  function noteRateLimit(channelId: string, result: PostResult): void {
    if (result.status === "retry" && result.reason === "rate_limited" && result.retryAfterMs)
      quietUntil.set(channelId, clock.now().getTime() + result.retryAfterMs);
  }

  async function openDirect(userId: string): Promise<string> {
    const opened = await client.conversations.open({ users: userId });
    const id = opened.channel?.id;
    if (!id) throw new Error("conversations.open returned no channel");
    return id;
  }

  async function post(
    channelId: string,
    doc: MessageDoc,
    options: { deliveryKey: string; threadId?: string },
  ): Promise<PostResult> {
    const messages = toSlackMessages(doc);
    if (messages.length === 0) return { status: "failed", reason: "empty" };
    const wait = stillQuiet(channelId);
    if (wait > 0) return { status: "retry", reason: "rate_limited", retryAfterMs: wait };
    let ts: string | null;
    try {
      ts = await postThreaded(client, channelId, messages, {
        metadata: { event_type: DELIVERY_EVENT, event_payload: { key: options.deliveryKey } },
        threadTs: options.threadId,
        // The main message is what counts as delivered; the rest follows in its thread.
        restFailed: (error) => {
          const result = classifyPostError(error);
          noteRateLimit(channelId, result);
          logger.warn(
            { channelId, deliveryKey: options.deliveryKey, ...result },
            "slack post continuation not delivered",
          );
        },
      });
    } catch (error) {
      const result = classifyPostError(error);
      noteRateLimit(channelId, result);
      logger.warn(
        { channelId, deliveryKey: options.deliveryKey, ...result },
        "slack post not delivered",
      );
      return result;
    }
    if (!ts) return { status: "unknown", reason: "no_ts" };
    return { status: "sent", messageId: ts };
  }

  return {
    platform: "slack",
    post,

    /**
     * Reads the channel's history since `since` for a message carrying the key. A user id is
     * accepted for direct messages. Throws when Slack cannot be asked: the caller keeps the
     * delivery ambiguous rather than risk posting twice.
     */
    async findDelivered(channelId, deliveryKey, since, threadId) {
      const channel = isUserId(channelId) ? await openDirect(channelId) : channelId;
      let cursor: string | undefined;
      for (let page = 0; page < historyPages; page += 1) {
        const query = {
          channel,
          oldest: (since.getTime() / 1000).toFixed(6),
          inclusive: true,
          include_all_metadata: true,
          limit: 200,
          ...(cursor ? { cursor } : {}),
        };
        // A channel's history leaves out replies in threads: a thread is read on its own.
        const history = threadId
          ? await client.conversations.replies({ ...query, ts: threadId })
          : await client.conversations.history(query);
        const found = (history.messages ?? []).find(
          (m) =>
            m.metadata?.event_type === DELIVERY_EVENT &&
            (m.metadata.event_payload as Record<string, unknown> | undefined)?.key === deliveryKey,
        );
        if (found?.ts) return found.ts;
        cursor = history.response_metadata?.next_cursor || undefined;
        if (!cursor) break;
      }
      return null;
    },

    async postDirect(person, doc, options) {
      let channel: string;
      try {
        channel = await openDirect(person.userId);
      } catch (error) {
        const result = classifyPostError(error);
        // Opening a conversation is idempotent: only a definite refusal means unreachable.
        if (result.status === "failed") {
          logger.info({ personId: person.personId, reason: result.reason }, "slack dm impossible");
          return null;
        }
        return { status: "retry", reason: result.reason };
      }
      return post(channel, doc, options);
    },
  };
}
