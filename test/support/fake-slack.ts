import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parse as parseQuery } from "node:querystring";
import { DELIVERY_EVENT } from "../../src/adapters/slack/slack.notifier.js";

// A fake of Slack's remote side on loopback: the Web API (POST /api/<method>) and the
// response_url endpoint (POST /response/<id>). It records every call and answers like Slack,
// with a few channels' history kept so reconciliation can be checked.

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  token: string | null;
}

export interface RecordedResponse {
  id: string;
  body: Record<string, unknown>;
}

export interface FakeUser {
  id: string;
  name: string;
  displayName?: string;
  locale?: string;
  tz?: string;
}

interface StoredMessage {
  ts: string;
  text: string;
  thread_ts?: string;
  blocks?: unknown;
  metadata?: unknown;
}

type Override = (
  args: Record<string, unknown>,
  res: ServerResponse,
) => boolean | undefined | Promise<boolean | undefined>;

export interface FakeSlack {
  /** Answer every response_url post with 404, as Slack does after 30 minutes or 5 uses. */
  responseUrlsExpired: boolean;
  url: string;
  apiUrl: string;
  token: string;
  calls: RecordedCall[];
  responses: RecordedResponse[];
  users: Map<string, FakeUser>;
  history: Map<string, StoredMessage[]>;
  /** Files by id, from files.getUploadURLExternal on. */
  uploads: Map<string, FakeUpload>;
  /** Files people shared, served at `${url}/files/<id>` to the bot token only. */
  shared: Map<string, Buffer>;
  /** Answer the upload URL (step 2) with this HTTP status instead of 200. */
  uploadStatus: number;
  responseUrl(id: string): string;
  /** Keeps a posted message in the channel's history, as chat.postMessage does. */
  storeMessage(args: Record<string, unknown>): StoredMessage;
  /** Answers `method` with `handler` instead of the default; return false to fall through. */
  on(method: string, handler: Override): void;
  callsTo(method: string): RecordedCall[];
  /** The delivery keys of the scheduled posts in a channel's history, newest first. */
  deliveryKeys(channel: string): string[];
  /** Resolves with the first call (or response post) matching, waiting up to `ms`. */
  waitFor<T extends RecordedCall | RecordedResponse>(
    what: "call" | "response",
    match: (item: T) => boolean,
    ms?: number,
  ): Promise<T>;
  reset(): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** A file sent to an upload URL (files.uploadV2 step 2), and whether it was completed (step 3). */
export interface FakeUpload {
  fileId: string;
  filename: string;
  length: number;
  bytes: Buffer | null;
  /** The files.completeUploadExternal arguments that shared it, once completed. */
  completed: Record<string, unknown> | null;
}

function json(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  res
    .writeHead(status, { "content-type": "application/json", ...headers })
    .end(JSON.stringify(body));
}

/** The WebClient sends form fields, with nested values (blocks, view, metadata) as JSON. */
function decodeArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.startsWith("application/json")) return JSON.parse(raw || "{}");
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parseQuery(raw))) {
    const text = Array.isArray(value) ? value[0] : value;
    if (typeof text !== "string") continue;
    if (/^[[{]/.test(text)) {
      try {
        args[key] = JSON.parse(text);
        continue;
      } catch {}
    }
    args[key] = text;
  }
  return args;
}

export async function startFakeSlack(
  options: {
    token?: string;
    users?: FakeUser[];
    /** Slack's own clock (unix seconds) at start, when a test moves the bot's clock. */
    clockSeconds?: number;
  } = {},
): Promise<FakeSlack> {
  const token = options.token ?? "xoxb-test-token";
  const calls: RecordedCall[] = [];
  const responses: RecordedResponse[] = [];
  const users = new Map((options.users ?? []).map((u) => [u.id, u]));
  const history = new Map<string, StoredMessage[]>();
  const overrides = new Map<string, Override>();
  const waiters = new Set<() => void>();
  // Timestamps follow the real clock, as conversations.history filters on them.
  let clock = options.clockSeconds ?? Math.floor(Date.now() / 1000);
  let counter = 0;
  const nextTs = () => {
    counter += 1;
    return `${clock + counter}.${String(counter).padStart(6, "0")}`;
  };
  const notify = () => {
    for (const w of waiters) w();
  };

  function storeMessage(args: Record<string, unknown>): StoredMessage {
    const channel = String(args.channel);
    const message: StoredMessage = {
      ts: nextTs(),
      text: String(args.text ?? ""),
      blocks: args.blocks,
      metadata: args.metadata,
      ...(typeof args.thread_ts === "string" ? { thread_ts: args.thread_ts } : {}),
    };
    history.set(channel, [message, ...(history.get(channel) ?? [])]);
    return message;
  }

  async function handleApi(method: string, args: Record<string, unknown>, res: ServerResponse) {
    const override = overrides.get(method);
    if (override && (await override(args, res)) !== false) return;
    switch (method) {
      case "auth.test":
        return json(res, 200, { ok: true, user_id: "UBOT", bot_id: "BBOT", team_id: "T1" });
      case "users.info": {
        const user = users.get(String(args.user));
        if (!user) return json(res, 200, { ok: false, error: "user_not_found" });
        return json(res, 200, {
          ok: true,
          user: {
            id: user.id,
            name: user.name,
            real_name: user.displayName ?? user.name,
            tz: user.tz ?? "America/Toronto",
            ...(args.include_locale === "true" ? { locale: user.locale ?? "en-US" } : {}),
            profile: { display_name: user.displayName ?? user.name, real_name: user.name },
          },
        });
      }
      case "chat.postMessage": {
        const message = storeMessage(args);
        return json(res, 200, { ok: true, channel: args.channel, ts: message.ts, message });
      }
      case "chat.postEphemeral":
        return json(res, 200, { ok: true, message_ts: nextTs() });
      case "views.publish":
        return json(res, 200, { ok: true, view: { id: `V${nextTs().replace(".", "")}` } });
      case "views.open":
        return json(res, 200, { ok: true, view: { id: `V${nextTs().replace(".", "")}` } });
      case "chat.getPermalink":
        return json(res, 200, {
          ok: true,
          channel: args.channel,
          permalink: `https://cmp-test.slack.com/archives/${args.channel}/p${String(args.message_ts).replace(".", "")}`,
        });
      case "conversations.open":
        return json(res, 200, { ok: true, channel: { id: `D${String(args.users)}` } });
      // files.uploadV2 is these two methods with an upload POST between them.
      case "files.getUploadURLExternal": {
        const fileId = `F${nextTs().replace(".", "")}`;
        const filename = String(args.filename ?? "");
        uploads.set(fileId, {
          fileId,
          filename,
          length: Number(args.length),
          bytes: null,
          completed: null,
        });
        return json(res, 200, { ok: true, upload_url: `${url}/upload/${fileId}`, file_id: fileId });
      }
      case "files.completeUploadExternal": {
        const files = (Array.isArray(args.files) ? args.files : []) as {
          id: string;
          title?: string;
        }[];
        const found = files.map((f) => uploads.get(f.id));
        if (found.some((u) => !u?.bytes))
          return json(res, 200, { ok: false, error: "file_not_found" });
        for (const u of found) if (u) u.completed = args;
        if (typeof args.channel_id === "string")
          storeMessage({
            channel: args.channel_id,
            text: args.initial_comment ?? "",
            thread_ts: args.thread_ts,
          });
        return json(res, 200, {
          ok: true,
          files: found.map((u) => ({ id: u?.fileId, name: u?.filename, title: u?.filename })),
        });
      }
      // As Slack: a channel's history holds no replies in threads; a thread's replies do.
      case "conversations.history":
      case "conversations.replies": {
        const oldest = Number(args.oldest ?? 0);
        const inThread = (m: StoredMessage) =>
          method === "conversations.replies"
            ? m.ts === args.ts || m.thread_ts === args.ts
            : !m.thread_ts || m.thread_ts === m.ts;
        const messages = (history.get(String(args.channel)) ?? [])
          .filter((m) => Number(m.ts) >= oldest && inThread(m))
          .map((m) => (args.include_all_metadata === "true" ? m : { ...m, metadata: undefined }));
        return json(res, 200, { ok: true, messages, has_more: false });
      }
      default:
        return json(res, 200, { ok: false, error: "unknown_method" });
    }
  }

  const uploads = new Map<string, FakeUpload>();
  const shared = new Map<string, Buffer>();
  const server = createServer((req, res) => {
    (async () => {
      const raw = await readBody(req);
      const body = raw.toString("utf8");
      const path = (req.url ?? "/").split("?")[0] as string;
      if (path.startsWith("/files/")) {
        const file = shared.get(path.slice("/files/".length));
        if (req.headers.authorization !== `Bearer ${token}`) return res.writeHead(403).end();
        if (!file) return res.writeHead(404).end();
        return res.writeHead(200, { "content-type": "application/octet-stream" }).end(file);
      }
      if (path.startsWith("/upload/")) {
        const upload = uploads.get(path.slice("/upload/".length));
        if (!upload) return res.writeHead(404).end();
        if (fakeSlack.uploadStatus !== 200) return res.writeHead(fakeSlack.uploadStatus).end();
        // The WebClient posts the file as multipart/form-data.
        const form = await new Response(raw, {
          headers: { "content-type": req.headers["content-type"] ?? "" },
        }).formData();
        const file = form.get("body");
        upload.bytes = file instanceof Blob ? Buffer.from(await file.arrayBuffer()) : raw;
        notify();
        return res
          .writeHead(200, { "content-type": "text/plain" })
          .end(`OK - ${upload.bytes.length}`);
      }
      if (path.startsWith("/response/")) {
        if (fakeSlack.responseUrlsExpired)
          return json(res, 404, { ok: false, error: "expired_url" });
        responses.push({ id: path.slice("/response/".length), body: JSON.parse(body || "{}") });
        notify();
        return json(res, 200, { ok: true });
      }
      if (path.startsWith("/api/")) {
        const method = path.slice("/api/".length);
        const args = decodeArgs(body, req.headers["content-type"]);
        const auth = req.headers.authorization ?? null;
        const sent = auth?.replace(/^Bearer /, "") ?? (args.token as string | undefined) ?? null;
        calls.push({ method, args, token: sent });
        notify();
        if (sent !== token && method !== "apps.connections.open")
          return json(res, 200, { ok: false, error: "invalid_auth" });
        return handleApi(method, args, res);
      }
      json(res, 404, { ok: false, error: "not_found" });
    })().catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fakeSlack: FakeSlack = {
    responseUrlsExpired: false,
    url,
    apiUrl: `${url}/api/`,
    token,
    calls,
    responses,
    users,
    history,
    uploads,
    shared,
    uploadStatus: 200,
    responseUrl: (id) => `${url}/response/${id}`,
    storeMessage,
    on: (method, handler) => {
      overrides.set(method, handler);
    },
    callsTo: (method) => calls.filter((c) => c.method === method),
    deliveryKeys: (channel) =>
      (history.get(channel) ?? [])
        .map((m) => m.metadata as { event_type?: string; event_payload?: { key?: string } })
        .filter((m) => m?.event_type === DELIVERY_EVENT)
        .map((m) => m.event_payload?.key as string),
    waitFor(what, match, ms = 5000) {
      const list = (what === "call" ? calls : responses) as unknown as Parameters<
        typeof match
      >[0][];
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = list.find(match);
          if (found) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`fake Slack: no matching ${what} within ${ms} ms`));
        }, ms);
        waiters.add(check);
        check();
      });
    },
    reset() {
      calls.length = 0;
      responses.length = 0;
      overrides.clear();
      uploads.clear();
      fakeSlack.uploadStatus = 200;
      clock += 1000;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return fakeSlack;
}

/** Signs a request body as Slack does: v0=HMAC-SHA256(secret, "v0:<ts>:<body>"). */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}
