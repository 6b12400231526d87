import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { parse as parseQuery, stringify } from "node:querystring";
import pino from "pino";
import { createApp, systemActor } from "../../src/app.js";
import { type ImportFile, importData } from "../../src/import/yaml-import.js";
import { type FakeSlack, slackSignature } from "./fake-slack.js";
import { SMALL_PARTNERSHIP } from "./harness.js";

// The real command line, `cmp-bot start`, as a child process: its JSON log lines, its ports,
// and signals. What operations tests need to see the bot as an operator does.

export const SLACK_SECRET = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";

export interface LogLine {
  level: number;
  msg?: string;
  reqId?: string;
  [key: string]: unknown;
}

export interface BotProcess {
  child: ChildProcess;
  port: number;
  metricsPort: number;
  base: string;
  /** Every stderr line, parsed when it is JSON. */
  logs: LogLine[];
  /** stderr as written, for greps. */
  stderr(): string;
  exited: Promise<number | null>;
  waitForLog(match: (line: LogLine) => boolean, ms?: number): Promise<LogLine>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startBot(
  env: Record<string, string>,
  ms = 30_000,
  /** Sees the process at once, before it listens (its scheduler may already be posting). */
  onSpawn?: (child: ChildProcess) => void,
): Promise<BotProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", "start"], {
    env: { PATH: process.env.PATH ?? "", CMP_DEMO_DATA: "false", PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  onSpawn?.(child);
  let raw = "";
  let pending = "";
  const logs: LogLine[] = [];
  const waiters = new Set<() => void>();
  child.stderr?.on("data", (chunk: Buffer) => {
    raw += chunk.toString();
    pending += chunk.toString();
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line));
      } catch {
        logs.push({ level: 0, msg: line });
      }
    }
    for (const wake of waiters) wake();
  });
  child.stdout?.resume();
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const waitForLog: BotProcess["waitForLog"] = (match, wait = ms) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = logs.find(match);
        if (!found) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no matching log line within ${wait} ms:\n${raw}`));
      }, wait);
      waiters.add(check);
      check();
    });
  const listening = await Promise.race([
    waitForLog((l) => l.msg === "listening"),
    exited.then((code) => {
      throw new Error(`the bot exited (${code}) before listening:\n${raw}`);
    }),
  ]);
  const port = listening.port as number;
  return {
    child,
    port,
    metricsPort: listening.metricsPort as number,
    base: `http://127.0.0.1:${port}`,
    logs,
    stderr: () => raw,
    exited,
    waitForLog,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

const SLASH_TEMPLATE = parseQuery(
  readFileSync(
    new URL("../fixtures/slack/slash-command.bolt-python.form.txt", import.meta.url),
    "utf8",
  ).trim(),
);

/** Posts a signed `/cmp` slash command to a running bot, as Slack would. */
export async function slashCommand(
  base: string,
  options: {
    text: string;
    userId: string;
    channelId: string;
    triggerId: string;
    responseUrl: string;
    secret?: string;
  },
): Promise<Response> {
  const body = stringify({
    ...SLASH_TEMPLATE,
    command: "/cmp",
    text: options.text,
    user_id: options.userId,
    user_name: options.userId.toLowerCase(),
    channel_id: options.channelId,
    channel_name: "tiiwg",
    trigger_id: options.triggerId,
    response_url: options.responseUrl,
  });
  const timestamp = Math.floor(Date.now() / 1000);
  return fetch(`${base}/slack/events`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": slackSignature(options.secret ?? SLACK_SECRET, timestamp, body),
    },
    body,
  });
}

/** Slack user ids of the small partnership's people, by import key. */
export const SLACK_IDS: Record<string, string> = {
  admin: "U0ADMIN",
  sara: "U0SARA",
  salvador: "U0SALVADOR",
  chantal: "U0CHANTAL",
  member: "U0MEMBER",
  outsider: "U0OUTSIDER",
};
export const SLACK_CHANNEL = "C0TIIWG";

/** The environment of a bot serving Slack (HTTP mode) against `fake`, on `databaseUrl`. */
export function slackBotEnv(
  fake: FakeSlack,
  databaseUrl: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    SLACK_BOT_TOKEN: fake.token,
    SLACK_SIGNING_SECRET: SLACK_SECRET,
    SLACK_API_URL: fake.apiUrl,
    ...extra,
  };
}

