import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELIVERY_EVENT } from "../../src/adapters/slack/slack.notifier.js";
import {
  type BotProcess,
  commandReply,
  SLACK_CHANNEL,
  SLACK_IDS,
  SLACK_SECRET,
  seedPartnership,
  slashCommand,
  startBot,
} from "../support/bot-process.js";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.js";

// Two bot processes on different ports against one PostgreSQL schema, each with its scheduler:
// started together on an empty schema, one applies the migrations while the other waits;
// commands through either see the same data; each scheduled occasion is posted once in total.

const BASE = process.env.CMP_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const schema = `cmp_replicas_${process.pid}_${Date.now()}`;
const url = `${BASE}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
/** Monday 30 November 2026, 09:02 in Mexico City: TIIWG's digest and reminders are owed. */
const START = Date.parse("2026-11-30T15:02:00Z");

let fake: FakeSlack;
let admin: pg.Client;
const bots: BotProcess[] = [];

beforeAll(async () => {
  admin = new pg.Client({ connectionString: BASE });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  fake = await startFakeSlack();
});
afterAll(async () => {
  for (const bot of bots) await bot.stop("SIGKILL");
  await fake.close();
  await admin.query(`drop schema ${schema} cascade`);
  await admin.end();
});

const env = (offsetSeconds: number) => ({
  DATABASE_URL: url,
  SLACK_BOT_TOKEN: fake.token,
  SLACK_SIGNING_SECRET: SLACK_SECRET,
  SLACK_API_URL: fake.apiUrl,
  CMP_CLOCK_OFFSET_SECONDS: String(offsetSeconds),
  // Every 5 s rather than every minute, so the test does not wait for minutes.
  CMP_SCHEDULER_CRON: "*/5 * * * * *",
});

let triggers = 0;
async function command(bot: BotProcess, user: string, text: string): Promise<string> {
  triggers += 1;
  const triggerId = `r${triggers}`;
  const response = await slashCommand(bot.base, {
    text,
    userId: SLACK_IDS[user] as string,
    channelId: SLACK_CHANNEL,
    triggerId,
    responseUrl: fake.responseUrl(triggerId),
  });
  expect(response.status).toBe(200);
  const reply = await commandReply(response, fake, triggerId, 20_000);
  return JSON.stringify(reply.body);
}

describe("two replicas on one PostgreSQL", () => {
  it("start together on an empty schema: one migrates, the other waits, both serve", async () => {
    const offset = Math.round((START - Date.now()) / 1000);
    // Both processes at once, before any table exists.
    const started = await Promise.all([
      startBot(env(offset), 90_000),
      startBot(env(offset), 90_000),
    ]);
    bots.push(...started);
    const applied = await admin.query(`select name from ${schema}.kysely_migration order by name`);
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
    const due = { due: "2026-12-01", status: "in_progress" as const, owners: [], milestones: [] };
    await seedPartnership(url, new Date(START - 86_400_000), [
      { ...due, title: "Trade mission report" },
      { ...due, title: "Roadshow plan" },
    ]);
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
    const keys = () =>
      [...(fake.history.get(SLACK_CHANNEL) ?? [])]
        .map((m) => m.metadata as { event_type?: string; event_payload?: { key: string } })
        .filter((m) => m?.event_type === DELIVERY_EVENT)
        .map((m) => m.event_payload?.key as string);
    const deadline = Date.now() + 60_000;
    while (keys().filter((k) => k.startsWith("reminder:")).length < 2 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 500));
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
