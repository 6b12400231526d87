import type { IncomingMessage, ServerResponse } from "node:http";
import { type Logger as BoltLogger, LogLevel, webApi } from "@slack/bolt";
import type { Logger } from "pino";
import { ConfigError } from "../../config.js";
import type { SlackMessage } from "./to-block-kit.js";

/**
 * Posts a reply or a scheduled post that Block Kit's limits cut into several messages: the
 * first in the channel (or in the thread `threadTs`), the rest in its thread, so a long status
 * reads as one post. Returns the first message's ts; nothing more is posted when Slack gives
 * none. A failure of the first throws; of a later one, throws too unless `restFailed` takes it
 * (a scheduled post counts as delivered once its first message is).
 */
export async function postThreaded(
  client: webApi.WebClient,
  channel: string,
  messages: SlackMessage[],
  options: {
    threadTs?: string | null;
    metadata?: webApi.ChatPostMessageArguments["metadata"];
    restFailed?: (error: unknown) => void;
  } = {},
): Promise<string | null> {
  const [first, ...rest] = messages;
  if (!first) return null;
  const posted = await client.chat.postMessage({
    channel,
    text: first.text,
    blocks: first.blocks,
    unfurl_links: false,
    unfurl_media: false,
    ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
    ...(options.metadata ? { metadata: options.metadata } : {}),
  });
  if (!posted.ts) return null;
  const thread = options.threadTs ?? posted.ts;
  for (const message of rest) {
    try {
      await client.chat.postMessage({
        channel,
        thread_ts: thread,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
        unfurl_media: false,
      });
    } catch (error) {
      if (!options.restFailed) throw error;
      options.restFailed(error);
      break;
    }
  }
  return posted.ts;
}

/** Who the bot is, asked of Slack once at start; a refused token is a configuration error. */
export async function identify(
  client: webApi.WebClient,
): Promise<{ botId: string; botUserId: string }> {
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

/** Bolt and the WebClient log through our logger (never with tokens: they redact them). */
/** What Bolt's HTTPReceiver logs when a request's signature does not verify. */
const BOLT_REFUSAL = /^Failed to parse and verify the request data: (.*)$/s;

export function boltLogger(logger: Logger): BoltLogger {
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

/** Slack's window for a request's timestamp, in both directions (Bolt checks only the past). */
const MAX_CLOCK_SKEW_S = 5 * 60;

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

type ResponseType = "in_channel" | "ephemeral";

/** A slash command's answer in its ack: one Block Kit message, for everyone or the asker. */
export function ackBody(message: SlackMessage, responseType: ResponseType) {
  return { response_type: responseType, text: message.text, blocks: message.blocks };
}

/** The context key of the function that sends a command's JSON ack as written once. */
export const JSON_ACK = "cmpJsonAck";
export type JsonAck = (message: SlackMessage, responseType: ResponseType) => string;

/**
 * Acks whose JSON is written once per reply. Bolt serializes an object ack on every request: a
 * cached 5 KB `status` took 70 µs to write each time, as long as the reply itself took to find.
 * A string ack Bolt sends as it is, but with no content type, and Slack would show it as plain
 * text: the route keeps each request's response, and a listener given the function under
 * JSON_ACK in its context marks that response as JSON before acknowledging with the string.
 */
export function jsonAcks() {
  const responses = new WeakMap<IncomingMessage, ServerResponse>();
  const written = new WeakMap<object, Map<ResponseType, string>>();
  return {
    /** Before Bolt reads a request: the response its ack will be written to. */
    hold(req: IncomingMessage, res: ServerResponse): void {
      responses.set(req, res);
    },
    /** Bolt's customPropertiesExtractor: the function, for requests that came over HTTP. */
    extract(req: IncomingMessage): Record<string, unknown> {
      const res = responses.get(req);
      if (!res) return {};
      const send: JsonAck = (message, responseType) => {
        res.setHeader("content-type", "application/json");
        const kept = written.get(message) ?? new Map<ResponseType, string>();
        written.set(message, kept);
        let json = kept.get(responseType);
        if (json === undefined) {
          json = JSON.stringify(ackBody(message, responseType));
          kept.set(responseType, json);
        }
        return json;
      };
      return { [JSON_ACK]: send };
    },
  };
}
