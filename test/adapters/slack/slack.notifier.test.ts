import { createServer } from "node:net";
import { webApi } from "@slack/bolt";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createSlackNotifier,
  DELIVERY_EVENT,
  onceOnlyClientOptions,
} from "../../../src/adapters/slack/slack.notifier.js";
import type { Notifier } from "../../../src/core/notifier.js";
import type { Clock } from "../../../src/core/ports.js";
import type { MessageDoc } from "../../../src/core/render/message.js";
import { type FakeSlack, startFakeSlack } from "../../support/fake-slack.js";
import { fakeClock } from "../../support/harness.js";
import { allText } from "../../support/slack-blocks.js";

// The notifier the scheduler posts through, against a fake Slack Web API on loopback.

let fake: FakeSlack;
let notifier: Notifier;
const doc: MessageDoc = {
  summary: "Reminder: TIIWG-2 is due Friday",
  blocks: [{ type: "text", text: "Reminder: TIIWG-2 <!channel> is due Friday" }],
};

function notifierFor(apiUrl: string, timeoutMs = 2000, clock?: Clock): Notifier {
  const client = new webApi.WebClient(fake.token, {
    ...onceOnlyClientOptions({ apiUrl, timeoutMs }),
    logger: undefined,
    logLevel: webApi.LogLevel.ERROR,
  });
  return createSlackNotifier({ client, logger: pino({ level: "silent" }), clock });
}

beforeEach(async () => {
  fake = await startFakeSlack();
  notifier = notifierFor(fake.apiUrl);
});
afterEach(async () => {
  await fake.close();
});

