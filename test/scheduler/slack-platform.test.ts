import { webApi } from "@slack/bolt";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import {
  createSlackNotifier,
  DELIVERY_EVENT,
  onceOnlyClientOptions,
} from "../../src/adapters/slack/slack.notifier.js";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.js";
import { createHarness, type Harness } from "../support/harness.js";
import { testScheduler } from "../support/scheduling.js";

// The scheduler through the real Slack notifier and Web API client, against a fake Slack that
// rate-limits the first post and loses the answer to the second after keeping the message:
// every scheduled post still lands in the channel exactly once.

let h: Harness;
let fake: FakeSlack;
afterEach(async () => {
  await fake.close();
  await h.close();
});

const keyOf = (message: { metadata?: unknown }) =>
  (message.metadata as { event_type?: string; event_payload?: { key?: string } } | undefined)
    ?.event_type === DELIVERY_EVENT
    ? (message.metadata as { event_payload: { key: string } }).event_payload.key
    : undefined;

describe("scheduled posts on a misbehaving Slack", () => {
  it("land once each despite a 429 and a 500 after acceptance", async () => {
    h = await createHarness({ now: "2026-11-30T14:00:00Z" });
    fake = await startFakeSlack();
    const group = (await h.app.store.groups.byCode("TIIWG"))!;
    await h.app.store.groups.bindChannel(
      { groupId: group.id, platform: "slack", channelId: "C-TIIWG" },
      h.clock.now().toISOString(),
    );
    await h.say("sara", "add TIIWG Trade mission report due 2026-12-01 owner COMCE (MX)");
    await h.say("sara", "add TIIWG Roadshow plan due 2026-12-07 owner ProMexico (MX)");

    let posts = 0;
    fake.on("chat.postMessage", (args, res) => {
      posts += 1;
      if (posts === 1) {
        res.writeHead(429, { "retry-after": "30", "content-type": "application/json" });
        res.end(JSON.stringify({ ok: false, error: "ratelimited" }));
        return true;
      }
      if (posts === 2) {
        // Slack kept the message (its clock agreeing with ours), then the answer was lost.
        fake.storeMessage(args).ts = (h.clock.now().getTime() / 1000).toFixed(6);
        res.writeHead(500).end("upstream error");
        return true;
      }
      return false;
    });

    const client = new webApi.WebClient(fake.token, {
      ...onceOnlyClientOptions({ apiUrl: fake.apiUrl, timeoutMs: 2000 }),
      logLevel: webApi.LogLevel.ERROR,
    });
    const notifier = createSlackNotifier({
      client,
      logger: pino({ level: "silent" }),
      clock: h.clock,
    });
    const scheduler = testScheduler(h.app, h.clock, [notifier]);

    // Monday 09:00 in Mexico City: the digest and the reminders of both items are owed.
    for (const at of [
      "2026-11-30T15:00:00Z",
      "2026-11-30T15:01:00Z",
      "2026-11-30T15:05:00Z",
      "2026-11-30T15:30:00Z",
    ]) {
      h.clock.set(at);
      await scheduler.tick();
    }

    const messages = fake.history.get("C-TIIWG") ?? [];
    const keys = messages.map(keyOf).filter(Boolean);
    expect(keys.length).toBeGreaterThanOrEqual(3);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.some((k) => k?.startsWith("digest:"))).toBe(true);
    expect(keys.filter((k) => k?.startsWith("reminder:"))).toHaveLength(2);
    // The 500 was reconciled by reading the channel, not by posting again.
    expect(fake.callsTo("conversations.history").length).toBeGreaterThan(0);
    expect(posts).toBe(keys.length + 1);
  });
});
