import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { afterAll, beforeAll } from "vitest";
import type { BotProcess } from "./bot-process.js";
import { type FakeSlack, startFakeSlack } from "./fake-slack.js";

// What the tests of a real bot process on SQLite share: a fresh directory for the database, a
// fake Slack, and the bot process the test starts, all gone after the file's tests, the bot
// killed if alive.

export interface SqliteRig {
  /** A directory of the file's own, for the database and any other file a test writes. */
  dir: string;
  /** The database file, in `dir`. */
  databaseUrl: string;
  fake: FakeSlack;
  /** The bot the test started last, killed after the tests if still running. */
  bot: BotProcess | null;
}

export function sqliteRig(
  prefix: string,
  fakeOptions: Parameters<typeof startFakeSlack>[0] = {},
): SqliteRig {
  const rig = { dir: "", databaseUrl: "", bot: null } as unknown as SqliteRig;
  beforeAll(async () => {
    rig.dir = mkdtempSync(join(tmpdir(), `cmp-${prefix}-`));
    rig.databaseUrl = join(rig.dir, "cmp.db");
    rig.fake = await startFakeSlack(fakeOptions);
  });
  afterAll(async () => {
    await rig.bot?.stop("SIGKILL");
    await rig.fake?.close();
    rmSync(rig.dir, { recursive: true, force: true });
  });
  return rig;
}

/** The Slack side of the deliveries ledger, read from the file while the bot runs. */
export function slackLedger(databaseUrl: string) {
  const db = new SqliteDatabase(databaseUrl, { readonly: true });
  return {
    count(status: string): number {
      return (
        db
          .prepare("select count(*) as n from deliveries where platform = 'slack' and status = ?")
          .get(status) as { n: number }
      ).n;
    },
    byStatus(): { status: string; n: number }[] {
      return db
        .prepare(
          "select status, count(*) as n from deliveries where platform = 'slack' group by status",
        )
        .all() as { status: string; n: number }[];
    },
    close: () => db.close(),
  };
}
