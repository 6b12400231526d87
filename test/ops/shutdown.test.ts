import SqliteDatabase from "better-sqlite3";
import { describe, expect, it } from "vitest";
import {
  SLACK_CHANNEL,
  SLACK_IDS,
  SLACK_SECRET,
  seedPartnership,
  slashCommand,
  startBot,
} from "../support/bot-process.js";
import { sqliteRig } from "../support/fault-rig.js";

// SIGTERM in the middle of a burst of commands. Slack is answered (acknowledged) before a
// command runs, so "acknowledged" is a promise: every acknowledged command must be in the
// store when the process has exited, and it must exit 0.

const rig = sqliteRig("ops-drain");

describe("graceful shutdown", () => {
  it("finishes every acknowledged command before exiting 0", async () => {
    const { databaseUrl } = rig;
    await seedPartnership(databaseUrl);
    const bot = await startBot({
      DATABASE_URL: databaseUrl,
      SLACK_BOT_TOKEN: rig.fake.token,
      SLACK_SIGNING_SECRET: SLACK_SECRET,
      SLACK_API_URL: rig.fake.apiUrl,
      SHUTDOWN_GRACE_SECONDS: "15",
      CMP_SCHEDULER: "false",
    });
    const acknowledged: string[] = [];
    let refused = 0;
    let signalled = false;
    const burst = Array.from({ length: 80 }, async (_, i) => {
      const title = `Burst item ${i}`;
      // Two waves: the signal lands while the first is being handled.
      if (i >= 40) await new Promise((r) => setTimeout(r, 300));
      try {
        const response = await slashCommand(bot.base, {
          text: `add TIIWG ${title} due 2027-06-30`,
          userId: SLACK_IDS.sara as string,
          channelId: SLACK_CHANNEL,
          triggerId: `burst-${i}`,
          responseUrl: rig.fake.responseUrl(`burst-${i}`),
        });
        // "Busy, try again" is an answer, not an acknowledged command: nothing was run.
        const busy = (await response.text()).includes("The bot is busy right now");
        if (response.status === 200 && !busy) acknowledged.push(title);
        else refused += 1;
      } catch {
        refused += 1; // the listener was already closed: never acknowledged
      }
      if (acknowledged.length === 10 && !signalled) {
        signalled = true;
        bot.child.kill("SIGTERM");
      }
    });
    await Promise.all(burst);
    expect(await bot.exited).toBe(0);
    const db = new SqliteDatabase(databaseUrl, { readonly: true });
    const titles = new Set(
      (db.prepare("select title from commitments").all() as { title: string }[]).map(
        (r) => r.title,
      ),
    );
    db.close();
    expect(acknowledged.length).toBeGreaterThanOrEqual(10);
    expect(acknowledged.filter((t) => !titles.has(t))).toEqual([]);
    const shutdown = bot.logs.find((l) => l.msg === "shutting down");
    const stopped = bot.logs.find((l) => l.msg === "stopped");
    expect(stopped).toMatchObject({ finished: true, commandsCut: 0 });
    console.info(
      `proved: SIGTERM with ${shutdown?.commandsUnderWay} commands under way; all ${acknowledged.length} acknowledged commands are in the store, ${refused} later ones were refused at the door, exit 0`,
    );
  }, 90_000);
});
