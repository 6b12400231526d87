import type { webApi } from "@slack/bolt";
import type { Logger } from "pino";
import type { AttachedFile } from "../../core/invocation.js";
import type { Reply } from "../../core/render/message.js";
import { downloadLimited } from "../download.js";

// Files (exports, reports) through Slack's two-step upload: files.getUploadURLExternal, a POST
// of the bytes to the URL it gives, then files.completeUploadExternal, which shares the file. The
// old files.upload was retired in November 2025. The WebClient's `filesUploadV2` does the three
// steps; its retries are off (as for every call of this bot), so a file is never shared twice.

export type FileReply = Extract<Reply, { kind: "file" }>;

export type FileDelivery =
  /** Shared in the channel the command came from. */
  | { status: "channel" }
  /** Shared in the person's direct messages with the app. */
  | { status: "direct" }
  /** Not shared: no step after the failing one ran, so nothing half-shared is left. */
  | { status: "failed" };

/**
 * Shares the file where the command's visibility says: the channel for `in_channel`, the
 * person's direct messages for `ephemeral` (Slack has no ephemeral files) or without a channel.
 */
export async function deliverFile(
  deps: { client: webApi.WebClient; logger: Logger },
  reply: FileReply,
  target: { userId: string; channelId: string | null },
): Promise<FileDelivery> {
  const inChannel = reply.visibility === "in_channel" && target.channelId !== null;
  try {
    const channelId = inChannel
      ? (target.channelId as string)
      : ((await deps.client.conversations.open({ users: target.userId })).channel?.id ?? null);
    if (!channelId) throw new Error("conversations.open gave no channel");
    const file =
      typeof reply.content === "string"
        ? Buffer.from(reply.content, "utf8")
        : Buffer.from(reply.content);
    await deps.client.filesUploadV2({
      channel_id: channelId,
      file,
      filename: reply.filename,
      title: reply.filename,
      initial_comment: reply.doc.summary,
    });
    return { status: inChannel ? "channel" : "direct" };
  } catch (error) {
    deps.logger.warn({ err: error, filename: reply.filename }, "could not upload a file to Slack");
    return { status: "failed" };
  }
}

/** The part of a file shared with a message that the import needs. */
export interface SlackFile {
  name?: string;
  size?: number;
  url_private?: string;
  url_private_download?: string;
}

/**
 * A file shared with a message, fetched only when the core asks: Slack serves it only with the
 * bot token, and only from its file host (or, in tests, the Web API's loopback stand-in).
 */
export function attachedFile(
  file: SlackFile,
  options: { botToken: string; plainApiHost: string | null; timeoutMs: number },
): AttachedFile {
  const allowed = (url: string) => {
    try {
      const parsed = new URL(url);
      if (parsed.protocol === "http:") return parsed.host === options.plainApiHost;
      return parsed.protocol === "https:" && parsed.host === "files.slack.com";
    } catch {
      return false;
    }
  };
  return {
    name: file.name ?? "file",
    size: typeof file.size === "number" ? file.size : null,
    async download(maxBytes) {
      const url = file.url_private_download ?? file.url_private;
      if (!url || !allowed(url)) throw new Error("file URL not allowed");
      return downloadLimited(url, {
        maxBytes,
        timeoutMs: options.timeoutMs,
        headers: { authorization: `Bearer ${options.botToken}` },
      });
    },
  };
}