/** CMP_CLOCK_OFFSET_SECONDS that sets a bot started now to `at` (epoch ms), give or take 1 s. */
export function clockOffsetTo(at: number): string {
  return String(Math.round((at - Date.now()) / 1000));
}

/** Polls `check` until it holds or `ms` pass; resolves with whether it held. */
export async function until(
  check: () => boolean | Promise<boolean>,
  ms: number,
  everyMs = 250,
): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Types `/cmp …` as a person of the small partnership in SLACK_CHANNEL, through the bot at
 * `base`, and resolves with the reply (from the ack or response_url) as JSON text. Trigger ids
 * are `<prefix><n>`, so a test can find its requests in the ledger.
 */
export function slackCommands(fake: FakeSlack, prefix: string, waitMs = 30_000) {
  let sent = 0;
  return async (base: string, text: string, user = "sara"): Promise<string> => {
    sent += 1;
    const triggerId = `${prefix}${sent}`;
    const response = await slashCommand(base, {
      text,
      userId: SLACK_IDS[user] as string,
      channelId: SLACK_CHANNEL,
      triggerId,
      responseUrl: fake.responseUrl(triggerId),
    });
    if (response.status !== 200)
      throw new Error(`the bot answered ${response.status} to "${text}"`);
    const reply = await commandReply(response, fake, triggerId, waitMs);
    return JSON.stringify(reply.body);
  };
}

/**
 * Monday 30 November 2026, 09:02 in Mexico City (TIIWG's zone): two minutes after its weekly
 * digest and the reminders of items due the next day (see dueTomorrow) fell due.
 */
export const MONDAY_0902 = Date.parse("2026-11-30T15:02:00Z");

/** TIIWG items due the day after MONDAY_0902, in progress, without owners: reminded in channel. */
export function dueTomorrow(...titles: string[]): ImportFile["groups"][number]["commitments"] {
  return titles.map((title) => ({
    title,
    due: "2026-12-01",
    status: "in_progress" as const,
    owners: [],
    milestones: [],
  }));
}

/**
 * Loads the small partnership, with Slack identities and TIIWG bound to SLACK_CHANNEL (or to
 * the Slack channels given).
 */
export async function seedPartnership(
  databaseUrl: string,
  now = new Date(),
  tiiwgCommitments: ImportFile["groups"][number]["commitments"] = [],
  slackChannels: string[] = [SLACK_CHANNEL],
): Promise<void> {
  const data: ImportFile = {
    ...SMALL_PARTNERSHIP,
    people: SMALL_PARTNERSHIP.people.map((p) => ({
      ...p,
      identities: { slack: SLACK_IDS[p.key] as string },
    })),
    groups: SMALL_PARTNERSHIP.groups.map((g) =>
      g.code === "TIIWG"
        ? {
            ...g,
            channels: [
              ...g.channels,
              ...slackChannels.map((id) => ({ platform: "slack" as const, id })),
            ],
            commitments: tiiwgCommitments,
          }
        : g,
    ),
  };
  const app = await createApp({ databaseUrl, logger: pino({ level: "silent" }) });
  try {
    await importData(app.store, data, await systemActor(app.store, now.toISOString()), now);
  } finally {
    await app.close();
  }
}

/** Starts `cmp-bot <args>` with piped stdio, as an operator's shell would. */
export function spawnCli(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "src/main.ts", ...args], {
    env: { PATH: process.env.PATH ?? "", CMP_DEMO_DATA: "false", ...env },
  });
}

/** Runs one `cmp-bot` command to the end, without blocking the test's event loop. */
export function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawnCli(args, env);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr?.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The reply to a slash command: in the ack itself when it was ready within the bot's budget,
 * else the post that reached `response_url`.
 */
export async function commandReply(
  ack: Response,
  fake: FakeSlack,
  triggerId: string,
  waitMs: number,
): Promise<{ id: string; body: Record<string, unknown> }> {
  const text = await ack.text();
  if (text) return { id: triggerId, body: JSON.parse(text) as Record<string, unknown> };
  return fake.waitFor<{ id: string; body: Record<string, unknown> }>(
    "response",
    (r) => r.id === triggerId,
    waitMs,
  );
}
