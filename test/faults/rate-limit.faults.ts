import { describe, expect, it } from "vitest";
import {
  clockOffsetTo,
  dueTomorrow,
  MONDAY_0902,
  seedPartnership,
  slackBotEnv,
  startBot,
  until,
} from "../support/bot-process.js";
import { slackLedger, sqliteRig } from "../support/fault-rig.js";

// Fault 6: Slack rate-limits a whole scheduler tick. TIIWG is in 200 channels and owes each a
// digest and a reminder (400 posts). Slack answers every second chat.postMessage of the first
// tick with 429 and Retry-After, and, like Slack, answers 429 again to any post to a channel
// before its Retry-After is over or within a second of its last post. Every post lands exactly
// once, each channel's posts a second apart, and no channel sees a 429 beyond its first.

const START = MONDAY_0902;
const CHANNELS = Array.from({ length: 200 }, (_, i) => `C0RL${String(i).padStart(3, "0")}`);
/** Longer than the scheduler's own first back-off (30 s), so it is Slack's wait that shows. */
const RETRY_AFTER_S = 35;
/** Slack's pace for chat.postMessage: about one message a second per channel. */
const CHANNEL_PACE_MS = 1000;

interface Call {
  channel: string;
  at: number;
  answer: "posted" | "storm" | "extra";
}

const rig = sqliteRig("fault-429", { clockSeconds: Math.floor(START / 1000) });

describe("429 with Retry-After to every second post of a tick, across 200 channels", () => {
  it("lands every post once, paced, with no 429 beyond the first per channel", async () => {
    const { databaseUrl, fake } = rig;
    await seedPartnership(
      databaseUrl,
      new Date(START - 86_400_000),
      dueTomorrow("Trade mission report"),
      CHANNELS,
    );
    const owed = CHANNELS.length * 2;

    const calls: Call[] = [];
    const quietUntil = new Map<string, number>();
    const lastPosted = new Map<string, number>();
    /** The first tick's posts: one per channel (a channel's queue stops at its 429). */
    const storm = CHANNELS.length;
    fake.on("chat.postMessage", (args, res) => {
      const channel = String(args.channel);
      const at = Date.now();
      const inStorm = calls.length < storm && calls.length % 2 === 1;
      const early =
        at < (quietUntil.get(channel) ?? 0) ||
        at - (lastPosted.get(channel) ?? 0) < CHANNEL_PACE_MS;
      const answer: Call["answer"] = inStorm ? "storm" : early ? "extra" : "posted";
      calls.push({ channel, at, answer });
      if (answer === "posted") {
        lastPosted.set(channel, at);
        return false; // the fake's own chat.postMessage keeps it in the channel
      }
      const wait = inStorm ? RETRY_AFTER_S : 1;
      quietUntil.set(channel, at + wait * 1000);
      res
        .writeHead(429, { "content-type": "application/json", "retry-after": String(wait) })
        .end(JSON.stringify({ ok: false, error: "ratelimited" }));
      return true;
    });

    const t0 = Date.now();
    const bot = await startBot(
      slackBotEnv(fake, databaseUrl, {
        CMP_CLOCK_OFFSET_SECONDS: clockOffsetTo(START),
        CMP_SCHEDULER_CRON: "*/2 * * * * *",
      }),
    );
    rig.bot = bot;
    const ledger = slackLedger(databaseUrl);
    const done = await until(() => ledger.count("sent") >= owed, 120_000, 500);
    const seconds = Math.round((Date.now() - t0) / 1000);
    // A few more ticks, to give a second post or a 429 every chance to happen.
    await new Promise((r) => setTimeout(r, 4000));
    const byStatus = ledger.byStatus();
    const finalSent = ledger.count("sent");
    ledger.close();
    expect(await bot.stop()).toBe(0);
    expect(done, `only ${finalSent} of ${owed} posts were sent`).toBe(true);
    expect(byStatus).toEqual([{ status: "sent", n: owed }]);

    // The storm was the first tick: its 200 posts, half refused, settled in that tick.
    const firstTick = bot.logs.find((l) => l.msg === "scheduler tick" && Number(l.sent) > 0);
    expect(firstTick).toMatchObject({ sent: storm / 2, retried: storm / 2 });
    // Every post once, in its channel.
    for (const channel of CHANNELS) {
      const keys = fake.deliveryKeys(channel);
      expect(keys, channel).toHaveLength(2);
      expect(new Set(keys).size, channel).toBe(2);
    }
    // No 429 beyond the storm's, whose channels each got one.
    const refused = calls.filter((c) => c.answer !== "posted");
    expect(refused.filter((c) => c.answer === "extra")).toEqual([]);
    expect(new Set(refused.map((c) => c.channel)).size).toBe(refused.length);
    expect(refused).toHaveLength(storm / 2);
    // Paced: each channel's calls a second apart, and none before its Retry-After was over.
    let shortestGap = Number.POSITIVE_INFINITY;
    let shortestWait = Number.POSITIVE_INFINITY;
    for (const channel of CHANNELS) {
      const mine = calls.filter((c) => c.channel === channel);
      for (let i = 1; i < mine.length; i += 1) {
        const gap = (mine[i] as Call).at - (mine[i - 1] as Call).at;
        shortestGap = Math.min(shortestGap, gap);
        if ((mine[i - 1] as Call).answer === "storm") shortestWait = Math.min(shortestWait, gap);
      }
    }
    expect(shortestGap).toBeGreaterThanOrEqual(CHANNEL_PACE_MS);
    expect(shortestWait).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000);
    console.info(
      `proved: ${refused.length} posts of the first tick got 429 (Retry-After ${RETRY_AFTER_S} s) across ${CHANNELS.length} channels; all ${owed} posts landed exactly once within ${seconds} s, ${calls.length} calls in all, no channel asked again before its Retry-After (shortest wait ${(shortestWait / 1000).toFixed(1)} s) or within a second of its last post (shortest gap ${(shortestGap / 1000).toFixed(1)} s), no 429 beyond the first per channel`,
    );
  }, 180_000);
});
