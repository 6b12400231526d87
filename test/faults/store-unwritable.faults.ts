import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BotProcess,
  seedPartnership,
  slackBotEnv,
  slackCommands,
  startBot,
} from "../support/bot-process.js";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.js";

// Fault 4: the bot's SQLite database lives on a small file system of its own (a 8 MB tmpfs,
// mounted for the test), which fills up; later the database file is made immutable (chattr +i:
// even root cannot write it). Each time, people who try to change something are told, in their
// own language and without a stack trace, that the bot cannot save right now; reading still
// works; nothing is half-written; and once space or permission returns the bot writes again
// without a restart.

let dir: string;
let fake: FakeSlack;
let bot: BotProcess | null = null;
let command: ReturnType<typeof slackCommands>;
const run = (cmd: string, ...args: string[]) => execFileSync(cmd, args, { stdio: "pipe" });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cmp-fault-disk-"));
  try {
    run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", dir);
  } catch (error) {
    throw new Error(
      `This test mounts a small tmpfs to fill it, which needs root (or CAP_SYS_ADMIN): ${String(error)}`,
    );
  }
  fake = await startFakeSlack({
    users: [
      { id: "U0SARA", name: "sara", locale: "en-US" },
      { id: "U0SALVADOR", name: "salvador", locale: "es-MX" },
      { id: "U0CHANTAL", name: "chantal", locale: "fr-CA" },
    ],
  });
  command = slackCommands(fake, "disk");
});
afterAll(async () => {
  await bot?.stop("SIGKILL");
  await fake.close();
  try {
    run("chattr", "-i", join(dir, "cmp.db"));
  } catch {}
  run("umount", dir);
  rmSync(dir, { recursive: true, force: true });
});

const refusal = (lang: string) =>
  (
    JSON.parse(
      readFileSync(new URL(`../../locales/${lang}/errors.json`, import.meta.url), "utf8"),
    ) as {
      store_unwritable: string;
    }
  ).store_unwritable;

/** Fills the file system, down to its last byte. */
function fillDisk(file: string): void {
  const fd = openSync(file, "w");
  try {
    for (const size of [1 << 20, 1 << 16, 1 << 12, 1]) {
      const chunk = Buffer.alloc(size, 1);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
      }
    }
  } finally {
    closeSync(fd);
  }
}

describe("a store that cannot write: disk full, then a read-only file", () => {
  it("tells each person in their language, writes nothing half-way, and recovers by itself", async () => {
    const databaseUrl = join(dir, "cmp.db");
    await seedPartnership(databaseUrl);
    const env = slackBotEnv(fake, databaseUrl, { CMP_SCHEDULER: "false" });
    bot = await startBot(env);
    const base = () => (bot as BotProcess).base;
    expect(await command(base(), "add TIIWG Before the disk filled due 2027-03-01")).toContain(
      "TIIWG-1",
    );

    // The disk fills up. Each person who tries to write hears why, in their language.
    fillDisk(join(dir, "filler"));
    const tries = [
      ["sara", "en", "add TIIWG While the disk was full due 2027-03-01"],
      ["salvador", "es", "agregar TIIWG Mientras el disco estaba lleno vence 2027-03-01"],
      ["chantal", "fr", "ajouter TIIWG Pendant que le disque était plein échéance 2027-03-01"],
    ] as const;
    for (const [user, lang, text] of tries) {
      const reply = await command(base(), text, user);
      expect(reply, `${user} (${lang})`).toContain(refusal(lang));
      expect(reply).not.toMatch(/SQLITE|Error|\bat \S+ \(/);
    }
    // Reading works meanwhile, as the message says.
    expect(await command(base(), "show TIIWG-1")).toContain("Before the disk filled");
    expect(bot.logs.filter((l) => l.msg === "command failed: the store cannot write")).toHaveLength(
      3,
    );

    // Nothing of the refused commands was written: no item, no history, no audit row, no
    // request key (the key is claimed in the same transaction as the change).
    const check = () => {
      const db = new SqliteDatabase(databaseUrl, { readonly: true });
      try {
        return {
          integrity: db.pragma("integrity_check", { simple: true }),
          titles: (
            db
              .prepare(
                "select c.title from commitments c join working_groups g on g.id = c.group_id where g.code = 'TIIWG' order by c.id",
              )
              .all() as { title: string }[]
          ).map((r) => r.title),
          updates: (
            db.prepare("select count(*) as n from commitment_updates").get() as { n: number }
          ).n,
          audit: (db.prepare("select count(*) as n from audit_log").get() as { n: number }).n,
          keys: (
            db.prepare("select request_key from processed_requests order by request_key").all() as {
              request_key: string;
            }[]
          ).map((r) => r.request_key),
        };
      } finally {
        db.close();
      }
    };
    const full = check();
    expect(full.integrity).toBe("ok");
    expect(full.titles).toEqual(["Before the disk filled"]);
    expect(full.keys).toEqual(["slack:cmd:disk1"]);

    // Space returns: the same bot, not restarted, writes again.
    rmSync(join(dir, "filler"));
    expect(await command(base(), "add TIIWG After space returned due 2027-03-01")).toContain(
      "TIIWG-2",
    );

    // Stopped, the file made immutable, started again: SQLite opens it read-only.
    expect(await bot.stop()).toBe(0);
    run("chattr", "+i", databaseUrl);
    bot = await startBot(env);
    const readOnly = await command(
      base(),
      "ajouter TIIWG Pendant que le fichier était en lecture seule échéance 2027-03-01",
      "chantal",
    );
    expect(readOnly).toContain(refusal("fr"));
    expect(readOnly).not.toMatch(/SQLITE|Error|\bat \S+ \(/);
    expect(await command(base(), "show TIIWG-2")).toContain("After space returned");
    // Write permission returns; within a second the bot reopens the file and writes again.
    run("chattr", "-i", databaseUrl);
    await new Promise((r) => setTimeout(r, 1200));
    expect(await command(base(), "add TIIWG After the file was writable due 2027-03-01")).toContain(
      "TIIWG-3",
    );
    expect(await bot.stop()).toBe(0);

    const after = check();
    expect(after.integrity).toBe("ok");
    expect(after.titles).toEqual([
      "Before the disk filled",
      "After space returned",
      "After the file was writable",
    ]);
    // One history line and one audit row per item written, none for the refused ones.
    expect(after.updates - full.updates).toBe(2);
    expect(after.audit - full.audit).toBeGreaterThanOrEqual(2);
    expect(after.keys).toHaveLength(3);
    console.info(
      "proved: with the disk full, then with the database file immutable, writes got the localized 'cannot save' message (en, es, fr; no stack trace) while reads worked; nothing of the refused commands was written (integrity_check ok); the running bot wrote again as soon as space, then permission, returned",
    );
  }, 120_000);
});
