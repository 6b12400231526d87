import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELIVERY_EVENT } from "../../src/adapters/slack/slack.notifier.js";
import {
  type BotProcess,
  SLACK_CHANNEL,
  SLACK_IDS,
  SLACK_SECRET,
  seedPartnership,
  slashCommand,
  startBot,
} from "../support/bot-process.js";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";

// Fault 3: PostgreSQL becomes unreachable under traffic (every connection dropped, new ones
// refused). Commands answer "try again" and change nothing, /readyz says 503 with the reason,
// the scheduler's ticks fail without posting; when the database returns, everything recovers by
// itself and the occasion that fell due during the outage is posted, once.

const BASE = process.env.CMP_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const schema = `cmp_fault_pg_${process.pid}_${Date.now()}`;
/** 08:58 in Mexico City on Monday 30 November 2026: the 09:00 digest falls due in the outage. */
const START = Date.parse("2026-11-30T14:58:00Z");
const NINE = Date.parse("2026-11-30T15:00:00Z");

let fake: FakeSlack;
let proxy: TcpProxy;
let admin: pg.Client;
let bot: BotProcess;
beforeAll(async () => {
  admin = new pg.Client({ connectionString: BASE });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  fake = await startFakeSlack();
  proxy = await startTcpProxy({ host: "127.0.0.1", port: Number(new URL(BASE).port) });
});
afterAll(async () => {
  await bot?.stop("SIGKILL");
  await proxy.close();
  await fake.close();
  await admin.query(`drop schema ${schema} cascade`);
  await admin.end();
});

let triggers = 0;
async function command(text: string): Promise<string> {
  triggers += 1;
  const triggerId = `pg${triggers}`;
  const response = await slashCommand(bot.base, {
    text,
    userId: SLACK_IDS.sara as string,
    channelId: SLACK_CHANNEL,
    triggerId,
    responseUrl: fake.responseUrl(triggerId),
  });
  expect(response.status).toBe(200);
  const reply = await fake.waitFor<{ id: string; body: Record<string, unknown> }>(
    "response",
    (r) => r.id === triggerId,
    30_000,
  );
  return JSON.stringify(reply.body);
}

const digests = () =>
  (fake.history.get(SLACK_CHANNEL) ?? [])
    .map((m) => m.metadata as { event_type?: string; event_payload?: { key: string } })
    .filter((m) => m?.event_type === DELIVERY_EVENT)
    .map((m) => m.event_payload?.key as string)
    .filter((k) => k.startsWith("digest:"));

describe("PostgreSQL unreachable under traffic", () => {
  it("says try again, reports not ready, pauses the scheduler, and recovers by itself", async () => {
    const url = new URL(BASE);
    url.port = String(proxy.port);
    url.searchParams.set("options", `-c search_path=${schema}`);
    const direct = `${BASE}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const t0 = Date.now();
    bot = await startBot({
      DATABASE_URL: url.toString(),
      SLACK_BOT_TOKEN: fake.token,
      SLACK_SIGNING_SECRET: SLACK_SECRET,
      SLACK_API_URL: fake.apiUrl,
      CMP_CLOCK_OFFSET_SECONDS: String(Math.round((START - t0) / 1000)),
      CMP_SCHEDULER_CRON: "*/2 * * * * *",
    });
    await seedPartnership(direct, new Date(START - 86_400_000));
    expect(await command("add TIIWG Before the outage due 2027-03-01")).toContain("TIIWG-1");

    expect(Date.now() - t0, "the setup outlasted the two minutes before 09:00").toBeLessThan(
      NINE - START - 5000,
    );
    proxy.cut();
    const failed = await command("add TIIWG During the outage due 2027-03-01");
    expect(failed).toContain("Something went wrong on our side and nothing was changed");
    expect(failed).toContain("Please try again");
    const ready = await fetch(`${bot.base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.text()).toMatch(/^not ready: database (unreachable|did not answer)/);
    // The digest falls due at 09:00 while the database is away: nothing can be claimed or posted.
    await bot.waitForLog((l) => l.msg === "scheduler tick failed", 60_000);
    expect(digests()).toEqual([]);
    // Past 09:00 on the bot's clock, a few failed ticks later.
    await new Promise((r) => setTimeout(r, Math.max(0, t0 + (NINE - START) + 6000 - Date.now())));
    expect(digests()).toEqual([]);

    proxy.restore();
    const deadline = Date.now() + 60_000;
    while ((await fetch(`${bot.base}/readyz`)).status !== 200 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 500));
    expect((await fetch(`${bot.base}/readyz`)).status).toBe(200);
    expect(await command("add TIIWG After the outage due 2027-03-01")).toContain("TIIWG-2");
    while (digests().length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 500));
    await new Promise((r) => setTimeout(r, 5000));
    expect(digests()).toHaveLength(1);
    const titles = await admin.query(`select title from ${schema}.commitments order by id`);
    const written = titles.rows.map((r) => r.title).filter((t) => t.includes("outage"));
    expect(written).toEqual(["Before the outage", "After the outage"]);
    expect(await bot.stop()).toBe(0);
    console.info(
      "proved: with PostgreSQL cut off, a command got 'try again' and changed nothing, /readyz said 503, ticks failed without posting; once it returned, readiness, commands and the digest owed during the outage came back by themselves, the digest posted once",
    );
  }, 240_000);
});
