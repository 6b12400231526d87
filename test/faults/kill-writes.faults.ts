import type { ChildProcess } from "node:child_process";
import SqliteDatabase from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import {
  commandReply,
  SLACK_CHANNEL,
  SLACK_IDS,
  seedPartnership,
  slackBotEnv,
  slashCommand,
  spawnCli,
  startBot,
} from "../support/bot-process.js";
import { sqliteRig } from "../support/fault-rig.js";

// Fault 2: processes SIGKILLed a hundred times in the middle of write transactions, on one
// SQLite file. Two lanes run side by side, each restarting its process after every kill: the
// bot taking signed `/cmp add` slash commands over HTTP, and the command line (`cmp-bot
// console`) adding items from a pipe. Each process is killed a short random time after its
// first write was acknowledged, while more are under way. Afterwards the database passes
// `integrity_check` and `foreign_key_check`, every acknowledged command is in it, nothing is
// there that was not sent, each item is whole (its history line and audit row with it), and a
// Slack command's request key is claimed exactly when its item exists.

const KILLS = 100;
/** How long after its first acknowledged write a process lives on, at most. */
const MAX_LIFE_MS = 300;

const rig = sqliteRig("fault-writes");
const alive = new Set<ChildProcess>();
afterAll(() => {
  for (const child of alive) child.kill("SIGKILL");
});

interface Lane {
  name: string;
  /** Titles whose reply said they were added. */
  acked: Set<string>;
  /** Titles sent, with their Slack trigger id when they came over HTTP. */
  sent: Map<string, string | null>;
  /** Replies saying the command failed (never expected: two writers wait for each other). */
  failed: string[];
  /** Kills that came after the process had acknowledged a write, amid more writes. */
  kills: number;
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });

/**
 * Kills `child` a random moment (up to MAX_LIFE_MS) after `firstAck`, then waits for its end.
 * Resolves with whether a write had been acknowledged, so the kill came amid writes.
 */
async function killSoonAfter(child: ChildProcess, firstAck: Promise<unknown>): Promise<boolean> {
  let writing = false;
  const stuck = new Promise((r) => setTimeout(r, 60_000).unref());
  await Promise.race([firstAck.then(() => (writing = true)), exited(child), stuck]);
  await new Promise((r) => setTimeout(r, Math.random() * MAX_LIFE_MS));
  child.kill("SIGKILL");
  await exited(child);
  alive.delete(child);
  return writing;
}

/** The bot, taking `/cmp add` over HTTP from 4 connections at once until it dies. */
async function botLane(lane: Lane, databaseUrl: string, rounds: number): Promise<void> {
  const { fake } = rig;
  const env = slackBotEnv(fake, databaseUrl, { CMP_SCHEDULER: "false" });
  const replies: Promise<void>[] = [];
  const senders: Promise<void>[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    const bot = await startBot(env, 30_000, (c) => alive.add(c));
    let firstAck: () => void = () => {};
    const acked = new Promise<void>((r) => {
      firstAck = r;
    });
    let n = 0;
    const sender = async () => {
      while (bot.child.exitCode === null && bot.child.signalCode === null) {
        n += 1;
        const title = `bot-${round}-${n}`;
        const triggerId = `kw${round}x${n}`;
        lane.sent.set(title, triggerId);
        const reply = slashCommand(bot.base, {
          text: `add TIIWG ${title} due 2027-03-01`,
          userId: SLACK_IDS.sara as string,
          channelId: SLACK_CHANNEL,
          triggerId,
          responseUrl: fake.responseUrl(triggerId),
        })
          // A reply that did not come in the ack may still come by response_url, or never.
          .then((ack) => commandReply(ack, fake, triggerId, 3000))
          .then((r) => {
            const body = JSON.stringify(r.body);
            if (body.includes(title)) {
              lane.acked.add(title);
              firstAck();
            } else if (body.includes("Something went wrong")) lane.failed.push(body);
            // else a refusal, e.g. "busy, try again": not acknowledged, and not a failure
          })
          .catch(() => undefined); // cut off by the kill: not acknowledged
        replies.push(reply);
        await reply;
      }
    };
    senders.push(...Array.from({ length: 4 }, sender));
    if (await killSoonAfter(bot.child, acked)) lane.kills += 1;
  }
  // Replies cut off by a kill may still be waiting for their response_url (3 s at most).
  await Promise.all([...senders, ...replies]);
}

