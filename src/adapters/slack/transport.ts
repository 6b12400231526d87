import type { webApi } from "@slack/bolt";
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
