import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BotProcess,
  clockOffsetTo,
  dueTomorrow,
  MONDAY_0902,
  SLACK_CHANNEL,
  seedPartnership,
  slackBotEnv,
  slackCommands,
  startBot,
  until,
} from "../support/bot-process.js";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.js";
import { createTestSchema, type TestSchema } from "../support/postgres.js";

// Two bot processes on different ports against one PostgreSQL schema, each with its scheduler:
// started together on an empty schema, one applies the migrations while the other waits;
// commands through either see the same data; each scheduled occasion is posted once in total.

const START = MONDAY_0902;

let fake: FakeSlack;
let schema: TestSchema;
let url: string;
let slack: ReturnType<typeof slackCommands>;
const bots: BotProcess[] = [];

beforeAll(async () => {
  schema = await createTestSchema("cmp_replicas");
  url = schema.url;
  fake = await startFakeSlack();
  slack = slackCommands(fake, "r", 20_000);
});
afterAll(async () => {
  for (const bot of bots) await bot.stop("SIGKILL");
  await fake.close();
  await schema.drop();
});

const env = () =>
  slackBotEnv(fake, url, {
    CMP_CLOCK_OFFSET_SECONDS: clockOffsetTo(START),
    // Every 5 s rather than every minute, so the test does not wait for minutes.
    CMP_SCHEDULER_CRON: "*/5 * * * * *",
  });

const command = (bot: BotProcess, user: string, text: string) => slack(bot.base, text, user);

describe("two replicas on one PostgreSQL", () => {
  it("start together on an empty schema: one migrates, the other waits, both serve", async () => {
    // Both processes at once, before any table exists.
    const started = await Promise.all([startBot(env(), 90_000), startBot(env(), 90_000)]);
    bots.push(...started);
    const applied = await schema.admin.query(
      `select name from ${schema.name}.kysely_migration order by name`,
    );
    expect(applied.rows.map((r) => r.name)).toEqual(
      Object.keys((await import("../../migrations/index.js")).migrations),
    );
    for (const bot of bots) expect((await fetch(`${bot.base}/readyz`)).status).toBe(200);
    expect(bots[0]?.port).not.toBe(bots[1]?.port);
    console.info(
      "proved: two processes started together on an empty schema; migrations applied once, both ready",
    );
  }, 120_000);

  it("see each other's writes at once, and post each scheduled occasion once in total", async () => {
    const [a, b] = bots as [BotProcess, BotProcess];
    // Two items due tomorrow, known since yesterday: their reminders are owed at 09:00.
    await seedPartnership(
      url,
      new Date(START - 86_400_000),
      dueTomorrow("Trade mission report", "Roadshow plan"),
    );
    // Read through b first, so b holds its status and overview (kept until the group changes).
    expect(await command(b, "sara", "status TIIWG")).toContain("TIIWG: 2 open");
    expect(await command(b, "sara", "status")).toContain("2 open");
    expect(
      await command(a, "sara", "add TIIWG Investment guide due 2027-03-01 owner COMCE (MX)"),
    ).toContain("TIIWG-3");
    expect(await command(b, "sara", "status TIIWG")).toContain("TIIWG: 3 open");
    expect(await command(b, "sara", "status")).toContain("3 open");
    expect(await command(b, "sara", "show TIIWG-3")).toContain("Investment guide");
    await command(b, "salvador", "update TIIWG-3 note Borrador enviado");
    expect(await command(a, "sara", "show TIIWG-3")).toContain("Borrador enviado");

    // Both schedulers tick every 5 s: wait until the digest and both reminders are in Slack.
    const keys = () => fake.deliveryKeys(SLACK_CHANNEL);
    await until(() => keys().filter((k) => k.startsWith("reminder:")).length >= 2, 60_000, 500);
    // A few more ticks of both, to give a double post every chance to happen.
    await new Promise((r) => setTimeout(r, 12_000));
    const posted = keys();
    expect(posted.filter((k) => k.startsWith("reminder:"))).toHaveLength(2);
    expect(posted.some((k) => k.startsWith("digest:"))).toBe(true);
    expect(new Set(posted).size).toBe(posted.length);
    const ticks = bots.map((bot) => bot.logs.filter((l) => l.msg === "scheduler tick").length);
    console.info(
      `proved: writes through one replica read back through the other; ${posted.length} scheduled posts, each once, from two schedulers (${ticks.join(" + ")} busy ticks)`,
    );
  }, 120_000);
});
