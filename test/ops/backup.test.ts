import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { describe, expect, it } from "vitest";
import {
  runCli,
  SLACK_CHANNEL,
  SLACK_IDS,
  SLACK_SECRET,
  seedPartnership,
  slashCommand,
  startBot,
} from "../support/bot-process.js";
import { sqliteRig } from "../support/fault-rig.js";

// `cmp-bot backup` while the bot writes, and `cmp-bot restore` that checks before it replaces.

const rig = sqliteRig("ops-backup");

function inspect(path: string) {
  const db = new SqliteDatabase(path, { readonly: true });
  try {
    return {
      integrity: (db.pragma("integrity_check") as { integrity_check: string }[])[0]
        ?.integrity_check,
      foreignKeyProblems: (db.pragma("foreign_key_check") as unknown[]).length,
      titles: (db.prepare("select title from commitments").all() as { title: string }[]).map(
        (r) => r.title,
      ),
      migrations: (db.prepare("select name from kysely_migration").all() as unknown[]).length,
    };
  } finally {
    db.close();
  }
}

describe("backup and restore", () => {
  it("copies a database the bot is writing to, and the copy restores consistent", async () => {
    const live = join(rig.dir, "live.db");
    await seedPartnership(live);
    const bot = await startBot({
      DATABASE_URL: live,
      SLACK_BOT_TOKEN: rig.fake.token,
      SLACK_SIGNING_SECRET: SLACK_SECRET,
      SLACK_API_URL: rig.fake.apiUrl,
      CMP_SCHEDULER: "false",
    });
    const acknowledged: string[] = [];
    let writing = true;
    const load = (async () => {
      for (let i = 0; writing; i++) {
        const title = `Load item ${i}`;
        const response = await slashCommand(bot.base, {
          text: `add TIIWG ${title} due 2027-06-30`,
          userId: SLACK_IDS.sara as string,
          channelId: SLACK_CHANNEL,
          triggerId: `load-${i}`,
          responseUrl: rig.fake.responseUrl(`load-${i}`),
        });
        if (response.status === 200) acknowledged.push(title);
      }
    })();
    await new Promise((r) => setTimeout(r, 1500));
    const before = acknowledged.length;
    const copy = join(rig.dir, "copy.db");
    const backup = await runCli(["backup", copy], { DATABASE_URL: live });
    const during = acknowledged.length;
    await new Promise((r) => setTimeout(r, 500));
    writing = false;
    await load;
    expect(await bot.stop()).toBe(0);
    expect(backup.stderr).toBe("");
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/^Backed up .* to .*copy\.db \(\d+ pages, checked\)\.\n$/);

    const restored = join(rig.dir, "restored.db");
    const restore = await runCli(["restore", copy], { DATABASE_URL: restored });
    expect(restore.code).toBe(0);
    expect(restore.stdout).toBe(`Restored ${restored} from ${copy}.\n`);
    const state = inspect(restored);
    expect(state.integrity).toBe("ok");
    expect(state.foreignKeyProblems).toBe(0);
    // A point in time between the backup's start and end: a prefix of what was acknowledged.
    const count = state.titles.filter((t) => t.startsWith("Load item")).length;
    expect(count).toBeGreaterThanOrEqual(Math.max(0, before - 5));
    expect(count).toBeLessThanOrEqual(acknowledged.length);
    expect(acknowledged.slice(0, count).every((t) => state.titles.includes(t))).toBe(true);
    expect(acknowledged.length).toBeGreaterThan(during);
    console.info(
      `proved: a backup taken while ${acknowledged.length} commands were being written restores with integrity ok, no broken foreign key, and ${count} items (the first ${count} acknowledged)`,
    );

    // The restored database is usable: the bot starts on it and is ready.
    const again = await startBot({ DATABASE_URL: restored, TEAMS_ALLOW_UNAUTHENTICATED: "true" });
    expect((await fetch(`${again.base}/readyz`)).status).toBe(200);
    expect(await again.stop()).toBe(0);
  }, 180_000);

  it("refuses a file that is not a good backup, and leaves the database as it was", async () => {
    const target = join(rig.dir, "keep.db");
    await seedPartnership(target);
    const titlesBefore = inspect(target).titles;

    const junk = join(rig.dir, "junk.db");
    writeFileSync(junk, "this is not a database ".repeat(200));
    const refused = await runCli(["restore", junk], { DATABASE_URL: target });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^Not restored: .*junk\.db: .*The database is unchanged\.\n$/);

    const newer = join(rig.dir, "newer.db");
    await seedPartnership(newer);
    const db = new SqliteDatabase(newer);
    db.prepare("insert into kysely_migration (name, timestamp) values (?, ?)").run(
      "999_from_the_future",
      new Date().toISOString(),
    );
    db.close();
    const future = await runCli(["restore", newer], { DATABASE_URL: target });
    expect(future.code).toBe(1);
    expect(future.stderr).toContain(
      "comes from a newer version of the bot (migrations 999_from_the_future are unknown here)",
    );
    expect(inspect(target).titles).toEqual(titlesBefore);
    expect(existsSync(`${target}.before-restore`)).toBe(false);

    const taken = await runCli(["backup", newer], { DATABASE_URL: target });
    expect(taken.stderr).toContain("exists already; choose a new file name");
    const pg = await runCli(["backup", join(rig.dir, "pg.db")], {
      DATABASE_URL: "postgres://postgres@127.0.0.1:5432/test",
    });
    expect(pg.code).toBe(1);
    expect(pg.stderr).toContain("back it up with pg_dump and restore with pg_restore");
  }, 180_000);
});
