import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BotProcess,
  clockOffsetTo,
  dueTomorrow,
  seedPartnership,
  slackBotEnv,
  startBot,
  until,
} from "../support/bot-process.js";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.js";
import { createTestSchema, type TestSchema } from "../support/postgres.js";

// Fault 5: two replicas on one PostgreSQL whose clocks disagree by 20 minutes, one 10 minutes
// slow, the other 10 minutes fast. The slow one starts first and has a post under way in every
// channel (Slack is slow to answer) when the fast one starts; then both tick every 2 s over the
// same backlog. Each occasion is posted exactly once to each channel: a lease taken by one
// replica is judged by the database's clock, not by the other replica's, so the fast one never
// takes over a post the slow one is making.

/** Monday 30 November 2026, 09:20 in Mexico City: the 09:00 digest and reminders are owed. */
const START = Date.parse("2026-11-30T15:20:00Z");
const SKEW_MS = 10 * 60_000;
const CHANNELS = Array.from({ length: 10 }, (_, i) => `C0SKEW${String(i).padStart(2, "0")}`);
/** Slack's answer to each post takes this long once it answers at all. */
const POST_LATENCY_MS = 300;
const ITEMS = ["Trade mission report", "Roadshow plan", "Investment guide", "Export webinar"];

let fake: FakeSlack;
let schema: TestSchema;
const bots: BotProcess[] = [];
beforeAll(async () => {
  schema = await createTestSchema("cmp_fault_skew");
  fake = await startFakeSlack({ clockSeconds: Math.floor(START / 1000) });
});
afterAll(async () => {
  for (const bot of bots) await bot.stop("SIGKILL");
  await fake.close();
  await schema.drop();
});

describe("two replicas whose clocks are 10 minutes off either way", () => {
  it("post each scheduled occasion exactly once", async () => {
    await seedPartnership(
      schema.url,
      new Date(START - 86_400_000),
      dueTomorrow(...ITEMS),
      CHANNELS,
    );
    // Slack holds every post until the fast replica has started and tried its hand.
    let answer: () => void = () => {};
    const answering = new Promise<void>((r) => {
      answer = r;
    });
    fake.on("chat.postMessage", async () => {
      await answering;
      await new Promise((r) => setTimeout(r, POST_LATENCY_MS));
      return false;
    });
    const posts = () => fake.callsTo("chat.postMessage").length;
    const env = (skewMs: number) =>
      slackBotEnv(fake, schema.url, {
        CMP_CLOCK_OFFSET_SECONDS: clockOffsetTo(START + skewMs),
        CMP_SCHEDULER_CRON: "*/2 * * * * *",
      });
    const count = async (where: string) =>
      Number(
        (await schema.admin.query(`select count(*) as n from ${schema.name}.deliveries ${where}`))
          .rows[0].n,
      );

    // The slow replica claims the backlog and has a post under way in each channel…
    bots.push(await startBot(env(-SKEW_MS)));
    expect(await until(() => posts() >= CHANNELS.length, 30_000)).toBe(true);
    // …when the fast one starts: to its clock, the slow one's leases ran out 18 minutes ago.
    // Its first tick goes through the backlog, then Slack answers (within the Web API client's
    // 10-second timeout, so the slow replica's posts are not cut).
    bots.push(await startBot(env(SKEW_MS)));
    const pendingAtTakeover = await count("where platform = 'slack' and status = 'pending'");
    await until(() => posts() >= 2 * CHANNELS.length, 4000);
    answer();
    // The digest and a reminder of each item, in every channel.
    const owed = CHANNELS.length * (1 + ITEMS.length);
    const settled = async () =>
      (await count("where platform = 'slack' and status <> 'pending'")) >= owed;
    expect(await until(settled, 60_000, 500)).toBe(true);
    // A few more ticks of both, to give a second post every chance to happen.
    await new Promise((r) => setTimeout(r, 6000));

    const posted = CHANNELS.flatMap((c) => fake.deliveryKeys(c).map((k) => `${c} ${k}`));
    expect(posted).toHaveLength(owed);
    expect(new Set(posted).size).toBe(owed);
    expect(await count("where platform = 'slack' and status = 'sent'")).toBe(owed);
    const busy = bots.map((b) => b.logs.filter((l) => l.msg === "scheduler tick").length);
    for (const bot of bots) expect(await bot.stop()).toBe(0);
    console.info(
      `proved: two replicas on one PostgreSQL, clocks 10 min slow and 10 min fast, both ticking every 2 s over one backlog: ${owed} posts (${1 + ITEMS.length} occasions × ${CHANNELS.length} channels), each exactly once; ${pendingAtTakeover} were pending, one per channel mid-post, when the fast one started (${busy.join(" + ")} busy ticks)`,
    );
  }, 120_000);
});