describe("posting", () => {
  it("posts once with the delivery key in the message metadata, escaped and without link_names", async () => {
    const result = await notifier.post("C1", doc, { deliveryKey: "reminder:TIIWG-2:2026-11-20" });
    const [call] = fake.callsTo("chat.postMessage");
    expect(result).toEqual({ status: "sent", messageId: fake.history.get("C1")?.[0]?.ts });
    expect(call?.args.metadata).toEqual({
      event_type: DELIVERY_EVENT,
      event_payload: { key: "reminder:TIIWG-2:2026-11-20" },
    });
    expect(allText(call?.args.blocks)).toContain("TIIWG-2 &lt;!channel&gt; is due");
    expect(call?.args).not.toHaveProperty("link_names");
    expect(call?.args).not.toHaveProperty("parse");
  });

  it("posts the rest of a long document in the first message's thread", async () => {
    const items = Array.from({ length: 80 }, (_, i) => ({
      text: `TIIWG-${i + 1}`,
      actions: [
        { id: "item.done" as const, label: "Mark done", value: `TIIWG-${i + 1}` },
        { id: "item.note" as const, label: "Add a note", value: `TIIWG-${i + 1}` },
      ],
    }));
    const result = await notifier.post(
      "C1",
      { summary: "Digest", blocks: [{ type: "list", items }] },
      { deliveryKey: "digest:1" },
    );
    const calls = fake.callsTo("chat.postMessage");
    expect(calls.length).toBeGreaterThan(1);
    expect(result.status).toBe("sent");
    const first = result.status === "sent" ? result.messageId : "";
    expect(calls.slice(1).every((c) => c.args.thread_ts === first)).toBe(true);
    expect(calls.slice(1).every((c) => c.args.metadata === undefined)).toBe(true);
  });

  it("maps a 429 to retry with Slack's Retry-After, without the client retrying by itself", async () => {
    fake.on("chat.postMessage", (_args, res) => {
      res.writeHead(429, { "retry-after": "7", "content-type": "application/json" });
      res.end(JSON.stringify({ ok: false, error: "ratelimited" }));
      return true;
    });
    const result = await notifier.post("C1", doc, { deliveryKey: "k1" });
    expect(result).toEqual({ status: "retry", reason: "rate_limited", retryAfterMs: 7000 });
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("leaves a rate-limited channel alone until its Retry-After is over, without asking Slack", async () => {
    const clock = fakeClock("2026-11-30T15:00:00Z");
    const timed = notifierFor(fake.apiUrl, 2000, clock);
    let limited = true;
    fake.on("chat.postMessage", (args, res) => {
      if (!limited || args.channel !== "C1") return false;
      res.writeHead(429, { "retry-after": "30", "content-type": "application/json" });
      res.end(JSON.stringify({ ok: false, error: "ratelimited" }));
      return true;
    });
    expect((await timed.post("C1", doc, { deliveryKey: "k1" })).status).toBe("retry");
    limited = false;
    clock.advance(10_000);
    // 20 s still to wait in C1: answered here, with the time left; C2 is not held back.
    expect(await timed.post("C1", doc, { deliveryKey: "k2" })).toEqual({
      status: "retry",
      reason: "rate_limited",
      retryAfterMs: 20_000,
    });
    expect((await timed.post("C2", doc, { deliveryKey: "k3" })).status).toBe("sent");
    expect(fake.callsTo("chat.postMessage").map((c) => c.args.channel)).toEqual(["C1", "C2"]);
    clock.advance(20_000);
    expect((await timed.post("C1", doc, { deliveryKey: "k2" })).status).toBe("sent");
  });

  it("maps a 500 to unknown, since Slack may have stored the message, after a single attempt", async () => {
    fake.on("chat.postMessage", (_args, res) => {
      res.writeHead(500).end("oops");
      return true;
    });
    expect(await notifier.post("C1", doc, { deliveryKey: "k2" })).toEqual({
      status: "unknown",
      reason: "http_500",
    });
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("maps a timeout to unknown", async () => {
    notifier = notifierFor(fake.apiUrl, 200);
    fake.on("chat.postMessage", () => new Promise(() => {}));
    expect(await notifier.post("C1", doc, { deliveryKey: "k3" })).toEqual({
      status: "unknown",
      reason: "timeout",
    });
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("maps a refused connection to retry: nothing reached Slack", async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    notifier = notifierFor(`http://127.0.0.1:${closed}/api/`);
    expect(await notifier.post("C1", doc, { deliveryKey: "k4" })).toEqual({
      status: "retry",
      reason: "econnrefused",
    });
  });

  it.each(["channel_not_found", "not_in_channel", "is_archived", "account_inactive"])(
    "maps %s to failed: the channel cannot be reached",
    async (error) => {
      fake.on("chat.postMessage", (_args, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ ok: false, error }));
        return true;
      });
      expect(await notifier.post("C1", doc, { deliveryKey: "k5" })).toEqual({
        status: "failed",
        reason: error,
      });
    },
  );
});

describe("reconciling an ambiguous post", () => {
  it("finds the post that Slack stored before answering 500, by its delivery key", async () => {
    const since = new Date((Math.floor(Date.now() / 1000) - 60) * 1000);
    await notifier.post("C1", doc, { deliveryKey: "other-key" });
    // Slack stores the message, then the answer is lost.
    let storedTs = "";
    fake.on("chat.postMessage", (args, res) => {
      storedTs = fake.storeMessage(args).ts;
      res.writeHead(500).end();
      return true;
    });
    const attempt = await notifier.post("C1", doc, { deliveryKey: "digest:TIIWG:2026-W47" });
    expect(attempt.status).toBe("unknown");

    expect(await notifier.findDelivered("C1", "digest:TIIWG:2026-W47", since)).toBe(storedTs);
    expect(await notifier.findDelivered("C1", "never-posted", since)).toBeNull();
    const history = fake.callsTo("conversations.history")[0];
    expect(history?.args).toMatchObject({ channel: "C1", include_all_metadata: "true" });
    expect(Number(history?.args.oldest)).toBe(since.getTime() / 1000);
  });

  it("looks for a post in a thread among the thread's replies, which a channel's history leaves out", async () => {
    const since = new Date((Math.floor(Date.now() / 1000) - 60) * 1000);
    const root = await notifier.post("C1", doc, { deliveryKey: "reminder:1" });
    const rootTs = root.status === "sent" ? root.messageId : "";
    fake.on("chat.postMessage", (args, res) => {
      fake.storeMessage(args);
      res.writeHead(500).end();
      return true;
    });
    const key = "reminder:2";
    expect((await notifier.post("C1", doc, { deliveryKey: key, threadId: rootTs })).status).toBe(
      "unknown",
    );
    expect(await notifier.findDelivered("C1", key, since)).toBeNull();
    expect(await notifier.findDelivered("C1", key, since, rootTs)).toMatch(/^\d+\.\d+$/);
    expect(fake.callsTo("conversations.replies")[0]?.args).toMatchObject({
      channel: "C1",
      ts: rootTs,
    });
  });

  it("throws when the history cannot be read, so the caller never posts twice by mistake", async () => {
    fake.on("conversations.history", (_args, res) => {
      res.writeHead(503).end();
      return true;
    });
    await expect(notifier.findDelivered("C1", "k", new Date(0))).rejects.toThrow();
  });
});

describe("direct messages", () => {
  it("opens a conversation with the person and posts there", async () => {
    const result = await notifier.postDirect({ personId: 7, userId: "U0SARA" }, doc, {
      deliveryKey: "dm:7",
    });
    expect(result?.status).toBe("sent");
    expect(fake.callsTo("conversations.open")[0]?.args.users).toBe("U0SARA");
    expect(fake.callsTo("chat.postMessage")[0]?.args.channel).toBe("DU0SARA");
    // A person's id is accepted when reconciling a direct message.
    const ts = result?.status === "sent" ? result.messageId : "";
    expect(await notifier.findDelivered("U0SARA", "dm:7", new Date(0))).toBe(ts);
  });

  it("answers null when Slack says the person cannot be reached", async () => {
    fake.on("conversations.open", (_args, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: false, error: "user_disabled" }));
      return true;
    });
    expect(
      await notifier.postDirect({ personId: 7, userId: "U0GONE" }, doc, { deliveryKey: "dm:8" }),
    ).toBeNull();
    expect(fake.callsTo("chat.postMessage")).toHaveLength(0);
  });
});
