import type { IncomingMessage } from "node:http";
import type { Activity } from "botbuilder";
import type { TeamsConfig } from "../../config.js";
import type { AttachedFile } from "../../core/invocation.js";
import { downloadLimited } from "../download.js";

// The HTTP side of /api/messages before botbuilder sees a request: who may call, and the body.

const MAX_BODY_BYTES = 1_000_000;

export function isLoopback(address: string | undefined): boolean {
  return address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1";
}

export async function readJson(
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

/** Uploads go only to Microsoft's https endpoints; plain http only in local testing. */
export function uploadAllowed(
  settings: Pick<TeamsConfig, "allowUnauthenticated">,
  url: string,
): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === "https:" || (settings.allowUnauthenticated && protocol === "http:");
  } catch {
    return false;
  }
}

const FILE_DOWNLOAD_INFO = "application/vnd.microsoft.teams.file.download.info";

/**
 * Files attached in a personal chat (the manifest declares supportsFiles): Teams gives the bot
 * a short-lived, pre-authorized download URL for each, fetched only when the core asks.
 */
export function attachedFiles(
  settings: Pick<TeamsConfig, "allowUnauthenticated">,
  activity: Partial<Activity>,
  timeoutMs: number,
): AttachedFile[] {
  return (activity.attachments ?? []).flatMap((attachment) => {
    const url = (attachment.content as { downloadUrl?: unknown } | undefined)?.downloadUrl;
    if (attachment.contentType !== FILE_DOWNLOAD_INFO || typeof url !== "string") return [];
    return [
      {
        name: attachment.name ?? "file",
        size: null,
        download: (maxBytes: number) => {
          if (!uploadAllowed(settings, url)) throw new Error("download URL not allowed");
          return downloadLimited(url, { maxBytes, timeoutMs });
        },
      },
    ];
  });
}
