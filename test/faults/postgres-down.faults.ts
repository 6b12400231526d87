import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import {
  type BotProcess,
  clockOffsetTo,
  SLACK_CHANNEL,
  seedPartnership,
  slackBotEnv,
  slackCommands,
  startBot,
  until,
} from "../support/bot-process.js";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.js";
import { createTestSchema, POSTGRES_URL, type TestSchema } from "../support/postgres.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";

// Fault 3: PostgreSQL becomes unreachable under traffic (every connection dropped, new ones
// refused). Commands answer "try again" and change nothing, /readyz says 503 with the reason,
// the scheduler's ticks fail without posting; when the database returns, everything recovers by
// itself and the occasion that fell due during the outage is posted, once.

/** 08:59:15 in Mexico City on Monday 30 November 2026: the 09:00 digest falls due in the outage. */
const START = Date.parse("2026-11-30T14:59:15Z");
const NINE = Date.parse("2026-11-30T15:00:00Z");

let fake: FakeSlack;
let proxy: TcpProxy;
let schema: TestSchema;
let bot: BotProcess;
let command: ReturnType<typeof slackCommands>;
beforeAll(async () => {
  schema = await createTestSchema("cmp_fault_pg");
  fake = await startFakeSlack();
  command = slackCommands(fake, "pg");
  proxy = await startTcpProxy({ host: "127.0.0.1", port: Number(new URL(POSTGRES_URL).port) });
});
afterAll(async () => {
  await bot?.stop("SIGKILL");
  await proxy.close();
  await fake.close();
  await schema.drop();
});

const digests = () => fake.deliveryKeys(SLACK_CHANNEL).filter((k) => k.startsWith("digest:"));

describe("PostgreSQL unreachable under traffic", () => {
  it("says try again, reports not ready, pauses the scheduler, and recovers by itself", async () => {
    onTestFailed(() => console.error(`the bot's log:\n${bot?.stderr() ?? "(not started)"}`));
    const viaProxy = new URL(schema.url);
    viaProxy.port = String(proxy.port);
    const t0 = Date.now();
    bot = await startBot(
      slackBotEnv(fake, viaProxy.toString(), {
        CMP_CLOCK_OFFSET_SECONDS: clockOffsetTo(START),
        CMP_SCHEDULER_CRON: "*/2 * * * * *",
      }),
    );
    await seedPartnership(schema.url, new Date(START - 86_400_000));
    expect(await command(bot.base, "add TIIWG Before the outage due 2027-03-01")).toContain(
      "TIIWG-1",
    );

    expect(Date.now() - t0, "the setup outlasted the time before 09:00").toBeLessThan(
      NINE - START - 5000,
    );
    proxy.cut();
    const failed = await command(bot.base, "add TIIWG During the outage due 2027-03-01");
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
    const back = async () => (await fetch(`${bot.base}/readyz`)).status === 200;
    expect(await until(back, 60_000, 500)).toBe(true);
    expect(await command(bot.base, "add TIIWG After the outage due 2027-03-01")).toContain(
      "TIIWG-2",
    );
    await until(() => digests().length > 0, 60_000, 500);
    // A few more ticks, to give a second post every chance to happen.
    await new Promise((r) => setTimeout(r, 5000));
    expect(digests()).toHaveLength(1);
    const titles = await schema.admin.query(
      `select title from ${schema.name}.commitments order by id`,
    );
    const written = titles.rows.map((r) => r.title).filter((t) => t.includes("outage"));
    expect(written).toEqual(["Before the outage", "After the outage"]);
    expect(await bot.stop()).toBe(0);
    console.info(
      "proved: with PostgreSQL cut off, a command got 'try again' and changed nothing, /readyz said 503, ticks failed without posting; once it returned, readiness, commands and the digest owed during the outage came back by themselves, the digest posted once",
    );
  }, 150_000);
});
