import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

// `npm start` as an operator runs it, with Slack on a loopback fake: what it logs, what its
// probes and metrics say, and that no secret reaches the log even at debug level.

let dir: string;
let fake: FakeSlack;
let bot: BotProcess;
let triggers = 0;

async function command(user: string, text: string) {
  triggers += 1;
  const triggerId = `t${triggers}.${Date.now()}`;
  const response = await slashCommand(bot.base, {
    text,
    userId: SLACK_IDS[user] as string,
    channelId: SLACK_CHANNEL,
    triggerId,
    responseUrl: fake.responseUrl(triggerId),
  });
  expect(response.status).toBe(200);
  const reply = await fake.waitFor<{ id: string; body: Record<string, unknown> }>(
    "response",
    (r) => r.id === triggerId,
  );
  return { reqId: response.headers.get("x-request-id") as string, reply };
}

function metricValue(text: string, name: string, labels: Record<string, string>): number | null {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text
    .split("\n")
    .find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line ? Number(line.split(" ").at(-1)) : null;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cmp-ops-run-"));
  fake = await startFakeSlack();
  // The first profile lookup is rate-limited, as Slack does under load.
  let limited = false;
  fake.on("users.info", (_args, res) => {
    if (limited) return false;
    limited = true;
    res.writeHead(429, { "retry-after": "1", "content-type": "application/json" });
    res.end(JSON.stringify({ ok: false, error: "ratelimited" }));
    return true;
  });
  const databaseUrl = join(dir, "cmp.db");
  await seedPartnership(databaseUrl);
  bot = await startBot({
    DATABASE_URL: databaseUrl,
    SLACK_BOT_TOKEN: fake.token,
    SLACK_SIGNING_SECRET: SLACK_SECRET,
    SLACK_API_URL: fake.apiUrl,
    LOG_LEVEL: "debug",
  });
}, 60_000);

afterAll(async () => {
  await bot?.stop("SIGKILL");
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("a running bot", () => {
  it("says at info that it started: port, platforms, store and scheduler", () => {
    const line = bot.logs.find((l) => l.msg === "listening");
    expect(line).toMatchObject({
      level: 30,
      port: bot.port,
      platforms: ["slack-http"],
      store: { kind: "sqlite", at: join(dir, "cmp.db") },
      scheduler: true,
    });
  });

  it("is live and ready, and says so on /healthz and /readyz", async () => {
    expect((await fetch(`${bot.base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${bot.base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.text()).toBe("ready");
  });

  it("counts commands by verb, platform and outcome, and platform calls by result", async () => {
    await command("sara", "help");
    await command("sara", "status NOPE");
    await command("outsider", "add TIIWG Visit by the outsider due 2027-03-01");
    await command("sara", "add TIIWG Trade mission report due 2027-03-01 owner COMCE (MX)");
    const response = await fetch(`${bot.base}/metrics`);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    const commands = (verb: string, outcome: string) =>
      metricValue(text, "cmp_commands_total", { verb, platform: "slack", outcome });
    expect(commands("help", "ok")).toBe(1);
    expect(commands("status", "bad_input")).toBe(1);
    expect(commands("add", "refused")).toBe(1);
    expect(commands("add", "ok")).toBe(1);
    expect(metricValue(text, "cmp_command_reply_seconds_count", { platform: "slack" })).toBe(4);
    expect(
      metricValue(text, "cmp_platform_calls_total", {
        platform: "slack",
        method: "users.info",
        result: "rate_limited",
      }),
    ).toBe(1);
    expect(
      metricValue(text, "cmp_platform_calls_total", { method: "users.info", result: "ok" }),
    ).toBeGreaterThan(0);
    expect(text).toMatch(/^cmp_deliveries_pending \d+$/m);
    expect(text).toMatch(/^cmp_scheduler_tick_seconds_count [1-9]/m);
    expect(text).toMatch(/^cmp_process_resident_memory_bytes \d+/m);
  });

  it("writes one line per request, and its id follows the command to the store and Slack", async () => {
    const { reqId } = await command("chantal", "mine");
    expect(reqId).toMatch(/^[\w-]{36}$/);
    await bot.waitForLog((l) => l.msg === "command" && l.reqId === reqId);
    const mine = bot.logs.filter((l) => l.reqId === reqId);
    const requests = mine.filter((l) => l.msg === "request");
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ method: "POST", path: "/slack/events", status: 200 });
    expect(mine.find((l) => l.msg === "command")).toMatchObject({
      verb: "mine",
      platform: "slack",
      outcome: "ok",
    });
    expect(mine.some((l) => l.msg === "store")).toBe(true);
    expect(mine.some((l) => l.msg === "platform call" && l.method === "users.info")).toBe(true);
    // A proxy's own request id is kept.
    const given = await fetch(`${bot.base}/nope`, { headers: { "x-request-id": "lb-42" } });
    expect(given.headers.get("x-request-id")).toBe("lb-42");
  });

  it("never logs the bot token, the signing secret, a response_url or a signature", async () => {
    const log = bot.stderr();
    expect(log.length).toBeGreaterThan(1000);
    expect(log).not.toContain(fake.token);
    expect(log).not.toContain(SLACK_SECRET);
    expect(log).not.toContain(`${fake.url}/response/`);
    expect(log).not.toMatch(/v0=[0-9a-f]{64}/);
    console.info(
      `proved: ${bot.logs.length} log lines of a full run at debug level hold no token, secret, response_url or signature`,
    );
  });

  it("stops on SIGTERM with exit code 0", async () => {
    expect(await bot.stop("SIGTERM")).toBe(0);
    expect(bot.logs.some((l) => l.msg === "stopped")).toBe(true);
  });
});