/** The command line, adding items from a pipe as fast as it can until it dies. */
async function cliLane(lane: Lane, databaseUrl: string, rounds: number): Promise<void> {
  for (let round = 1; round <= rounds; round += 1) {
    const child = spawnCli(["console", "--as", "sara"], { DATABASE_URL: databaseUrl });
    alive.add(child);
    const lines: string[] = [];
    for (let n = 1; n <= 400; n += 1) {
      const title = `cli-${round}-${n}`;
      lane.sent.set(title, null);
      lines.push(`add TIIWG ${title} due 2027-03-01`);
    }
    child.stdin?.on("error", () => undefined); // the pipe breaks when it is killed
    child.stdin?.write(`${lines.join("\n")}\n`);
    let out = "";
    const firstAck = new Promise<void>((resolve) => {
      child.stdout?.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("Added TIIWG-")) resolve();
      });
    });
    const writing = await killSoonAfter(child, firstAck);
    for (const m of out.matchAll(/^Added TIIWG-\d+: (\S+)$/gm)) lane.acked.add(m[1] as string);
    for (const m of out.matchAll(/^Something went wrong.*$/gm)) lane.failed.push(m[0]);
    if (writing) lane.kills += 1;
  }
}

describe("SIGKILL a hundred times in the middle of write transactions", () => {
  it("leaves a sound database holding every acknowledged command, each whole", async () => {
    const { databaseUrl } = rig;
    await seedPartnership(databaseUrl);
    const lane = (name: string): Lane => ({
      name,
      acked: new Set(),
      sent: new Map(),
      failed: [],
      kills: 0,
    });
    const bot = lane("bot");
    const cli = lane("cli");
    const t0 = Date.now();
    await Promise.all([botLane(bot, databaseUrl, KILLS / 2), cliLane(cli, databaseUrl, KILLS / 2)]);
    const seconds = Math.round((Date.now() - t0) / 1000);

    const db = new SqliteDatabase(databaseUrl);
    const integrity = db.pragma("integrity_check", { simple: true });
    const foreignKeys = db.pragma("foreign_key_check");
    const items = db
      .prepare(
        `select c.title, c.number,
           (select count(*) from commitment_updates u where u.commitment_id = c.id and u.kind = 'created') as created,
           (select count(*) from audit_log a where a.entity = 'commitment' and a.action = 'create'
              and a.entity_ref = 'TIIWG-' || c.number) as audited
         from commitments c join working_groups g on g.id = c.group_id where g.code = 'TIIWG'`,
      )
      .all() as { title: string; number: number; created: number; audited: number }[];
    const keys = new Set(
      (
        db
          .prepare(
            "select request_key from processed_requests where request_key like 'slack:cmd:kw%'",
          )
          .all() as { request_key: string }[]
      ).map((r) => r.request_key),
    );
    db.close();

    expect(integrity).toBe("ok");
    expect(foreignKeys).toEqual([]);
    const stored = new Set(items.map((i) => i.title));
    expect(stored.size, "an item was stored twice").toBe(items.length);
    for (const l of [bot, cli]) {
      expect(l.kills).toBe(KILLS / 2);
      expect(l.failed, `${l.name}: commands that failed`).toEqual([]);
      expect(l.acked.size, `${l.name}: nothing was acknowledged`).toBeGreaterThan(0);
      const lost = [...l.acked].filter((t) => !stored.has(t));
      expect(lost, `${l.name}: acknowledged but not in the store`).toEqual([]);
    }
    const unknown = items.filter((i) => !bot.sent.has(i.title) && !cli.sent.has(i.title));
    expect(unknown, "in the store but never sent").toEqual([]);
    const partial = items.filter((i) => i.created !== 1 || i.audited !== 1);
    expect(partial, "an item without its history line or audit row").toEqual([]);
    // A Slack command's request key commits with its item, never one without the other.
    const mismatched = [...bot.sent].filter(
      ([title, trigger]) => stored.has(title) !== keys.has(`slack:cmd:${trigger}`),
    );
    expect(mismatched).toEqual([]);

    const ackedCount = bot.acked.size + cli.acked.size;
    const unacked = items.length - ackedCount;
    console.info(
      `proved: ${bot.kills + cli.kills} SIGKILLs in ${seconds} s (${bot.kills} of the bot mid-HTTP-commands, ${cli.kills} of the command line mid-writes, on one SQLite file): integrity_check and foreign_key_check clean; all ${ackedCount} acknowledged commands (${bot.acked.size} over HTTP, ${cli.acked.size} from the CLI) are in the store, each item whole; ${unacked} more committed but were killed before their acknowledgement; nothing stored that was not sent`,
    );
    // 100 restarts take 3½ minutes on a quiet 2-core machine and 4¾ on a slower one (30 November).
  }, 420_000);
});
